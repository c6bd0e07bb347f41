//! The predicted-concentration plot in the app (egui_kittest, step 13): it appears on the
//! Regimen and Review pages with its summary and caption, and changes as the rate is typed.

mod common;

use common::{P01, harness, has_label_containing, read_case, type_into};
use ketaplan::ui::actions::Page;

fn peak_ng_per_ml(summary: &str) -> f64 {
    summary
        .strip_prefix("Predicted peak ")
        .and_then(|s| s.split(" ng/mL").next())
        .map(|s| s.replace(',', ""))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no peak in {summary:?}"))
}

#[test]
fn the_plot_appears_and_follows_the_starting_rate() {
    let mut app = common::new_app();
    app.open_case_value(&read_case(P01));
    app.state.page = Page::Regimen;
    let mut h = harness(app);
    h.run();
    assert!(has_label_containing(&h, "Predicted concentration"));
    assert!(has_label_containing(&h, "not a measurement"));
    assert!(has_label_containing(
        &h,
        "Reported in studies (not targets)"
    ));
    let before = h.state().pk_summary().unwrap_or_default();
    assert!(
        has_label_containing(&h, &before),
        "the summary is on the page"
    );
    assert!(before.contains("at the titration ceiling"), "{before}");
    let peak_before = peak_ng_per_ml(&before);

    // Twice the starting rate: a higher curve.
    type_into(&mut h, "Starting infusion", "0.7");
    h.run();
    let after = h.state().pk_summary().unwrap_or_default();
    let peak_after = peak_ng_per_ml(&after);
    assert!(peak_after > peak_before * 1.2, "{before} → {after}");
    assert!(has_label_containing(&h, &after));

    // The Review page shows the same curve.
    h.state_mut().state.page = Page::Review;
    h.run();
    assert!(has_label_containing(&h, &after));
}

#[test]
fn a_recorded_session_shows_the_curve_of_what_was_given() {
    use ketaplan::domain::course::{BedsideRecord, FlowsheetRow};
    let day = common::order_day();
    let mut doc = common::course_view::course_of(&[day]);
    let row = |time: &str, rate: &str| FlowsheetRow {
        time: time.into(),
        rate_mg_per_h: rate.into(),
        ..FlowsheetRow::default()
    };
    doc.sessions[0].bedside = Some(BedsideRecord {
        rows: vec![row("09:00", "40"), row("10:00", "60"), row("13:00", "0")],
        bolus_mg: "8".into(),
        bolus_at: "09:00".into(),
        ..BedsideRecord::default()
    });
    let dir = common::temp_dir();
    let path = common::course_view::write_course(dir.path(), "given.ketaplan", &doc);
    let mut h = common::course_view::course_harness(common::course_view::new_app());
    common::course_view::open_course_typed(&mut h, &path);
    assert!(has_label_containing(&h, "Predicted from what was given"));
    // Four hours of rows: the infusion ends at 4 h.
    assert!(
        has_label_containing(&h, "when the infusion ends (4 h)"),
        "the summary of what was given"
    );
}
