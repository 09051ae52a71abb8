from . import ops_test_call
