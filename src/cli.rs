//! The command line (`shared/spec/cli-contract.md`, v3): `plan`, `order`, `protocol check`,
//! the signed protocol packs (`protocol keygen|sign|verify`), courses and the clinic database.
//!
//! stdout carries only JSON; errors go to stderr, one line each.

use crate::domain::case::FieldError;
use crate::domain::plan::PLAN_SCHEMA;
use crate::domain::protocol::Protocol;
use crate::store::FileStore;
use serde_json::json;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

mod clinic;
mod course;
mod environment;
mod fhir;
mod order;
mod order_ledger;
mod passphrase;
mod pk;
mod plan;
mod protocol;
mod protocol_sign;
mod signing;
mod usage;
mod users;

pub use environment::Environment;
pub use protocol::load_protocol_trusting;

pub const EXIT_OK: u8 = 0;
pub const EXIT_REJECTED: u8 = 2;
pub const EXIT_REFUSED: u8 = 3;
pub const EXIT_WRITE_FAILED: u8 = 4;

use usage::USAGE;

/// Arguments after the subcommand: positional values and `--flag [value]` options.
struct Args {
    positional: Vec<OsString>,
    protocol: Option<PathBuf>,
    /// Public keys a `--protocol` pack must be signed by (any one suffices).
    trust: Vec<PathBuf>,
    /// `protocol sign --key KEY`: the secret key.
    key: Option<PathBuf>,
    /// `protocol keygen --comment TEXT`: who approves with the key.
    comment: Option<String>,
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
    /// The clinic database (`--db URL`).
    db: Option<String>,
    /// Who the audit trail names (`--user NAME`).
    user: Option<String>,
    /// `course summary --mrn MRN`
    mrn: Option<String>,
    /// `db migrate --time-zone ZONE`
    time_zone: Option<String>,
    /// `user add --name "FULL NAME" --role ROLE`, and the admin acting (`--as LOGIN`).
    name: Option<String>,
    role: Option<String>,
    acting_as: Option<String>,
    /// `order --sign-as LOGIN`: the physician who signs the order electronically.
    sign_as: Option<String>,
    /// `order-check --check pharmacy|double-check`
    check: Option<String>,
    /// `audit --clinic`: the clinic's own trail (users, lockouts, signatures).
    clinic: bool,
    /// `pk --model ID`: one of the pack's pharmacokinetic models.
    model: Option<String>,
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
        trust: Vec::new(),
        key: None,
        comment: None,
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
        db: None,
        user: None,
        mrn: None,
        time_zone: None,
        name: None,
        role: None,
        acting_as: None,
        sign_as: None,
        check: None,
        clinic: false,
        model: None,
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
            Some("--trust") => out
                .trust
                .push(iter.next().ok_or("--trust needs a KEY.pub")?.into()),
            Some("--key") => out.key = Some(iter.next().ok_or("--key needs a KEY file")?.into()),
            Some("--comment") => out.comment = Some(option_text("--comment", iter.next())?),
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
            Some("--db") => out.db = Some(option_text("--db", iter.next())?),
            Some("--user") => out.user = Some(option_text("--user", iter.next())?),
            Some("--mrn") => out.mrn = Some(option_text("--mrn", iter.next())?),
            Some("--time-zone") => out.time_zone = Some(option_text("--time-zone", iter.next())?),
            Some("--name") => out.name = Some(option_text("--name", iter.next())?),
            Some("--role") => out.role = Some(option_text("--role", iter.next())?),
            Some("--as") => out.acting_as = Some(option_text("--as", iter.next())?),
            Some("--sign-as") => {
                out.sign_as = Some(option_text("--sign-as", iter.next())?);
                out.order_options.push("--sign-as");
            }
            Some("--check") => out.check = Some(option_text("--check", iter.next())?),
            Some("--clinic") => out.clinic = true,
            Some("--model") => out.model = Some(option_text("--model", iter.next())?),
            Some(flag) if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            _ => out.positional.push(arg.clone()),
        }
    }
    Ok(out)
}

/// The file `ketaplan FILE` opens in the app (a double-click in the file manager): one
/// argument naming a course (`*.ketaplan`) or a case (`*.case.ron`, `*.case.json`).
pub fn file_to_open(args: &[OsString]) -> Option<PathBuf> {
    let [only] = args else {
        return None;
    };
    let name = Path::new(only).file_name()?.to_str()?.to_ascii_lowercase();
    [".ketaplan", ".case.ron", ".case.json"]
        .iter()
        .any(|suffix| name.ends_with(suffix) && name.len() > suffix.len())
        .then(|| PathBuf::from(only))
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
    // `course chart` writes a file too, so it shares --out, --text and --paper;
    // `protocol keygen --out KEY` names the key it writes.
    let chart_option = |flag: &&str| {
        (command == "course" && ["--out", "--text", "--paper"].contains(flag))
            || (["protocol", "fhir"].contains(&command) && *flag == "--out")
            || (command == "fhir" && *flag == "--justification")
    };
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
        "plan" => plan::plan_command(&rest, stdout, stderr),
        "pk" => pk::pk_command(&rest, stdout, stderr),
        "fhir" => fhir::fhir_command(&rest, env, stdout, stderr),
        "order" => order::order_command(&rest, env, stdout, stderr),
        "protocol" => protocol::protocol_command(&rest, env, stdout, stderr),
        "course" => match rest.positional.first().and_then(|s| s.to_str()) {
            Some(verb @ ("import" | "export")) => {
                clinic::course_db_command(verb, &rest, env, stdout, stderr)
            }
            Some("summary") if rest.mrn.is_some() => {
                clinic::course_db_command("summary", &rest, env, stdout, stderr)
            }
            _ => course::course_command(&rest, env, stdout, stderr),
        },
        "db" => clinic::db_command(&rest, env, stdout, stderr),
        "session" => clinic::session_command(&rest, env, stdout, stderr),
        "followups" => clinic::followups_command(&rest, env, stdout, stderr),
        "audit" => clinic::audit_command(&rest, env, stdout, stderr),
        "user" => users::user_command(&rest, env, stdout, stderr),
        "order-check" => signing::order_check_command(&rest, env, stdout, stderr),
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

/// The pack of `--protocol` (or the built-in one); a pack that cannot be loaded is a
/// rejected plan naming `--protocol` (exit 2), as `plan` and `order` report it.
fn protocol_or_rejected(
    args: &Args,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<Protocol, u8> {
    load_protocol_trusting(args.protocol.as_deref(), &args.trust).map_err(|message| {
        let error = FieldError {
            field: "--protocol".into(),
            message,
        };
        rejected(&[error], stdout, stderr)
    })
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

fn usage_error(stderr: &mut dyn Write, message: &str) -> u8 {
    let _ = writeln!(stderr, "ketaplan: {message}\n{USAGE}");
    EXIT_REJECTED
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
