//! What can go wrong with the clinic database, as typed values the CLI maps to the
//! contract's exit codes and the app shows as they are.

/// Why a database command did not do what was asked. Nothing was written in any case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DbError {
    /// Input rejected: a file that fails validation, an unknown MRN (exit 2).
    #[error("{0}")]
    Rejected(String),
    /// A clinical rule refuses it, e.g. a session whose plan says do not proceed (exit 3).
    #[error("{0}")]
    Refused(String),
    /// A file could not be written (exit 4).
    #[error("{0}")]
    NotWritten(String),
    /// The database cannot be reached, does not exist, or refuses (exit 5).
    #[error("{0}")]
    Unavailable(String),
    /// The server asks for a password it was not given, or refused the one given (exit 5):
    /// the app asks the user for it.
    #[error("{0}")]
    NeedsPassword(String),
    /// The schema is not this binary's (exit 6).
    #[error("{0}")]
    SchemaMismatch(String),
    /// Authentication or authorisation refused: a wrong password, a disabled or locked
    /// login, a role that may not do it (exit 7).
    #[error("{0}")]
    Denied(String),
    /// The record changed since it was read, or an import does not match it (exit 8).
    #[error("{0}")]
    Conflict(String),
    /// A transient failure (serialisation, deadlock, busy): the transaction is retried.
    #[error("{0}")]
    Retry(String),
}

impl DbError {
    /// The exit code of `shared/spec/clinic-db.md`.
    pub fn exit_code(&self) -> u8 {
        match self {
            DbError::Rejected(_) => 2,
            DbError::Refused(_) => 3,
            DbError::NotWritten(_) => 4,
            DbError::Unavailable(_) | DbError::NeedsPassword(_) | DbError::Retry(_) => 5,
            DbError::SchemaMismatch(_) => 6,
            DbError::Denied(_) => 7,
            DbError::Conflict(_) => 8,
        }
    }
}

/// An SQLite error in words, as a `DbError` (busy and locked are retried).
pub(super) fn from_sqlite(where_: &str, e: &rusqlite::Error) -> DbError {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            DbError::Retry(format!("{where_} is busy: {e}"))
        }
        Some(ErrorCode::NotADatabase) => DbError::Unavailable(format!(
            "{where_} is not an SQLite database (the file is damaged or of another kind): {e}"
        )),
        Some(ErrorCode::ConstraintViolation) => DbError::Conflict(format!(
            "{where_} refused the change because another record holds it: {e}"
        )),
        _ => DbError::Unavailable(format!("{where_} refused: {e}")),
    }
}

/// A PostgreSQL error in words: the server's own reason, or why it could not be reached.
pub(super) fn from_postgres(where_: &str, e: &postgres::Error) -> DbError {
    use postgres::error::SqlState;
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        let reason = format!("{} ({})", db.message(), code.code());
        if *code == SqlState::T_R_SERIALIZATION_FAILURE
            || *code == SqlState::T_R_DEADLOCK_DETECTED
            || *code == SqlState::UNIQUE_VIOLATION
        {
            return DbError::Retry(format!("{where_}: {reason}"));
        }
        if *code == SqlState::INVALID_PASSWORD {
            return DbError::NeedsPassword(format!(
                "{where_} refused the login: {reason} (the password is wrong, or give it with PGPASSWORD or ~/.pgpass)"
            ));
        }
        if code.code().starts_with("28") {
            return DbError::Unavailable(format!(
                "{where_} refused the login: {reason} (give the password with PGPASSWORD or ~/.pgpass)"
            ));
        }
        return DbError::Unavailable(format!("{where_} refused: {reason}"));
    }
    let mut reason = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        let text = inner.to_string();
        if !reason.contains(&text) {
            reason = format!("{reason}: {text}");
        }
        source = inner.source();
    }
    // The driver's words when the server asks for a password and none was given.
    if reason.contains("password missing") {
        return DbError::NeedsPassword(format!(
            "{where_} asks for a password (give it with PGPASSWORD or ~/.pgpass, or in the app)"
        ));
    }
    // OpenSSL's words when the server's certificate does not verify.
    if reason.contains("certificate verify failed") {
        return DbError::Unavailable(format!(
            "cannot reach {where_}: {reason} — the server's certificate is not signed by a \
             trusted root (sslrootcert) or does not name the host of the URL (verify-full)"
        ));
    }
    DbError::Unavailable(format!("cannot reach {where_}: {reason}"))
}
