//! The clinic database contract (`shared/spec/clinic-db.md`) on a real SQLite file and, when
//! `KETAPLAN_TEST_PG` names a server (`.ci/run` sets it), on a real PostgreSQL database:
//! migrations, import/export parity with the course files, conflicts, sessions, follow-up
//! calls, the audit trail, schema versions and unreachable databases.

#[macro_use]
#[path = "support/clinic.rs"]
mod clinic;

use clinic::{Backend, TestDb, a_course_file, course_files, p01_case_for, test_server};
use ketaplan::domain::course::{CourseDocument, parse_course};
use serde_json::Value;

on_both_backends!(
    migrate_is_idempotent_and_status_counts,
    import_gives_the_files_summary_byte_for_byte_and_adds_nothing_twice,
    export_round_trips_the_course,
    an_import_for_another_patient_or_changed_session_is_a_conflict,
    session_add_records_the_plan_and_the_audit_trail,
    session_add_refuses_a_do_not_proceed_plan_and_another_mrn,
    followups_lists_the_calls_due_across_the_clinic,
    a_newer_schema_is_never_read_or_written,
    the_audit_trail_cannot_be_changed,
    session_times_are_the_clinics_wall_clock,
);

fn session_times_are_the_clinics_wall_clock(backend: &Backend) {
    let Some(db) = TestDb::new(backend) else {
        return;
    };
    let (code, _, err) = db.cli(&["db", "migrate", "--time-zone", "Nowhere/City"]);
    assert_eq!(code, 2, "an unknown zone is refused: {err}");
    // UTC+14: a clinic whose wall clock is never the test machine's.
    db.json(&["db", "migrate", "--time-zone", "Pacific/Kiritimati"]);
    let case = p01_case_for(db.dir.path(), "Z-1", "Zed Zone", |_| {});
    let zone: chrono_tz::Tz = "Pacific/Kiritimati".parse().unwrap_or(chrono_tz::UTC);
    let before = chrono::Utc::now().with_timezone(&zone).naive_local();
    db.json(&["session", "add", "Z-1", &case.to_string_lossy()]);
    let after = chrono::Utc::now().with_timezone(&zone).naive_local();
    let out = db.path("z1.ketaplan");
    let (code, _, err) = db.cli(&["course", "export", "Z-1", "--out", &out.to_string_lossy()]);
    assert_eq!(code, 0, "{err}");
    let started = open_doc(&out).sessions[0].started_at.time();
    let minute = |t: chrono::NaiveDateTime| t.format("%H:%M").to_string();
    let shown = started.format("%H:%M").to_string();
    assert!(
        shown == minute(before) || shown == minute(after),
        "the session starts at {shown}, clinic time is {}–{}",
        minute(before),
        minute(after)
    );
}

