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
