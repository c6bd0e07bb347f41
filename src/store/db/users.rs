//! The clinic's users (step 12): logins with a role and an argon2id password hash, checked
//! with a lockout after repeated wrong passwords. Only an admin adds or disables users once
//! the first admin exists.

use super::ClinicDb;
use super::clinic_audit::clinic_audit;
use super::conn::{Conn, Value};
use super::courses::text;
use super::error::DbError;
use super::schema::utc_now;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Wrong passwords in a row that lock a login.
pub const LOCK_AFTER_FAILED_LOGINS: i64 = 5;
/// How long a locked login stays locked.
pub const LOCKED_FOR_MINUTES: i64 = 5;
const TIME: &str = "%Y-%m-%dT%H:%M:%SZ";

pub use crate::domain::roles::Role;

/// A user as listed (never the hash).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UserRow {
    pub login: String,
    pub full_name: String,
    pub role: Role,
    pub active: bool,
}

/// Who acts: a login and the password typed for it.
pub struct Credentials<'a> {
    pub login: &'a str,
    pub password: &'a str,
}

impl ClinicDb {
    /// Every user, by login.
    pub fn list_users(&mut self) -> Result<Vec<UserRow>, DbError> {
        let rows = self.conn.query(
            "SELECT login, full_name, role, active FROM users ORDER BY login",
            &[],
        )?;
        rows.iter()
            .map(|r| {
                Ok(UserRow {
                    login: text(r, 0),
                    full_name: text(r, 1),
                    role: Role::parse(&text(r, 2)).map_err(DbError::Unavailable)?,
                    active: r.get(3).and_then(Value::as_i64) == Some(1),
                })
            })
            .collect()
    }

    /// Whether anyone must sign in: the database has an active user.
    pub fn has_users(&mut self) -> Result<bool, DbError> {
        Ok(self
            .conn
            .query_int("SELECT count(*) FROM users WHERE active = 1", &[])?
            > 0)
    }

    /// Sign in at a workstation (or unlock it): the password checked as `authenticate`
    /// does, and the act kept in the clinic's audit trail.
    pub fn sign_in(&mut self, who: &Credentials<'_>, act: &str) -> Result<UserRow, DbError> {
        let user = self.authenticate(who)?;
        clinic_audit(&mut self.conn, &user.login, act, "workstation")?;
        Ok(user)
    }

    /// Check a login's password: a disabled or locked login, or a wrong password, is refused
    /// (exit 7); each wrong password is counted, and the fifth in a row locks the login.
    pub fn authenticate(&mut self, who: &Credentials<'_>) -> Result<UserRow, DbError> {
        let refused = || DbError::Denied(format!("{}: wrong login or password", who.login));
        let rows = self.conn.query(
            "SELECT login, full_name, role, active, password_hash, failed_logins, locked_until \
             FROM users WHERE login = $1",
            &[Value::text(who.login)],
        )?;
        let Some(row) = rows.first() else {
            return Err(refused());
        };
        if row.get(3).and_then(Value::as_i64) != Some(1) {
            return Err(DbError::Denied(format!("{} is disabled", who.login)));
        }
        let now = chrono::Utc::now().naive_utc();
        let locked_until = row
            .get(6)
            .and_then(Value::as_str)
            .and_then(|t| chrono::NaiveDateTime::parse_from_str(t, TIME).ok());
        if let Some(until) = locked_until.filter(|until| *until > now) {
            return Err(DbError::Denied(format!(
                "{} is locked after {LOCK_AFTER_FAILED_LOGINS} wrong passwords until {} UTC",
                who.login,
                until.format("%Y-%m-%d %H:%M")
            )));
        }
        let stored = text(row, 4);
        let matches = PasswordHash::new(&stored).is_ok_and(|hash| {
            argon2::Argon2::default()
                .verify_password(who.password.as_bytes(), &hash)
                .is_ok()
        });
        if !matches {
            let failed = row.get(5).and_then(Value::as_i64).unwrap_or(0) + 1;
            let lock = (failed >= LOCK_AFTER_FAILED_LOGINS).then(|| {
                (now + chrono::Duration::minutes(LOCKED_FOR_MINUTES))
                    .format(TIME)
                    .to_string()
            });
            let locked = lock.is_some();
            self.conn.execute(
                "UPDATE users SET failed_logins = $1, locked_until = $2 WHERE login = $3",
                &[
                    Value::int(if locked { 0 } else { failed }),
                    Value::Text(lock),
                    Value::text(who.login),
                ],
            )?;
            if locked {
                clinic_audit(
                    &mut self.conn,
                    who.login,
                    "login locked",
                    &format!(
                        "{LOCK_AFTER_FAILED_LOGINS} wrong passwords in a row: locked for {LOCKED_FOR_MINUTES} minutes"
                    ),
                )?;
            }
            return Err(refused());
        }
        self.conn.execute(
            "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE login = $1",
            &[Value::text(who.login)],
        )?;
        Ok(UserRow {
            login: text(row, 0),
            full_name: text(row, 1),
            role: Role::parse(&text(row, 2)).map_err(DbError::Unavailable)?,
            active: true,
        })
    }