fn open_doc(path: &std::path::Path) -> CourseDocument {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_course(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn status(db: &TestDb) -> Value {
    db.json(&["db", "status"])
}

fn migrate_is_idempotent_and_status_counts(backend: &Backend) {
    let Some(db) = TestDb::new(backend) else {
        return;
    };
    let (code, _, err) = db.cli(&["db", "status"]);
    match backend {
        // A file that does not exist is never created by anything but `db migrate`.
        Backend::Sqlite => assert_eq!(code, 5, "{err}"),
        Backend::Postgres => assert_eq!(code, 6, "an empty database has no schema: {err}"),
    }
    assert!(err.contains("db migrate"), "{err}");
    let first = db.json(&["db", "migrate"]);
    let again = db.json(&["db", "migrate"]);
    assert_eq!(first, again);
    let backend_name = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert_eq!(first["backend"], backend_name);
    assert_eq!(
        first["schema_version"],
        ketaplan::store::db::binary_schema_version()
    );
    let s = status(&db);
    assert_eq!(
        (s["patients"].as_i64(), s["sessions"].as_i64()),
        (Some(0), Some(0))
    );
    if let Backend::Sqlite = backend {
        let file = db.path("clinic.db");
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode.ok(), Some(0o600), "the database file is owner-only");
    }
}

fn import_gives_the_files_summary_byte_for_byte_and_adds_nothing_twice(backend: &Backend) {
    for file in course_files() {
        let Some(db) = TestDb::migrated(backend) else {
            return;
        };
        let path = file.to_string_lossy().into_owned();
        let doc = open_doc(&file);
        let imported = db.json(&["course", "import", &path]);
        assert_eq!(imported["mrn"], doc.identity.mrn.as_str(), "{path}");
        assert_eq!(imported["sessions_added"], doc.sessions.len(), "{path}");
        assert_eq!(imported["sessions_total"], doc.sessions.len(), "{path}");
        for on in ["2026-08-01", "2026-12-01", "2027-06-30"] {
            let (code_file, from_file, err) = db.cli(&["course", "summary", &path, "--on", on]);
            assert_eq!(code_file, 0, "{err}");
            let mrn = doc.identity.mrn.as_str();
            let (code_db, from_db, err) = db.cli(&["course", "summary", "--mrn", mrn, "--on", on]);
            assert_eq!(code_db, 0, "{err}");
            assert_eq!(
                from_db, from_file,
                "{path} on {on}: the database's summary differs"
            );
        }
        let again = db.json(&["course", "import", &path]);
        assert_eq!(
            again["sessions_added"], 0,
            "{path}: a second import adds nothing"
        );
        assert_eq!(again["sessions_total"], doc.sessions.len());
        assert_eq!(status(&db)["sessions"], doc.sessions.len());
    }
}

fn export_round_trips_the_course(backend: &Backend) {
    for file in course_files() {
        let Some(db) = TestDb::migrated(backend) else {
            return;
        };
        let doc = open_doc(&file);
        db.json(&["course", "import", &file.to_string_lossy()]);
        let out = db.path("exported.ketaplan");
        let out_text = out.to_string_lossy().into_owned();
        let (code, _, err) = db.cli(&["course", "export", &doc.identity.mrn, "--out", &out_text]);
        assert_eq!(code, 0, "{err}");
        let mut expected = doc.clone();
        expected.sessions.sort_by_key(|s| s.id);
        assert_eq!(open_doc(&out), expected, "{}", file.display());
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode.ok(), Some(0o600), "an export is owner-only");
        let (code, _, err) = db.cli(&["course", "export", "999999", "--out", &out_text]);
        assert_eq!(code, 2, "an unknown MRN is rejected: {err}");
        assert!(err.contains("999999"), "{err}");
    }
}

/// A copy of the first course file with `edit` applied to its text.
fn edited_course(db: &TestDb, edit: impl Fn(&str) -> String) -> (String, String) {
    let original = a_course_file();
    let text = std::fs::read_to_string(&original).unwrap_or_else(|e| panic!("{e}"));
    let changed = db.path("changed.ketaplan");
    std::fs::write(&changed, edit(&text)).unwrap_or_else(|e| panic!("{e}"));
    (
        original.to_string_lossy().into_owned(),
        changed.to_string_lossy().into_owned(),
    )
}

fn an_import_for_another_patient_or_changed_session_is_a_conflict(backend: &Backend) {
    let Some(db) = TestDb::migrated(backend) else {
        return;
    };
    let (original, renamed) = edited_course(&db, |t| t.replacen("Jane Example", "John Other", 1));
    db.json(&["course", "import", &original]);
    let before = status(&db);
    let (code, _, err) = db.cli(&["course", "import", &renamed]);
    assert_eq!(code, 8, "same MRN, another name: {err}");
    assert!(
        err.contains("John Other") && err.contains("Jane Example"),
        "{err}"
    );
    let (_, changed) = edited_course(&db, |t| {
        t.replacen("pump_ml_per_h: 39.9", "pump_ml_per_h: 399.0", 1)
    });
    let (code, _, err) = db.cli(&["course", "import", &changed]);
    assert_eq!(code, 8, "same session id, other content: {err}");
    assert!(err.contains("session 1"), "{err}");
    assert_eq!(status(&db), before, "nothing was written");
    let (code, _, err) = db.cli(&[
        "course",
        "import",
        &db.path("missing.ketaplan").to_string_lossy(),
    ]);
    assert_eq!(code, 2, "{err}");
}

