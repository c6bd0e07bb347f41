//! `ketaplan protocol keygen|sign|verify`: a clinic's approval of a protocol pack as a
//! minisign (Ed25519) signature, so the standard `minisign -Vm PACK -p KEY.pub` agrees.

use super::passphrase::Secrets;
use super::{
    Args, EXIT_OK, EXIT_REJECTED, EXIT_WRITE_FAILED, Environment, print_json, read_text, store,
    usage_error,
};
use crate::domain::protocol::{Protocol, TrustedKey, key_id_hex, pack_trusted_comment};
use crate::store::StoreError;
use crate::store::protocol_pack::{
    create_key_pair, read_trusted_keys, signature_path, verify_pack_file, write_signature,
};
use serde_json::json;
use std::io::Write;
use std::path::Path;

/// The key's comment when `--comment` is not given; the key id follows it.
const DEFAULT_COMMENT: &str = "ketaplan protocol approval key";
/// A comment is printed on every order sheet: one short line.
const COMMENT_MAX_CHARS: usize = 120;

fn failed(stderr: &mut dyn Write, message: &str) -> u8 {
    let _ = writeln!(stderr, "ketaplan: {message}");
    EXIT_REJECTED
}

/// A `--comment` fit for a sheet's header: one line, printable, not too long.
fn checked_comment(comment: &str) -> Result<String, String> {
    let trimmed = comment.trim();
    if trimmed.is_empty() {
        return Err("--comment is empty: name who approves with this key".into());
    }
    if trimmed.chars().any(char::is_control) {
        return Err("--comment must be one line of text (no tabs or line breaks)".into());
    }
    if trimmed.chars().count() > COMMENT_MAX_CHARS {
        return Err(format!(
            "--comment is longer than {COMMENT_MAX_CHARS} characters"
        ));
    }
    Ok(trimmed.to_string())
}

/// `protocol keygen --out KEY [--comment TEXT]`: KEY (secret, 0600) and KEY.pub.
pub(super) fn keygen_command(
    args: &Args,
    env: &Environment,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let Some(secret_path) = args.out.as_deref() else {
        return usage_error(stderr, "protocol keygen needs --out KEY");
    };
    let public_path = crate::store::fs::sibling(secret_path, "pub");
    // Before the passphrase is asked: a key that exists is never replaced.
    for path in [secret_path, public_path.as_path()] {
        if path.exists() {
            return failed(
                stderr,
                &format!(
                    "{} already exists; nothing was overwritten (choose another --out)",
                    path.display()
                ),
            );
        }
    }
    let comment = match args.comment.as_deref().map(checked_comment).transpose() {
        Ok(c) => c,
        Err(e) => return failed(stderr, &e),
    };
    let passphrase = match Secrets::new(env).passphrase("passphrase of the new key", true) {
        Ok(p) => p,
        Err(e) => return failed(stderr, &e),
    };
    let protected = !passphrase.is_empty();
    let generated = if !protected {
        let _ = writeln!(
            stderr,
            "ketaplan: warning: the secret key {} has no passphrase: anyone who can read the file can approve protocol packs",
            secret_path.display()
        );
        minisign::KeyPair::generate_unencrypted_keypair()
    } else {
        // minisign's default scrypt parameters: deliberately slow to guess.
        minisign::KeyPair::generate_encrypted_keypair(Some(passphrase))
    };
    let pair = match generated {
        Ok(pair) => pair,
        Err(e) => return failed(stderr, &format!("cannot generate a key: {e}")),
    };
    let key_id = key_id_hex(pair.pk.keynum());
    let comment = comment.unwrap_or_else(|| format!("{DEFAULT_COMMENT} {key_id}"));
    let secret_text = match pair.sk.to_box(Some(&comment)) {
        Ok(b) => b.into_string(),
        Err(e) => return failed(stderr, &format!("cannot encode the key: {e}")),
    };
    // The comment line is what `verify` and the order sheet report as the approver.
    let public_text = format!("untrusted comment: {comment}\n{}\n", pair.pk.to_base64());
    if let Err(e) = create_key_pair(secret_path, &secret_text, &public_path, &public_text) {
        let _ = writeln!(stderr, "ketaplan: {e}");
        return match e {
            StoreError::NotSaved(_) => EXIT_WRITE_FAILED,
            StoreError::Unreadable(_) => EXIT_REJECTED,
        };
    }
    print_json(
        &json!({
            "secret_key": secret_path.display().to_string(),
            "public_key": public_path.display().to_string(),
            "key_id": key_id,
            "comment": comment,
            "passphrase": protected,
        }),
        stdout,
        stderr,
    )
}

