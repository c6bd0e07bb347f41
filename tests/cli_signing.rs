//! Electronic signatures from the CLI on both backends (step 12): only a physician signs an
//! order (`order --sign-as`), a pharmacist records the pharmacy check and a nurse the double
//! check (`order-check`); every refusal is exit 7, 3 or 2 with nothing written, the database
//! refuses a signature by the wrong role whatever program writes, and a COPY prints them all.

#[macro_use]
#[path = "support/clinic.rs"]
mod clinic;

use clinic::{Backend, TestDb, printable_p01_for, test_server};

on_both_backends!(only_a_physician_signs_and_checks_are_recorded_by_their_roles);
on_both_backends!(the_database_refuses_a_signature_by_the_wrong_role);
on_both_backends!(with_users_a_session_is_added_by_a_signed_in_clinician);

const ADMIN_PASSWORD: &str = "admin pass 1";
const DOCTOR_PASSWORD: &str = "doctor pass 2";
const NURSE_PASSWORD: &str = "nurse pass 3";
const PHARMACIST_PASSWORD: &str = "pharma pass 4";

/// An admin, the physician the case names, another physician, a nurse, a pharmacist, and a
/// disabled physician.
fn clinic_with_users(backend: &Backend) -> Option<TestDb> {
    let db = TestDb::migrated(backend)?;
    let add = |login: &str, name: &str, role: &str, password: &str| {
        let mut args = vec!["user", "add", login, "--name", name, "--role", role];
        let mut stdin = vec![password];
        if role != "admin" {
            args.extend(["--as", "ada"]);
            stdin.insert(0, ADMIN_PASSWORD);
        }
        let (code, _, err) = db.cli_with_stdin(&args, Some(&stdin));
        assert_eq!(code, 0, "add {login}: {err}");
    };
    add("ada", "Ada Admin", "admin", ADMIN_PASSWORD);
    add("dora", "Dr A. Example", "physician", DOCTOR_PASSWORD);
    add("pete", "Pete Other", "physician", DOCTOR_PASSWORD);
    add("dan", "Dr A. Example", "physician", DOCTOR_PASSWORD);
    add("nina", "Nina Nurse", "nurse", NURSE_PASSWORD);
    add("phil", "Phil Pharmacist", "pharmacist", PHARMACIST_PASSWORD);
    let (code, _, err) = db.cli_with_stdin(
        &["user", "disable", "dan", "--as", "ada"],
        Some(&[ADMIN_PASSWORD]),
    );
    assert_eq!(code, 0, "{err}");
    Some(db)
}

