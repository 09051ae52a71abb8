from . import ops_test_call
from . import ops_briefing_preview
from . import ops_people_import
from . import ops_setup
from . import ops_alert_resolve
