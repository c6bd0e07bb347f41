//! The order ledger in the clinic database (schema 2): an original printed at one
//! workstation is known at every other, so a second original is refused and a reprint is a
//! COPY; a file ledger and the clinic's are never mixed.

#[macro_use]
#[path = "support/clinic.rs"]
mod clinic;

use clinic::{Backend, TestDb, p01_case_for, printable_p01_for, test_server};

on_both_backends!(
    an_original_printed_anywhere_is_known_everywhere,
    a_schema_1_database_is_upgraded_by_db_migrate,
);

fn a_schema_1_database_is_upgraded_by_db_migrate(backend: &Backend) {
    let Some(db) = TestDb::migrated(backend) else {
        return;
    };
    let case = p01_case_for(db.dir.path(), "U-1", "Uma Upgrade", |_| {});
    db.json(&["session", "add", "U-1", &case.to_string_lossy()]);
    // As a database written by the first release left it.
    db.sql(
        "DROP TABLE clinic_audit; DROP TABLE order_signatures; DROP TABLE users; \
         ALTER TABLE course_changes DROP COLUMN by_user; \
         DROP TABLE printed_orders; \
         DELETE FROM ketaplan_migrations WHERE version >= 2",
    );
    let (code, _, err) = db.cli(&["followups"]);
    assert_eq!(code, 6, "{err}");
    assert!(
        err.contains("schema 1") && err.contains("db migrate"),
        "{err}"
    );
    assert_eq!(
        db.json(&["db", "migrate"])["schema_version"],
        ketaplan::store::db::binary_schema_version()
    );
    let status = db.json(&["db", "status"]);
    assert_eq!(
        (status["patients"].as_i64(), status["sessions"].as_i64()),
        (Some(1), Some(1)),
        "the upgrade keeps the records"
    );
}

fn an_original_printed_anywhere_is_known_everywhere(backend: &Backend) {
    let Some(db) = TestDb::migrated(backend) else {
        return;
    };
    assert_eq!(
        db.json(&["db", "status"])["schema_version"],
        ketaplan::store::db::binary_schema_version()
    );
    let case = printable_p01_for(db.dir.path(), "L-1", "Lea Ledger");
    let case = case.to_string_lossy().into_owned();
    let out = |name: &str| db.path(name).to_string_lossy().into_owned();
    let print = |name: &str, extra: &[&str]| {
        let target = out(name);
        let mut args = vec![
            "order",
            case.as_str(),
            "--out",
            target.as_str(),
            "--text",
            "--on",
            "2026-12-01",
        ];
        args.extend_from_slice(extra);
        db.cli(&args)
    };
    let (code, _, err) = print("chair-1.txt", &["--user", "nurse-a"]);
    assert_eq!(code, 0, "{err}");
    let first = std::fs::read_to_string(db.path("chair-1.txt")).unwrap_or_default();
    assert!(!first.contains("COPY"), "the first print is the original");
    // Another workstation, the same database: no second original.
    let (code, _, err) = print("chair-2.txt", &["--user", "nurse-b"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("already printed as an original"), "{err}");
    assert!(!db.path("chair-2.txt").exists(), "nothing was written");
    let (code, _, err) = print("chair-2-copy.txt", &["--copy"]);
    assert_eq!(code, 0, "{err}");
    let copy = std::fs::read_to_string(db.path("chair-2-copy.txt")).unwrap_or_default();
    assert!(copy.contains("COPY"), "a reprint says COPY");
    let ledger_file = out("orders.ron");
    let (code, _, err) = print("mixed.txt", &["--ledger", &ledger_file]);
    assert_eq!(code, 2, "--ledger with --db: {err}");
    // The ledger is append-only in the database too.
    let changed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        db.sql("DELETE FROM printed_orders")
    }));
    assert!(
        changed.is_err(),
        "the database refuses to remove a printed order"
    );
}
