//! A fresh clinic database for a test on either backend: an SQLite file in a temporary
//! folder, or a database of its own on the PostgreSQL server of `KETAPLAN_TEST_PG`,
//! dropped when the test ends. And the CLI run in-process against it.
#![allow(dead_code)]

/// Each test runs on SQLite, and on PostgreSQL when the test server is given
/// (`KETAPLAN_TEST_PG`; `.ci/run` sets it and fails when no PostgreSQL test ran).
#[allow(unused_macros)]
macro_rules! on_both_backends {
    ($($test:ident),* $(,)?) => {$(
        mod $test {
            #[test]
            fn sqlite() {
                super::$test(&super::Backend::Sqlite);
            }
            #[test]
            fn postgres() {
                if super::test_server().is_none() {
                    eprintln!("KETAPLAN_TEST_PG is not set: the PostgreSQL run is left to .ci/run");
                    return;
                }
                super::$test(&super::Backend::Postgres);
            }
        }
    )*};
}

use std::ffi::OsString;
use std::path::{Path, PathBuf};

pub enum Backend {
    Sqlite,
    Postgres,
}

/// One test's database; dropping it removes it.
pub struct TestDb {
    pub url: String,
    pub dir: tempfile::TempDir,
    /// `(server URL, database name)` to drop, on PostgreSQL.
    drop_from: Option<(String, String)>,
}

/// The server the PostgreSQL tests use: `KETAPLAN_TEST_PG` (`.ci/run` sets it).
pub fn test_server() -> Option<String> {
    std::env::var("KETAPLAN_TEST_PG")
        .ok()
        .filter(|u| !u.trim().is_empty())
}

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "t_ketaplan_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000_000
    )
}

