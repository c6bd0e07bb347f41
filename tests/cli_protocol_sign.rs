//! `ketaplan protocol keygen|sign|verify` and `--trust`: a clinic's approval of a protocol
//! pack as a minisign signature; a changed pack, a missing signature or another key is
//! refused (exit 2) with a message naming the file, and a verified pack prints
//! "approved: COMMENT" where a local pack prints LOCAL PROTOCOL.

#[path = "order_common.rs"]
mod common;

use common::{ORDER_DATE, cli_in, order_date, standard, tempdir, write_case};
use ketaplan::cli::Environment;
use serde_json::Value;
use std::path::{Path, PathBuf};

const COMMENT: &str = "St Elsewhere P&T committee";
const PASSPHRASE: &str = "correct horse battery";

/// The command line with `stdin` as its lines (the passphrase) and a ledger of its own.
fn run(dir: &Path, args: &[&str], stdin: &[&str]) -> (u8, String, String) {
    let env = Environment {
        today: Some(order_date()),
        ledger: Some(dir.join("orders.ron")),
        stdin_lines: Some(stdin.iter().map(|s| s.to_string()).collect()),
        ..Default::default()
    };
    cli_in(&env, args)
}

fn s(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// The repository's pack, copied into `dir` as a clinic's own (another version, so it is
/// not the built-in pack).
fn clinic_pack(dir: &Path) -> PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("protocols/asra-aapm-asa-2018.ron");
    let text = std::fs::read_to_string(&source).unwrap_or_else(|e| panic!("{e}"));
    let text = text.replacen("version: \"1.1.0\"", "version: \"1.1.0-stelsewhere\"", 1);
    let pack = dir.join("clinic.ron");
    std::fs::write(&pack, text).unwrap_or_else(|e| panic!("{e}"));
    pack
}

/// A key pair `dir/NAME` and `dir/NAME.pub` made by `protocol keygen`.
fn keygen(dir: &Path, name: &str, comment: &str) -> (PathBuf, PathBuf) {
    let key = dir.join(name);
    let (code, out, err) = run(
        dir,
        &[
            "protocol",
            "keygen",
            "--out",
            &s(&key),
            "--comment",
            comment,
        ],
        &[PASSPHRASE],
    );
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(doc["comment"].as_str(), Some(comment));
    assert!(err.is_empty(), "no warning with a passphrase: {err}");
    (key.clone(), dir.join(format!("{name}.pub")))
}

fn sign(dir: &Path, pack: &Path, key: &Path) {
    let (code, _, err) = run(
        dir,
        &["protocol", "sign", &s(pack), "--key", &s(key)],
        &[PASSPHRASE],
    );
    assert_eq!(code, 0, "{err}");
}

fn verify(dir: &Path, pack: &Path, keys: &[&Path]) -> (u8, String, String) {
    let mut args = vec!["protocol".to_string(), "verify".into(), s(pack)];
    for k in keys {
        args.extend(["--trust".to_string(), s(k)]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(dir, &args, &[])
}

#[test]
fn keygen_writes_an_owner_only_key_and_its_public_key_and_never_overwrites() {
    let dir = tempdir();
    let (key, public) = keygen(dir.path(), "approval.key", COMMENT);
    let secret_text = std::fs::read_to_string(&key).unwrap_or_default();
    let public_text = std::fs::read_to_string(&public).unwrap_or_default();
    assert!(secret_text.starts_with(&format!("untrusted comment: {COMMENT}\n")));
    assert!(public_text.starts_with(&format!("untrusted comment: {COMMENT}\n")));
    assert!(!secret_text.contains(PASSPHRASE));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode.ok(), Some(0o600), "the secret key is owner-only");
    }

    let (code, _, err) = run(
        dir.path(),
        &["protocol", "keygen", "--out", &s(&key)],
        &[PASSPHRASE],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("already exists") && err.contains(&s(&key)),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&key).unwrap_or_default(),
        secret_text
    );
    assert_eq!(
        std::fs::read_to_string(&public).unwrap_or_default(),
        public_text
    );
    // An existing KEY.pub alone is kept too.
    let lone = dir.path().join("lone");
    std::fs::write(dir.path().join("lone.pub"), "keep").unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = run(
        dir.path(),
        &["protocol", "keygen", "--out", &s(&lone)],
        &[""],
    );
    assert_eq!(code, 2, "{err}");
    assert!(!lone.exists());
}

