//! The command line (`shared/spec/cli-contract.md`, v3): `plan`, `order`, `protocol check`.
//!
//! stdout carries only JSON; errors go to stderr, one line each.

use crate::domain::case::{CaseFormat, FieldError, parse_case};
use crate::domain::plan::{PLAN_SCHEMA, plan};
use crate::domain::protocol::Protocol;
use crate::order::{OrderOptions, OrderSheet, Paper};
use crate::store::{FileStore, Store};
use serde_json::json;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

mod environment;
mod order_ledger;

pub use environment::Environment;

pub const EXIT_OK: u8 = 0;
pub const EXIT_REJECTED: u8 = 2;
pub const EXIT_REFUSED: u8 = 3;
pub const EXIT_WRITE_FAILED: u8 = 4;

const USAGE: &str = "usage:
  ketaplan                                   open the desktop app
  ketaplan plan CASE [--protocol FILE.ron]   print the plan for a case (.json or .ron) as JSON
  ketaplan order CASE --out FILE [--justification TEXT] [--text] [--on YYYY-MM-DD]
                 [--paper a4|letter] [--protocol FILE.ron]
                 [--handout FILE] [--copy] [--supersedes ORDER-NUMBER] [--ledger FILE]
                                             write the printable infusion order (PDF, or text with --text);
                                             --handout also writes the patient's discharge handout;
                                             --copy marks a reprint COPY; --supersedes names the order replaced;
                                             --ledger is the order ledger (default: the app's)
  ketaplan protocol check FILE.ron [--defaults]
                                             validate a protocol pack (--defaults lists its institution defaults)
  ketaplan course summary FILE.ketaplan [--on YYYY-MM-DD]
                                             summary of a treatment course on a date (default today)
  ketaplan course chart FILE.ketaplan --session N --out FILE [--text] [--paper a4|letter]
                                             the bedside monitoring chart of one session";

/// Arguments after the subcommand: positional values and `--flag [value]` options.
struct Args {
    positional: Vec<OsString>,
    protocol: Option<PathBuf>,
    defaults: bool,
    out: Option<PathBuf>,
    justification: Option<String>,
    text: bool,
    on: Option<String>,
    paper: Option<String>,
    handout: Option<PathBuf>,
    copy: bool,
    supersedes: Option<String>,
    ledger: Option<PathBuf>,
    /// `course chart --session N`
    session: Option<String>,
    /// Options that only `order` accepts, as given (so other commands can reject them).
    order_options: Vec<&'static str>,
}

/// The value after an option, as UTF-8 text.
fn option_text(flag: &str, value: Option<&OsString>) -> Result<String, String> {
    let value = value.ok_or_else(|| format!("{flag} needs a value"))?;
    value
        .to_str()
        .map(str::to_string)
        .ok_or_else(|| format!("{flag}: the value is not UTF-8 text"))
}

fn parse_args(args: &[OsString]) -> Result<Args, String> {
    let mut out = Args {
        positional: Vec::new(),
        protocol: None,
        defaults: false,
        out: None,
        justification: None,
        text: false,
        on: None,
        paper: None,
        handout: None,
        copy: false,
        supersedes: None,
        ledger: None,
        session: None,
        order_options: Vec::new(),
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.to_str() {
            Some("--protocol") => {
                let value = iter
                    .next()
                    .ok_or_else(|| "--protocol needs a file".to_string())?;
                out.protocol = Some(PathBuf::from(value));
            }
            Some("--defaults") => out.defaults = true,
            Some("--out") => {
                let value = iter
                    .next()
                    .ok_or_else(|| "--out needs a file".to_string())?;
                out.out = Some(PathBuf::from(value));
                out.order_options.push("--out");
            }
            Some("--justification") => {
                out.justification = Some(option_text("--justification", iter.next())?);
                out.order_options.push("--justification");
            }
            Some("--text") => {
                out.text = true;
                out.order_options.push("--text");
            }
            Some("--on") => {
                // Shared by `order` and `course summary`.
                out.on = Some(option_text("--on", iter.next())?);
            }
            Some("--paper") => {
                out.paper = Some(option_text("--paper", iter.next())?);
                out.order_options.push("--paper");
            }
            Some("--handout") => {
                let value = iter
                    .next()
                    .ok_or_else(|| "--handout needs a file".to_string())?;
                out.handout = Some(PathBuf::from(value));
                out.order_options.push("--handout");
            }
            Some("--copy") => {
                out.copy = true;
                out.order_options.push("--copy");
            }
            Some("--supersedes") => {
                out.supersedes = Some(option_text("--supersedes", iter.next())?);
                out.order_options.push("--supersedes");
            }
            Some("--ledger") => {
                let value = iter
                    .next()
                    .ok_or_else(|| "--ledger needs a file".to_string())?;
                out.ledger = Some(PathBuf::from(value));
                out.order_options.push("--ledger");
            }
            Some("--session") => out.session = Some(option_text("--session", iter.next())?),
            Some(flag) if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            _ => out.positional.push(arg.clone()),
        }
    }
    Ok(out)
}

/// Run a command; returns the process exit code.
pub fn run(args: &[OsString], stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    match Environment::from_process() {
        Ok(env) => run_with(args, &env, stdout, stderr),
        Err(e) => {
            let _ = writeln!(stderr, "ketaplan: {e}");
            EXIT_REJECTED
        }
    }
}

/// Run a command in `env`; returns the process exit code.
pub fn run_with(
    args: &[OsString],
    env: &Environment,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let Some(command) = args.first().and_then(|a| a.to_str()) else {
        let _ = writeln!(stderr, "{USAGE}");
        return EXIT_REJECTED;
    };
    let rest = match parse_args(&args[1..]) {
        Ok(rest) => rest,
        Err(e) => {
            let _ = writeln!(stderr, "ketaplan: {e}\n{USAGE}");
            return EXIT_REJECTED;
        }
    };
    // `course chart` writes a file too, so it shares --out, --text and --paper.
    let chart_option =
        |flag: &&str| command == "course" && ["--out", "--text", "--paper"].contains(flag);
    if command != "order"
        && let Some(flag) = rest.order_options.iter().find(|f| !chart_option(f))
    {
        let _ = writeln!(
            stderr,
            "ketaplan: {flag} is an option of ketaplan order only\n{USAGE}"
        );
        return EXIT_REJECTED;
    }
    match command {
        "plan" => plan_command(&rest, stdout, stderr),
        "order" => order_command(&rest, env, stdout, stderr),
        "protocol" => protocol_command(&rest, stdout, stderr),
        "course" => course_command(&rest, env, stdout, stderr),
        "--help" | "-h" | "help" => {
            let _ = writeln!(stdout, "{USAGE}");
            EXIT_OK
        }
        "--version" | "-V" => {
            let _ = writeln!(stdout, "ketaplan {}", env!("CARGO_PKG_VERSION"));
            EXIT_OK
        }
        other => {
            let _ = writeln!(stderr, "ketaplan: unknown command {other}\n{USAGE}");
            EXIT_REJECTED
        }
    }
}

/// Load the protocol named by `--protocol`, or the built-in one.
pub fn load_protocol(path: Option<&Path>) -> Result<Protocol, String> {
    match path {
        None => Protocol::built_in().map_err(|e| format!("built-in protocol: {e}")),
        Some(path) => {
            let text = read_text(path)?;
            Protocol::from_ron_str(&text).map_err(|e| format!("{}:{e}", path.display()))
        }
    }
}

/// Read a file as UTF-8 text, with a message naming the file.
pub fn read_text(path: &Path) -> Result<String, String> {
    crate::store::file_store::read_text(path).map_err(|e| e.to_string())
}

/// Where the command line reads courses and writes what it exports: files.
fn store() -> FileStore {
    FileStore::new(None)
}

fn rejected(errors: &[FieldError], stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    let doc = json!({
        "schema": PLAN_SCHEMA,
        "status": "rejected",
        "errors": errors,
    });
    let _ = writeln!(stdout, "{doc}");
    for e in errors {
        let _ = writeln!(stderr, "ketaplan: {e}");
    }
    EXIT_REJECTED
}

fn plan_command(args: &Args, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    let [case_path] = args.positional.as_slice() else {
        let _ = writeln!(
            stderr,
            "ketaplan: plan needs exactly one CASE file\n{USAGE}"
        );
        return EXIT_REJECTED;
    };
    let protocol = match load_protocol(args.protocol.as_deref()) {
        Ok(p) => p,
        Err(e) => {
            let error = FieldError {
                field: "--protocol".into(),
                message: e,
            };
            return rejected(&[error], stdout, stderr);
        }
    };
    let path = Path::new(case_path);
    let text = match read_text(path) {
        Ok(t) => t,
        Err(message) => {
            let error = FieldError {
                field: String::new(),
                message,
            };
            return rejected(&[error], stdout, stderr);
        }
    };
    match parse_case(&protocol, &text, CaseFormat::from_path(path)) {
        Ok(case) => print_json(&plan(&protocol, &case), stdout, stderr),
        Err(errors) => rejected(&errors, stdout, stderr),
    }
}

/// Read and validate a case file; a rejected case is reported as `plan` reports it.
fn load_case(
    protocol: &Protocol,
    path: &Path,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<crate::domain::Case, u8> {
    let text = read_text(path).map_err(|message| {
        let error = FieldError {
            field: String::new(),
            message,
        };
        rejected(&[error], stdout, stderr)
    })?;
    parse_case(protocol, &text, CaseFormat::from_path(path))
        .map_err(|errors| rejected(&errors, stdout, stderr))
}

fn usage_error(stderr: &mut dyn Write, message: &str) -> u8 {
    let _ = writeln!(stderr, "ketaplan: {message}\n{USAGE}");
    EXIT_REJECTED
}

/// `ketaplan order CASE --out FILE [--justification TEXT] [--text] [--on DATE] [--paper P]
/// [--handout FILE] [--copy] [--supersedes NUMBER]`:
/// 0 written; 2 input rejected; 3 refused (every reason on stderr, nothing written);
/// 4 could not write (no partial file: `store::write_atomic`).
fn order_command(
    args: &Args,
    env: &Environment,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let [case_path] = args.positional.as_slice() else {
        return usage_error(stderr, "order needs exactly one CASE file");
    };
    let Some(out_path) = args.out.as_deref() else {
        return usage_error(stderr, "order needs --out FILE");
    };
    if args.handout.as_deref() == Some(out_path) {
        return usage_error(stderr, "--handout and --out must name different files");
    }
    for (flag, path) in [
        ("--out", Some(out_path)),
        ("--handout", args.handout.as_deref()),
    ] {
        if let Some(path) = path
            && crate::store::ledger::same_file(path, Path::new(case_path))
        {
            return usage_error(
                stderr,
                &format!(
                    "{flag} {} is the case file itself: it would be overwritten; nothing was written",
                    path.display()
                ),
            );
        }
    }
    let today = env.today();
    let printed_at = today.and_time(chrono::Local::now().time());
    let order_date = match args.on.as_deref() {
        None => today,
        Some(text) => match crate::domain::case::parse_date(text) {
            Some(d) => d,
            None => {
                return usage_error(stderr, &format!("--on {text} is not a YYYY-MM-DD date"));
            }
        },
    };
    let paper = match args.paper.as_deref() {
        None => Paper::A4,
        Some(text) => match Paper::parse(text) {
            Some(p) => p,
            None => return usage_error(stderr, &format!("--paper {text}: use a4 or letter")),
        },
    };
    let protocol = match load_protocol(args.protocol.as_deref()) {
        Ok(p) => p,
        Err(e) => {
            let error = FieldError {
                field: "--protocol".into(),
                message: e,
            };
            return rejected(&[error], stdout, stderr);
        }
    };
    if let Some(text) = args.justification.as_deref() {
        let errors = crate::domain::case::order_fields::reason_errors(&protocol.pack, text);
        if !errors.is_empty() {
            let errors: Vec<FieldError> = errors
                .into_iter()
                .map(|message| FieldError {
                    field: "--justification".into(),
                    message,
                })
                .collect();
            return rejected(&errors, stdout, stderr);
        }
    }
    let case = match load_case(&protocol, Path::new(case_path), stdout, stderr) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let plan = plan(&protocol, &case);
    let supersedes = match args.supersedes.as_deref().map(str::trim) {
        None => None,
        Some("") => {
            return usage_error(
                stderr,
                "--supersedes needs the number of the order it replaces",
            );
        }
        Some(n) => Some(n.to_string()),
    };
    let opened = order_ledger::ledger_path(args.ledger.as_deref(), env.ledger.as_deref())
        .and_then(order_ledger::open);
    let mut book = match opened {
        Ok(book) => book,
        Err(e) => {
            let _ = writeln!(stderr, "ketaplan: refused: {e}");
            return EXIT_REFUSED;
        }
    };
    let identity = match order_ledger::identify(
        &book, &protocol, &case, order_date, today, args.copy, supersedes,
    ) {
        Ok(i) => i,
        Err(e) if e.starts_with("--supersedes") => return usage_error(stderr, &e),
        Err(e) => {
            let _ = writeln!(stderr, "ketaplan: refused: {e}");
            return EXIT_REFUSED;
        }
    };
    let options = OrderOptions {
        order_date,
        printed_at,
        extra_justification: args.justification.clone(),
        paper,
        identity: Some(identity.clone()),
    };
    let sheet = match OrderSheet::build(&protocol, &case, &plan, &options) {
        Ok(sheet) => sheet,
        Err(refusals) => {
            for r in &refusals {
                let _ = writeln!(stderr, "ketaplan: refused: {r}");
            }
            return EXIT_REFUSED;
        }
    };
    let bytes = if args.text {
        crate::order::text::render(&sheet).into_bytes()
    } else {
        match crate::order::pdf::render(&sheet) {
            Ok(b) => b,
            Err(e) => {
                let _ = writeln!(stderr, "ketaplan: could not make the PDF: {e}");
                return EXIT_WRITE_FAILED;
            }
        }
    };
    // The handout is made before anything is written: both files or neither.
    let handout = match args.handout.as_deref() {
        None => None,
        Some(path) => {
            let refusals = crate::order::handout::refusals(&case);
            if !refusals.is_empty() {
                for r in &refusals {
                    let _ = writeln!(stderr, "ketaplan: refused: {r}");
                }
                return EXIT_REFUSED;
            }
            let h = crate::order::Handout::build(&protocol, &case, &plan, order_date);
            let made = if args.text {
                Ok(crate::order::handout::render(&h).into_bytes())
            } else {
                crate::order::pdf::render_handout(&h, paper)
            };
            match made {
                Ok(b) => Some((path, b)),
                Err(e) => {
                    let _ = writeln!(stderr, "ketaplan: could not make the handout: {e}");
                    return EXIT_WRITE_FAILED;
                }
            }
        }
    };
    if let Err(e) = store().write_export(out_path, &bytes) {
        let _ = writeln!(
            stderr,
            "ketaplan: could not write {}: {e}",
            out_path.display()
        );
        return EXIT_WRITE_FAILED;
    }
    if let Some((path, handout_bytes)) = handout
        && let Err(e) = store().write_export(path, &handout_bytes)
    {
        // No order without its handout: take the order back.
        store().remove_export(out_path);
        let _ = writeln!(stderr, "ketaplan: could not write {}: {e}", path.display());
        return EXIT_WRITE_FAILED;
    }
    if let Err(e) = order_ledger::record(&mut book, &identity, &case, order_date, printed_at) {
        // An original the ledger does not know could be printed again: take it back.
        store().remove_export(out_path);
        if let Some(path) = args.handout.as_deref() {
            store().remove_export(path);
        }
        let _ = writeln!(
            stderr,
            "ketaplan: could not record the order in the ledger ({e}); nothing was written"
        );
        return EXIT_WRITE_FAILED;
    }
    EXIT_OK
}

fn protocol_command(args: &Args, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    let (Some(sub), Some(file)) = (
        args.positional.first().and_then(|s| s.to_str()),
        args.positional.get(1),
    ) else {
        let _ = writeln!(stderr, "ketaplan: protocol check needs a FILE.ron\n{USAGE}");
        return EXIT_REJECTED;
    };
    if sub != "check" || args.positional.len() != 2 {
        let _ = writeln!(stderr, "ketaplan: unknown protocol command\n{USAGE}");
        return EXIT_REJECTED;
    }
    match load_protocol(Some(Path::new(file))) {
        Ok(protocol) => {
            let mut doc = json!({
                "id": protocol.pack.id,
                "version": protocol.pack.version,
                "sha256": protocol.sha256,
            });
            if args.defaults {
                let defaults: Vec<_> = protocol
                    .institution_defaults()
                    .into_iter()
                    .map(|(field, value)| json!({"field": field, "value": value}))
                    .collect();
                doc["institution_defaults"] = json!(defaults);
            }
            let _ = writeln!(stdout, "{doc}");
            EXIT_OK
        }
        Err(e) => {
            let _ = writeln!(stderr, "ketaplan: {e}");
            EXIT_REJECTED
        }
    }
}

fn course_command(
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

/// Print a value as pretty JSON on stdout (exit 0), or say why it could not be (exit 4).
fn print_json<T: serde::Serialize>(
    value: &T,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    match serde_json::to_string_pretty(value) {
        Ok(json) => {
            let _ = writeln!(stdout, "{json}");
            EXIT_OK
        }
        Err(e) => {
            let _ = writeln!(stderr, "ketaplan: could not write the JSON: {e}");
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
    let protocol = load_protocol(args.protocol.as_deref()).map_err(|e| {
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
