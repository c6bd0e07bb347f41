//! plan() for a typical case and for one with every screening code ticked and a ceiling.
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
}

criterion_group!(benches, bench_plan);
criterion_main!(benches);
