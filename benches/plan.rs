//! plan() for a typical case and for one with every screening code ticked and a ceiling;
//! the predicted concentration of a 100-hour infusion (goal: under 200 µs).
use criterion::{Criterion, criterion_group, criterion_main};
use ketaplan::domain::case::{CaseFormat, parse_case};
use ketaplan::domain::plan;
use ketaplan::domain::protocol::Protocol;
use std::hint::black_box;

fn bench_plan(c: &mut Criterion) {
    let Ok(protocol) = Protocol::built_in() else {
        return;
    };
    let typical = include_str!("../tests/cases/p01-crps-contract-example-lb-positive.case.json");
    let Ok(typical) = parse_case(&protocol, typical, CaseFormat::Json) else {
        return;
    };
    let mut busy = typical.clone();
    busy.screening = protocol
        .screening_codes()
        .map(|d| d.code.to_string())
        .collect();
    busy.screening_no.clear();
    busy.regimen.max_infusion = Some(ketaplan::domain::case::RateEntry {
        value: 2.5,
        unit: ketaplan::domain::case::RateUnit::MgPerKgPerHour,
    });
    c.bench_function("plan_typical", |b| {
        b.iter(|| plan(black_box(&protocol), black_box(&typical)))
    });
    c.bench_function("plan_every_code_and_ceiling", |b| {
        b.iter(|| plan(black_box(&protocol), black_box(&busy)))
    });
    let mut long = typical.clone();
    long.regimen.duration_h = 100.0;
    let long_plan = plan(&protocol, &long);
    let rules = &protocol.pack.pharmacokinetics;
    c.bench_function("pk_100_hour_infusion", |b| {
        b.iter(|| ketaplan::domain::pk::preview(black_box(rules), black_box(&long_plan), None))
    });
}

criterion_group!(benches, bench_plan);
criterion_main!(benches);
