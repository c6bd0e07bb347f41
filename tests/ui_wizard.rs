//! The wizard, driven through its widgets (egui_kittest, no GPU). Expected doses come from
//! the engine on the same case, never from hard-coded numbers.

mod common;

use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use ketaplan::domain::case::{CaseFormat, parse_case};
use ketaplan::domain::findings::Proceed;
use ketaplan::domain::{Plan, plan};
use ketaplan::order::format;
use ketaplan::ui::KetaplanApp;
use ketaplan::ui::actions::Page;
use ketaplan::ui::live::StepStatus;
use serde_json::Value;

fn engine_plan(value: &Value) -> Plan {
    let protocol = protocol();
    let case = parse_case(&protocol, &value.to_string(), CaseFormat::Json)
        .unwrap_or_else(|e| panic!("case rejected: {e:?}"));
    plan(&protocol, &case)
}

fn harness_with_case(value: &Value, page: Page) -> Harness<'static, KetaplanApp> {
    let mut app = new_app();
    app.open_case_value(value);
    app.state.page = page;
    harness(app)
}

fn question(code: &str) -> String {
    protocol()
        .finding(code)
        .and_then(|d| d.screening.as_ref())
        .map(|q| q.question.clone())
        .unwrap_or_else(|| panic!("{code} is not a screening code"))
}

#[test]
fn whole_wizard_for_p01_gives_the_engine_plan() {
    let case = read_case(P01);
    let expected = engine_plan(&case);
    let protocol = protocol();
    let mut h = harness(new_app());

    // 1 Patient
    type_into(&mut h, "Patient name", "Jane Example");
    type_into(&mut h, "MRN", "000123");
    type_into(&mut h, "Date of birth", "1971-03-02");
    click(&mut h, "lb");
    type_into(&mut h, "Weight", "176");
    type_into(&mut h, "Height", "170");
    click(&mut h, "Female");
    click(&mut h, "No known allergies");
    assert!(has_label(
        &h,
        &format!("176 lb = {}", format::kg(expected.weight_kg))
    ));
    click(&mut h, "Next");
    assert_eq!(h.state().page(), Page::Indication);

    // 2 Indication
    let crps = protocol
        .condition("crps")
        .map(|c| c.name.clone())
        .unwrap_or_default();
    click(&mut h, &crps);
    click(&mut h, "Next");

    // 3 Screening: the vignette's answers, then the rest No (asks once).
    for code in case["screening"].as_array().into_iter().flatten() {
        click(
            &mut h,
            &format!("{} Yes", question(code.as_str().unwrap_or_default())),
        );
    }
    for code in case["screening_no"].as_array().into_iter().flatten() {
        click(
            &mut h,
            &format!("{} No", question(code.as_str().unwrap_or_default())),
        );
    }
    click(&mut h, "Mark the rest No");
    click(&mut h, "Yes, mark them No");
    assert!(has_label_containing(
        &h,
        &format!(
            "{n} of {n} answered",
            n = protocol.required_screening_codes().count()
        )
    ));
    click(&mut h, "Next");

    // 4 Regimen
    click(&mut h, "Outpatient");
    click(&mut h, "Single session");
    click(&mut h, "Give a bolus");
    type_into(&mut h, "Bolus dose", "0.1");
    type_into(&mut h, "Bolus over (min)", "5");
    type_into(&mut h, "Starting infusion", "0.5");
    click(&mut h, "Titrate up to a ceiling");
    type_into(&mut h, "Titration ceiling", "0.8");
    type_into(&mut h, "Duration (h)", "4");
    let bag = &protocol.pack.concentrations[0];
    click(
        &mut h,
        &format!("{} — {}", format::mg_per_ml(bag.mg_per_ml), bag.label),
    );
    assert_eq!(
        bag.mg_per_ml,
        case["regimen"]["concentration_mg_per_ml"]
            .as_f64()
            .unwrap_or_default()
    );
    // Every unit of the starting rate, live under the field.
    assert!(has_label_containing(
        &h,
        &format!(
            "= {} = {} = {} = {}",
            format::mg_per_kg_per_h(expected.infusion_mg_per_kg_per_h),
            format::mcg_per_kg_per_min(expected.infusion_mcg_per_kg_per_min),
            format::mg_per_h(expected.infusion_mg_per_h),
            format::ml_per_h(expected.pump_ml_per_h)
        )
    ));
    click(&mut h, "Next");
    assert_eq!(h.state().page(), Page::Review);

    // The same numbers as `ketaplan plan` on the vignette.
    let got = h
        .state()
        .current_plan()
        .unwrap_or_else(|| panic!("no plan after the wizard"));
    assert_eq!(got.infusion_mg_per_h, expected.infusion_mg_per_h);
    assert_eq!(got.pump_ml_per_h, expected.pump_ml_per_h);
    assert_eq!(got.max_infusion_mg_per_h, expected.max_infusion_mg_per_h);
    assert_eq!(got.max_pump_ml_per_h, expected.max_pump_ml_per_h);
    assert_eq!(got.bolus_mg, expected.bolus_mg);
    assert_eq!(got.total_mg, expected.total_mg);
    assert_eq!(got.proceed, expected.proceed);
    assert_eq!(got.monitoring_tier, expected.monitoring_tier);
    // …and the plan panel shows them.
    assert!(has_label(&h, &format::mg_per_h(expected.infusion_mg_per_h)));
    assert!(has_label(&h, &format::ml_per_h(expected.pump_ml_per_h)));
    assert!(has_label(&h, &format::mg(expected.total_mg)));
}

