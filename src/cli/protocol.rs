//! `ketaplan protocol check FILE.ron [--defaults]`: validate a protocol pack and print its
//! identity (and its institution defaults) as JSON; `keygen`, `sign` and `verify` approve
//! a pack (`protocol_sign`).

use super::protocol_sign::{keygen_command, sign_command, verify_command};
use super::{Args, EXIT_OK, EXIT_REJECTED, Environment, USAGE, load_protocol, store};
use crate::domain::protocol::Protocol;
use crate::store::protocol_pack::{open_pack, read_trusted_keys};
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `--protocol` (or the built-in pack); with `--trust` keys a clinic's pack must be signed
/// by one of them, and then carries its approval.
pub fn load_protocol_trusting(path: Option<&Path>, trust: &[PathBuf]) -> Result<Protocol, String> {
    match path {
        Some(path) if !trust.is_empty() => {
            let files = store();
            let keys = read_trusted_keys(&files, trust).map_err(|e| format!("--trust {e}"))?;
            open_pack(&files, path, &keys)
        }
        _ => load_protocol(path),
    }
}

pub(super) fn protocol_command(
    args: &Args,
    env: &Environment,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let sub = args.positional.first().and_then(|s| s.to_str());
    let file = args.positional.get(1).map(Path::new);
    match (sub, file, args.positional.len()) {
        (Some("keygen"), None, 1) => keygen_command(args, env, stdout, stderr),
        (Some("sign"), Some(pack), 2) => sign_command(args, env, pack, stdout, stderr),
        (Some("verify"), Some(pack), 2) => verify_command(args, pack, stdout, stderr),
        (Some("check"), Some(pack), 2) => check_command(args, pack, stdout, stderr),
        (Some("check" | "sign" | "verify"), None, _) => {
            let _ = writeln!(
                stderr,
                "ketaplan: protocol {} needs a FILE.ron\n{USAGE}",
                sub.unwrap_or_default()
            );
            EXIT_REJECTED
        }
        _ => {
            let _ = writeln!(stderr, "ketaplan: unknown protocol command\n{USAGE}");
            EXIT_REJECTED
        }
    }
}

fn check_command(args: &Args, file: &Path, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    match load_protocol_trusting(Some(file), &args.trust) {
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
