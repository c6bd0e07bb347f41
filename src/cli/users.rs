//! `ketaplan user add|list|disable`: the clinic's users (step 12). Passwords come from stdin,
//! one per line (the acting admin's first, with `--as`); from a terminal they are asked
//! without echo, a new password twice.

use super::clinic::{failed, open_db};
use super::passphrase::Secrets;
use super::{Args, Environment, USAGE, print_json};
use crate::store::db::{Credentials, DbError, Role, UserRow};
use serde_json::json;
use std::io::Write;

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
            Some(login) => Some(secrets.password(&format!("password of {login}"), false)?),
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
                let password = secrets.password(&format!("new password of {login}"), true)?;
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
