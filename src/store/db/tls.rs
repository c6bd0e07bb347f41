//! TLS to the clinic's PostgreSQL server with libpq's `sslmode` meanings: the driver knows
//! only disable/prefer/require, so the verifying modes are taken out of the URL and built here.

use std::path::{Path, PathBuf};

/// libpq's `sslmode` values (`allow` is taken as `prefer`: TLS when the server offers it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SslMode {
    Disable,
    Prefer,
    /// Encrypted, the server's certificate not checked (unless `sslrootcert` is given).
    Require,
    /// Encrypted, the certificate signed by a trusted root; its host name not checked.
    VerifyCa,
    /// Encrypted, signed by a trusted root and naming the host connected to.
    VerifyFull,
}

/// The TLS part of a server URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TlsSettings {
    pub mode: SslMode,
    /// `sslrootcert`: a PEM file of trusted roots, or `system` for the operating system's.
    pub root_cert: Option<String>,
}

const MODES: &str = "disable, allow, prefer, require, verify-ca or verify-full";

/// Split the TLS parameters out of a URL: the driver's URL (with an `sslmode` it knows) and
/// the settings. `PGSSLMODE` and `PGSSLROOTCERT` apply when the URL does not say.
pub(super) fn split_tls(url: &str) -> Result<(String, TlsSettings), String> {
    let (head, query) = url.split_once('?').unwrap_or((url, ""));
    let mut kept = Vec::new();
    let mut mode_text = None;
    let mut root_cert = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "sslmode" => mode_text = Some(percent_decode(value)),
            "sslrootcert" => root_cert = Some(percent_decode(value)),
            "sslcert" | "sslkey" | "sslpassword" | "sslcrl" => {
                return Err(format!(
                    "the database URL parameter {key} (client certificates) is not supported: \
                     sign in to the server with a password (PGPASSWORD, ~/.pgpass or the app)"
                ));
            }
            _ => kept.push(pair),
        }
    }
    let mode_text = mode_text
        .or_else(|| std::env::var("PGSSLMODE").ok().filter(|m| !m.is_empty()))
        .unwrap_or_else(|| "prefer".to_string());
    let mode = match mode_text.as_str() {
        "disable" => SslMode::Disable,
        "allow" | "prefer" => SslMode::Prefer,
        "require" => SslMode::Require,
        "verify-ca" => SslMode::VerifyCa,
        "verify-full" => SslMode::VerifyFull,
        other => {
            return Err(format!(
                "the database URL's sslmode={other} is not one of {MODES}"
            ));
        }
    };
    let root_cert = root_cert.or_else(|| {
        std::env::var("PGSSLROOTCERT")
            .ok()
            .filter(|r| !r.is_empty())
    });
    kept.push(match mode {
        SslMode::Disable => "sslmode=disable",
        SslMode::Prefer => "sslmode=prefer",
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => "sslmode=require",
    });
    Ok((
        format!("{head}?{}", kept.join("&")),
        TlsSettings { mode, root_cert },
    ))
}

/// `%2F` → `/` in a URL parameter (paths of root certificates).
fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The connector for these settings; the error names the certificate file when it is the cause.
pub(super) fn connector(
    settings: &TlsSettings,
) -> Result<postgres_native_tls::MakeTlsConnector, String> {
    let mut builder = native_tls::TlsConnector::builder();
    let roots = match (settings.mode, settings.root_cert.as_deref()) {
        // As libpq: prefer never checks, require checks only when given a root file.
        (SslMode::Disable | SslMode::Prefer, _) | (SslMode::Require, None) => None,
        (_, Some("system")) => Some(RootSource::System),
        (_, Some(file)) => Some(RootSource::File(PathBuf::from(file))),
        (_, None) => Some(RootSource::File(default_root_file().ok_or_else(|| {
            "sslmode=verify-ca and verify-full need the clinic's root certificate: give \
             sslrootcert=FILE (or sslrootcert=system) in the database URL"
                .to_string()
        })?)),
    };
    match roots {
        None => {
            builder.danger_accept_invalid_certs(true);
        }
        Some(RootSource::System) => {}
        Some(RootSource::File(path)) => {
            for certificate in read_roots(&path)? {
                builder.add_root_certificate(certificate);
            }
            // Trust only the clinic's roots, as libpq does with sslrootcert.
            builder.disable_built_in_roots(true);
        }
    }
    if settings.mode != SslMode::VerifyFull {
        builder.danger_accept_invalid_hostnames(true);
    }
    let connector = builder
        .build()
        .map_err(|e| format!("cannot set up TLS: {e}"))?;
    Ok(postgres_native_tls::MakeTlsConnector::new(connector))
}

enum RootSource {
    System,
    File(PathBuf),
}

/// libpq's default root file, `~/.postgresql/root.crt`.
fn default_root_file() -> Option<PathBuf> {
    std::env::var_os("HOME").map(|home| Path::new(&home).join(".postgresql").join("root.crt"))
}

fn read_roots(path: &Path) -> Result<Vec<native_tls::Certificate>, String> {
    let shown = path.display();
    let pem = std::fs::read(path)
        .map_err(|e| format!("cannot read the root certificate file {shown}: {e}"))?;
    let certificates = native_tls::Certificate::stack_from_pem(&pem)
        .map_err(|e| format!("the root certificate file {shown} is not PEM: {e}"))?;
    if certificates.is_empty() {
        return Err(format!(
            "the root certificate file {shown} holds no certificate"
        ));
    }
    Ok(certificates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifying_modes_reach_the_driver_as_require_with_the_settings_kept_apart() {
        let (driver, tls) = split_tls(
            "postgres://kp@db.clinic/k?sslmode=verify-full&sslrootcert=%2Fetc%2Fclinic.pem&application_name=x",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            driver,
            "postgres://kp@db.clinic/k?application_name=x&sslmode=require"
        );
        assert_eq!(tls.mode, SslMode::VerifyFull);
        assert_eq!(tls.root_cert.as_deref(), Some("/etc/clinic.pem"));
        let (driver, tls) =
            split_tls("postgres://kp@db/k?sslmode=disable").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(driver, "postgres://kp@db/k?sslmode=disable");
        assert_eq!(tls.mode, SslMode::Disable);
    }

    #[test]
    fn unknown_modes_and_client_certificates_are_named() {
        let e = split_tls("postgres://kp@db/k?sslmode=verify").err();
        assert!(
            e.as_deref().is_some_and(|e| e.contains("sslmode=verify ")),
            "{e:?}"
        );
        let e = split_tls("postgres://kp@db/k?sslcert=a.pem").err();
        assert!(e.as_deref().is_some_and(|e| e.contains("sslcert")), "{e:?}");
    }

    #[test]
    fn a_missing_root_file_is_named() {
        let settings = TlsSettings {
            mode: SslMode::VerifyCa,
            root_cert: Some("/nonexistent/root.crt".into()),
        };
        let e = connector(&settings).err();
        assert!(
            e.as_deref()
                .is_some_and(|e| e.contains("/nonexistent/root.crt")),
            "{e:?}"
        );
    }
}
