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

// The ten-minute path: a GM of a new company, from the checklist to his first
// test-call check-in. Every "run:" below is one click or one field typed: the
// test counts them (under 30); the page-reload marker is a "run()", not counted.
const CREW = [
    "name,mobile,manager,role,login,language",
    "Maria Lane,(312) 555-0160,,service_manager,maria@lakeview.example,en",
    "Ana Lopez,(312) 555-0161,Maria Lane,technician,,es",
    "Ben Ortiz,(312) 555-0162,Maria Lane,technician,,en",
    "Cal Park,(312) 555-0163,Maria Lane,installer,,en",
].join("\n");
const step = (name) => `.o_ops_setup .o_ops_setup_step[data-step='${name}']`;

registry.category("web_tour.tours").add("ops_coach_ten_minutes", {
    url: "/odoo/action-ops_coach.action_ops_setup",
    steps: () => [
        // 1. the company's country (its timezone came with its working hours)
        { trigger: `${step("company")} .badge:contains('To do')` },
        { trigger: `${step("company")} button[name='action_company']`, run: "click" },
        { trigger: ".o_field_widget[name='country_id'] input", run: "edit United States" },
        { trigger: ".o-autocomplete--dropdown-item:first-child a:contains('United States')", run: "click" },
        // saving a company reloads the page (Odoo's company service): marked before, gone after
        { trigger: "body", run() { document.body.classList.add("o_ops_before_reload"); } },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: "body:not(.o_ops_before_reload) .o_field_widget[name='country_id'] input:value(United States)" },
        { trigger: ".o_breadcrumb .breadcrumb-item a:contains('Set up')", run: "click" },
        { trigger: `${step("company")} .badge:contains('Done')` },
        // 2-4. people, their numbers and the manager's login, from one paste
        { trigger: `${step("people")} button[name='action_import']`, run: "click" },
        // pasted (several lines: a function, the "edit" string takes one line); one field typed
        { trigger: ".modal .o_field_widget[name='pasted_rows'] textarea", run: (helpers) => helpers.edit(CREW) },
        { trigger: ".modal .o_field_widget[name='give_access'] input:checked" },  // on by default
        { trigger: ".modal button[name='action_import']", run: "click" },
        { trigger: ".o_list_view .o_data_row:contains('Ana Lopez')" },
        { trigger: ".o_breadcrumb .breadcrumb-item a:contains('Set up')", run: "click" },
        { trigger: `${step("people")} .badge:contains('Done')` },
        { trigger: `${step("numbers")} .badge:contains('Done')` },
        { trigger: `${step("access")} .badge:contains('Done')` },
        // 5. the voice provider's secret
        { trigger: `${step("provider")} button[name='action_settings']`, run: "click" },
        { trigger: ".o_field_widget[name='ops_coach_vapi_secret'] input", run: "edit lakeview-vapi-secret" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_field_widget[name='ops_coach_vapi_secret'] input:value(lakeview-vapi-secret)" },
        { trigger: ".o_main_navbar .dropdown-toggle:contains('Configuration')", run: "click" },
        { trigger: ".dropdown-menu .dropdown-item:contains('Set up')", run: "click" },
        { trigger: `${step("provider")} .badge:contains('Done')` },
        // 6. a test call, in the console, as Ana
        { trigger: `${step("test_call")} button[name='action_test_call']`, run: "click" },
        { trigger: ".o_data_row td[name='name']:contains('Ops only')", run: "click" },
        { trigger: ".o_form_view button[name='action_test_call']", run: "click" },
        { trigger: ".modal .o_field_widget[name='profile_id'] input", run: "edit Ana" },
        { trigger: ".o-autocomplete--dropdown-item a:contains('Ana Lopez')", run: "click" },
        { trigger: ".modal button[name='action_start']", run: "click" },
        { trigger: ".modal div[name='answer'] input", run: "edit yeah" },
        { trigger: ".modal button[name='action_send']", run: "click" },
        { trigger: ".modal .o_ops_test_call_transcript:contains('Anything blocking you today?')" },
        { trigger: ".modal div[name='answer'] input", run: "edit nope" },
        { trigger: ".modal button[name='action_send']", run: "click" },
        { trigger: ".modal button[name='action_open_checkin']", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name='employee_id'] input:value(Ana Lopez)" },
    ],
});
