//! The clinic database commands (`shared/spec/clinic-db.md`): `db migrate|status`,
//! `course import|export`, `course summary --mrn`, `session add`, `followups`, `audit`.

use super::{
    Args, EXIT_OK, EXIT_REJECTED, Environment, USAGE, load_protocol_trusting, print_json,
    read_text, store,
};
use crate::domain::case::{CaseFormat, parse_case, parse_date};
use crate::domain::course::{NewSessionError, case_identity, session_from_plan, summarize};
use crate::domain::protocol::Protocol;
use crate::store::Store;
use crate::store::db::{ClinicDb, DbError, DbUrl, machine_time_zone};
use serde_json::json;
use std::io::Write;
use std::path::Path;

/// The database of `--db`, else `KETAPLAN_DB`, else the app's `clinic.db`.
fn db_url(args: &Args, env: &Environment) -> Result<DbUrl, DbError> {
    match args.db.as_deref().or(env.db.as_deref()) {
        Some(text) => DbUrl::parse(text).map_err(DbError::Rejected),
        None => crate::store::file_store::default_data_dir()
            .map(|dir| DbUrl::default_in(&dir))
            .ok_or_else(|| {
                DbError::Unavailable(
                    "there is no data folder for the clinic database on this computer: give --db URL".into(),
                )
            }),
    }
}

pub(super) fn open_db(args: &Args, env: &Environment) -> Result<ClinicDb, DbError> {
    ClinicDb::open(&db_url(args, env)?, &machine_time_zone())
}

