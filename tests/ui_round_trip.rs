//! Nothing a user typed or saved is lost: every case file the wizard opens builds the same
//! validated case again, and saving writes it back unchanged. Compared as validated `Case`
//! values (`case_from_value`), not as text.

mod common;

use common::*;
use egui_kittest::kittest::Queryable as _;
use ketaplan::domain::case::{Case, CaseFormat, FieldError, case_from_value, parse_value};
use ketaplan::domain::findings::MonitoringTier;
use ketaplan::ui::KetaplanApp;
use ketaplan::ui::actions::Page;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn document(path: &Path) -> Result<Value, FieldError> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_value(&text, CaseFormat::from_path(path))
}

/// The case value the wizard builds from what it holds.
fn wizard_value(app: &KetaplanApp) -> Value {
    app.live().unwrap_or_else(|| panic!("no protocol")).value
}

fn vignettes() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir("tests/cases")
        .unwrap_or_else(|e| panic!("tests/cases: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.to_string_lossy();
            name.ends_with(".case.json") || name.ends_with(".case.ron")
        })
        .collect();
    paths.sort();
    assert!(paths.len() >= 40, "found only {} vignettes", paths.len());
    paths
}

/// Open `path` in the wizard, build the case value, save it, and check both give the
/// original's validated case. Returns false when the file is one the engine rejects.
fn assert_round_trip(path: &Path, out_dir: &Path) -> bool {
    let protocol = protocol();
    let original = match document(path).map(|v| case_from_value(&protocol, &v)) {
        Ok(Ok(case)) => case,
        _ => return false,
    };
    let mut app = new_app();
    assert!(app.open_path(path), "{} did not open", path.display());
    let rebuilt = case_from_value(&protocol, &wizard_value(&app))
        .unwrap_or_else(|e| panic!("{}: the wizard's value is invalid: {e:?}", path.display()));
    assert_eq!(
        rebuilt,
        original,
        "{}: open → case value changed the case",
        path.display()
    );

    // …and through a save and a second open.
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let saved = app
        .save_to(&out_dir.join(name))
        .unwrap_or_else(|e| panic!("{}: save failed: {e}", path.display()));
    let from_file: Case = document(&saved)
        .map(|v| case_from_value(&protocol, &v))
        .unwrap_or_else(|e| panic!("{}: {e}", saved.display()))
        .unwrap_or_else(|e| panic!("{}: {e:?}", saved.display()));
    assert_eq!(
        from_file,
        original,
        "{}: save changed the case",
        path.display()
    );
    let mut again = new_app();
    assert!(
        again.open_path(&saved),
        "{} did not reopen",
        saved.display()
    );
    assert_eq!(
        case_from_value(&protocol, &wizard_value(&again)).ok(),
        Some(original),
        "{}: reopen changed the case",
        path.display()
    );
    true
}

#[test]
fn every_vignette_round_trips_through_the_wizard_unchanged() {
    let dir = temp_dir();
    let mut checked = 0;
    for path in vignettes() {
        if assert_round_trip(&path, dir.path()) {
            checked += 1;
        } else {
            // Only the vignettes the engine rejects have no case to compare; the wizard must
            // not turn them into a valid one either.
            assert!(
                path.to_string_lossy().contains("rejected"),
                "{} is not a valid case",
                path.display()
            );
            let mut app = new_app();
            if app.open_path(&path) {
                assert!(
                    case_from_value(&protocol(), &wizard_value(&app)).is_err(),
                    "{}: the wizard made a rejected case valid",
                    path.display()
                );
            }
        }
    }
    assert!(checked >= 30, "only {checked} vignettes were compared");
}

/// p01 with every optional field of `ketaplan.case/1` filled.
fn every_field_case() -> Value {
    let text = std::fs::read_to_string(P01).unwrap_or_else(|e| panic!("{P01}: {e}"));
    let mut v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{P01}: {e}"));
    v["condition_detail"] = json!("Left foot after a fracture, 2025");
    v["risk_scores"] = json!({ "ort": 3, "soapp_r": 7 });
    v["history"] = json!({ "treatments_past_12_months": 2 });
    v["follow_up"]["relief_ongoing"] = json!(true);
    v["follow_up"]["setting"] = json!("inpatient");
    v["follow_up"]["course"] = json!("series");
    v["order"]["order_number"] = json!("KP-2026-000123-ABCD");
    v["order"]["airway_clinician_name"] = json!("Dr B. Airway");
    v["order"]["clinic_phone"] = json!("555 0100");
    v["justifications"] = json!({
        "history_substance_abuse": "Stable in recovery for 6 years, agreed with addiction team"
    });
    v
}

