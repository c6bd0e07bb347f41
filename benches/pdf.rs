//! PDF export of the order sheet: build the sheet and render it (fonts parsed, text
//! measured and wrapped, pages laid out, font subset, file serialised).
use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use ketaplan::domain::case::{CaseFormat, parse_case};
use ketaplan::domain::plan;
use ketaplan::domain::protocol::Protocol;
use ketaplan::order::{OrderOptions, OrderSheet, Paper};
use std::hint::black_box;

fn bench_pdf(c: &mut Criterion) {
    let Ok(protocol) = Protocol::built_in() else {
        return;
    };
    let text = include_str!("../tests/cases/p01-crps-contract-example-lb-positive.case.json");
    let Ok(mut case) = parse_case(&protocol, text, CaseFormat::Json) else {
        return;
    };
    // Make it printable: every screening question answered, an order block.
    let first_plan = plan(&protocol, &case);
    case.screening_no.extend(
        first_plan
            .unanswered_screening
            .iter()
            .map(|c| c.to_string()),
    );
    let Ok(order) = serde_json::from_value(serde_json::json!({
        "patient_name": "Jane Example", "mrn": "000123", "date_of_birth": "1972-03-02",
        "weighed_on": "2026-11-17", "allergies": "no known allergies",
        "prescriber": "Dr A. Example", "clinic": "Pain Clinic",
        "attest": {"supervising_physician": true, "administering_clinician": true,
                   "resuscitation_ready": true, "airway_clinician_available": true}
    })) else {
        return;
    };
    case.order = Some(order);
    let Some(date) = NaiveDate::from_ymd_opt(2026, 11, 20) else {
        return;
    };
    let options = OrderOptions {
        order_date: date,
        printed_at: date.and_hms_opt(8, 30, 0).unwrap_or_default(),
        extra_justification: None,
        paper: Paper::A4,
        identity: None,
        signatures: Vec::new(),
    };
    let p = plan(&protocol, &case);
    let sheet = match OrderSheet::build(&protocol, &case, &p, &options) {
        Ok(sheet) => sheet,
        // A bench that measures nothing must fail loudly (`.ci/run` runs it once).
        Err(e) => panic!("pdf bench: the order sheet is refused, nothing measured: {e:?}"),
    };
    c.bench_function("order_pdf_export", |b| {
        b.iter(|| ketaplan::order::pdf::render(black_box(&sheet)))
    });
    c.bench_function("order_build_and_pdf_export", |b| {
        b.iter(|| {
            let p = plan(black_box(&protocol), black_box(&case));
            OrderSheet::build(&protocol, &case, &p, &options)
                .map(|s| ketaplan::order::pdf::render(&s))
        })
    });
}

criterion_group!(benches, bench_pdf);
criterion_main!(benches);
