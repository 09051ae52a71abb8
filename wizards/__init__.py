from . import ops_test_call
from . import ops_briefing_preview