/// Who the audit trail names: `--user`, else the operating-system user.
pub(super) fn user(args: &Args, env: &Environment) -> String {
    args.user
        .clone()
        .or_else(|| env.os_user.clone())
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Who the audit trail names for an act on `db`. Where the clinic database has users, that
/// is a signed-in user: `--as LOGIN`, the password on stdin, the role allowed to record it
/// (else exit 7); without users, `--user` or the login name as before.
pub(super) fn acting_user(
    args: &Args,
    env: &Environment,
    db: &mut ClinicDb,
) -> Result<String, DbError> {
    if !db.has_users()? {
        return Ok(user(args, env));
    }
    let Some(login) = args.acting_as.as_deref() else {
        return Err(DbError::Denied(
            "this clinic database has users: give --as LOGIN (the password on stdin), so the audit trail names who acts".into(),
        ));
    };
    let password =
        super::passphrase::Secrets::new(env).password(&format!("password of {login}"), false)?;
    let who = db.authenticate(&crate::store::db::Credentials {
        login,
        password: &password,
    })?;
    crate::domain::roles::may(who.role, crate::domain::roles::Act::RecordBedside)
        .map_err(|why| DbError::Denied(format!("{} is {why}", who.login)))?;
    Ok(who.login)
}

pub(super) fn failed(stderr: &mut dyn Write, e: &DbError) -> u8 {
    let _ = writeln!(stderr, "ketaplan: {e}");
    e.exit_code()
}

/// `--on`, else the test clock's day, else today in the clinic's time zone.
fn on_date(
    args: &Args,
    env: &Environment,
    db: &mut ClinicDb,
) -> Result<chrono::NaiveDate, DbError> {
    match &args.on {
        None => match env.today {
            Some(day) => Ok(day),
            None => Ok(db.clinic_now()?.date()),
        },
        Some(text) => parse_date(text).ok_or_else(|| {
            DbError::Rejected(format!("--on must be a date YYYY-MM-DD, not {text}"))
        }),
    }
}

fn protocol(args: &Args) -> Result<Protocol, DbError> {
    load_protocol_trusting(args.protocol.as_deref(), &args.trust).map_err(DbError::Rejected)
}

/// `ketaplan db migrate|status`.
pub(super) fn db_command(
    args: &Args,
    env: &Environment,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let url = match db_url(args, env) {
        Ok(url) => url,
        Err(e) => return failed(stderr, &e),
    };
    match args.positional.first().and_then(|s| s.to_str()) {
        Some("migrate") if args.positional.len() == 1 => {
            match ClinicDb::migrate(&url, args.time_zone.as_deref(), &machine_time_zone()) {
                Ok(version) => print_json(
                    &json!({"backend": url.backend(), "schema_version": version}),
                    stdout,
                    stderr,
                ),
                Err(e) => failed(stderr, &e),
            }
        }
        Some("status") if args.positional.len() == 1 => match ClinicDb::status(&url) {
            Ok(status) => print_json(&status, stdout, stderr),
            Err((version, e)) => {
                if matches!(e, DbError::SchemaMismatch(_)) {
                    let _ = print_json(
                        &json!({"backend": url.backend(), "schema_version": version, "patients": null, "sessions": null}),
                        stdout,
                        stderr,
                    );
                }
                failed(stderr, &e)
            }
        },
        _ => {
            let _ = writeln!(stderr, "ketaplan: db needs migrate or status\n{USAGE}");
            EXIT_REJECTED
        }
    }
}

/// `ketaplan course import FILE`, `course export MRN --out FILE`, `course summary --mrn MRN`.
pub(super) fn course_db_command(
    verb: &str,
    args: &Args,
    env: &Environment,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let outcome = (|| -> Result<u8, DbError> {
        match (verb, args.positional.get(1), args.positional.len()) {
            ("import", Some(file), 2) => {
                let protocol = protocol(args)?;
                let doc = store()
                    .open_course(&protocol, Path::new(file))
                    .map_err(|e| DbError::Rejected(e.to_string()))?;
                let mut db = open_db(args, env)?;
                let by = acting_user(args, env, &mut db)?;
                let outcome = db.import_course(&doc, &by)?;
                Ok(print_json(&outcome, stdout, stderr))
            }
            ("export", Some(mrn), 2) => {
                let Some(out) = &args.out else {
                    return Err(DbError::Rejected(
                        "course export needs --out FILE.ketaplan".into(),
                    ));
                };
                let (doc, _) = open_db(args, env)?.load_course(&mrn.to_string_lossy())?;
                store().save_course(out, &doc).map_err(|e| {
                    DbError::NotWritten(format!("could not write {}: {e}", out.display()))
                })?;
                Ok(EXIT_OK)
            }
            ("summary", None, 1) => {
                let Some(mrn) = &args.mrn else {
                    return Err(DbError::Rejected(
                        "course summary needs a FILE or --mrn MRN".into(),
                    ));
                };
                let protocol = protocol(args)?;
                let mut db = open_db(args, env)?;
                let on = on_date(args, env, &mut db)?;
                let (doc, _) = db.load_course(mrn)?;
                Ok(print_json(&summarize(&protocol, &doc, on), stdout, stderr))
            }
            _ => Err(DbError::Rejected(format!(
                "course {verb}: wrong arguments\n{USAGE}"
            ))),
        }
    })();
    outcome.unwrap_or_else(|e| failed(stderr, &e))
}

/// `ketaplan session add MRN CASE [--on DATE]`: the session planned from CASE, judged
/// against the yearly count the database holds, and stored with its plan as ordered.
pub(super) fn session_command(
    args: &Args,
    env: &Environment,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let outcome = (|| -> Result<u8, DbError> {
        let (Some("add"), Some(mrn), Some(case_path), 3) = (
            args.positional.first().and_then(|s| s.to_str()),
            args.positional.get(1).and_then(|s| s.to_str()),
            args.positional.get(2),
            args.positional.len(),
        ) else {
            return Err(DbError::Rejected(format!(
                "session add needs MRN and CASE\n{USAGE}"
            )));
        };
        let protocol = protocol(args)?;
        let path = Path::new(case_path);
        let text = read_text(path).map_err(DbError::Rejected)?;
        let case = parse_case(&protocol, &text, CaseFormat::from_path(path)).map_err(|errors| {
            DbError::Rejected(
                errors
                    .iter()
                    .map(|e| format!("{}: {e}", path.display()))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        })?;
        let identity = case_identity(&case);
        if identity.mrn.trim() != mrn.trim() {
            return Err(DbError::Rejected(format!(
                "the case is for MRN {}, not {mrn}: nothing was recorded",
                identity.mrn
            )));
        }
        let mut db = open_db(args, env)?;
        let by = acting_user(args, env, &mut db)?;
        let date = on_date(args, env, &mut db)?;
        // The session starts now in clinic time, as course files write times.
        let now = db.clinic_now()?.time();
        let started_at = date.and_time(
            chrono::NaiveTime::from_hms_opt(
                chrono::Timelike::hour(&now),
                chrono::Timelike::minute(&now),
                0,
            )
            .unwrap_or_default(),
        );
        let session_id = db.add_session(mrn, &identity, &by, |doc| {
            let mut case = case.clone();
            let counted = summarize(&protocol, doc, date).treatments_past_12_months;
            // Never lower the count the clinician entered; the record may know more.
            case.history.treatments_past_12_months =
                case.history.treatments_past_12_months.max(counted);
            let plan = crate::domain::plan::plan(&protocol, &case);
            session_from_plan(&protocol, &case, &plan, started_at).map_err(|e| match e {
                NewSessionError::DoNotProceed => DbError::Refused(format!("MRN {mrn}: {e}")),
                NewSessionError::NoMrn => DbError::Rejected(e.to_string()),
            })
        })?;
        Ok(print_json(
            &json!({"mrn": mrn.trim(), "session_id": session_id}),
            stdout,
            stderr,
        ))
    })();
    outcome.unwrap_or_else(|e| failed(stderr, &e))
}

/// `ketaplan followups [--on DATE]`: calls due across the clinic.
pub(super) fn followups_command(
    args: &Args,
    env: &Environment,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let outcome = (|| -> Result<u8, DbError> {
        if !args.positional.is_empty() {
            return Err(DbError::Rejected(format!(
                "followups takes no FILE\n{USAGE}"
            )));
        }
        let protocol = protocol(args)?;
        let mut db = open_db(args, env)?;
        let on = on_date(args, env, &mut db)?;
        let due = db.followups(&protocol, on)?;
        Ok(print_json(&due, stdout, stderr))
    })();
    outcome.unwrap_or_else(|e| failed(stderr, &e))
}

/// `ketaplan audit MRN`: the course's audit trail.
pub(super) fn audit_command(
    args: &Args,
    env: &Environment,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let outcome = (|| -> Result<u8, DbError> {
        if args.clinic {
            let trail = open_db(args, env)?.clinic_audit_trail()?;
            return Ok(print_json(&trail, stdout, stderr));
        }
        let [mrn] = args.positional.as_slice() else {
            return Err(DbError::Rejected(format!(
                "audit needs one MRN (or --clinic)\n{USAGE}"
            )));
        };
        let trail = open_db(args, env)?.audit_trail(&mrn.to_string_lossy())?;
        Ok(print_json(&trail, stdout, stderr))
    })();
    outcome.unwrap_or_else(|e| failed(stderr, &e))
}
