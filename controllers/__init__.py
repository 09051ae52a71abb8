from . import vapi