fn session_add_records_the_plan_and_the_audit_trail(backend: &Backend) {
    let Some(db) = TestDb::migrated(backend) else {
        return;
    };
    let case = p01_case_for(db.dir.path(), "A-77", "Ann Chair", |_| {});
    let case = case.to_string_lossy().into_owned();
    let first = db.json(&["session", "add", "A-77", &case, "--on", "2026-11-02"]);
    assert_eq!(first, serde_json::json!({"mrn": "A-77", "session_id": 1}));
    let second = db.json(&[
        "session",
        "add",
        "A-77",
        &case,
        "--on",
        "2026-11-09",
        "--user",
        "dr-b",
    ]);
    assert_eq!(second["session_id"], 2);
    let summary = db.json(&["course", "summary", "--mrn", "A-77", "--on", "2026-11-10"]);
    assert_eq!(summary["treatments_past_12_months"], 2, "{summary}");
    let out = db.path("a77.ketaplan");
    let out_text = out.to_string_lossy().into_owned();
    let (code, _, err) = db.cli(&["course", "export", "A-77", "--out", &out_text]);
    assert_eq!(code, 0, "{err}");
    let doc = open_doc(&out);
    assert_eq!(doc.identity.patient_name, "Ann Chair");
    let planned = ketaplan::cli::load_protocol(None).map(|p| {
        let case = doc.sessions[1].case.clone();
        ketaplan::domain::plan(&p, &case)
    });
    let planned = planned.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.sessions[1].ordered.pump_ml_per_h, planned.pump_ml_per_h);
    assert_eq!(
        doc.sessions[1].case.history.treatments_past_12_months, 1,
        "the second session is judged against the first, read in its transaction"
    );
    let trail = db.json(&["audit", "A-77"]);
    let actions: Vec<(&str, &str, Option<i64>)> = trail
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["by"].as_str().unwrap_or(""),
                        e["action"].as_str().unwrap_or(""),
                        e["session_id"].as_i64(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        actions,
        [
            ("test-nurse", "add patient", None),
            ("test-nurse", "add session", Some(1)),
            ("dr-b", "add session", Some(2))
        ]
    );
    assert!(
        trail[0]["at"].as_str().is_some_and(|t| t.ends_with('Z')),
        "the trail records UTC: {trail}"
    );
}

fn session_add_refuses_a_do_not_proceed_plan_and_another_mrn(backend: &Backend) {
    let Some(db) = TestDb::migrated(backend) else {
        return;
    };
    let stop = p01_case_for(db.dir.path(), "B-1", "Bea Stop", |v| {
        v["regimen"]["infusion"]["value"] = 7.5.into();
        v["regimen"]["max_infusion"] = serde_json::Value::Null;
    });
    let (code, _, err) = db.cli(&["session", "add", "B-1", &stop.to_string_lossy()]);
    assert_eq!(code, 3, "a hard limit refuses the session: {err}");
    let other = p01_case_for(db.dir.path(), "B-2", "Bea Other", |_| {});
    let (code, _, err) = db.cli(&["session", "add", "B-1", &other.to_string_lossy()]);
    assert_eq!(code, 2, "the case names another MRN: {err}");
    assert!(err.contains("B-2"), "{err}");
    let s = status(&db);
    assert_eq!(
        (s["patients"].as_i64(), s["sessions"].as_i64()),
        (Some(0), Some(0)),
        "nothing was written"
    );
}