fn only_a_physician_signs_and_checks_are_recorded_by_their_roles(backend: &Backend) {
    let Some(db) = clinic_with_users(backend) else {
        return;
    };
    let case = printable_p01_for(db.dir.path(), "S-1", "Sam Signed");
    let case = case.to_string_lossy().into_owned();
    let sheet = db.path("signed.txt").to_string_lossy().into_owned();
    let sign_as = |login: &str, password: &str| {
        db.cli_with_stdin(
            &[
                "order",
                &case,
                "--out",
                &sheet,
                "--text",
                "--on",
                "2026-12-01",
                "--sign-as",
                login,
            ],
            Some(&[password]),
        )
    };
    for (login, password, code, says) in [
        ("nina", NURSE_PASSWORD, 7, "only a physician may"),
        ("dora", "wrong password", 7, "wrong login or password"),
        ("dan", DOCTOR_PASSWORD, 7, "disabled"),
        ("nobody", DOCTOR_PASSWORD, 7, "wrong login or password"),
        ("pete", DOCTOR_PASSWORD, 3, "names the prescriber"),
    ] {
        let (got, out, err) = sign_as(login, password);
        assert_eq!(got, code, "{login}: {err}");
        assert!(err.contains(says), "{login}: {err}");
        assert!(
            !db.path("signed.txt").exists(),
            "{login}: nothing was written"
        );
        assert!(!out.contains(password) && !err.contains(password));
    }
    let (code, _, err) = db.cli(&[
        "order",
        &case,
        "--out",
        &sheet,
        "--sign-as",
        "dora",
        "--copy",
    ]);
    assert_eq!(code, 2, "a COPY is not signed: {err}");

    let (code, _, err) = sign_as("dora", DOCTOR_PASSWORD);
    assert_eq!(code, 0, "{err}");
    let signed = std::fs::read_to_string(&sheet).unwrap_or_default();
    assert!(
        signed.contains("Electronically signed by Dr A. Example (physician) at 2026-12-01 "),
        "{signed}"
    );
    let protocol =
        ketaplan::domain::protocol::Protocol::built_in().unwrap_or_else(|e| panic!("{e}"));
    let text = std::fs::read_to_string(&case).unwrap_or_default();
    let parsed = ketaplan::domain::case::parse_case(
        &protocol,
        &text,
        ketaplan::domain::case::CaseFormat::Json,
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let on = clinic::day("2026-12-01");
    let number = ketaplan::domain::order_identity::order_number(&protocol, &parsed, on);
    let sha = ketaplan::domain::order_identity::order_content_sha256(&protocol, &parsed, on);
    let words = signed.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains(&format!("Signed content: order {number}, sha256 {sha}")),
        "{signed}"
    );
    assert!(!signed.contains("Not valid without signature"), "{signed}");
    let (code, _, err) = sign_as("dora", DOCTOR_PASSWORD);
    assert_eq!(code, 3, "signed once, never again: {err}");

    let check = |kind: &str, login: &str, password: &str| {
        db.cli_with_stdin(
            &["order-check", &number, "--check", kind, "--as", login],
            Some(&[password]),
        )
    };
    for (kind, login, password, code, says) in [
        (
            "pharmacy",
            "nina",
            NURSE_PASSWORD,
            7,
            "only a pharmacist may",
        ),
        (
            "pharmacy",
            "phil",
            "wrong password",
            7,
            "wrong login or password",
        ),
        ("pharmacy", "phil", PHARMACIST_PASSWORD, 0, "pharmacy_check"),
        (
            "pharmacy",
            "phil",
            PHARMACIST_PASSWORD,
            3,
            "never signed again",
        ),
        (
            "double-check",
            "phil",
            PHARMACIST_PASSWORD,
            7,
            "only a nurse or a physician",
        ),
        ("double-check", "dora", DOCTOR_PASSWORD, 3, "independent"),
        ("double-check", "nina", NURSE_PASSWORD, 0, "double_check"),
        ("triple", "nina", NURSE_PASSWORD, 2, "--check triple"),
    ] {
        let (got, out, err) = check(kind, login, password);
        assert_eq!(got, code, "{kind} by {login}: {err}");
        assert!(
            out.contains(says) || err.contains(says),
            "{kind} by {login}: {out} {err}"
        );
    }
    let (code, _, err) = db.cli_with_stdin(
        &[
            "order-check",
            "KP-20261201-00000000",
            "--check",
            "pharmacy",
            "--as",
            "phil",
        ],
        Some(&[PHARMACIST_PASSWORD]),
    );
    assert_eq!(code, 2, "an order never printed: {err}");

    let copy = db.path("copy.txt").to_string_lossy().into_owned();
    let (code, _, err) = db.cli(&[
        "order",
        &case,
        "--out",
        &copy,
        "--text",
        "--on",
        "2026-12-01",
        "--copy",
    ]);
    assert_eq!(code, 0, "{err}");
    let copy = std::fs::read_to_string(&copy).unwrap_or_default();
    for line in [
        "COPY",
        "Electronically signed by Dr A. Example (physician)",
        "Electronically signed by Phil Pharmacist (pharmacist)",
        "Electronically signed by Nina Nurse (nurse)",
    ] {
        assert!(copy.contains(line), "{line}: {copy}");
    }

    let trail = db.json(&["audit", "--clinic"]);
    let acts: Vec<(String, String)> = trail
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["by"].as_str().unwrap_or_default().to_string(),
                        e["action"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    for act in [
        ("first admin", "user added"),
        ("ada", "user disabled"),
        ("dora", "signed: order"),
        ("phil", "signed: pharmacy_check"),
        ("nina", "signed: double_check"),
    ] {
        assert!(
            acts.contains(&(act.0.to_string(), act.1.to_string())),
            "{act:?}: {acts:?}"
        );
    }
}

fn the_database_refuses_a_signature_by_the_wrong_role(backend: &Backend) {
    let Some(db) = clinic_with_users(backend) else {
        return;
    };
    let case = printable_p01_for(db.dir.path(), "S-2", "Sue Sql");
    let sheet = db.path("unsigned.txt").to_string_lossy().into_owned();
    let case = case.to_string_lossy().into_owned();
    let print = |extra: &[&str], stdin: &[&str]| {
        let mut args = vec![
            "order",
            &case,
            "--out",
            &sheet,
            "--text",
            "--on",
            "2026-12-01",
        ];
        args.extend_from_slice(extra);
        db.cli_with_stdin(&args, Some(stdin))
    };
    // With users, whoever prints is signed in (the audit trail names them).
    for (extra, stdin, says) in [
        (&[][..], &[][..], "--as LOGIN"),
        (
            &["--as", "nina"][..],
            &["wrong password"][..],
            "wrong login or password",
        ),
        (
            &["--as", "phil"][..],
            &[PHARMACIST_PASSWORD][..],
            "a pharmacist may not",
        ),
    ] {
        let (code, _, err) = print(extra, stdin);
        assert_eq!(code, 7, "{extra:?}: {err}");
        assert!(err.contains(says), "{err}");
        assert!(!db.path("unsigned.txt").exists());
    }
    let (code, _, err) = print(&["--as", "nina"], &[NURSE_PASSWORD]);
    assert_eq!(code, 0, "an unsigned original: {err}");
    let unsigned = std::fs::read_to_string(&sheet).unwrap_or_default();
    assert!(
        unsigned.contains("Not valid without signature"),
        "{unsigned}"
    );
    let number: String = unsigned
        .split_whitespace()
        .find(|w| w.starts_with("KP-"))
        .unwrap_or_default()
        .trim_end_matches([',', '|'])
        .to_string();
    let insert = |login: &str, role: &str, kind: &str| {
        let statement = format!(
            "INSERT INTO order_signatures (order_number, kind, content_sha256, login, full_name, role, signed_at) \
             VALUES ('{number}', '{kind}', 'x', '{login}', 'N', '{role}', '2026-12-01T09:00:00')"
        );
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| db.sql(&statement))).is_ok()
    };
    assert!(
        !insert("nina", "nurse", "order"),
        "a nurse cannot sign an order"
    );
    assert!(
        !insert("nina", "physician", "order"),
        "nor by naming another role"
    );
    assert!(
        !insert("dan", "physician", "order"),
        "nor a disabled physician"
    );
    assert!(!insert("phil", "pharmacist", "double_check"));
    assert!(insert("dora", "physician", "order"), "the physician can");
    let changed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        db.sql("UPDATE order_signatures SET full_name = 'X'")
    }));
    assert!(changed.is_err(), "a signature is never changed");
}

fn with_users_a_session_is_added_by_a_signed_in_clinician(backend: &Backend) {
    let Some(db) = clinic_with_users(backend) else {
        return;
    };
    let case = printable_p01_for(db.dir.path(), "S-3", "Sid Session");
    let case = case.to_string_lossy().into_owned();
    let (code, _, err) = db.cli(&["session", "add", "S-3", &case]);
    assert_eq!(code, 7, "no one signed in: {err}");
    assert!(err.contains("--as LOGIN"), "{err}");
    let (code, _, err) = db.cli_with_stdin(
        &["session", "add", "S-3", &case, "--as", "ada"],
        Some(&[ADMIN_PASSWORD]),
    );
    assert_eq!(code, 7, "an admin records nothing clinical: {err}");
    let (code, _, err) = db.cli_with_stdin(
        &["session", "add", "S-3", &case, "--as", "nina"],
        Some(&[NURSE_PASSWORD]),
    );
    assert_eq!(code, 0, "{err}");
    let trail = db.json(&["audit", "S-3"]);
    let by: Vec<&str> = trail
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["by"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        !by.is_empty() && by.iter().all(|b| *b == "nina"),
        "the audit trail names the signed-in nurse: {by:?}"
    );
}
