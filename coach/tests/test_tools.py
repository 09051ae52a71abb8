from coach.tools import TOOLS, canonical_arguments, function_tools


def test_seed_001_names_map_to_step_keys_and_ours_win():
    assert canonical_arguments({"blocker_present": True, "kpi_action_today": "x", "call_type": "daily_checkin"}) == {
        "blocker_flag": True, "kpi_action": "x", "call_type": "am_checkin"}
    assert canonical_arguments({"blocker_present": True, "blocker_flag": False}) == {"blocker_flag": False}


def test_function_tools_point_at_the_server():
    server = {"url": "https://odoo.example.com/ops_coach/vapi"}
    tools = function_tools(server, list(TOOLS))
    assert [t["function"]["name"] for t in tools] == list(TOOLS)
    assert all(t["server"] == server and t["async"] is False for t in tools)
    log = next(t for t in tools if t["function"]["name"] == "log_daily_checkin")
    assert log["function"]["parameters"]["required"] == ["call_type"]
    assert log["function"]["parameters"]["properties"]["energy_level"] == {
        "type": "integer", "minimum": 1, "maximum": 5}
