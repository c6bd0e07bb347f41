//! The clinic's users in the database (step 12, first slice), on a real SQLite file and a
//! real PostgreSQL database: the first admin, only an admin adds or disables users, wrong
//! passwords and the lockout, and a password stored only as its argon2id hash.

#[macro_use]
#[path = "support/clinic.rs"]
mod clinic;

use clinic::{Backend, TestDb, test_server};
use ketaplan::store::db::{ClinicDb, Credentials, DbUrl, LOCK_AFTER_FAILED_LOGINS, Role, UserRow};

on_both_backends!(
    the_first_admin_then_only_admins_add_users,
    wrong_passwords_lock_the_login_and_disabled_users_are_refused,
);

const ADMIN_PASSWORD: &str = "admin pass 1";
const NURSE_PASSWORD: &str = "nurse pass 2";

fn open(db: &TestDb) -> ClinicDb {
    let url = DbUrl::parse(&db.url).unwrap_or_else(|e| panic!("{e}"));
    ClinicDb::open(&url, "UTC").unwrap_or_else(|e| panic!("{e}"))
}

fn user(login: &str, role: Role) -> UserRow {
    UserRow {
        login: login.into(),
        full_name: format!("{login} Example"),
        role,
        active: true,
    }
}

fn as_(login: &'static str, password: &'static str) -> Credentials<'static> {
    Credentials { login, password }
}

fn exit_of<T: std::fmt::Debug>(r: Result<T, ketaplan::store::db::DbError>) -> u8 {
    r.err().map_or(0, |e| e.exit_code())
}

fn with_admin(backend: &Backend) -> Option<(TestDb, ClinicDb)> {
    let db = TestDb::migrated(backend)?;
    let mut clinic = open(&db);
    clinic
        .add_user(&user("ada", Role::Admin), ADMIN_PASSWORD, None)
        .unwrap_or_else(|e| panic!("the first admin: {e}"));
    Some((db, clinic))
}

fn the_first_admin_then_only_admins_add_users(backend: &Backend) {
    let Some((db, mut clinic)) = with_admin(backend) else {
        return;
    };
    let nurse = user("nina", Role::Nurse);
    // Once an admin exists: nobody, a wrong password, or a non-admin is refused (exit 7).
    assert_eq!(exit_of(clinic.add_user(&nurse, NURSE_PASSWORD, None)), 7);
    assert_eq!(
        exit_of(clinic.add_user(&nurse, NURSE_PASSWORD, Some(&as_("ada", "wrong pass")))),
        7
    );
    clinic
        .add_user(&nurse, NURSE_PASSWORD, Some(&as_("ada", ADMIN_PASSWORD)))
        .unwrap_or_else(|e| panic!("{e}"));
    let doctor = user("paul", Role::Physician);
    assert_eq!(
        exit_of(clinic.add_user(&doctor, "doctor pass", Some(&as_("nina", NURSE_PASSWORD)))),
        7,
        "a nurse may not add users"
    );
    // Bad input is named (exit 2): a login taken, a short password, a bad login.
    assert_eq!(
        exit_of(clinic.add_user(&nurse, NURSE_PASSWORD, Some(&as_("ada", ADMIN_PASSWORD)))),
        2
    );
    assert_eq!(
        exit_of(clinic.add_user(&doctor, "short", Some(&as_("ada", ADMIN_PASSWORD)))),
        2
    );
    assert_eq!(
        exit_of(clinic.add_user(
            &user("no spaces", Role::Nurse),
            NURSE_PASSWORD,
            Some(&as_("ada", ADMIN_PASSWORD))
        )),
        2
    );
    let listed = clinic.list_users().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        listed
            .iter()
            .map(|u| (u.login.as_str(), u.role))
            .collect::<Vec<_>>(),
        [("ada", Role::Admin), ("nina", Role::Nurse)]
    );
    let signed_in = clinic
        .authenticate(&as_("nina", NURSE_PASSWORD))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(signed_in.full_name, "nina Example");
    // The password is stored only as an argon2id hash.
    if let Backend::Sqlite = backend {
        drop(clinic);
        let bytes = std::fs::read(db.path("clinic.db")).unwrap_or_default();
        let wal = std::fs::read(db.path("clinic.db-wal")).unwrap_or_default();
        let all = [bytes, wal].concat();
        let contains = |needle: &str| all.windows(needle.len()).any(|w| w == needle.as_bytes());
        assert!(!contains(NURSE_PASSWORD) && !contains(ADMIN_PASSWORD));
        assert!(contains("$argon2id$"), "the hashes are argon2id");
    }
}

fn wrong_passwords_lock_the_login_and_disabled_users_are_refused(backend: &Backend) {
    let Some((_db, mut clinic)) = with_admin(backend) else {
        return;
    };
    clinic
        .add_user(
            &user("nina", Role::Nurse),
            NURSE_PASSWORD,
            Some(&as_("ada", ADMIN_PASSWORD)),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    for _ in 0..LOCK_AFTER_FAILED_LOGINS {
        assert_eq!(
            exit_of(clinic.authenticate(&as_("nina", "not her password"))),
            7
        );
    }
    // Locked: even the right password is refused, and the message says until when.
    let locked = clinic
        .authenticate(&as_("nina", NURSE_PASSWORD))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        locked.contains("locked") && locked.contains("UTC"),
        "{locked}"
    );
    // Another login is not affected.
    assert!(clinic.authenticate(&as_("ada", ADMIN_PASSWORD)).is_ok());
    // The lock is in the clinic's audit trail, once.
    let trail = clinic
        .clinic_audit_trail()
        .unwrap_or_else(|e| panic!("{e}"));
    let locks: Vec<_> = trail
        .iter()
        .filter(|e| e.action == "login locked")
        .collect();
    assert_eq!(locks.len(), 1, "{trail:?}");
    assert_eq!(locks[0].by, "nina");
    assert!(locks[0].subject.contains("5 wrong passwords"), "{trail:?}");

    clinic
        .disable_user("nina", Some(&as_("ada", ADMIN_PASSWORD)))
        .unwrap_or_else(|e| panic!("{e}"));
    let disabled = clinic
        .authenticate(&as_("nina", NURSE_PASSWORD))
        .err()
        .map(|e| (e.exit_code(), e.to_string()))
        .unwrap_or_default();
    assert_eq!(disabled.0, 7);
    assert!(disabled.1.contains("disabled"), "{}", disabled.1);
    assert_eq!(
        exit_of(clinic.disable_user("nobody", Some(&as_("ada", ADMIN_PASSWORD)))),
        2
    );
    assert_eq!(exit_of(clinic.disable_user("ada", None)), 7);
    let listed = clinic.list_users().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        listed.iter().any(|u| u.login == "nina" && !u.active),
        "a disabled login stays listed"
    );
}
