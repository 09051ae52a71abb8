import { registry } from "@web/core/registry";

// The owner opens the setup page: each step says done or to do, from the data;
// "Import people" opens the import with its template to download.
registry.category("web_tour.tours").add("ops_coach_setup", {
    url: "/odoo/action-ops_coach.action_ops_setup",
    steps: () => [
        { trigger: ".o_ops_setup .o_ops_setup_step[data-step='people'] .badge:contains('Done')" },
        { trigger: ".o_ops_setup .o_ops_setup_step[data-step='test_call'] .badge:contains('Done')" },
        { trigger: ".o_ops_setup .o_ops_setup_step[data-step='people'] button[name='action_import']", run: "click" },
        { trigger: ".modal a.o_ops_people_template[href='/ops_coach/people_template.csv']" },
        { trigger: ".modal .o_field_widget[name='data_file']" },
        { trigger: ".modal .modal-footer button:contains('Close')", run: "click" },
        { trigger: "body:not(:has(.modal))" },
    ],
});
