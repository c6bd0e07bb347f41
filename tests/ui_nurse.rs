//! The nurse's keyboard review (step 9c): an implausible weight blocks the order until it is
//! confirmed beside the weight field, and the verdict never says "yes" with questions open.

mod common;

use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use ketaplan::ui::KetaplanApp;
use ketaplan::ui::actions::Page;
use ketaplan::ui::live::StepStatus;
use serde_json::{Value, json};

fn harness_with_case(value: &Value, page: Page) -> Harness<'static, KetaplanApp> {
    let mut app = new_app();
    app.open_case_value(value);
    app.state.page = page;
    harness(app)
}

/// p01 completed for printing (every question answered, names, attestations).
fn printable() -> Value {
    let mut doc = read_case(P01);
    let p = protocol();
    let yes: Vec<String> = doc["screening"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let no: Vec<&str> = p
        .required_screening_codes()
        .map(|d| d.code.as_str())
        .filter(|c| !yes.iter().any(|y| y == c))
        .collect();
    doc["screening_no"] = json!(no);
    doc
}

#[test]
fn a_weight_of_7_kg_for_an_adult_blocks_the_order_until_confirmed_beside_the_field() {
    let mut case = printable();
    case["patient"]["weight"] = json!({"value": 7, "unit": "kg"});
    let mut h = harness_with_case(&case, Page::Patient);
    let plan = h.state().current_plan().unwrap_or_else(|| panic!("plan"));
    let title = plan
        .alert("weight_unusual")
        .map(|a| a.title.clone())
        .unwrap_or_else(|| panic!("weight_unusual"));
    // Beside the field, in words; the plan panel shows no dose.
    assert!(has_label_containing(&h, &title));
    assert!(has_label(&h, "Confirm the weight"));
    assert!(!has_label(&h, "Infusion"));
    let live = h.state().live().unwrap_or_else(|| panic!("live"));
    assert_eq!(live.status(Page::Order), StepStatus::Blocked);

    // The reason box is on the Patient page, right under the alert.
    let label = protocol().reason_label("weight_unusual");
    type_into(
        &mut h,
        &label,
        "Re-weighed on the ward scale: 7 kg confirmed, severe cachexia.",
    );
    assert!(has_label(&h, "Infusion"));
    let live = h.state().live().unwrap_or_else(|| panic!("live"));
    assert!(
        !live
            .blockers
            .iter()
            .any(|b| b.field == "justifications.weight_unusual")
    );
}

#[test]
fn the_verdict_is_pending_while_questions_are_open_and_yes_with_reasons_given() {
    let mut case = printable();
    case["screening_no"] = json!([]);
    case["screening"] = json!([]);
    let h = harness_with_case(&case, Page::Review);
    let plan = h.state().current_plan().unwrap_or_else(|| panic!("plan"));
    let n = plan.unanswered_screening.len();
    assert!(n > 0);
    assert!(has_label(&h, &format!("Pending: {n} questions unanswered")));
    assert!(!has_label_containing(&h, "Proceed: yes"));

    // All answered, one soft limit with its reason: "yes, with justification".
    let mut case = printable();
    case["regimen"]["bolus"]["value"] = json!(0.5);
    case["justifications"] = json!({
        "bolus_above_guideline": "Two earlier sessions at 0.5 mg/kg were tolerated well."
    });
    let h = harness_with_case(&case, Page::Review);
    assert!(has_label(&h, "Proceed: yes, with justification"));
}

#[test]
fn discard_then_cancel_shows_the_saved_case_and_nothing_unsaved() {
    let mut h = harness(new_app());
    h.state_mut().open_case_value(&read_case(P01));
    h.run();
    let saved_name = h.state().state.draft.patient_name.clone();
    assert!(!h.state().is_dirty());
    type_into(&mut h, "Patient name", "Edited Name");
    assert!(h.state().is_dirty());

    keys(&mut h, egui::Modifiers::COMMAND, egui::Key::O);
    click(&mut h, "Discard changes");
    // The open prompt is cancelled: the edit is gone, and nothing claims to be saved.
    click(&mut h, "Cancel");
    assert_eq!(h.state().state.draft.patient_name, saved_name);
    assert!(!h.state().is_dirty());
    assert!(!has_label_containing(&h, "Edited Name"));
}

#[test]
fn every_yes_no_button_is_on_the_page_in_a_1024_by_700_window() {
    let mut app = new_app();
    app.open_case_value(&read_case(P01));
    app.state.page = Page::Screening;
    let mut h = Harness::builder()
        .with_size(egui::vec2(1024.0, 700.0))
        .with_max_steps(32)
        .build_ui_state(|ui, app: &mut KetaplanApp| app.ui_contents(ui), app);
    h.run();
    // The page ends where the plan panel begins: a button past it is clipped.
    let page_right = h
        .query_all_by_label("Plan")
        .filter_map(|n| n.accesskit_node().bounding_box())
        .map(|r| r.x0)
        .fold(1024.0, f64::min);
    assert!(page_right < 1000.0, "the plan panel is on screen");
    let p = protocol();
    let mut checked = 0;
    for d in p.screening_codes() {
        let Some(q) = &d.screening else { continue };
        for answer in ["Yes", "No"] {
            let name = format!("{} {answer}", q.question);
            for node in h.query_all_by_label(&name) {
                let Some(rect) = node.accesskit_node().bounding_box() else {
                    continue;
                };
                assert!(
                    rect.x1 <= page_right,
                    "{name} is clipped: ends at x = {}, the page at {page_right}",
                    rect.x1
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 10, "only {checked} buttons laid out");
}

#[test]
fn arrow_keys_move_between_yes_and_no_and_the_focus_starts_on_the_first_question() {
    let mut h = harness_with_case(&read_case(P01), Page::Indication);
    click(&mut h, "Next");
    assert_eq!(h.state().page(), Page::Screening);
    h.run();
    let p = protocol();
    let first = p
        .screening_codes()
        .next()
        .and_then(|d| d.screening.as_ref())
        .map(|q| q.question.clone())
        .unwrap_or_default();
    assert!(h.get_by_label(&format!("{first} Yes")).is_focused());
    keys(&mut h, egui::Modifiers::NONE, egui::Key::ArrowRight);
    assert!(h.get_by_label(&format!("{first} No")).is_focused());
    keys(&mut h, egui::Modifiers::NONE, egui::Key::ArrowLeft);
    let now: Vec<String> = h
        .query_all(egui_kittest::kittest::by().predicate(|n| n.is_focused()))
        .filter_map(|n| n.accesskit_node().label())
        .collect();
    assert!(
        h.get_by_label(&format!("{first} Yes")).is_focused(),
        "focused: {now:?}"
    );
    // Space answers the focused choice.
    keys(&mut h, egui::Modifiers::NONE, egui::Key::ArrowRight);
    keys(&mut h, egui::Modifiers::NONE, egui::Key::Space);
    let code = p
        .screening_codes()
        .next()
        .map(|d| d.code.clone())
        .unwrap_or_default();
    assert_eq!(h.state().state.draft.answer(&code), Some(false));
}

#[test]
fn a_dropped_reason_says_so() {
    let mut case = printable();
    case["regimen"]["bolus"]["value"] = json!(0.5);
    case["justifications"] = json!({
        "bolus_above_guideline": "Two earlier sessions at 0.5 mg/kg were tolerated well."
    });
    let mut h = harness_with_case(&case, Page::Regimen);
    assert!(
        h.state()
            .state
            .draft
            .justifications
            .contains_key("bolus_above_guideline")
    );
    type_into(&mut h, "Bolus dose", "0.6");
    assert!(
        !h.state()
            .state
            .draft
            .justifications
            .contains_key("bolus_above_guideline")
    );
    let title = protocol().title_for("bolus_above_guideline").to_string();
    assert!(has_label_containing(
        &h,
        &format!("The reason for {title} was removed")
    ));
}

#[test]
fn reopening_a_case_keeps_the_age_from_the_date_of_birth() {
    let mut case = printable();
    let today = order_day();
    let born = today - chrono::Duration::days(40 * 366);
    let age = ketaplan::ui::draft::age_on(born, today).unwrap_or_default();
    case["order"]["date_of_birth"] = json!(born.format("%Y-%m-%d").to_string());
    case["patient"]["age_years"] = json!(age);
    let h = harness_with_case(&case, Page::Patient);
    assert_eq!(
        h.state().state.draft.age_source,
        ketaplan::ui::draft::AgeSource::FromDateOfBirth
    );
    // An age that the date does not give stays as entered.
    case["patient"]["age_years"] = json!(age + 3);
    let h = harness_with_case(&case, Page::Patient);
    assert_eq!(
        h.state().state.draft.age_source,
        ketaplan::ui::draft::AgeSource::Entered
    );
}

#[test]
fn a_fresh_case_says_required_calmly_and_a_wrong_value_in_red() {
    let mut h = harness(new_app());
    // Nothing typed yet: "Required", no error wording under the fields.
    assert!(has_label(&h, "Required"));
    assert!(!has_label(&h, "is required"));
    type_into(&mut h, "Weight", "7O");
    // A wrong value is the engine's own error, beside the field.
    let live = h.state().live().unwrap_or_else(|| panic!("live"));
    let weight_error = live
        .errors
        .iter()
        .find(|e| e.field.starts_with("patient.weight"))
        .map(|e| e.message.clone())
        .unwrap_or_default();
    assert_ne!(weight_error, "is required");
    assert!(has_label_containing(&h, &weight_error));
}

fn top_of(h: &Harness<'_, KetaplanApp>, label_start: &str) -> f64 {
    h.query_all_by_label_contains(label_start)
        .filter_map(|n| n.accesskit_node().bounding_box())
        .map(|r| r.y0)
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn a_notice_or_a_blocked_step_never_moves_the_step_bar() {
    let mut h = harness(new_app());
    let before = top_of(&h, "Step Patient");
    assert!(before.is_finite());
    assert!(h.state().notice().is_none());
    // A notice appears (New on a clean case says "New case.") …
    keys(&mut h, egui::Modifiers::COMMAND, egui::Key::N);
    assert!(h.state().notice().is_some());
    assert_eq!(top_of(&h, "Step Patient"), before);
    // … and a case that blocks several steps keeps the page where it was.
    let page_top = top_of(&h, "1 · Patient");
    h.state_mut().open_case_value(&read_case(P01));
    h.run();
    assert_eq!(top_of(&h, "Step Patient"), before);
    assert_eq!(top_of(&h, "1 · Patient"), page_top);
}

#[test]
fn rescue_drugs_on_review_read_as_whole_lines_at_1024_px() {
    let mut app = new_app();
    app.open_case_value(&read_case(P01));
    app.state.page = Page::Review;
    let mut h = Harness::builder()
        .with_size(egui::vec2(1024.0, 4000.0))
        .with_max_steps(32)
        .build_ui_state(|ui, app: &mut KetaplanApp| app.ui_contents(ui), app);
    h.run();
    let plan = h.state().current_plan().unwrap_or_else(|| panic!("plan"));
    let first = plan
        .rescue_medications
        .first()
        .map(|r| format!("For: {}", r.indication))
        .unwrap_or_default();
    // Not a grid column a few letters wide: the "For" line spans most of the page.
    let width = h
        .query_all_by_label(&first)
        .filter_map(|n| n.accesskit_node().bounding_box())
        .map(|r| r.x1 - r.x0)
        .fold(0.0, f64::max);
    assert!(width > 300.0, "{first:?} is {width} px wide");
}

#[test]
fn arrow_keys_move_within_the_unit_switches_without_choosing() {
    let mut h = harness_with_case(&read_case(P01), Page::Patient);
    h.get_by_label("kg").focus();
    h.run();
    keys(&mut h, egui::Modifiers::NONE, egui::Key::ArrowRight);
    assert!(h.get_by_label("lb").is_focused());
    // Moving is not choosing: the unit stays until Space or a click.
    let unit = h.state().state.draft.weight_unit;
    keys(&mut h, egui::Modifiers::NONE, egui::Key::ArrowLeft);
    assert!(h.get_by_label("kg").is_focused());
    assert_eq!(h.state().state.draft.weight_unit, unit);
}
