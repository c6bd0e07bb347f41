//! The secrets a command reads: passwords and key passphrases, one line each from stdin in
//! the order the command asks, or without echo at a terminal (twice for a new one).

use super::Environment;
use std::io::{BufRead, IsTerminal};

/// Reads the secrets a command needs, in order.
pub(super) struct Secrets<'a> {
    given: Option<std::slice::Iter<'a, String>>,
}

impl Secrets<'_> {
    pub(super) fn new(env: &Environment) -> Secrets<'_> {
        Secrets {
            given: env.stdin_lines.as_ref().map(|lines| lines.iter()),
        }
    }

    /// A password: an empty one is refused. `confirm` asks twice at a terminal.
    pub(super) fn password(
        &mut self,
        what: &str,
        confirm: bool,
    ) -> Result<String, crate::store::db::DbError> {
        let missing = || format!("{what}: no password on stdin (one per line)");
        match self.read(what, confirm) {
            Ok(Some(p)) if !p.is_empty() => Ok(p),
            Ok(_) => Err(missing()),
            Err(e) => Err(e),
        }
        .map_err(crate::store::db::DbError::Rejected)
    }

    /// A key's passphrase: it may be empty (the caller warns).
    pub(super) fn passphrase(&mut self, what: &str, confirm: bool) -> Result<String, String> {
        self.read(what, confirm)?.ok_or_else(|| {
            format!("{what}: no passphrase on stdin (one line; an empty line for none)")
        })
    }

    /// The next line: `None` when stdin has none left.
    fn read(&mut self, what: &str, confirm: bool) -> Result<Option<String>, String> {
        if let Some(lines) = &mut self.given {
            return Ok(lines.next().cloned());
        }
        if std::io::stdin().is_terminal() {
            let read = |prompt: &str| {
                rpassword::prompt_password(prompt)
                    .map_err(|e| format!("{what}: cannot read it: {e}"))
            };
            let first = read(&format!("{what}: "))?;
            if confirm && read(&format!("{what} again: "))? != first {
                return Err(format!(
                    "{what}: the two entries differ; nothing was written"
                ));
            }
            return Ok(Some(first));
        }
        let mut line = String::new();
        let read = std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| format!("{what}: cannot read stdin: {e}"))?;
        Ok((read > 0).then(|| line.trim_end_matches(['\n', '\r']).to_string()))
    }
}
