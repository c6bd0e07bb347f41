//! `ketaplan user add|list|disable`: the clinic's users (step 12). Passwords come from stdin,
//! one per line (the acting admin's first, with `--as`); from a terminal they are asked
//! without echo, a new password twice.

use super::clinic::{failed, open_db};
use super::{Args, Environment, USAGE, print_json};
use crate::store::db::{Credentials, DbError, Role, UserRow};
use serde_json::json;
use std::io::{BufRead, IsTerminal, Write};

/// Reads the passwords a command needs, in order.
pub(super) struct Secrets<'a> {
    given: Option<std::slice::Iter<'a, String>>,
}

impl Secrets<'_> {
    pub(super) fn new(env: &Environment) -> Secrets<'_> {
        Secrets {
            given: env.stdin_lines.as_ref().map(|lines| lines.iter()),
        }
    }

    /// One password; `confirm` asks twice at a terminal.
    pub(super) fn next(&mut self, what: &str, confirm: bool) -> Result<String, DbError> {
        let missing = || DbError::Rejected(format!("{what}: no password on stdin (one per line)"));
        if let Some(lines) = &mut self.given {
            return lines.next().cloned().ok_or_else(missing);
        }
        if std::io::stdin().is_terminal() {
            let read = |prompt: &str| {
                rpassword::prompt_password(prompt)
                    .map_err(|e| DbError::Rejected(format!("{what}: cannot read it: {e}")))
            };
            let first = read(&format!("{what}: "))?;
            if confirm && read(&format!("{what} again: "))? != first {
                return Err(DbError::Rejected(format!("{what}: the two entries differ")));
            }
            return Ok(first);
        }
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| DbError::Rejected(format!("{what}: cannot read stdin: {e}")))?;
        let password = line.trim_end_matches(['\n', '\r']).to_string();
        if password.is_empty() {
            return Err(missing());
        }
        Ok(password)
    }
}

pub(super) fn user_command(
    args: &Args,
    env: &Environment,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let outcome = (|| -> Result<u8, DbError> {
        let words: Vec<String> = args
            .positional
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        let mut secrets = Secrets::new(env);
        let acting_password = match &args.acting_as {
            Some(login) => Some(secrets.next(&format!("password of {login}"), false)?),
            None => None,
        };
        let acting = args
            .acting_as
            .as_deref()
            .zip(acting_password.as_deref())
            .map(|(login, password)| Credentials { login, password });
        match words
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["add", login] => {
                let role = Role::parse(args.role.as_deref().unwrap_or_default())
                    .map_err(|e| DbError::Rejected(format!("--role: {e}")))?;
                let user = UserRow {
                    login: (*login).to_string(),
                    full_name: args.name.clone().unwrap_or_default(),
                    role,
                    active: true,
                };
                let password = secrets.next(&format!("new password of {login}"), true)?;
                let mut db = open_db(args, env)?;
                db.add_user(&user, &password, acting.as_ref())?;
                Ok(print_json(
                    &json!({"login": login, "role": role}),
                    stdout,
                    stderr,
                ))
            }
            ["list"] => Ok(print_json(
                &open_db(args, env)?.list_users()?,
                stdout,
                stderr,
            )),
            ["disable", login] => {
                open_db(args, env)?.disable_user(login, acting.as_ref())?;
                Ok(print_json(
                    &json!({"login": login, "active": false}),
                    stdout,
                    stderr,
                ))
            }
            _ => Err(DbError::Rejected(format!(
                "user needs add LOGIN, list or disable LOGIN\n{USAGE}"
            ))),
        }
    })();
    outcome.unwrap_or_else(|e| failed(stderr, &e))
}
