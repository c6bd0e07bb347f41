//! `ketaplan user add|list|disable` on both backends: the first admin, then only an admin
//! (login and password on stdin) changes users; every refusal is exit 7 or 2 with nothing
//! written, and a password never appears in any output.

#[macro_use]
#[path = "support/clinic.rs"]
mod clinic;

use clinic::{Backend, TestDb, test_server};
use serde_json::Value;

on_both_backends!(users_are_added_listed_and_disabled_by_an_admin);

const ADMIN_PASSWORD: &str = "admin pass 1";
const NURSE_PASSWORD: &str = "nurse pass 2";

fn users_are_added_listed_and_disabled_by_an_admin(backend: &Backend) {
    let Some(db) = TestDb::migrated(backend) else {
        return;
    };
    let add_admin = [
        "user",
        "add",
        "ada",
        "--name",
        "Ada Admin",
        "--role",
        "admin",
    ];
    let (code, out, err) = db.cli_with_stdin(&add_admin, Some(&[ADMIN_PASSWORD]));
    assert_eq!(code, 0, "the first admin: {err}");
    let added: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(
        (added["login"].as_str(), added["role"].as_str()),
        (Some("ada"), Some("admin"))
    );

    let add_nurse = [
        "user",
        "add",
        "nina",
        "--name",
        "Nina Nurse",
        "--role",
        "nurse",
    ];
    let (code, _, err) = db.cli_with_stdin(&add_nurse, Some(&[NURSE_PASSWORD]));
    assert_eq!(code, 7, "no admin given: {err}");
    assert!(err.contains("--as"), "{err}");
    let with_ada: Vec<&str> = add_nurse.iter().copied().chain(["--as", "ada"]).collect();
    let (code, _, err) = db.cli_with_stdin(&with_ada, Some(&["wrong pass", NURSE_PASSWORD]));
    assert_eq!(code, 7, "a wrong admin password: {err}");
    let (code, _, err) = db.cli_with_stdin(&with_ada, Some(&[ADMIN_PASSWORD]));
    assert_eq!(code, 2, "no new password on stdin: {err}");
    let (code, out, err) = db.cli_with_stdin(&with_ada, Some(&[ADMIN_PASSWORD, NURSE_PASSWORD]));
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains(NURSE_PASSWORD) && !err.contains(NURSE_PASSWORD));
    let (code, _, err) = db.cli_with_stdin(
        &[
            "user", "add", "x1", "--name", "X", "--role", "surgeon", "--as", "ada",
        ],
        Some(&[ADMIN_PASSWORD, NURSE_PASSWORD]),
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--role") && err.contains("surgeon"), "{err}");

    let listed = db.json(&["user", "list"]);
    let logins: Vec<(&str, &str, bool)> = listed
        .as_array()
        .map(|a| {
            a.iter()
                .map(|u| {
                    (
                        u["login"].as_str().unwrap_or_default(),
                        u["role"].as_str().unwrap_or_default(),
                        u["active"].as_bool().unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(logins, [("ada", "admin", true), ("nina", "nurse", true)]);
    assert!(
        !listed.to_string().contains("argon2"),
        "the hash is never listed"
    );

    let (code, _, err) = db.cli_with_stdin(
        &["user", "disable", "nina", "--as", "nina"],
        Some(&[NURSE_PASSWORD]),
    );
    assert_eq!(code, 7, "a nurse may not disable: {err}");
    let (code, _, err) = db.cli_with_stdin(
        &["user", "disable", "nina", "--as", "ada"],
        Some(&[ADMIN_PASSWORD]),
    );
    assert_eq!(code, 0, "{err}");
    let listed = db.json(&["user", "list"]);
    assert_eq!(listed[1]["active"], false);
}
