from . import retell
from . import twilio
from . import vapi
