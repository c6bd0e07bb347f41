//! The clinic server's password prompt (egui_kittest) on the real PostgreSQL test server,
//! signing in as a role that must give a password (`.ci/run` makes members of
//! `KETAPLAN_TEST_PG_PASSWORD_GROUP` use scram-sha-256): asked at start, a wrong password
//! says so and asks again, the right one reaches the database, and it is never saved.

#[path = "support/clinic.rs"]
mod clinic;
mod common;

use clinic::{Backend, TestDb, a_course_file};
use common::{harness, has_label_containing, new_app, press, type_into, wait_for};
use ketaplan::store::db::DbUrl;

const PASSWORD: &str = "correct horse battery staple";

/// A login role with a password in the password group, dropped at the end.
struct PasswordRole {
    server: String,
    name: String,
}

impl PasswordRole {
    fn new(server: &str, group: &str, db: &TestDb) -> PasswordRole {
        let name = format!("t_kp_pw_{}", std::process::id());
        let mut client = postgres::Client::connect(server, postgres::NoTls)
            .unwrap_or_else(|e| panic!("{server}: {e}"));
        client
            .batch_execute(&format!(
                "DROP ROLE IF EXISTS {name}; \
                 CREATE ROLE {name} LOGIN PASSWORD '{PASSWORD}' IN ROLE {group}"
            ))
            .unwrap_or_else(|e| panic!("CREATE ROLE {name}: {e}"));
        db.sql(&format!(
            "GRANT USAGE ON SCHEMA public TO {name}; \
             GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {name}"
        ));
        PasswordRole {
            server: server.to_string(),
            name,
        }
    }
}

impl Drop for PasswordRole {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&self.server, postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP ROLE IF EXISTS {}", self.name));
        }
    }
}

#[test]
fn postgres_the_server_password_is_asked_at_start_and_kept_in_memory_only() {
    let (Some(server), Ok(group)) = (
        clinic::test_server(),
        std::env::var("KETAPLAN_TEST_PG_PASSWORD_GROUP"),
    ) else {
        eprintln!("KETAPLAN_TEST_PG(_PASSWORD_GROUP) not set: the run is left to .ci/run");
        return;
    };
    // The role declared first is dropped after the database.
    let role;
    let db = TestDb::migrated(&Backend::Postgres).unwrap_or_else(|| panic!("no test database"));
    role = PasswordRole::new(&server, &group, &db);
    let file = a_course_file();
    db.json(&["course", "import", &file.to_string_lossy()]);
    let url = db.url.replacen("postgres@", &format!("{}@", role.name), 1);
    let mut app = new_app();
    app.set_clinic_database(DbUrl::parse(&url).unwrap_or_else(|e| panic!("{e}")));
    // PGPASSWORD or ~/.pgpass would answer before the prompt: neither is set in the tests.
    assert!(std::env::var_os("PGPASSWORD").is_none());
    let mut h = harness(app);

    // Asked at start, before any page needs the database.
    wait_for(&mut h, "asks for a password");
    assert!(has_label_containing(&h, "Clinic server password"));
    assert!(
        has_label_containing(&h, "Clinic server password needed"),
        "the status bar says why the database is not in use"
    );
    type_into(&mut h, "Server password", "wrong password");
    press(&mut h, "Connect");
    wait_for(&mut h, "Not accepted");
    assert!(
        has_label_containing(&h, "28P01"),
        "the server's reason is shown"
    );

    type_into(&mut h, "Server password", PASSWORD);
    press(&mut h, "Connect");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while has_label_containing(&h, "Clinic server password") {
        assert!(
            std::time::Instant::now() < deadline,
            "the prompt never closed"
        );
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    press(&mut h, "Patients");
    wait_for(&mut h, "Jane Example");

    // Never in the preferences the app saves.
    let saved = ron::to_string(h.state().preferences()).unwrap_or_default();
    assert!(!saved.is_empty() && !saved.contains(PASSWORD), "{saved}");
}
