//! One full frame of the Review page for a busy case (headless egui_kittest harness: the
//! whole UI pass — validation, plan, layout, AccessKit tree — without GPU rendering).
//! Goal: under 2 ms in release.

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use ketaplan::domain::Protocol;
use ketaplan::ui::KetaplanApp;
use ketaplan::ui::actions::Page;
use std::hint::black_box;
use std::path::Path;

/// A bolus over the guideline, a sedative finding and reasons to give: most of Review's sections.
const BUSY: &str = "tests/cases/p24-crps-18-bolus-over-15-min-soft-sedatives.case.json";

fn review_harness() -> Option<Harness<'static, KetaplanApp>> {
    let protocol = Protocol::built_in().ok()?;
    let mut app = KetaplanApp::with_protocol(Ok(protocol));
    if !app.open_path(Path::new(BUSY)) {
        return None;
    }
    app.state.page = Page::Review;
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1200.0, 800.0))
        .build_ui_state(|ui, app: &mut KetaplanApp| app.ui_contents(ui), app);
    harness.run();
    Some(harness)
}

fn ui_frame(c: &mut Criterion) {
    let Some(mut harness) = review_harness() else {
        eprintln!("ui_frame: could not open {BUSY}");
        return;
    };
    c.bench_function("ui_frame_review_busy_case", |b| {
        b.iter(|| {
            harness.step();
            black_box(harness.output().shapes.len());
        })
    });
}

/// The predicted-concentration plot alone, drawn from its cached view (a 100-hour infusion
/// with a ceiling): its share of a frame. Goal: under 0.3 ms.
fn pk_plot_frame(c: &mut Criterion) {
    let Ok(protocol) = Protocol::built_in() else {
        return;
    };
    let text = include_str!("../tests/cases/p01-crps-contract-example-lb-positive.case.json");
    let Ok(mut case) = ketaplan::domain::case::parse_case(
        &protocol,
        text,
        ketaplan::domain::case::CaseFormat::Json,
    ) else {
        return;
    };
    case.regimen.duration_h = 100.0;
    let plan = ketaplan::domain::plan(&protocol, &case);
    let mut cache = None;
    let view = ketaplan::ui::widgets::pk_plot::PkView::refresh(
        &mut cache,
        &protocol.pack.pharmacokinetics,
        &plan,
    )
    .clone();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(900.0, 500.0))
        .build_ui_state(
            |ui, view: &mut ketaplan::ui::widgets::pk_plot::PkView| {
                ketaplan::ui::widgets::pk_plot::pk_plot_ui(ui, view)
            },
            view,
        );
    harness.run();
    c.bench_function("ui_pk_plot_100_hours", |b| {
        b.iter(|| {
            harness.step();
            black_box(harness.output().shapes.len());
        })
    });
}

criterion_group!(benches, ui_frame, pk_plot_frame);
criterion_main!(benches);
