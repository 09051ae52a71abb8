from . import retell
from . import twilio
from . import photos
from . import vapi
from . import alert_link
from . import my_data
from . import setup