#[test]
fn switching_kg_and_lb_relabels_the_typed_number() {
    // p01: 176 lb. A nurse who typed 176 and then picks kg means 176 kg: the number stays
    // as typed, the plan follows the unit, and the line under the field says what it means.
    let case = read_case(P01);
    let expected = engine_plan(&case);
    let mut h = harness_with_case(&case, Page::Patient);
    assert_eq!(h.state().state.draft.weight, "176");

    click(&mut h, "kg");
    assert_eq!(
        h.state().state.draft.weight_unit,
        ketaplan::ui::draft::WeightUnitChoice::Kg
    );
    assert_eq!(h.state().state.draft.weight, "176");
    let in_kg = h
        .state()
        .current_plan()
        .unwrap_or_else(|| panic!("plan in kg"));
    assert_eq!(in_kg.weight_kg, 176.0);
    assert!(has_label_containing(&h, "176 kg = "));

    click(&mut h, "lb");
    assert_eq!(h.state().state.draft.weight, "176");
    let back = h
        .state()
        .current_plan()
        .unwrap_or_else(|| panic!("plan in lb"));
    assert_eq!(back.infusion_mg_per_h, expected.infusion_mg_per_h);
    assert!(has_label_containing(
        &h,
        &format!("176 lb = {}", format::kg(expected.weight_kg))
    ));
}

#[test]
fn typing_into_height_keeps_the_text_when_validation_lines_change() {
    let case = read_case(P01);
    let mut h = harness_with_case(&case, Page::Patient);
    h.get_by_label("Height").click();
    h.run();
    // Clear, then type digit by digit: the error line appears and vanishes above later
    // rows, and the entry keeps focus and every character.
    for _ in 0..6 {
        keys(&mut h, egui::Modifiers::NONE, egui::Key::Backspace);
    }
    for c in ["1", "6", "5"] {
        h.get_by_label("Height").type_text(c);
        h.run();
    }
    assert_eq!(h.state().state.draft.height, "165");
    assert!(h.get_by_label("Height").is_focused());
}

