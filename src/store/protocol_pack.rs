//! Protocol pack files and their approval: opening a pack (checked against the clinic's
//! trusted keys when there are any), its `PACK.minisig` signature, and the key files.

use crate::domain::protocol::{Protocol, TrustedKey, verify_pack};
use crate::store::atomic::create_new_atomic;
use crate::store::fs::sibling;
use crate::store::{Store, StoreError, write_atomic};
use std::path::{Path, PathBuf};

/// `PACK.minisig` beside `PACK`: where `minisign` itself looks for the signature.
pub fn signature_path(pack: &Path) -> PathBuf {
    sibling(pack, "minisig")
}

/// The signature's text; a missing file is named, with how to make one.
pub fn read_signature(pack: &Path) -> Result<String, StoreError> {
    let path = signature_path(pack);
    if !path.exists() {
        return Err(StoreError::Unreadable(format!(
            "there is no signature file {} (the approver signs the pack with ketaplan protocol sign)",
            path.display()
        )));
    }
    let bytes = std::fs::read(&path)
        .map_err(|e| StoreError::Unreadable(format!("cannot read {}: {e}", path.display())))?;
    String::from_utf8(bytes)
        .map_err(|_| StoreError::Unreadable(format!("{} is not UTF-8 text", path.display())))
}

/// Write the signature beside the pack, replacing an older one; returns where.
pub fn write_signature(pack: &Path, text: &str) -> Result<PathBuf, StoreError> {
    let path = signature_path(pack);
    write_atomic(&path, text.as_bytes())
        .map_err(|e| StoreError::NotSaved(format!("cannot write {}: {e}", path.display())))?;
    Ok(path)
}

/// Write a new key pair: the secret key owner-only, the public key readable by all. An
/// existing file at either path is never replaced; if the public key cannot be written the
/// new secret key is removed again, so a retry starts clean.
pub fn create_key_pair(
    secret: &Path,
    secret_text: &str,
    public: &Path,
    public_text: &str,
) -> Result<(), StoreError> {
    for path in [secret, public] {
        if path.exists() {
            return Err(StoreError::NotSaved(format!(
                "{} already exists; nothing was overwritten (choose another --out)",
                path.display()
            )));
        }
    }
    let not_saved = |path: &Path, e: std::io::Error| {
        StoreError::NotSaved(format!("cannot write {}: {e}", path.display()))
    };
    create_new_atomic(secret, secret_text.as_bytes(), false).map_err(|e| not_saved(secret, e))?;
    if let Err(e) = create_new_atomic(public, public_text.as_bytes(), true) {
        let _ = std::fs::remove_file(secret);
        return Err(not_saved(public, e));
    }
    Ok(())
}

/// The trusted keys in these `KEY.pub` files; an unreadable one is an error naming it.
pub fn read_trusted_keys(store: &dyn Store, paths: &[PathBuf]) -> Result<Vec<TrustedKey>, String> {
    paths
        .iter()
        .map(|path| {
            let text = store.read_public_key(path).map_err(|e| e.to_string())?;
            TrustedKey::from_text(&text).map_err(|e| format!("{}: {e}", path.display()))
        })
        .collect()
}

/// Open and validate a clinic's pack. With trusted keys its signature must verify against
/// one of them (the pack then carries its approval); without, it is a local pack as before.
/// A file identical to the built-in pack is trusted as the built-in pack is.
pub fn open_pack(
    store: &dyn Store,
    path: &Path,
    trusted: &[TrustedKey],
) -> Result<Protocol, String> {
    let (bytes, protocol) = read_valid_pack(store, path)?;
    if trusted.is_empty() || protocol.built_in {
        return Ok(protocol);
    }
    approve(store, path, &bytes, protocol, trusted)
}

/// Open a pack and check its signature against the trusted keys, always (`protocol verify`).
pub fn verify_pack_file(
    store: &dyn Store,
    path: &Path,
    trusted: &[TrustedKey],
) -> Result<Protocol, String> {
    let (bytes, protocol) = read_valid_pack(store, path)?;
    approve(store, path, &bytes, protocol, trusted)
}

fn read_valid_pack(store: &dyn Store, path: &Path) -> Result<(Vec<u8>, Protocol), String> {
    let bytes = store.read_pack(path).map_err(|e| e.to_string())?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        format!(
            "{} is not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.valid_up_to()
        )
    })?;
    let protocol = Protocol::from_ron_str(text).map_err(|e| format!("{}:{e}", path.display()))?;
    Ok((bytes, protocol))
}

fn approve(
    store: &dyn Store,
    path: &Path,
    bytes: &[u8],
    protocol: Protocol,
    trusted: &[TrustedKey],
) -> Result<Protocol, String> {
    let refused = |reason: String| format!("{} is not approved: {reason}", path.display());
    let signature = store
        .read_pack_signature(path)
        .map_err(|e| refused(e.to_string()))?;
    let approval = verify_pack(bytes, &signature, trusted)
        .map_err(|e| refused(format!("{}: {e}", signature_path(path).display())))?;
    Ok(protocol.with_approval(approval))
}
