//! The clinic database under several processes at once, as several workstations use it:
//! 24 concurrent `session add` for one patient all land, each audited; a process killed
//! in the middle of a large import leaves the database as before or as after, never half.

#[macro_use]
#[path = "support/clinic.rs"]
mod clinic;

use clinic::{Backend, TestDb, a_course_file, p01_case_for, test_server};
use ketaplan::domain::course::{course_to_ron, parse_course};
use std::process::{Command, Stdio};

on_both_backends!(
    twenty_four_concurrent_session_adds_all_land,
    a_killed_import_leaves_the_database_as_before_or_after,
);

fn ketaplan(db: &TestDb, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ketaplan"));
    command
        .args(args)
        .args(["--db", &db.url])
        .env_remove("KETAPLAN_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn twenty_four_concurrent_session_adds_all_land(backend: &Backend) {
    let Some(db) = TestDb::migrated(backend) else {
        return;
    };
    let case = p01_case_for(db.dir.path(), "C-24", "Cam Concurrent", |_| {});
    let case = case.to_string_lossy().into_owned();
    let children: Vec<_> = (0..24)
        .map(|i| {
            let user = format!("nurse-{i}");
            ketaplan(
                &db,
                &[
                    "session",
                    "add",
                    "C-24",
                    &case,
                    "--user",
                    &user,
                    "--on",
                    "2026-12-01",
                ],
            )
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start ketaplan: {e}"))
        })
        .collect();
    let mut ids = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "a concurrent session add failed: {stderr}"
        );
        let printed: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
        ids.push(printed["session_id"].as_i64().unwrap_or(0));
    }
    ids.sort_unstable();
    assert_eq!(
        ids,
        (1..=24).collect::<Vec<i64>>(),
        "24 sessions, each its own id"
    );
    let status = db.json(&["db", "status"]);
    assert_eq!(status["sessions"], 24);
    let trail = db.json(&["audit", "C-24"]);
    let adds = trail.as_array().map_or(0, |a| {
        a.iter().filter(|e| e["action"] == "add session").count()
    });
    assert_eq!(adds, 24, "each session is in the audit trail");
    let summary = db.json(&["course", "summary", "--mrn", "C-24"]);
    assert_eq!(summary["treatments_past_12_months"], 24);
}

/// A course file of `sessions` copies of the first test course's first session.
fn large_course(db: &TestDb, sessions: u32) -> String {
    let source = a_course_file();
    let text = std::fs::read_to_string(&source).unwrap_or_else(|e| panic!("{e}"));
    let mut doc = parse_course(&text).unwrap_or_else(|e| panic!("{e}"));
    let first = doc.sessions[0].clone();
    doc.audit.clear();
    doc.sessions = (1..=sessions)
        .map(|id| {
            let mut s = first.clone();
            s.id = id;
            s
        })
        .collect();
    let path = db.path("large.ketaplan");
    let ron = course_to_ron(&doc).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&path, ron).unwrap_or_else(|e| panic!("{e}"));
    path.to_string_lossy().into_owned()
}

fn a_killed_import_leaves_the_database_as_before_or_after(backend: &Backend) {
    let Some(db) = TestDb::migrated(backend) else {
        return;
    };
    let total = 1500;
    let file = large_course(&db, total);
    // How long a whole import takes here, on a database of its own, so that the kills
    // below land during the transaction.
    let Some(scratch) = TestDb::migrated(backend) else {
        return;
    };
    let started = std::time::Instant::now();
    let full = ketaplan(&scratch, &["course", "import", &file])
        .output()
        .unwrap_or_else(|e| panic!("cannot start ketaplan: {e}"));
    assert!(
        full.status.success(),
        "{}",
        String::from_utf8_lossy(&full.stderr)
    );
    let whole = started.elapsed();
    let mut outcomes = Vec::new();
    for percent in [30, 60, 90] {
        let mut child = ketaplan(&db, &["course", "import", &file])
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start ketaplan: {e}"));
        std::thread::sleep(whole * percent / 100);
        // SIGKILL: no chance to clean up, as when the power goes.
        let _ = child.kill();
        let _ = child.wait();
        let sessions = db.json(&["db", "status"])["sessions"]
            .as_i64()
            .unwrap_or(-1);
        assert!(
            sessions == 0 || sessions == i64::from(total),
            "after a kill at {percent} % of {whole:?} the database holds {sessions} sessions: half an import"
        );
        outcomes.push(sessions);
    }
    // Whatever the kills left, a full import afterwards completes it.
    let done = db.json(&["course", "import", &file]);
    assert_eq!(done["sessions_total"], total, "{outcomes:?}");
    eprintln!("a whole import took {whole:?}; after the kills: {outcomes:?} sessions");
}
