//! `ketaplan plan CASE [--protocol FILE.ron]`: the plan for a case file, printed as JSON.

use super::{Args, EXIT_REJECTED, USAGE, print_json, protocol_or_rejected, read_text, rejected};
use crate::domain::case::{CaseFormat, FieldError, parse_case};
use crate::domain::plan::plan;
use crate::domain::protocol::Protocol;
use std::io::Write;
use std::path::Path;

pub(super) fn plan_command(args: &Args, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    let [case_path] = args.positional.as_slice() else {
        let _ = writeln!(
            stderr,
            "ketaplan: plan needs exactly one CASE file\n{USAGE}"
        );
        return EXIT_REJECTED;
    };
    let protocol = match protocol_or_rejected(args, stdout, stderr) {
        Ok(p) => p,
        Err(code) => return code,
    };
    match load_case(&protocol, Path::new(case_path), stdout, stderr) {
        Ok(case) => print_json(&plan(&protocol, &case), stdout, stderr),
        Err(code) => code,
    }
}

/// Read and validate a case file; a rejected case is reported as `plan` reports it.
pub(super) fn load_case(
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
