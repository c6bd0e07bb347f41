//! Where the clinic database is: `sqlite:PATH` or `postgres://USER@HOST:PORT/DB`, and how a
//! URL is shown in messages (never with its password).

use std::path::PathBuf;

/// A clinic database location, parsed from `--db`, `KETAPLAN_DB` or the preference.
#[derive(Clone, PartialEq, Eq)]
pub enum DbUrl {
    /// An SQLite file; `default` is the app's own `clinic.db`, created on first use.
    Sqlite { path: PathBuf, default: bool },
    /// A PostgreSQL server URL, as given (it may hold a password: never print it).
    Postgres { url: String },
}

impl std::fmt::Debug for DbUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl DbUrl {
    /// Parse a URL; the error names what is wrong without echoing a password.
    pub fn parse(text: &str) -> Result<DbUrl, String> {
        let text = text.trim();
        if let Some(path) = text.strip_prefix("sqlite:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            if path.is_empty() {
                return Err("the database URL sqlite: needs a file path (sqlite:PATH)".into());
            }
            return Ok(DbUrl::Sqlite {
                path: PathBuf::from(path),
                default: false,
            });
        }
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            let driver_url = super::tls::split_tls(text)
                .map_err(|e| format!("{e} ({})", redact(text)))?
                .0;
            let config: Result<postgres::Config, _> = driver_url.parse();
            return match config {
                Ok(_) => Ok(DbUrl::Postgres {
                    url: text.to_string(),
                }),
                Err(e) => Err(format!(
                    "the database URL {} is not a PostgreSQL URL: {e}",
                    redact(text)
                )),
            };
        }
        Err(format!(
            "the database URL {} is neither sqlite:PATH nor postgres://USER@HOST:PORT/DB",
            redact(text)
        ))
    }

    /// The app's default: `clinic.db` in its data folder.
    pub fn default_in(data_dir: &std::path::Path) -> DbUrl {
        DbUrl::Sqlite {
            path: data_dir.join("clinic.db"),
            default: true,
        }
    }

    /// Whether there may be a database to ask: a server always, an SQLite file once it
    /// exists (the app does not create its own file just to look for users).
    pub fn may_exist(&self) -> bool {
        match self {
            DbUrl::Sqlite { path, .. } => path.exists(),
            DbUrl::Postgres { .. } => true,
        }
    }

    /// `sqlite` or `postgres`, as `db status` prints it.
    pub fn backend(&self) -> &'static str {
        match self {
            DbUrl::Sqlite { .. } => "sqlite",
            DbUrl::Postgres { .. } => "postgres",
        }
    }

    /// The URL for messages: a password is replaced by `***`.
    pub fn redacted(&self) -> String {
        match self {
            DbUrl::Sqlite { path, .. } => format!("sqlite:{}", path.display()),
            DbUrl::Postgres { url } => redact(url),
        }
    }
}

/// `scheme://user:secret@host/db?password=secret` → `scheme://user:***@host/db?password=***`.
pub fn redact(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let authority_start = scheme_end + 3;
        let authority_end = out[authority_start..]
            .find(['/', '?'])
            .map_or(out.len(), |i| authority_start + i);
        if let Some(at) = out[authority_start..authority_end].rfind('@') {
            let userinfo = &out[authority_start..authority_start + at];
            if let Some(colon) = userinfo.find(':') {
                let start = authority_start + colon + 1;
                out.replace_range(start..authority_start + at, "***");
            }
        }
    }
    if let Some(query_start) = out.find('?') {
        let (head, query) = out.split_at(query_start + 1);
        let parts: Vec<String> = query
            .split('&')
            .map(|p| match p.split_once('=') {
                Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                _ => p.to_string(),
            })
            .collect();
        out = format!("{head}{}", parts.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_never_appears_in_messages() {
        assert_eq!(
            redact("postgres://kp:s3cret@db.clinic:5432/ketaplan"),
            "postgres://kp:***@db.clinic:5432/ketaplan"
        );
        assert_eq!(
            redact("postgresql://kp@db/k?sslmode=require&password=s3cret"),
            "postgresql://kp@db/k?sslmode=require&password=***"
        );
        assert_eq!(redact("postgres://kp@db/k"), "postgres://kp@db/k");
        let e = DbUrl::parse("mysql://kp:s3cret@db/k")
            .err()
            .unwrap_or_default();
        assert!(!e.contains("s3cret") && e.contains("sqlite:PATH"), "{e}");
    }

    #[test]
    fn sqlite_and_postgres_urls_parse() {
        assert_eq!(
            DbUrl::parse("sqlite:clinic.db"),
            Ok(DbUrl::Sqlite {
                path: PathBuf::from("clinic.db"),
                default: false
            })
        );
        assert!(matches!(
            DbUrl::parse("postgres://postgres@127.0.0.1:5432/k"),
            Ok(DbUrl::Postgres { .. })
        ));
        assert!(DbUrl::parse("sqlite:").is_err());
        assert!(DbUrl::parse("postgres://h:notaport/db").is_err());
    }
}