/// The secret key in `path`, decrypted with the passphrase from stdin when it has one.
fn open_secret_key(path: &Path, env: &Environment) -> Result<minisign::SecretKey, String> {
    let text = read_text(path)?;
    let boxed = minisign::SecretKeyBox::from_string(&text)
        .map_err(|e| format!("{}: not a minisign secret key: {e}", path.display()))?;
    // A key made with an empty passphrase is stored unencrypted (as `minisign -W` does).
    let unencrypted = minisign::SecretKey::from_unencrypted_box(boxed.clone());
    if let Ok(key) = unencrypted {
        return Ok(key);
    }
    let passphrase =
        Secrets::new(env).passphrase(&format!("passphrase of {}", path.display()), false)?;
    minisign::SecretKey::from_box(boxed, Some(passphrase)).map_err(|e| {
        let reason = match unencrypted {
            // Neither encrypted nor a sound unencrypted key: say what is wrong with it.
            Err(first) if e.to_string().contains("not encrypted") => first.to_string(),
            _ => e.to_string(),
        };
        format!("{}: {reason}", path.display())
    })
}

/// `protocol sign PACK --key KEY`: PACK.minisig, after checking that PACK is a valid pack.
pub(super) fn sign_command(
    args: &Args,
    env: &Environment,
    pack: &Path,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let Some(key_path) = args.key.as_deref() else {
        return usage_error(stderr, "protocol sign needs --key KEY");
    };
    // One read: the bytes signed are the bytes validated, even if the file changes meanwhile.
    let validated = read_text(pack).and_then(|text| {
        Protocol::from_ron_str(&text)
            .map(|p| (p, text))
            .map_err(|e| format!("{}:{e}", pack.display()))
    });
    let (protocol, text) = match validated {
        Ok(both) => both,
        Err(e) => return failed(stderr, &format!("{e}; nothing was signed")),
    };
    let bytes = text.into_bytes();
    let secret = match open_secret_key(key_path, env) {
        Ok(k) => k,
        Err(e) => return failed(stderr, &e),
    };
    let public = match minisign::PublicKey::from_secret_key(&secret) {
        Ok(k) => k,
        Err(e) => return failed(stderr, &format!("{}: {e}", key_path.display())),
    };
    let file_name = pack
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let trusted_comment = pack_trusted_comment(
        chrono::Utc::now().timestamp(),
        &file_name,
        &protocol.pack.id,
        &protocol.pack.version,
        &protocol.sha256,
    );
    let untrusted_comment = format!(
        "signature of protocol pack {} version {}",
        protocol.pack.id, protocol.pack.version
    );
    let signature = match minisign::sign(
        Some(&public),
        &secret,
        bytes.as_slice(),
        Some(&trusted_comment),
        Some(&untrusted_comment),
    ) {
        Ok(s) => s.into_string(),
        Err(e) => return failed(stderr, &format!("cannot sign {}: {e}", pack.display())),
    };
    let written = match write_signature(pack, &signature) {
        Ok(path) => path,
        Err(e) => {
            let _ = writeln!(stderr, "ketaplan: {e}");
            return EXIT_WRITE_FAILED;
        }
    };
    print_json(
        &json!({
            "signature": written.display().to_string(),
            "id": protocol.pack.id,
            "version": protocol.pack.version,
            "sha256": protocol.sha256,
            "key_id": key_id_hex(public.keynum()),
        }),
        stdout,
        stderr,
    )
}

/// `protocol verify PACK --trust KEY.pub…`: the pack's identity and who approved it.
pub(super) fn verify_command(
    args: &Args,
    pack: &Path,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    if args.trust.is_empty() {
        return usage_error(stderr, "protocol verify needs --trust KEY.pub");
    }
    let files = store();
    let verified = read_trusted_keys(&files, &args.trust)
        .map_err(|e| format!("--trust {e}"))
        .and_then(|keys: Vec<TrustedKey>| verify_pack_file(&files, pack, &keys));
    let protocol = match verified {
        Ok(p) => p,
        Err(e) => return failed(stderr, &e),
    };
    let Some(approval) = &protocol.approval else {
        return failed(stderr, &format!("{}: not verified", pack.display()));
    };
    let _ = writeln!(
        stdout,
        "{}",
        json!({
            "id": protocol.pack.id,
            "version": protocol.pack.version,
            "sha256": protocol.sha256,
            "comment": approval.approved_by,
            "key_id": approval.key_id,
            "trusted_comment": approval.trusted_comment,
            "signature": signature_path(pack).display().to_string(),
        })
    );
    EXIT_OK
}