    /// Add a user. Once an active admin exists, `acting` must be an admin's login and
    /// password; before that anyone may add (the first admin).
    pub fn add_user(
        &mut self,
        user: &UserRow,
        password: &str,
        acting: Option<&Credentials<'_>>,
    ) -> Result<(), DbError> {
        check_new_user(user, password)?;
        let by = self.require_admin(acting)?;
        // Hashed outside the transaction: argon2 is slow on purpose.
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        let hash = argon2::Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map_err(|e| DbError::Rejected(format!("the password could not be hashed: {e}")))?
            .to_string();
        self.conn.transaction(|conn| {
            if conn.query_int(
                "SELECT count(*) FROM users WHERE login = $1",
                &[Value::text(&user.login)],
            )? > 0
            {
                return Err(DbError::Rejected(format!(
                    "the login {} exists already",
                    user.login
                )));
            }
            conn.execute(
                "INSERT INTO users (login, full_name, role, password_hash, active, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, 1, $5, $6)",
                &[
                    Value::text(&user.login),
                    Value::text(&user.full_name),
                    Value::text(user.role.as_str()),
                    Value::text(&hash),
                    Value::text(utc_now()),
                    Value::text(&by),
                ],
            )?;
            clinic_audit(
                conn,
                &by,
                "user added",
                &format!("{} ({})", user.login, user.role.as_str()),
            )
        })
    }

    /// Disable a login (it stays, so what it signed keeps its name); an admin's act.
    pub fn disable_user(
        &mut self,
        login: &str,
        acting: Option<&Credentials<'_>>,
    ) -> Result<(), DbError> {
        let by = self.require_admin(acting)?;
        self.conn.transaction(|conn| {
            let changed = conn.execute(
                "UPDATE users SET active = 0 WHERE login = $1",
                &[Value::text(login)],
            )?;
            if changed == 0 {
                return Err(DbError::Rejected(format!("there is no login {login}")));
            }
            clinic_audit(conn, &by, "user disabled", login)
        })
    }

    /// Who acts as admin: the checked admin's login, or "first admin" while there is none.
    fn require_admin(&mut self, acting: Option<&Credentials<'_>>) -> Result<String, DbError> {
        if active_admins(&mut self.conn)? == 0 {
            return Ok(acting.map_or("first admin", |a| a.login).to_string());
        }
        let Some(acting) = acting else {
            return Err(DbError::Denied(
                "only an admin may change users: give an admin's login (--as LOGIN) and password"
                    .into(),
            ));
        };
        let user = self.authenticate(acting)?;
        if user.role != Role::Admin {
            return Err(DbError::Denied(format!(
                "{} is a {}: only an admin may change users",
                user.login,
                user.role.as_str()
            )));
        }
        Ok(user.login)
    }
}

fn active_admins(conn: &mut Conn) -> Result<i64, DbError> {
    conn.query_int(
        "SELECT count(*) FROM users WHERE role = 'admin' AND active = 1",
        &[],
    )
}

fn check_new_user(user: &UserRow, password: &str) -> Result<(), DbError> {
    let login_ok = !user.login.is_empty()
        && user.login.len() <= 64
        && user
            .login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if !login_ok {
        return Err(DbError::Rejected(format!(
            "the login {:?} must be 1 to 64 letters, digits, '.', '_' or '-'",
            user.login
        )));
    }
    if user.full_name.trim().is_empty() {
        return Err(DbError::Rejected(
            "--name: the user's full name is required".into(),
        ));
    }
    if password.chars().count() < 8 {
        return Err(DbError::Rejected(
            "the password must have at least 8 characters".into(),
        ));
    }
    Ok(())
}
