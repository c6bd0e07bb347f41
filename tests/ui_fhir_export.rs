//! "Export FHIR…" in the app (step 14), driven through its widgets: the Order page writes the
//! order's FHIR Bundle (owner-only JSON with the plan's numbers and the preview's wording,
//! nothing recorded in the order ledger), and is off while the order cannot print; the
//! Course view writes the course's Bundle with the bedside entries on screen, and names a
//! charted value that is not a number instead of writing anything.

mod common;
#[path = "order_common.rs"]
mod order_common;

use common::course_view::{course_harness, open_course_typed};
use common::{click, fhir_resources, harness, has_label_containing, mode_of, temp_dir, type_into};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use ketaplan::ui::KetaplanApp;
use ketaplan::ui::actions::Page;
use ketaplan::ui::order_export::LEDGER_FILE;
use serde_json::Value;
use std::path::Path;

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn export_fhir(h: &mut Harness<'_, KetaplanApp>, label: &str, path: &Path) {
    click(h, "Export FHIR…");
    assert!(h.state().has_modal(), "the export dialog opens");
    type_into(h, label, &path.display().to_string());
    click(h, "Export to this path");
}

#[test]
fn the_order_page_exports_the_orders_fhir_bundle_and_records_no_print() {
    let dir = temp_dir();
    let mut app = order_common::order_app();
    app.set_data_dir(Some(dir.path().to_path_buf()));
    app.open_case_value(&order_common::standard());
    app.state.page = Page::Order;
    let mut h = harness(app);
    let target = dir.path().join("order-for-ehr");
    export_fhir(&mut h, "Path to export the order FHIR bundle to", &target);
    assert!(!h.state().has_modal(), "{:?}", h.state().notice());
    let written = dir.path().join("order-for-ehr.json");
    assert_eq!(mode_of(&written), 0o600, "owner-only");
    let bundle = read_json(&written);
    assert_eq!(bundle["type"], "collection");
    let plan = h
        .state()
        .current_plan()
        .unwrap_or_else(|| panic!("no plan"));
    let request = fhir_resources(&bundle, "MedicationRequest")[0];
    let infusion = &request["dosageInstruction"][1];
    assert_eq!(
        infusion["doseAndRate"][0]["rateQuantity"]["value"].as_f64(),
        Some(plan.infusion_mg_per_h)
    );
    assert_eq!(
        infusion["doseAndRate"][1]["rateQuantity"]["value"].as_f64(),
        Some(plan.pump_ml_per_h)
    );
    // The wording is the sheet's: the preview shows the same dose cells.
    let text = infusion["text"].as_str().unwrap_or_default();
    assert!(text.starts_with("Infusion, starting rate."), "{text}");
    assert!(has_label_containing(
        &h,
        "Exported the FHIR bundle of order"
    ));
    // Not a print: the order ledger records nothing, so the next PDF is the original.
    assert!(!dir.path().join(LEDGER_FILE).exists());
}

#[test]
fn export_fhir_is_off_while_the_order_cannot_print() {
    let mut app = order_common::order_app();
    app.open_case_value(&order_common::vignette("p01-"));
    app.state.page = Page::Order;
    let h = harness(app);
    assert!(
        h.get_by_label("Export FHIR…")
            .accesskit_node()
            .is_disabled()
    );
}

#[test]
fn the_course_view_exports_the_course_with_the_entries_on_screen() {
    let dir = temp_dir();
    let course = dir.path().join("jane.ketaplan");
    if let Err(e) = std::fs::copy("tests/courses/fhir-flowsheet.ketaplan", &course) {
        panic!("{e}");
    }
    let mut h = course_harness(order_common::order_app());
    open_course_typed(&mut h, &course);
    // The last session is shown, still being charted: a heart rate typed but not yet
    // recorded is exported.
    type_into(&mut h, "Row 1 HR", "88");
    let target = dir.path().join("course-for-ehr.json");
    export_fhir(&mut h, "Path to export the course FHIR bundle to", &target);
    assert!(!h.state().has_modal());
    let bundle = read_json(&target);
    assert_eq!(fhir_resources(&bundle, "MedicationAdministration").len(), 2);
    let heart_rates: Vec<f64> = fhir_resources(&bundle, "Observation")
        .into_iter()
        .filter(|o| o["code"]["coding"][0]["code"] == "8867-4")
        .filter_map(|o| o["valueQuantity"]["value"].as_f64())
        .collect();
    assert_eq!(heart_rates, [76.0, 80.0, 72.0, 70.0, 66.0, 88.0, 78.0]);
    assert!(has_label_containing(
        &h,
        "Exported the course as a FHIR bundle"
    ));

    type_into(&mut h, "Row 1 HR", "fast");
    let refused = dir.path().join("refused.json");
    export_fhir(&mut h, "Path to export the course FHIR bundle to", &refused);
    assert!(!refused.exists(), "nothing written");
    assert!(
        has_label_containing(&h, "HR \"fast\" is not a number"),
        "the cell is named"
    );
}