fn followups_lists_the_calls_due_across_the_clinic(backend: &Backend) {
    let Some(db) = TestDb::migrated(backend) else {
        return;
    };
    let protocol = ketaplan::cli::load_protocol(None).unwrap_or_else(|e| panic!("{e}"));
    let mut expected = Vec::new();
    for (mrn, name, on) in [
        ("F-2", "Finn Two", "2026-10-20"),
        ("F-1", "Fay One", "2026-10-01"),
    ] {
        let case = p01_case_for(db.dir.path(), mrn, name, |_| {});
        db.json(&["session", "add", mrn, &case.to_string_lossy(), "--on", on]);
        let case_value = ketaplan::domain::case::parse_case(
            &protocol,
            &std::fs::read_to_string(&case).unwrap_or_default(),
            ketaplan::domain::case::CaseFormat::Json,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        let due = ketaplan::domain::course::follow_up_call_due_on(
            &protocol,
            case_value.regimen.course,
            case_value.regimen.setting,
            clinic::day(on),
        );
        expected.push((mrn.to_string(), name.to_string(), on.to_string(), due));
    }
    expected.sort_by_key(|e| e.3);
    let latest_due = expected
        .iter()
        .map(|e| e.3)
        .max()
        .unwrap_or_else(|| clinic::day("2026-12-01"));
    let on = latest_due.format("%Y-%m-%d").to_string();
    let listed = db.json(&["followups", "--on", &on]);
    let rows: Vec<(String, String, String, String)> = listed
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| {
                    let s = |k: &str| r[k].as_str().unwrap_or("").to_string();
                    (
                        s("mrn"),
                        s("patient_name"),
                        s("session_date"),
                        s("due_date"),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let wanted: Vec<(String, String, String, String)> = expected
        .iter()
        .map(|(m, n, d, due)| {
            (
                m.clone(),
                n.clone(),
                d.clone(),
                due.format("%Y-%m-%d").to_string(),
            )
        })
        .collect();
    assert_eq!(rows, wanted, "sorted by due date");
    let day_before = (expected[0].3 - chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(
        db.json(&["followups", "--on", &day_before]),
        serde_json::json!([])
    );
}

fn a_newer_schema_is_never_read_or_written(backend: &Backend) {
    let Some(db) = TestDb::migrated(backend) else {
        return;
    };
    let case = p01_case_for(db.dir.path(), "N-1", "Nia New", |_| {});
    db.json(&["session", "add", "N-1", &case.to_string_lossy()]);
    db.sql("INSERT INTO ketaplan_migrations (version, name, applied_at) VALUES (99, 'future', '2030-01-01T00:00:00Z')");
    for args in [
        vec!["course", "summary", "--mrn", "N-1"],
        vec!["followups"],
        vec!["audit", "N-1"],
        vec!["db", "migrate"],
    ] {
        let (code, _, err) = db.cli(&args);
        assert_eq!(code, 6, "{args:?}: {err}");
        assert!(err.contains("99"), "{err}");
    }
    let (code, out, _) = db.cli(&["db", "status"]);
    assert_eq!(code, 6);
    assert!(out.contains("\"schema_version\": 99"), "{out}");
}

fn the_audit_trail_cannot_be_changed(backend: &Backend) {
    let Some(db) = TestDb::migrated(backend) else {
        return;
    };
    let case = p01_case_for(db.dir.path(), "T-1", "Tom Trail", |_| {});
    db.json(&["session", "add", "T-1", &case.to_string_lossy()]);
    for statement in [
        "UPDATE audit SET by_user = 'someone else'",
        "DELETE FROM audit",
        "DELETE FROM sessions",
    ] {
        let refused = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| db.sql(statement)));
        assert!(
            refused.is_err(),
            "{statement} must be refused by the database"
        );
    }
    assert_eq!(db.json(&["audit", "T-1"]).as_array().map(Vec::len), Some(2));
}

#[test]
fn bad_database_locations_say_what_is_wrong_and_never_echo_a_password() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let run = |url: &str, args: &[&str]| -> (u8, String) {
        let mut full: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
        full.extend(["--db".into(), url.into()]);
        let mut out = Vec::new();
        let mut err = Vec::new();
        let code = ketaplan::cli::run_with(
            &full,
            &ketaplan::cli::Environment::default(),
            &mut out,
            &mut err,
        );
        (code, String::from_utf8_lossy(&err).into_owned())
    };
    let missing = dir.path().join("nope.db");
    let (code, err) = run(&format!("sqlite:{}", missing.display()), &["followups"]);
    assert_eq!(code, 5, "{err}");
    assert!(
        err.contains("does not exist") && err.contains("nope.db"),
        "{err}"
    );
    assert!(!missing.exists(), "a mistyped --db creates nothing");
    let corrupt = dir.path().join("corrupt.db");
    std::fs::write(&corrupt, b"this is not a database, just some text that is long enough..........................................................").unwrap_or_else(|e| panic!("{e}"));
    let (code, err) = run(&format!("sqlite:{}", corrupt.display()), &["db", "status"]);
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("not an SQLite database"), "{err}");
    let (code, err) = run(
        "postgres://kp:s3cret@127.0.0.1:1/ketaplan",
        &["db", "status"],
    );
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("127.0.0.1:1"), "names host and port: {err}");
    assert!(!err.contains("s3cret"), "{err}");
    let (code, err) = run("mysql://kp:s3cret@db/k", &["db", "status"]);
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains("s3cret"), "{err}");
}

#[test]
fn the_apps_own_clinic_db_is_created_owner_only_and_migrated_on_first_use() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data folder");
    let url = ketaplan::store::db::DbUrl::default_in(&data);
    let status = ketaplan::store::db::ClinicDb::status(&url).unwrap_or_else(|(_, e)| panic!("{e}"));
    assert_eq!(
        status.schema_version,
        ketaplan::store::db::binary_schema_version()
    );
    assert_eq!((status.patients, status.sessions), (0, 0));
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| {
        std::fs::metadata(p)
            .map(|m| m.permissions().mode() & 0o777)
            .ok()
    };
    assert_eq!(
        mode(&data.join("clinic.db")),
        Some(0o600),
        "the file is owner-only"
    );
    assert_eq!(mode(&data), Some(0o700), "and so is its folder");
}
