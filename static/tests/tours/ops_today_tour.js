import { registry } from "@web/core/registry";

// Sam, a service manager, opens Ops Coach: the app opens on Today, filtered
// on who needs him, and Luis's card carries his burnout streak; the card
// opens on his open alerts, with what Sam can do about them.
registry.category("web_tour.tours").add("ops_coach_today", {
    url: "/odoo/action-ops_coach.action_ops_today",
    steps: () => [
        { trigger: ".o_searchview_facet:contains('Needs me today')" },
        { trigger: ".o_kanban_record:contains('Luis Ortega') .o_ops_flag_streak" },
        { trigger: ".o_kanban_record:contains('Luis Ortega') .o_ops_flag_alerts" },
        { trigger: ".o_kanban_view:not(:has(.o_kanban_record:contains('Rosa Diaz')))" },
        { trigger: ".o_kanban_record:contains('Luis Ortega')", run: "click" },
        { trigger: ".o_breadcrumb:contains('Luis Ortega')" },
        // the card opens on why he needs Sam and what Sam can do: his open alerts, to acknowledge or resolve
        { trigger: ".o_ops_today_form .o_field_widget[name='today_alert_ids'] .o_data_row" },
        { trigger: ".o_ops_today_form .o_field_widget[name='today_alert_ids'] button[name='action_acknowledge'], .o_ops_today_form .o_field_widget[name='today_alert_ids'] button:contains('Resolve')" },
    ],
});

// Tom, a technician, opens his own page: streak, KPIs against target,
// goal and commitments, and no button he may not press.
registry.category("web_tour.tours").add("ops_coach_my_page", {
    url: "/odoo/action-ops_coach.action_ops_my_page",
    steps: () => [
        { trigger: ".o_ops_my_page .o_field_widget[name='name']:contains('Tom Baker')" },
        { trigger: ".o_ops_my_page .o_field_widget[name='call_streak']" },
        { trigger: ".o_ops_my_page .o_ops_kpi_board tbody tr td:contains('at least')" },
        { trigger: ".o_ops_my_page .o_field_widget[name='goal_progress'] .o_progressbar" },
        { trigger: ".o_ops_my_page .o_field_widget[name='recent_commitment_ids'] .o_data_row" },
        { trigger: ".o_ops_my_page:not(:has(.o_statusbar_buttons button, .o_form_button_create))" },
    ],
});

// Sam presses "Preview this morning's" on his briefings: this morning's
// briefing opens in a dialog, naming Luis's streak; nothing is kept.
registry.category("web_tour.tours").add("ops_coach_briefing_preview", {
    url: "/odoo/action-ops_coach.action_ops_briefing",
    steps: () => [
        { trigger: "button[name='action_preview']", run: "click" },
        { trigger: ".modal .o_field_widget[name='body']:contains('Luis Ortega')" },
        { trigger: ".modal .modal-footer button:contains('Close')", run: "click" },
        { trigger: "body:not(:has(.modal))" },
    ],
});

// Sam opens Reporting › KPI trends and a KPI's trend: one KPI at a time, its values beside its target.
registry.category("web_tour.tours").add("ops_coach_kpi_trend", {
    url: "/odoo/action-ops_coach.action_ops_kpi_trends",
    steps: () => [
        { trigger: ".o_data_row:contains('First-time fix') button[name='action_open_trend']", run: "click" },
        { trigger: ".o_breadcrumb:contains('against its target')" },
        { trigger: ".o_graph_renderer canvas" },
        { trigger: ".o_graph_renderer:not(:has(.o_view_nocontent))" },
    ],
});
