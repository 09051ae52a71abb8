from . import test_models
from . import test_security
from . import test_views
from . import test_demo
from . import test_vapi
from . import test_rules
from . import test_nothing_lost
from . import test_retell
