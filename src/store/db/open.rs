//! Connecting: an SQLite file (owner-only, WAL) or a PostgreSQL server, with the password
//! from the usual PostgreSQL places (`PGPASSWORD`, `~/.pgpass`), never from the URL's echo.

use super::conn::Conn;
use super::error::{DbError, from_postgres, from_sqlite};
use super::url::DbUrl;
use std::path::Path;
use std::time::Duration;

/// How long a workstation waits for the server before saying it cannot be reached.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

pub(super) fn connect(url: &DbUrl, create: bool, password: Option<&str>) -> Result<Conn, DbError> {
    match url {
        DbUrl::Sqlite { path, default } => open_sqlite(path, create || *default),
        DbUrl::Postgres { url: text } => connect_postgres(text, &url.redacted(), password),
    }
}

fn open_sqlite(path: &Path, create: bool) -> Result<Conn, DbError> {
    let shown = format!("sqlite:{}", path.display());
    if !path.exists() {
        if !create {
            return Err(DbError::Unavailable(format!(
                "the database {shown} does not exist (only `ketaplan db migrate` creates one)"
            )));
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            crate::store::fs::ensure_private_dir(parent).map_err(|e| {
                DbError::Unavailable(format!("cannot create the folder of {shown}: {e}"))
            })?;
        }
        create_private_file(path)
            .map_err(|e| DbError::Unavailable(format!("cannot create {shown}: {e}")))?;
    }
    let flags =
        rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection =
        rusqlite::Connection::open_with_flags(path, flags).map_err(|e| from_sqlite(&shown, &e))?;
    // WAL lets the app read while another process writes; its -wal and -shm files take the
    // database file's owner-only mode.
    connection
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))
        .map_err(|e| from_sqlite(&shown, &e))?;
    Conn::sqlite(connection)
}

/// An empty file readable by its owner only (the database holds patient data).
fn create_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(drop)
}

/// `password` is the one the user typed in the app (held in memory only); it comes before
/// `PGPASSWORD` and `~/.pgpass`, and a password in the URL comes before all.
fn connect_postgres(url: &str, shown: &str, password: Option<&str>) -> Result<Conn, DbError> {
    let (driver_url, tls) = super::tls::split_tls(url).map_err(DbError::Rejected)?;
    let mut config: postgres::Config = driver_url
        .parse()
        .map_err(|e| DbError::Rejected(format!("the database URL {shown} is not valid: {e}")))?;
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            postgres::config::Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".to_string());
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let where_ = format!("the PostgreSQL server at {host}:{port} ({shown})");
    if config.get_password().is_none()
        && let Some(typed) = password
    {
        config.password(typed);
    }
    if config.get_password().is_none() {
        let user = config.get_user().unwrap_or("").to_string();
        let dbname = config.get_dbname().unwrap_or(&user).to_string();
        if let Some(password) = password_from_environment(&host, port, &dbname, &user) {
            config.password(password);
        }
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    let connector =
        super::tls::connector(&tls).map_err(|e| DbError::Unavailable(format!("{where_}: {e}")))?;
    let client = config
        .connect(connector)
        .map_err(|e| from_postgres(&where_, &e))?;
    Ok(Conn::Postgres(Box::new(client)))
}

/// `PGPASSWORD`, else the first matching line of `PGPASSFILE` or `~/.pgpass`
/// (`host:port:database:user:password`, `*` matches anything).
fn password_from_environment(host: &str, port: u16, dbname: &str, user: &str) -> Option<String> {
    if let Ok(password) = std::env::var("PGPASSWORD")
        && !password.is_empty()
    {
        return Some(password);
    }
    let file = std::env::var_os("PGPASSFILE")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".pgpass")))?;
    let text = std::fs::read_to_string(file).ok()?;
    let port = port.to_string();
    let wanted = [host, port.as_str(), dbname, user];
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|line| pgpass_match(line, &wanted))
}

fn pgpass_match(line: &str, wanted: &[&str; 4]) -> Option<String> {
    let mut fields = Vec::new();
    let mut current = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => current.extend(chars.next()),
            ':' if fields.len() < 4 => fields.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    fields.push(current);
    let [h, p, d, u, password] = fields.as_slice() else {
        return None;
    };
    let matches = [h, p, d, u]
        .iter()
        .zip(wanted)
        .all(|(field, want)| field.as_str() == "*" || field.as_str() == *want);
    matches.then(|| password.clone())
}

#[cfg(test)]
mod tests {
    use super::pgpass_match;

    #[test]
    fn pgpass_lines_match_field_by_field_with_wildcards_and_escapes() {
        let want = ["db.clinic", "5432", "ketaplan", "kp"];
        assert_eq!(
            pgpass_match("db.clinic:5432:ketaplan:kp:s3cret", &want),
            Some("s3cret".into())
        );
        assert_eq!(pgpass_match("*:*:*:kp:a\\:b", &want), Some("a:b".into()));
        assert_eq!(pgpass_match("other:5432:ketaplan:kp:x", &want), None);
        assert_eq!(pgpass_match("too:few", &want), None);
    }
}
