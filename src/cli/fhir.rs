//! `ketaplan fhir order CASE` and `ketaplan fhir course FILE | --mrn MRN`: FHIR R4 Bundles
//! (JSON) for the clinic's EHR, on stdout or written to `--out FILE`.

use super::clinic::{failed, open_db};
use super::plan::load_case;
use super::{
    Args, EXIT_OK, EXIT_REFUSED, EXIT_REJECTED, EXIT_WRITE_FAILED, Environment,
    protocol_or_rejected, store, usage_error,
};
use crate::domain::plan::plan;
use crate::order::fhir::{Bundle, CourseExport, OrderExport, course_bundle, now_in, order_bundle};
use crate::order::{OrderOptions, Paper};
use crate::store::Store;
use crate::store::db::DbError;
use chrono_tz::Tz;
use std::io::Write;
use std::path::Path;

pub(super) fn fhir_command(
    args: &Args,
    env: &Environment,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    match args.positional.first().and_then(|s| s.to_str()) {
        Some("order") => order(args, env, stdout, stderr),
        Some("course") => course(args, env, stdout, stderr),
        _ => usage_error(stderr, "fhir needs order CASE or course FILE | --mrn MRN"),
    }
}

/// This machine's zone, or the clinic database's when it records one.
fn zone_of(db: Option<&mut crate::store::db::ClinicDb>) -> Result<Tz, DbError> {
    let name = match db {
        Some(db) => db.time_zone()?,
        None => None,
    }
    .unwrap_or_else(crate::store::db::machine_time_zone);
    name.parse::<Tz>()
        .map_err(|_| DbError::Rejected(format!("the clinic's time zone {name} is not known")))
}

/// 0 written; 2 rejected input; 3 the order sheet refuses the case; 4 not written.
fn order(args: &Args, env: &Environment, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    let [_, case_path] = args.positional.as_slice() else {
        return usage_error(stderr, "fhir order needs exactly one CASE file");
    };
    let today = env.today();
    let order_date = match super::order::order_date(args, today, stderr) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let protocol = match protocol_or_rejected(args, stdout, stderr) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if let Err(code) = super::order::check_justification(args, &protocol, stdout, stderr) {
        return code;
    }
    let case = match load_case(&protocol, Path::new(case_path), stdout, stderr) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let planned = plan(&protocol, &case);
    // With the clinic database, the order's electronic signatures name the requester.
    let mut db = None;
    if args.db.is_some() || env.db.is_some() {
        match open_db(args, env) {
            Ok(opened) => db = Some(opened),
            Err(e) => return failed(stderr, &e),
        }
    }
    let signatures = match db.as_mut() {
        None => Vec::new(),
        Some(db) => {
            // The number the sheet prints: a case's own number must be this one, or the
            // sheet refuses it (as `order` identifies it).
            let number = crate::domain::order_identity::order_number(&protocol, &case, order_date);
            let sha =
                crate::domain::order_identity::order_content_sha256(&protocol, &case, order_date);
            match db.read_signatures(&number) {
                Ok(held) => held
                    .into_iter()
                    .filter(|s| s.content_sha256 == sha)
                    .collect(),
                Err(e) => return failed(stderr, &e),
            }
        }
    };
    let zone = match zone_of(db.as_mut()) {
        Ok(z) => z,
        Err(e) => return failed(stderr, &e),
    };
    let options = OrderOptions {
        order_date,
        printed_at: today.and_time(chrono::Local::now().time()),
        extra_justification: args.justification.clone(),
        paper: Paper::A4,
        identity: None,
        signatures,
    };
    let exported_at = now_in(zone);
    let export = OrderExport {
        protocol: &protocol,
        case: &case,
        plan: &planned,
        options: &options,
        exported_at: &exported_at,
    };
    match order_bundle(&export) {
        Ok(bundle) => write_bundle(&bundle, args, stdout, stderr),
        Err(refusals) => {
            for r in &refusals {
                let _ = writeln!(stderr, "ketaplan: refused: {r}");
            }
            EXIT_REFUSED
        }
    }
}

/// 0 written; 2 a course that cannot be read, or a charted value that is not a number
/// (each named); 4 not written; the clinic database's own codes for `--mrn`.
fn course(args: &Args, env: &Environment, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    let protocol = match protocol_or_rejected(args, stdout, stderr) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let loaded = match (args.positional.get(1), args.positional.len(), &args.mrn) {
        (Some(file), 2, None) => store()
            .open_course(&protocol, Path::new(file))
            .map_err(|e| DbError::Rejected(e.to_string()))
            .and_then(|doc| Ok((doc, zone_of(None)?))),
        (None, 1, Some(mrn)) => open_db(args, env).and_then(|mut db| {
            let (doc, _) = db.load_course(mrn)?;
            Ok((doc, zone_of(Some(&mut db))?))
        }),
        _ => {
            return usage_error(stderr, "fhir course needs one FILE.ketaplan or --mrn MRN");
        }
    };
    let (doc, zone) = match loaded {
        Ok(x) => x,
        Err(e) => return failed(stderr, &e),
    };
    let exported_at = now_in(zone);
    let export = CourseExport {
        protocol: &protocol,
        course: &doc,
        zone,
        exported_at: &exported_at,
    };
    match course_bundle(&export) {
        Ok(bundle) => write_bundle(&bundle, args, stdout, stderr),
        Err(errors) => {
            for e in &errors {
                let _ = writeln!(stderr, "ketaplan: rejected: {e}");
            }
            EXIT_REJECTED
        }
    }
}

/// The bundle as JSON on stdout, or atomically to `--out FILE`.
fn write_bundle(
    bundle: &Bundle,
    args: &Args,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let json = match serde_json::to_string_pretty(bundle) {
        Ok(j) => j,
        Err(e) => {
            let _ = writeln!(stderr, "ketaplan: could not write the JSON: {e}");
            return EXIT_WRITE_FAILED;
        }
    };
    let Some(out) = args.out.as_deref() else {
        let _ = writeln!(stdout, "{json}");
        return EXIT_OK;
    };
    match store().write_export(out, format!("{json}\n").as_bytes()) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            let _ = writeln!(stderr, "ketaplan: could not write {}: {e}", out.display());
            EXIT_WRITE_FAILED
        }
    }
}
