//! `ketaplan course summary` and `ketaplan course chart`: a treatment course file's summary on
//! a date (JSON), and the bedside monitoring chart of one of its sessions.

use super::{
    Args, EXIT_OK, EXIT_REJECTED, EXIT_WRITE_FAILED, Environment, USAGE, load_protocol_trusting,
    print_json, store,
};
use crate::domain::protocol::Protocol;
use crate::store::Store;
use std::ffi::OsString;
use std::io::Write;
use std::path::Path;

pub(super) fn course_command(
    args: &Args,
    env: &Environment,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    if args.positional.first().and_then(|s| s.to_str()) == Some("chart") {
        return course_chart_command(args, stderr);
    }
    let (Some("summary"), Some(file), 2) = (
        args.positional.first().and_then(|s| s.to_str()),
        args.positional.get(1),
        args.positional.len(),
    ) else {
        let _ = writeln!(stderr, "ketaplan: course summary needs one FILE\n{USAGE}");
        return EXIT_REJECTED;
    };
    let on = match &args.on {
        None => env.today(),
        Some(text) => match crate::domain::case::parse_date(text) {
            Some(d) => d,
            None => {
                let _ = writeln!(
                    stderr,
                    "ketaplan: --on must be a date YYYY-MM-DD, not {text}"
                );
                return EXIT_REJECTED;
            }
        },
    };
    match open_course_file(args, file, stderr) {
        Ok((protocol, doc)) => {
            let summary = crate::domain::course::summarize(&protocol, &doc, on);
            print_json(&summary, stdout, stderr)
        }
        Err(code) => code,
    }
}

/// `ketaplan course chart FILE --session N --out OUT [--text] [--paper a4|letter]`: the
/// bedside monitoring chart of one session.
fn course_chart_command(args: &Args, stderr: &mut dyn Write) -> u8 {
    let (Some(file), 2, Some(out)) = (args.positional.get(1), args.positional.len(), &args.out)
    else {
        let _ = writeln!(
            stderr,
            "ketaplan: course chart needs one FILE, --session N and --out FILE\n{USAGE}"
        );
        return EXIT_REJECTED;
    };
    let Some(session_id) = args.session.as_deref().and_then(|s| s.parse::<u32>().ok()) else {
        let _ = writeln!(stderr, "ketaplan: --session needs a session number");
        return EXIT_REJECTED;
    };
    let paper = match args.paper.as_deref() {
        None => crate::order::Paper::default(),
        Some(p) => match crate::order::Paper::parse(p) {
            Some(p) => p,
            None => {
                let _ = writeln!(stderr, "ketaplan: --paper must be a4 or letter, not {p}");
                return EXIT_REJECTED;
            }
        },
    };
    let (protocol, doc) = match open_course_file(args, file, stderr) {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    let Some(session) = doc.sessions.iter().find(|s| s.id == session_id) else {
        let _ = writeln!(stderr, "ketaplan: the course has no session {session_id}");
        return EXIT_REJECTED;
    };
    let printed_at = chrono::Local::now().naive_local();
    let chart = crate::order::chart::monitoring_chart(&protocol, &doc, session, printed_at, paper);
    let bytes = if args.text {
        Ok(crate::order::text::render(&chart).into_bytes())
    } else {
        crate::order::pdf::render(&chart)
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            let _ = writeln!(stderr, "ketaplan: could not render the chart: {e}");
            return EXIT_WRITE_FAILED;
        }
    };
    match store().write_export(out, &bytes) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            let _ = writeln!(stderr, "ketaplan: could not write {}: {e}", out.display());
            EXIT_WRITE_FAILED
        }
    }
}

/// The protocol (`--protocol` or built-in) and a validated course file; errors are printed
/// and returned as the exit code (2).
fn open_course_file(
    args: &Args,
    file: &OsString,
    stderr: &mut dyn Write,
) -> Result<(Protocol, crate::domain::course::CourseDocument), u8> {
    let protocol = load_protocol_trusting(args.protocol.as_deref(), &args.trust).map_err(|e| {
        let _ = writeln!(stderr, "ketaplan: {e}");
        EXIT_REJECTED
    })?;
    let doc = store()
        .open_course(&protocol, Path::new(file))
        .map_err(|e| {
            let _ = writeln!(stderr, "ketaplan: {e}");
            EXIT_REJECTED
        })?;
    Ok((protocol, doc))
}
