import { registry } from "@web/core/registry";

// A manager tries the ops-only flow from its form, typing a caller's answers.
registry.category("web_tour.tours").add("ops_coach_test_console", {
    url: "/odoo/action-ops_coach.action_ops_flow",
    steps: () => [
        { trigger: ".o_data_row td[name='name']:contains('Ops only')", run: "click" },
        { trigger: ".o_form_view button[name='action_test_call']", run: "click" },
        { trigger: ".modal button[name='action_start']", run: "click" },
        { trigger: ".modal .o_ops_test_call_transcript:contains('Ready to roll today?')" },
        { trigger: ".modal div[name='answer'] input", run: "edit yeah" },
        { trigger: ".modal button[name='action_send']", run: "click" },
        { trigger: ".modal .o_ops_test_call_transcript:contains('Anything blocking you today?')" },
        { trigger: ".modal div[name='answer'] input", run: "edit nope" },
        { trigger: ".modal button[name='action_send']", run: "click" },
        { trigger: ".modal .o_ops_test_call_transcript:contains('Got it. Thanks.')" },
        { trigger: ".modal:contains('Logged as a test check-in')" },
        { trigger: ".modal div[name='checkin_id']:contains('OPS/')" },
    ],
});
