//! TLS to the clinic's PostgreSQL server, on the real test server (`KETAPLAN_TEST_PG`, which
//! `.ci/run` sets; Debian's server offers TLS with its snakeoil certificate for `localhost`):
//! each `sslmode` does what libpq's does, and a certificate that does not verify is refused
//! with the reason, never connected to.

#[path = "support/clinic.rs"]
mod clinic;

use clinic::{Backend, TestDb};
use ketaplan::store::db::{ClinicDb, DbUrl};

/// A migrated PostgreSQL test database and the server's certificate file, or `None` without
/// a test server.
fn server_with_certificate() -> Option<(TestDb, String)> {
    let db = TestDb::migrated(&Backend::Postgres)?;
    let mut client = postgres::Client::connect(&db.url, postgres::NoTls)
        .unwrap_or_else(|e| panic!("{}: {e}", db.url));
    let show = |client: &mut postgres::Client, setting: &str| -> String {
        client
            .query_one(&format!("SHOW {setting}"), &[])
            .map(|row| row.get::<_, String>(0))
            .unwrap_or_else(|e| panic!("SHOW {setting}: {e}"))
    };
    assert_eq!(
        show(&mut client, "ssl"),
        "on",
        "the test server must offer TLS (ssl = on in postgresql.conf)"
    );
    let certificate = show(&mut client, "ssl_cert_file");
    Some((db, certificate))
}

/// `url` with `params` added to its query.
fn with_params(url: &str, params: &str) -> String {
    let joiner = if url.contains('?') { '&' } else { '?' };
    format!("{url}{joiner}{params}")
}

fn open(url: &str) -> Result<ClinicDb, String> {
    let url = DbUrl::parse(url)?;
    ClinicDb::open(&url, "UTC").map_err(|e| format!("[exit {}] {e}", e.exit_code()))
}

fn encryption(url: &str) -> String {
    let mut db = open(url).unwrap_or_else(|e| panic!("{url}: {e}"));
    db.encryption()
        .unwrap_or_else(|e| panic!("{url}: {e}"))
        .unwrap_or_default()
}

#[test]
fn postgres_sslmode_require_encrypts_and_disable_does_not() {
    let Some((db, _)) = server_with_certificate() else {
        return;
    };
    let required = encryption(&with_params(&db.url, "sslmode=require"));
    assert!(required.starts_with("TLS"), "sslmode=require: {required}");
    let disabled = encryption(&with_params(&db.url, "sslmode=disable"));
    assert_eq!(disabled, "unencrypted");
}

#[test]
fn postgres_verify_full_connects_only_to_the_host_the_certificate_names() {
    let Some((db, certificate)) = server_with_certificate() else {
        return;
    };
    let root = format!("sslrootcert={certificate}");
    // The snakeoil certificate names `localhost`.
    let by_name = db.url.replacen("127.0.0.1", "localhost", 1);
    let verified = encryption(&with_params(
        &by_name,
        &format!("sslmode=verify-full&{root}"),
    ));
    assert!(verified.starts_with("TLS"), "verify-full: {verified}");
    let refused = open(&with_params(
        &db.url,
        &format!("sslmode=verify-full&{root}"),
    ))
    .err()
    .unwrap_or_default();
    assert!(
        refused.starts_with("[exit 5]") && refused.contains("mismatch"),
        "verify-full to 127.0.0.1 with a certificate for localhost: {refused}"
    );
    // verify-ca checks the signature only.
    let by_ca = encryption(&with_params(&db.url, &format!("sslmode=verify-ca&{root}")));
    assert!(by_ca.starts_with("TLS"), "verify-ca: {by_ca}");
}

#[test]
fn postgres_a_certificate_from_another_root_is_refused() {
    let Some((db, _)) = server_with_certificate() else {
        return;
    };
    // A root that did not sign the server's certificate: a well-known public one.
    let other_root = std::fs::read_dir("/etc/ssl/certs")
        .ok()
        .and_then(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .find(|p| p.to_string_lossy().contains("ISRG_Root_X1"))
        });
    let Some(other_root) = other_root else {
        panic!("no ISRG_Root_X1 in /etc/ssl/certs (ca-certificates is installed with PostgreSQL)");
    };
    let url = with_params(
        &db.url,
        &format!("sslmode=verify-ca&sslrootcert={}", other_root.display()),
    );
    let refused = open(&url).err().unwrap_or_default();
    assert!(
        refused.starts_with("[exit 5]") && refused.contains("certificate"),
        "{refused}"
    );
}

#[test]
fn postgres_tls_settings_that_cannot_work_are_named_before_connecting() {
    let Some((db, _)) = server_with_certificate() else {
        return;
    };
    let missing = open(&with_params(
        &db.url,
        "sslmode=verify-full&sslrootcert=/nonexistent/clinic-root.pem",
    ))
    .err()
    .unwrap_or_default();
    assert!(
        missing.starts_with("[exit 5]") && missing.contains("/nonexistent/clinic-root.pem"),
        "{missing}"
    );
    let unknown = open(&with_params(&db.url, "sslmode=verify"))
        .err()
        .unwrap_or_default();
    assert!(
        unknown.contains("sslmode=verify ") && unknown.contains("verify-full"),
        "{unknown}"
    );
}
