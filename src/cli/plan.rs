//! `ketaplan plan CASE [--protocol FILE.ron]`: the plan for a case file, printed as JSON.

use super::{Args, EXIT_REJECTED, USAGE, print_json, protocol_or_rejected, read_text, rejected};
use crate::domain::case::{CaseFormat, FieldError, parse_case};
use crate::domain::plan::plan;
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