#[test]
fn an_empty_passphrase_is_allowed_with_a_warning_and_signs_without_one() {
    let dir = tempdir();
    let key = dir.path().join("open.key");
    let (code, out, err) = run(
        dir.path(),
        &["protocol", "keygen", "--out", &s(&key)],
        &[""],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning") && err.contains("no passphrase"),
        "{err}"
    );
    let doc: Value = serde_json::from_str(&out).unwrap_or_default();
    assert!(
        doc["comment"]
            .as_str()
            .is_some_and(|c| c.starts_with("ketaplan protocol approval key ")),
        "a default comment: {out}"
    );
    let pack = clinic_pack(dir.path());
    // No passphrase on stdin is needed for a key without one.
    let (code, _, err) = run(
        dir.path(),
        &["protocol", "sign", &s(&pack), "--key", &s(&key)],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = verify(dir.path(), &pack, &[&dir.path().join("open.key.pub")]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn sign_then_verify_reports_the_pack_and_the_key_comment() {
    let dir = tempdir();
    let (key, public) = keygen(dir.path(), "pt.key", COMMENT);
    let pack = clinic_pack(dir.path());
    sign(dir.path(), &pack, &key);
    let signature = dir.path().join("clinic.ron.minisig");
    assert!(signature.exists());
    let (code, out, err) = verify(dir.path(), &pack, &[&public]);
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let check: Value = {
        let (code, out, _) = run(dir.path(), &["protocol", "check", &s(&pack)], &[]);
        assert_eq!(code, 0);
        serde_json::from_str(&out).unwrap_or_default()
    };
    assert_eq!(doc["id"], check["id"]);
    assert_eq!(doc["version"].as_str(), Some("1.1.0-stelsewhere"));
    assert_eq!(doc["sha256"], check["sha256"]);
    assert_eq!(doc["comment"].as_str(), Some(COMMENT));
    let sha = check["sha256"].as_str().unwrap_or("none");
    assert!(
        doc["trusted_comment"].as_str().is_some_and(
            |t| t.contains(&format!("sha256:{sha}")) && t.contains("id:asra-aapm-asa-2018")
        ),
        "{out}"
    );
}

#[test]
fn a_wrong_passphrase_or_an_invalid_pack_signs_nothing() {
    let dir = tempdir();
    let (key, _) = keygen(dir.path(), "pt.key", COMMENT);
    let pack = clinic_pack(dir.path());
    let (code, _, err) = run(
        dir.path(),
        &["protocol", "sign", &s(&pack), "--key", &s(&key)],
        &["not the passphrase"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(&s(&key)), "{err}");
    let broken = dir.path().join("broken.ron");
    std::fs::write(&broken, "(id: \"x\")").unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = run(
        dir.path(),
        &["protocol", "sign", &s(&broken), "--key", &s(&key)],
        &[PASSPHRASE],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("broken.ron") && err.contains("nothing was signed"),
        "{err}"
    );
    assert!(!dir.path().join("clinic.ron.minisig").exists());
    assert!(!dir.path().join("broken.ron.minisig").exists());
}

#[test]
fn a_changed_pack_a_missing_signature_or_another_key_is_refused() {
    let dir = tempdir();
    let (key, public) = keygen(dir.path(), "pt.key", COMMENT);
    let (_, other_public) = keygen(dir.path(), "other.key", "Another clinic");
    let pack = clinic_pack(dir.path());

    let (code, _, err) = verify(dir.path(), &pack, &[&public]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("clinic.ron.minisig") && err.contains("no signature"),
        "{err}"
    );

    sign(dir.path(), &pack, &key);
    let (code, _, err) = verify(dir.path(), &pack, &[&other_public]);
    assert_eq!(code, 2, "another key: {err}");
    assert!(
        err.contains("clinic.ron") && err.contains("not trusted"),
        "{err}"
    );
    // Any one trusted key suffices.
    let (code, _, err) = verify(dir.path(), &pack, &[&other_public, &public]);
    assert_eq!(code, 0, "{err}");

    change(&pack);
    let (code, _, err) = verify(dir.path(), &pack, &[&public]);
    assert_eq!(code, 2, "a changed pack: {err}");
    assert!(
        err.contains("clinic.ron") && err.contains("changed after it was signed"),
        "{err}"
    );
}

/// Edit the pack after signing (still a valid pack).
fn change(pack: &Path) {
    let text = std::fs::read_to_string(pack).unwrap_or_default();
    let edited = text.replacen("title: \"IV ketamine", "title: \"Edited IV ketamine", 1);
    assert_ne!(edited, text);
    std::fs::write(pack, edited).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn plan_and_order_with_trust_use_only_a_pack_that_verifies() {
    let dir = tempdir();
    let (key, public) = keygen(dir.path(), "pt.key", COMMENT);
    let pack = clinic_pack(dir.path());
    sign(dir.path(), &pack, &key);
    let case = write_case(dir.path(), "case.json", &standard());
    let plan = |extra: &[&str]| {
        let mut args = vec!["plan", case.as_str(), "--protocol"];
        let pack_s = s(&pack);
        let public_s = s(&public);
        args.push(&pack_s);
        args.extend_from_slice(extra);
        args.extend(["--trust", public_s.as_str()]);
        run(dir.path(), &args, &[])
    };
    let (code, out, err) = plan(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("1.1.0-stelsewhere"), "{out}");

    let order_text = dir.path().join("order.txt");
    let (code, _, err) = run(
        dir.path(),
        &[
            "order",
            &case,
            "--out",
            &s(&order_text),
            "--text",
            "--on",
            ORDER_DATE,
            "--protocol",
            &s(&pack),
            "--trust",
            &s(&public),
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&order_text).unwrap_or_default();
    assert!(text.contains(&format!("approved: {COMMENT}")), "{text}");
    assert!(!text.contains("LOCAL PROTOCOL"), "{text}");

    // Without --trust the same pack is a local pack, as before (another ledger: the same
    // order again would be a second original).
    let (code, _, err) = run(
        dir.path(),
        &[
            "order",
            &case,
            "--out",
            &s(&order_text),
            "--text",
            "--on",
            ORDER_DATE,
            "--protocol",
            &s(&pack),
            "--ledger",
            &s(&dir.path().join("other-orders.ron")),
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&order_text).unwrap_or_default();
    assert!(
        text.contains("LOCAL PROTOCOL") && !text.contains("approved:"),
        "{text}"
    );

    change(&pack);
    let (code, out, err) = plan(&[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--protocol") && err.contains("clinic.ron") && err.contains("not approved"),
        "{err}"
    );
    assert!(out.contains("\"rejected\""), "{out}");
    let (code, _, err) = run(
        dir.path(),
        &[
            "order",
            &case,
            "--out",
            &s(&dir.path().join("x.txt")),
            "--text",
            "--protocol",
            &s(&pack),
            "--trust",
            &s(&public),
        ],
        &[],
    );
    assert_eq!(code, 2, "{err}");
    assert!(!dir.path().join("x.txt").exists());
    // A --trust file that is not a key is named.
    let (code, _, err) = plan(&["--trust", &case]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("case.json"), "{err}");
}
