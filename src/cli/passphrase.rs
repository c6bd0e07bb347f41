//! The passphrase of an approval key: one line of stdin, or asked without echo at a
//! terminal (twice for a new key). An empty passphrase is allowed; the caller warns.

use super::Environment;
use std::io::{BufRead, IsTerminal};

/// Reads the one passphrase a command needs.
pub(super) fn read_passphrase(
    env: &Environment,
    what: &str,
    confirm: bool,
) -> Result<String, String> {
    let missing = || format!("{what}: no passphrase on stdin (one line; an empty line for none)");
    if let Some(lines) = &env.stdin_lines {
        return lines.first().cloned().ok_or_else(missing);
    }
    if std::io::stdin().is_terminal() {
        let read = |prompt: &str| {
            rpassword::prompt_password(prompt).map_err(|e| format!("{what}: cannot read it: {e}"))
        };
        let first = read(&format!("{what}: "))?;
        if confirm && read(&format!("{what} again: "))? != first {
            return Err(format!(
                "{what}: the two entries differ; nothing was written"
            ));
        }
        return Ok(first);
    }
    let mut line = String::new();
    let read = std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("{what}: cannot read stdin: {e}"))?;
    if read == 0 {
        return Err(missing());
    }
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}
