//! What the command line takes from its surroundings: the print date ("today"), the order
//! ledger's file, the clinic database and the login name.

use std::path::PathBuf;

/// What the command line takes from its surroundings: the print date and the order ledger.
/// `cli::run` reads them from the process; tests pass their own to `cli::run_with`.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// The print date ("today"); `None` is the local clock's.
    pub today: Option<chrono::NaiveDate>,
    /// The order ledger file when `--ledger` is not given; `None` is the app's.
    pub ledger: Option<PathBuf>,
    /// The clinic database URL when `--db` is not given (`KETAPLAN_DB`).
    pub db: Option<String>,
    /// Who the audit trail names when `--user` is not given (the login name).
    pub os_user: Option<String>,
    /// The lines of stdin (tests); `None` reads the process's stdin when a command needs it.
    pub stdin_lines: Option<Vec<String>>,
}

impl Environment {
    /// `KETAPLAN_LEDGER` (a file), and in debug builds only `KETAPLAN_TODAY` (YYYY-MM-DD,
    /// for tests; a release build always dates by the clock).
    pub fn from_process() -> Result<Environment, String> {
        let today = match std::env::var("KETAPLAN_TODAY") {
            Ok(text) if cfg!(debug_assertions) => Some(
                crate::domain::case::parse_date(&text)
                    .ok_or_else(|| format!("KETAPLAN_TODAY={text} is not a YYYY-MM-DD date"))?,
            ),
            _ => None,
        };
        let ledger = std::env::var_os("KETAPLAN_LEDGER")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        let db = std::env::var("KETAPLAN_DB")
            .ok()
            .filter(|v| !v.trim().is_empty());
        let os_user = crate::store::db::login_name();
        Ok(Environment {
            today,
            ledger,
            db,
            os_user,
            stdin_lines: None,
        })
    }

    pub(super) fn today(&self) -> chrono::NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}