#[test]
fn a_case_with_every_optional_field_round_trips() {
    let protocol = protocol();
    let value = every_field_case();
    let original =
        case_from_value(&protocol, &value).unwrap_or_else(|e| panic!("test case: {e:?}"));
    let order = original.order.clone().unwrap_or_default();
    assert_eq!(order.order_number.as_deref(), Some("KP-2026-000123-ABCD"));
    assert_eq!(order.airway_clinician_name.as_deref(), Some("Dr B. Airway"));
    assert_eq!(order.clinic_phone.as_deref(), Some("555 0100"));
    let follow_up = original.follow_up.clone().unwrap_or_default();
    assert_eq!(follow_up.relief_ongoing, Some(true));
    assert!(follow_up.setting.is_some() && follow_up.course.is_some());
    assert!(original.risk_scores.is_some() && original.condition_detail.is_some());

    let dir = temp_dir();
    let path = dir.path().join("every-field.case.json");
    std::fs::write(&path, value.to_string()).unwrap_or_else(|e| panic!("write: {e}"));
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap_or_else(|e| panic!("mkdir: {e}"));
    assert!(assert_round_trip(&path, &out));
}

#[test]
fn attestations_left_unset_stay_unset_and_no_order_stays_no_order() {
    let protocol = protocol();
    let text = std::fs::read_to_string(P01).unwrap_or_else(|e| panic!("{P01}: {e}"));
    let base: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{P01}: {e}"));
    let dir = temp_dir();
    let mut partial = base.clone();
    partial["order"]["attest"] =
        json!({ "supervising_physician": true, "resuscitation_ready": false });
    let mut no_attest = base.clone();
    if let Some(order) = no_attest["order"].as_object_mut() {
        order.remove("attest");
    }
    let mut no_order = base;
    if let Some(case) = no_order.as_object_mut() {
        case.remove("order");
    }
    for (name, value) in [
        ("partial", partial),
        ("no-attest", no_attest),
        ("no-order", no_order),
    ] {
        assert!(case_from_value(&protocol, &value).is_ok(), "{name}");
        let path = dir.path().join(format!("{name}.case.json"));
        std::fs::write(&path, value.to_string()).unwrap_or_else(|e| panic!("write: {e}"));
        let out = dir.path().join(name);
        std::fs::create_dir_all(&out).unwrap_or_else(|e| panic!("mkdir: {e}"));
        assert!(assert_round_trip(&path, &out), "{name}");
    }
}

#[test]
fn a_unit_the_wizard_cannot_hold_is_refused_not_replaced() {
    // 0.5 "mg/kg/min" must never open as 0.5 mg/kg/h (the wizard's default unit).
    let mut app = new_app();
    let path = Path::new("tests/cases/p27-rejected-infusion-unit-mg-per-kg-per-min.case.json");
    assert!(!app.open_path(path));
    assert!(app.has_modal(), "the errors are shown");
    assert_eq!(app.file_path(), None, "nothing was opened");
}

fn tier(app: &KetaplanApp) -> Option<MonitoringTier> {
    app.current_plan().map(|p| p.monitoring_tier)
}

#[test]
fn the_airway_clinician_is_named_beside_its_attestation_and_kept_across_tiers() {
    // p06: a 0.35 mg/kg bolus puts the session at the monitored tier.
    let mut app = new_app();
    assert!(app.open_path(Path::new(
        "tests/cases/p06-radiculopathy-bolus-exactly-0.35-monitored.case.json"
    )));
    assert_eq!(tier(&app), Some(MonitoringTier::Monitored));
    app.state.page = Page::Review;
    let mut h = harness(app);
    h.get_by_label("Airway clinician").focus();
    h.run();
    h.get_by_label("Airway clinician").type_text("Dr B. Airway");
    h.run();
    assert_eq!(h.state().state.draft.airway_clinician_name, "Dr B. Airway");

    // A smaller bolus: standard tier, the attestation and its name are not asked for…
    h.state_mut().state.draft.bolus_value = "0.1".into();
    h.run();
    assert_eq!(tier(h.state()), Some(MonitoringTier::Standard));
    assert!(h.query_by_label("Airway clinician").is_none());
    // …but the name is still in the draft and the case,
    assert_eq!(h.state().state.draft.airway_clinician_name, "Dr B. Airway");
    let case = h
        .state()
        .live()
        .and_then(|l| l.case)
        .unwrap_or_else(|| panic!("p06 with a 0.1 mg/kg bolus is a valid case"));
    assert_eq!(
        case.order.and_then(|o| o.airway_clinician_name).as_deref(),
        Some("Dr B. Airway")
    );
    // …and back at the monitored tier it is shown again, as typed.
    h.state_mut().state.draft.bolus_value = "0.35".into();
    h.run();
    assert!(h.query_by_label("Airway clinician").is_some());
    assert_eq!(h.state().state.draft.airway_clinician_name, "Dr B. Airway");
}

