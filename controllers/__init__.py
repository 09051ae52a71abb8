from . import retell
from . import vapi