#[test]
fn yes_to_unstable_angina_stops_and_blocks_the_order() {
    let case = read_case(P01);
    let mut h = harness_with_case(&case, Page::Screening);
    assert_ne!(
        h.state().current_plan().map(|p| p.proceed),
        Some(Proceed::No)
    );

    click(&mut h, &format!("{} Yes", question("unstable_angina")));
    let plan = h.state().current_plan().unwrap_or_else(|| panic!("plan"));
    assert_eq!(plan.proceed, Proceed::No);
    assert!(has_label_containing(&h, "Proceed: NO"));
    let live = h.state().live().unwrap_or_else(|| panic!("live"));
    assert_eq!(live.status(Page::Order), StepStatus::Blocked);
    assert!(has_label(&h, "Step Order: blocked"));

    // The blocked step links to the field that blocks it.
    h.get_by_label("Go to the field that blocks Order").click();
    h.run();
    assert_eq!(h.state().page(), Page::Screening);

    // The order page names it too.
    click(&mut h, "Step Order: blocked");
    assert_eq!(h.state().page(), Page::Order);
    assert!(has_label_containing(&h, "STOP"));
}

#[test]
fn a_soft_limit_asks_for_a_reason_and_a_dose_change_clears_it() {
    let mut case = read_case(P01);
    // 0.5 mg/kg is above the guideline's 0.35 mg/kg bolus: a soft alert.
    case["regimen"]["bolus"]["value"] = serde_json::json!(0.5);
    let expected = engine_plan(&case);
    let alert = expected
        .limit_alerts
        .iter()
        .find(|a| a.kind == ketaplan::domain::protocol::AlertKind::Soft)
        .map(|a| a.code.clone())
        .unwrap_or_else(|| panic!("the engine raises a soft alert"));
    let mut h = harness_with_case(&case, Page::Regimen);
    // The alert sits beside the bolus field.
    assert!(has_label_containing(&h, "SOFT LIMIT"));

    click(&mut h, "Step Review: needs attention");
    let label = protocol().reason_label(&alert);
    type_into(&mut h, &label, "too short");
    assert!(has_label_containing(&h, "at least 20 characters"));
    let live = h.state().live().unwrap_or_else(|| panic!("live"));
    assert!(
        !live
            .case
            .as_ref()
            .is_some_and(|c| c.justifications.contains_key(alert.as_str()))
    );

    type_into(
        &mut h,
        &label,
        "Test dose agreed with the supervising physician",
    );
    let live = h.state().live().unwrap_or_else(|| panic!("live"));
    assert!(
        live.case
            .as_ref()
            .is_some_and(|c| c.justifications.contains_key(alert.as_str()))
    );
    assert!(!has_label_containing(&h, "at least 20 characters"));

    // Changing the dose the reason was written for drops it.
    h.state_mut().state.page = Page::Regimen;
    h.run();
    type_into(&mut h, "Bolus dose", "0.45");
    let live = h.state().live().unwrap_or_else(|| panic!("live"));
    assert!(
        !live
            .case
            .as_ref()
            .is_some_and(|c| c.justifications.contains_key(alert.as_str()))
    );
    assert!(
        h.state()
            .state
            .draft
            .justifications
            .get(alert.as_str())
            .is_none_or(|j| j.text.is_empty())
    );
    click(&mut h, "Next");
    assert_eq!(h.get_by_label(&label).value().unwrap_or_default(), "");
    assert!(has_label_containing(
        &h,
        "Required before the order can print"
    ));
}

#[test]
fn an_unanswered_screening_item_keeps_the_order_blocked() {
    let case = read_case(P01);
    let mut h = harness_with_case(&case, Page::Order);
    let plan = h.state().current_plan().unwrap_or_else(|| panic!("plan"));
    assert!(!plan.unanswered_screening.is_empty());
    let live = h.state().live().unwrap_or_else(|| panic!("live"));
    assert_eq!(live.status(Page::Order), StepStatus::Blocked);
    assert!(has_label_containing(&h, "screening questions not answered"));

    // Answer all but one: still blocked, by that one.
    h.state_mut().state.page = Page::Screening;
    h.run();
    click(&mut h, "Mark the rest No");
    click(&mut h, "Yes, mark them No");
    let last = plan
        .unanswered_screening
        .last()
        .cloned()
        .unwrap_or_default();
    h.state_mut().state.draft.answers.remove(last.as_str());
    h.state_mut().state.page = Page::Order;
    h.run();
    assert!(has_label_containing(
        &h,
        "1 screening question not answered"
    ));
    assert_eq!(
        h.state().live().map(|l| l.status(Page::Order)),
        Some(StepStatus::Blocked)
    );

    // Answering it removes that reason.
    h.state_mut().state.page = Page::Screening;
    h.run();
    click(&mut h, &format!("{} No", question(&last)));
    h.state_mut().state.page = Page::Order;
    h.run();
    assert!(!has_label_containing(&h, "not answered"));
}