/// Replace the database name of a PostgreSQL URL (`postgres://u@h:p/DB?x` → `/NAME?x`).
pub fn with_database(server: &str, name: &str) -> String {
    let (head, query) = server
        .split_once('?')
        .map_or((server, None), |(h, q)| (h, Some(q)));
    let authority_start = head.find("://").map_or(0, |i| i + 3);
    let base = match head[authority_start..].find('/') {
        Some(slash) => &head[..authority_start + slash],
        None => head,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

impl TestDb {
    /// A new, empty database (not yet migrated); `None` for PostgreSQL without a server.
    pub fn new(backend: &Backend) -> Option<TestDb> {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("no temporary folder: {e}"));
        match backend {
            Backend::Sqlite => Some(TestDb {
                url: format!("sqlite:{}", dir.path().join("clinic.db").display()),
                dir,
                drop_from: None,
            }),
            Backend::Postgres => {
                let server = test_server()?;
                let name = unique_name();
                let mut client = postgres::Client::connect(&server, postgres::NoTls)
                    .unwrap_or_else(|e| panic!("KETAPLAN_TEST_PG={server}: {e}"));
                client
                    .batch_execute(&format!("CREATE DATABASE {name}"))
                    .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {e}"));
                Some(TestDb {
                    url: with_database(&server, &name),
                    dir,
                    drop_from: Some((server, name)),
                })
            }
        }
    }

    /// Migrated and ready.
    pub fn migrated(backend: &Backend) -> Option<TestDb> {
        let db = TestDb::new(backend)?;
        let (code, _, err) = db.cli(&["db", "migrate", "--time-zone", "UTC"]);
        assert_eq!(code, 0, "db migrate: {err}");
        Some(db)
    }

    /// Run the CLI in-process with `--db` this database (and `--user test-nurse`).
    pub fn cli(&self, args: &[&str]) -> (u8, String, String) {
        self.cli_with_stdin(args, None)
    }

    /// As `cli`, with these lines on stdin (passwords).
    pub fn cli_with_stdin(&self, args: &[&str], stdin: Option<&[&str]>) -> (u8, String, String) {
        let mut full: Vec<OsString> = args.iter().map(Into::into).collect();
        full.extend(["--db".into(), self.url.clone().into()]);
        if !args.contains(&"--user") {
            full.extend(["--user".into(), "test-nurse".into()]);
        }
        let env = ketaplan::cli::Environment {
            today: Some(day("2026-12-01")),
            stdin_lines: stdin.map(|lines| lines.iter().map(|l| l.to_string()).collect()),
            ..Default::default()
        };
        let mut out = Vec::new();
        let mut err = Vec::new();
        let code = ketaplan::cli::run_with(&full, &env, &mut out, &mut err);
        (
            code,
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
        )
    }

    /// The CLI's JSON output of a command that must succeed.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let (code, out, err) = self.cli(args);
        assert_eq!(code, 0, "{args:?}: {err}");
        serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("{args:?} printed no JSON ({e}): {out}"))
    }

    /// Run SQL directly on this database (to set up what a test needs underneath the app).
    pub fn sql(&self, statement: &str) {
        match &self.drop_from {
            None => {
                let path = self.url.trim_start_matches("sqlite:");
                let conn =
                    rusqlite::Connection::open(path).unwrap_or_else(|e| panic!("open {path}: {e}"));
                conn.execute_batch(statement)
                    .unwrap_or_else(|e| panic!("{statement}: {e}"));
            }
            Some(_) => {
                let mut client = postgres::Client::connect(&self.url, postgres::NoTls)
                    .unwrap_or_else(|e| panic!("{}: {e}", self.url));
                client
                    .batch_execute(statement)
                    .unwrap_or_else(|e| panic!("{statement}: {e}"));
            }
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((server, name)) = &self.drop_from
            && let Ok(mut client) = postgres::Client::connect(server, postgres::NoTls)
        {
            let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

pub fn day(text: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .unwrap_or_else(|e| panic!("bad test date {text}: {e}"))
}

/// The course the clinic tests import: a patient with sessions, follow-ups and calls due
/// (named, so that a course file added later changes nothing here).
pub fn a_course_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/courses/v4-lft-raised-urinary.ketaplan")
}

/// The course files of the tests that open cleanly.
pub fn course_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/courses");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ketaplan"))
        .filter(|p| !p.to_string_lossy().contains("invalid"))
        .collect();
    files.sort();
    files
}

/// p01 as a case file for patient `mrn` called `name`, with `edit` applied, in `dir`.
pub fn p01_case_for(
    dir: &Path,
    mrn: &str,
    name: &str,
    edit: impl FnOnce(&mut serde_json::Value),
) -> PathBuf {
    let text = include_str!("../cases/p01-crps-contract-example-lb-positive.case.json");
    let mut value: serde_json::Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("p01: {e}"));
    value["order"]["mrn"] = mrn.into();
    value["order"]["patient_name"] = name.into();
    edit(&mut value);
    let path = dir.join(format!("{mrn}-{}.case.json", unique_name()));
    std::fs::write(&path, value.to_string()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path
}

/// p01 for patient `mrn`, weighed on the test day with every screening question answered:
/// an order the sheet prints.
pub fn printable_p01_for(dir: &Path, mrn: &str, name: &str) -> PathBuf {
    p01_case_for(dir, mrn, name, |v| {
        v["order"]["weighed_on"] = "2026-12-01".into();
        v["patient"]["age_years"] = 55.into();
        let protocol =
            ketaplan::domain::protocol::Protocol::built_in().unwrap_or_else(|e| panic!("{e}"));
        let parsed = ketaplan::domain::case::parse_case(
            &protocol,
            &v.to_string(),
            ketaplan::domain::case::CaseFormat::Json,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        let planned = ketaplan::domain::plan(&protocol, &parsed);
        if let Some(no) = v["screening_no"].as_array_mut() {
            no.extend(
                planned
                    .unanswered_screening
                    .iter()
                    .map(|c| c.as_str().into()),
            );
        }
    })
}