#[test]
fn the_order_number_is_kept_until_the_case_changes_then_said_to_be_superseded() {
    let dir = temp_dir();
    let path = dir.path().join("numbered.case.json");
    std::fs::write(&path, every_field_case().to_string()).unwrap_or_else(|e| panic!("{e}"));
    let mut app = new_app();
    assert!(app.open_path(&path));
    let number = |app: &KetaplanApp| {
        wizard_value(app)["order"]["order_number"]
            .as_str()
            .map(String::from)
    };
    assert_eq!(number(&app).as_deref(), Some("KP-2026-000123-ABCD"));
    app.state.page = Page::Review;
    let mut h = harness(app);
    assert!(
        h.query_by_label_contains("Order number KP-2026-000123-ABCD")
            .is_some()
    );
    // A different dose is a different order: the old number no longer goes with it…
    h.state_mut().state.draft.infusion_value = "0.4".into();
    h.run();
    assert_eq!(number(h.state()), None);
    assert!(
        h.query_by_label_contains("supersedes KP-2026-000123-ABCD")
            .is_some()
    );
    // …but it is not forgotten: undo the change and the case is that order again.
    assert_eq!(
        h.state().state.draft.order_number.as_deref(),
        Some("KP-2026-000123-ABCD")
    );
    h.state_mut().state.draft.infusion_value = "0.5".into();
    h.run();
    assert_eq!(number(h.state()).as_deref(), Some("KP-2026-000123-ABCD"));
}

#[test]
fn a_short_reason_is_saved_and_reopens_with_its_error() {
    use ketaplan::domain::findings::Proceed;
    // p15: active substance abuse needs a reason before a single session may go ahead.
    let source =
        Path::new("tests/cases/p15-low-back-active-substance-abuse-single-avoid.case.json");
    let mut app = new_app();
    assert!(app.open_path(source));
    let plan = app.current_plan().unwrap_or_else(|| panic!("p15 plans"));
    assert_eq!(plan.proceed, Proceed::NeedsJustification);
    let code =
        ketaplan::domain::findings::codes_needing_justification(&plan.findings, &plan.limit_alerts)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("p15 needs a reason"));
    let label = protocol().reason_label(&code);
    app.state.page = Page::Review;
    let mut h = harness(app);
    type_into(&mut h, &label, "Discussed.");
    assert_eq!("Discussed.".chars().count(), 10);
    assert!(
        h.query_by_label_contains("at least 20 characters")
            .is_some()
    );
    // The live plan does not count it.
    assert_eq!(
        h.state().current_plan().map(|p| p.proceed),
        Some(Proceed::NeedsJustification)
    );

    let dir = temp_dir();
    let saved = h
        .state_mut()
        .save_to(&dir.path().join("short"))
        .unwrap_or_else(|e| panic!("save: {e}"));
    let notice = h
        .state()
        .notice()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(notice.contains("as a draft"), "{notice}");
    // The file holds the reason as typed.
    let doc = document(&saved).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc["justifications"][&code], json!("Discussed."));
    let errors = case_from_value(&protocol(), &doc).err().unwrap_or_default();
    assert!(
        !errors.is_empty()
            && errors
                .iter()
                .all(|e| e.field == format!("justifications.{code}")),
        "only the short reason is wrong: {errors:?}"
    );

    // Opened again: a draft, the text in its box, the error beside it.
    let mut again = new_app();
    assert!(again.open_path(&saved), "Open accepts it as a draft");
    let notice = again.notice().map(|n| n.text.clone()).unwrap_or_default();
    assert!(notice.contains("as a draft"), "{notice}");
    assert_eq!(
        again
            .state
            .draft
            .justifications
            .get(&code)
            .map(|j| j.text.as_str()),
        Some("Discussed.")
    );
    again.state.page = Page::Review;
    let h = harness(again);
    assert_eq!(
        h.get_by_label(&label).value().unwrap_or_default(),
        "Discussed."
    );
    assert!(
        h.query_by_label_contains("at least 20 characters")
            .is_some()
    );
    assert!(!h.state().is_dirty(), "opening changed nothing");
}

#[test]
fn the_clinic_telephone_is_typed_on_the_review_page_and_written_to_the_case() {
    let mut app = new_app();
    assert!(app.open_path(Path::new(P01)));
    app.state.page = Page::Review;
    let mut h = harness(app);
    type_into(&mut h, "Clinic telephone", "555 0100");
    assert_eq!(h.state().state.draft.clinic_phone, "555 0100");
    let case = h
        .state()
        .live()
        .and_then(|l| l.case)
        .unwrap_or_else(|| panic!("p01 is a valid case"));
    assert_eq!(
        case.order.and_then(|o| o.clinic_phone).as_deref(),
        Some("555 0100")
    );
}