#[test]
fn a_half_typed_weight_shows_an_error_and_no_dose() {
    let case = read_case(P01);
    let expected = engine_plan(&case);
    let mut h = harness_with_case(&case, Page::Patient);
    let dose = format::mg_per_h(expected.infusion_mg_per_h);
    assert!(has_label(&h, &dose));

    type_into(&mut h, "Weight", "7O");
    assert_eq!(h.state().state.draft.weight, "7O");
    assert!(h.state().current_plan().is_none());
    // The validator's message, beside the weight field.
    let live = h.state().live().unwrap_or_else(|| panic!("live"));
    let message = live
        .errors
        .iter()
        .find(|e| e.field == "patient.weight.value")
        .map(|e| e.message.clone())
        .unwrap_or_else(|| panic!("no weight error: {:?}", live.errors));
    assert!(has_label_containing(&h, &message));
    // No stale dose anywhere.
    assert!(!has_label(&h, &dose));
    assert!(!has_label(&h, &format::ml_per_h(expected.pump_ml_per_h)));
    assert!(has_label_containing(&h, "No dose shown"));
}

#[test]
fn the_optional_psychosis_history_sits_under_psychosis_and_raises_a_titled_caution() {
    let case = read_case(P01);
    let mut h = harness_with_case(&case, Page::Screening);
    let optional = question("history_of_psychosis");
    assert!(has_label(&h, &optional));
    // Asked right after the psychosis question, in the same group.
    let p = protocol();
    let codes: Vec<&str> = p.screening_codes().map(|d| d.code.as_str()).collect();
    let at = |c: &str| codes.iter().position(|x| *x == c);
    assert_eq!(at("history_of_psychosis"), at("psychosis").map(|i| i + 1));
    // Marking the rest No leaves the optional question unanswered, and nothing is pending.
    click(&mut h, "Mark the rest No");
    click(&mut h, "Yes, mark them No");
    assert_eq!(h.state().state.draft.answer("history_of_psychosis"), None);
    let plan = h.state().current_plan().unwrap_or_else(|| panic!("plan"));
    assert!(plan.unanswered_screening.is_empty());

    click(&mut h, &format!("{optional} Yes"));
    let plan = h.state().current_plan().unwrap_or_else(|| panic!("plan"));
    let finding = plan
        .finding("history_of_psychosis")
        .unwrap_or_else(|| panic!("raised"));
    // The Review page names it in plain words, the code kept in the details.
    h.state_mut().state.page = Page::Review;
    h.run();
    assert!(has_label_containing(
        &h,
        &format!("CAUTION: {}", finding.title)
    ));
    assert!(!has_label(&h, "history_of_psychosis"));
}

#[test]
fn an_impossible_adult_weight_is_named_beside_the_weight_field() {
    let mut case = read_case(P01);
    case["patient"]["weight"] = serde_json::json!({"value": 7, "unit": "kg"});
    let h = harness_with_case(&case, Page::Patient);
    let plan = h.state().current_plan().unwrap_or_else(|| panic!("plan"));
    let alert = plan
        .alert("weight_unusual")
        .unwrap_or_else(|| panic!("weight_unusual"));
    assert!(has_label_containing(&h, &alert.title));
    assert_eq!(plan.proceed, Proceed::NeedsJustification);
}
