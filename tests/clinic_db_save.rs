//! Saving an open course back to the clinic database: no lost update. A save based on an
//! old row version is refused naming who changed the course and when; nothing a workstation
//! saved is removed or overwritten by another's stale copy.

#[macro_use]
#[path = "support/clinic.rs"]
mod clinic;

use clinic::{Backend, TestDb, a_course_file, test_server};
use ketaplan::store::db::{ClinicDb, DbError, DbUrl};

on_both_backends!(
    a_save_on_the_version_read_lands_and_a_stale_one_is_a_conflict,
    a_save_never_removes_a_session_and_a_new_course_never_overwrites_one,
);

fn open(db: &TestDb) -> ClinicDb {
    let url = DbUrl::parse(&db.url).unwrap_or_else(|e| panic!("{e}"));
    ClinicDb::open(&url, "UTC").unwrap_or_else(|e| panic!("{e}"))
}

fn imported(db: &TestDb) -> String {
    let file = a_course_file();
    let out = db.json(&["course", "import", &file.to_string_lossy()]);
    out["mrn"].as_str().unwrap_or_default().to_string()
}

fn a_save_on_the_version_read_lands_and_a_stale_one_is_a_conflict(backend: &Backend) {
    let Some(db) = TestDb::migrated(backend) else {
        return;
    };
    let mrn = imported(&db);
    let mut nurse = open(&db);
    let mut physician = open(&db);
    let (mut at_chair, read_by_nurse) = nurse.load_course(&mrn).unwrap_or_else(|e| panic!("{e}"));
    let (mut at_desk, read_by_physician) = physician
        .load_course(&mrn)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read_by_nurse, read_by_physician);

    // The nurse records a follow-up note on the last session and saves first.
    let last = at_chair.sessions.len() - 1;
    at_chair.sessions[last]
        .justifications
        .insert("note".into(), "called, doing well".into());
    let saved = nurse
        .save_course(&at_chair, Some(&read_by_nurse), "nurse-a")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(saved.version, read_by_nurse.version + 1);
    assert_eq!(saved.changed_by, "nurse-a");

    // The physician's copy is now stale: refused, naming who and when, nothing written.
    at_desk.sessions[0]
        .justifications
        .insert("note".into(), "stale edit".into());
    match physician.save_course(&at_desk, Some(&read_by_physician), "dr-b") {
        Err(DbError::Conflict(message)) => {
            assert!(
                message.contains("nurse-a")
                    && message.contains(&ketaplan::store::db::shown_utc(&saved.changed_at)),
                "{message}"
            );
        }
        other => panic!("a stale save must be a conflict, not {other:?}"),
    }
    let (now, version) = physician
        .load_course(&mrn)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(version, saved);
    assert_eq!(now, at_chair, "the nurse's save stands");

    // Reloaded, the physician's edit lands on the current version.
    let mut again = now.clone();
    again.sessions[0]
        .justifications
        .insert("note".into(), "edit after reload".into());
    let after = physician
        .save_course(&again, Some(&version), "dr-b")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(after.version, version.version + 1);
    let trail = db.json(&["audit", &mrn]);
    let changes: Vec<(String, String)> = trail
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|e| e["action"] == "change session")
                .map(|e| {
                    (
                        e["by"].as_str().unwrap_or("").into(),
                        e["session_id"].to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        changes,
        [
            (
                "nurse-a".to_string(),
                at_chair.sessions[last].id.to_string()
            ),
            ("dr-b".to_string(), now.sessions[0].id.to_string())
        ]
    );
}

fn a_save_never_removes_a_session_and_a_new_course_never_overwrites_one(backend: &Backend) {
    let Some(db) = TestDb::migrated(backend) else {
        return;
    };
    let mrn = imported(&db);
    let mut store = open(&db);
    let (doc, version) = store.load_course(&mrn).unwrap_or_else(|e| panic!("{e}"));
    let mut fewer = doc.clone();
    fewer.sessions.pop();
    match store.save_course(&fewer, Some(&version), "nurse-a") {
        Err(DbError::Rejected(message)) => assert!(message.contains("never removed"), "{message}"),
        other => panic!("removing a session must be refused, not {other:?}"),
    }
    match store.save_course(&doc, None, "nurse-a") {
        Err(DbError::Conflict(message)) => assert!(
            message.contains("already in the clinic database"),
            "{message}"
        ),
        other => panic!("a new course for a stored MRN must be a conflict, not {other:?}"),
    }
    let (unchanged, same) = store.load_course(&mrn).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((unchanged, same), (doc.clone(), version));
    let mut other_patient = doc;
    other_patient.identity.mrn = "NEW-1".into();
    other_patient.identity.patient_name = "Nell New".into();
    let first = store
        .save_course(&other_patient, None, "nurse-a")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        first.version, 1,
        "a patient saved for the first time starts at version 1"
    );
    let (loaded, _) = store.load_course("NEW-1").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.sessions.len(), other_patient.sessions.len());
}
