//! The clinic database at clinic size: 10,000 patients × 10 sessions (the last of each still
//! waiting for its follow-up call), on SQLite and, when `KETAPLAN_TEST_PG` names a server,
//! on PostgreSQL: follow-up calls due, patient search, importing one course, opening one.
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ketaplan::domain::course::{CourseDocument, CourseIdentity, parse_course};
use ketaplan::domain::protocol::Protocol;
use ketaplan::store::db::{ClinicDb, DbUrl};
use std::hint::black_box;

/// A clinic's size under `cargo bench`; a small one when `cargo test --benches` runs it once.
fn patients() -> u32 {
    if std::env::args().any(|a| a == "--bench") {
        10_000
    } else {
        50
    }
}
const SESSIONS: usize = 10;

/// A patient's course: the test course's sessions, a follow-up on all but the last.
fn course_for(template: &CourseDocument, i: u32) -> CourseDocument {
    let mut doc = template.clone();
    doc.identity = CourseIdentity {
        patient_name: format!("Patient {i:05} Example"),
        mrn: format!("M{i:05}"),
        date_of_birth: Some("1970-01-01".into()),
    };
    let follow_up = serde_json::from_value(serde_json::json!({
        "pain_before": 7.0, "pain_after": 3.0, "satisfied": true
    }))
    .ok();
    let first = template.sessions[0].clone();
    doc.sessions = (0..SESSIONS)
        .map(|k| {
            let mut s = template
                .sessions
                .get(k)
                .cloned()
                .unwrap_or_else(|| first.clone());
            s.id = k as u32 + 1;
            s.follow_up = if k + 1 < SESSIONS {
                follow_up.clone()
            } else {
                None
            };
            s
        })
        .collect();
    doc.audit.clear();
    doc
}

fn template() -> Option<CourseDocument> {
    let text = include_str!("../tests/courses/v4-twelve-sessions-3000mg.ketaplan");
    parse_course(text).ok()
}

fn populated(url: &DbUrl, template: &CourseDocument) -> Option<ClinicDb> {
    ClinicDb::migrate(url, Some("UTC"), "UTC").ok()?;
    let mut db = ClinicDb::open(url, "UTC").ok()?;
    for i in 0..patients() {
        db.import_course(&course_for(template, i), "bench").ok()?;
    }
    Some(db)
}

fn bench_backend(c: &mut Criterion, name: &str, url: &DbUrl) {
    let (Ok(protocol), Some(template)) = (Protocol::built_in(), template()) else {
        return;
    };
    let Some(mut db) = populated(url, &template) else {
        panic!("{name}: could not build the clinic database");
    };
    let today = chrono::NaiveDate::from_ymd_opt(2027, 1, 15).unwrap_or_default();
    c.bench_function(&format!("{name}_followups_10000_patients"), |b| {
        b.iter(|| black_box(db.followups(&protocol, today).map(|d| d.len())))
    });
    c.bench_function(&format!("{name}_search_patients"), |b| {
        b.iter(|| black_box(db.search_patients("patient 0004", 50).map(|p| p.len())))
    });
    c.bench_function(&format!("{name}_open_course"), |b| {
        b.iter(|| black_box(db.load_course("M00042").map(|(d, _)| d.sessions.len())))
    });
    let mut next = patients();
    c.bench_function(&format!("{name}_import_one_course"), |b| {
        b.iter_batched(
            || {
                next += 1;
                course_for(&template, next)
            },
            |doc| black_box(db.import_course(&doc, "bench").map(|o| o.sessions_added)),
            BatchSize::SmallInput,
        )
    });
}

fn bench_clinic(c: &mut Criterion) {
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let sqlite = DbUrl::Sqlite {
        path: dir.path().join("clinic.db"),
        default: false,
    };
    bench_backend(c, "sqlite", &sqlite);
    if let Ok(server) = std::env::var("KETAPLAN_TEST_PG") {
        let name = format!("bench_ketaplan_{}", std::process::id());
        let Ok(mut admin) = postgres::Client::connect(&server, postgres::NoTls) else {
            return;
        };
        if admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .is_err()
        {
            return;
        }
        let base = server.rsplit_once('/').map_or(server.as_str(), |(b, _)| b);
        if let Ok(url) = DbUrl::parse(&format!("{base}/{name}")) {
            bench_backend(c, "postgres", &url);
        }
        let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench_clinic
}
criterion_main!(benches);
