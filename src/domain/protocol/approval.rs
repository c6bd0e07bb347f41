//! Approval of a protocol pack: a minisign (Ed25519) signature of its exact bytes, checked
//! against the public keys a clinic trusts. Pure: the caller reads the files.

use super::digest::sha256_hex;
use std::io::Cursor;

/// The trusted comment's fields are separated by tabs, as the standard `minisign` writes
/// its own `timestamp:…\tfile:…`.
const FIELD_SEPARATOR: char = '\t';

/// A public key the clinic trusts, read from a `KEY.pub` file's text.
#[derive(Debug, Clone)]
pub struct TrustedKey {
    /// The key's comment, e.g. "St Elsewhere P&T committee": who approves with it.
    pub comment: String,
    /// minisign's key id (16 hex digits, as `minisign` prints it).
    pub key_id: String,
    key: minisign::PublicKey,
}

impl TrustedKey {
    /// A `KEY.pub` file's text (`untrusted comment: …` then the key), or the key's base64
    /// line alone (`minisign -P`).
    pub fn from_text(text: &str) -> Result<TrustedKey, String> {
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let first = lines
            .next()
            .ok_or_else(|| "the public key is empty".to_string())?;
        let (comment, encoded) = match first.strip_prefix("untrusted comment:") {
            Some(comment) => (
                comment.trim().to_string(),
                lines.next().ok_or_else(|| {
                    "the public key has a comment line but no key line".to_string()
                })?,
            ),
            None => (String::new(), first),
        };
        let key = minisign::PublicKey::from_base64(encoded)
            .map_err(|e| format!("not a minisign public key: {e}"))?;
        let key_id = key_id_hex(key.keynum());
        let comment = if comment.is_empty() {
            format!("minisign key {key_id}")
        } else {
            comment
        };
        Ok(TrustedKey {
            comment,
            key_id,
            key,
        })
    }

    /// "St Elsewhere P&T committee (key 1A2B…)": how messages name the key.
    pub fn label(&self) -> String {
        format!("{} (key {})", self.comment, self.key_id)
    }
}

/// Who approved a pack: the trusted key its signature verifies against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackApproval {
    /// The trusted key's comment: printed as "approved: …".
    pub approved_by: String,
    pub key_id: String,
    /// The signature's trusted comment (signed with the pack: id, version, sha256).
    pub trusted_comment: String,
}

/// Why a pack's signature was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApprovalError {
    #[error("no trusted public key is configured")]
    NoTrustedKeys,
    #[error("the signature is not a minisign signature: {0}")]
    Unreadable(String),
    #[error("it is signed with key {signed_with}, which is not trusted here (trusted: {trusted})")]
    UntrustedKey {
        signed_with: String,
        trusted: String,
    },
    #[error(
        "the signature does not verify against {key}: the pack was changed after it was signed, or the signature is damaged ({reason})"
    )]
    DoesNotVerify { key: String, reason: String },
    #[error("the signature names sha256 {signed}, but the pack's sha256 is {actual}")]
    DigestMismatch { signed: String, actual: String },
}

/// Check `signature_text` (a `.minisig` file's text) of `pack_bytes` against the trusted
/// keys; any one of them suffices.
pub fn verify_pack(
    pack_bytes: &[u8],
    signature_text: &str,
    trusted: &[TrustedKey],
) -> Result<PackApproval, ApprovalError> {
    if trusted.is_empty() {
        return Err(ApprovalError::NoTrustedKeys);
    }
    let signature = minisign::SignatureBox::from_string(signature_text)
        .map_err(|e| ApprovalError::Unreadable(e.to_string()))?;
    let signed_with = key_id_hex(signature.keynum());
    let key = trusted
        .iter()
        .find(|k| k.key_id == signed_with)
        .ok_or_else(|| ApprovalError::UntrustedKey {
            signed_with: signed_with.clone(),
            trusted: trusted
                .iter()
                .map(TrustedKey::label)
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    // Quiet, no copy of the data to stdout; legacy (not prehashed) signatures refused as
    // the standard tool refuses them by default.
    minisign::verify(
        &key.key,
        &signature,
        Cursor::new(pack_bytes),
        true,
        false,
        false,
    )
    .map_err(|e| ApprovalError::DoesNotVerify {
        key: key.label(),
        reason: e.to_string(),
    })?;
    let trusted_comment = signature
        .trusted_comment()
        .map_err(|e| ApprovalError::Unreadable(e.to_string()))?;
    // The signature already covers the bytes; a trusted comment naming another digest
    // means the signer was told the wrong pack, which is refused all the same.
    let actual = sha256_hex(pack_bytes);
    if let Some(signed) = comment_field(&trusted_comment, "sha256")
        && signed != actual
    {
        return Err(ApprovalError::DigestMismatch {
            signed: signed.to_string(),
            actual,
        });
    }
    Ok(PackApproval {
        approved_by: key.comment.clone(),
        key_id: key.key_id.clone(),
        trusted_comment,
    })
}

/// The trusted comment `ketaplan protocol sign` writes: when, which file, and the pack's
/// id, version and sha256, so `minisign -V` shows what was approved.
pub fn pack_trusted_comment(
    unix_time: i64,
    file_name: &str,
    id: &str,
    version: &str,
    sha256: &str,
) -> String {
    let fields = [
        ("timestamp", unix_time.to_string()),
        ("file", one_field(file_name)),
        ("id", one_field(id)),
        ("version", one_field(version)),
        ("sha256", one_field(sha256)),
    ];
    fields
        .iter()
        .map(|(name, value)| format!("{name}:{value}"))
        .collect::<Vec<_>>()
        .join(&FIELD_SEPARATOR.to_string())
}

/// The value of `name:` in a trusted comment, if it has one.
pub fn comment_field<'a>(trusted_comment: &'a str, name: &str) -> Option<&'a str> {
    trusted_comment
        .split(FIELD_SEPARATOR)
        .find_map(|field| field.strip_prefix(name)?.strip_prefix(':'))
}

/// A value that cannot break the one-line, tab-separated comment.
fn one_field(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// The key id as `minisign` prints it: the 8 bytes little-endian, 16 upper-case hex digits.
pub fn key_id_hex(keynum: &[u8]) -> String {
    let mut bytes = [0u8; 8];
    for (to, from) in bytes.iter_mut().zip(keynum) {
        *to = *from;
    }
    format!("{:016X}", u64::from_le_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh key pair (unencrypted: scrypt is not what is tested here) and its key text.
    fn key_pair(comment: &str) -> (minisign::KeyPair, TrustedKey) {
        let pair = match minisign::KeyPair::generate_unencrypted_keypair() {
            Ok(p) => p,
            Err(e) => panic!("key pair: {e}"),
        };
        let text = format!("untrusted comment: {comment}\n{}\n", pair.pk.to_base64());
        match TrustedKey::from_text(&text) {
            Ok(key) => (pair, key),
            Err(e) => panic!("{e}"),
        }
    }

    fn signed(pair: &minisign::KeyPair, bytes: &[u8], trusted_comment: &str) -> String {
        match minisign::sign(Some(&pair.pk), &pair.sk, bytes, Some(trusted_comment), None) {
            Ok(s) => s.into_string(),
            Err(e) => panic!("sign: {e}"),
        }
    }

    const PACK: &[u8] = b"(id: \"clinic\", version: \"2\")";

    fn comment_for(bytes: &[u8]) -> String {
        pack_trusted_comment(
            1_700_000_000,
            "clinic.ron",
            "clinic",
            "2",
            &sha256_hex(bytes),
        )
    }

    #[test]
    fn a_pack_signed_by_a_trusted_key_is_approved_by_its_comment() {
        let (pair, key) = key_pair("St Elsewhere P&T committee");
        let (_, other) = key_pair("Another clinic");
        let signature = signed(&pair, PACK, &comment_for(PACK));
        let approval = verify_pack(PACK, &signature, &[other, key.clone()]);
        let approval = approval.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(approval.approved_by, "St Elsewhere P&T committee");
        assert_eq!(approval.key_id, key.key_id);
        assert_eq!(
            comment_field(&approval.trusted_comment, "sha256"),
            Some(sha256_hex(PACK).as_str())
        );
        assert_eq!(
            comment_field(&approval.trusted_comment, "id"),
            Some("clinic")
        );
    }

    #[test]
    fn a_changed_pack_does_not_verify() {
        let (pair, key) = key_pair("P&T");
        let signature = signed(&pair, PACK, &comment_for(PACK));
        let changed = b"(id: \"clinic\", version: \"3\")";
        let result = verify_pack(changed, &signature, &[key]);
        assert!(
            matches!(result, Err(ApprovalError::DoesNotVerify { .. })),
            "{result:?}"
        );
    }

    #[test]
    fn a_signature_by_another_key_names_both_keys() {
        let (pair, _) = key_pair("Unknown signer");
        let (_, trusted) = key_pair("P&T");
        let signature = signed(&pair, PACK, &comment_for(PACK));
        let message = match verify_pack(PACK, &signature, std::slice::from_ref(&trusted)) {
            Err(e @ ApprovalError::UntrustedKey { .. }) => e.to_string(),
            other => panic!("{other:?}"),
        };
        assert!(message.contains(&key_id_hex(pair.pk.keynum())), "{message}");
        assert!(
            message.contains("P&T") && message.contains(&trusted.key_id),
            "{message}"
        );
    }

    #[test]
    fn a_trusted_comment_naming_another_digest_is_refused() {
        let (pair, key) = key_pair("P&T");
        let signature = signed(&pair, PACK, &comment_for(b"another pack"));
        let result = verify_pack(PACK, &signature, &[key]);
        assert!(
            matches!(result, Err(ApprovalError::DigestMismatch { .. })),
            "{result:?}"
        );
    }

    #[test]
    fn no_keys_garbage_and_a_bare_key_line() {
        let (pair, key) = key_pair("P&T");
        let signature = signed(&pair, PACK, "timestamp:1");
        assert_eq!(
            verify_pack(PACK, &signature, &[]),
            Err(ApprovalError::NoTrustedKeys)
        );
        assert!(matches!(
            verify_pack(PACK, "not a signature", std::slice::from_ref(&key)),
            Err(ApprovalError::Unreadable(_))
        ));
        // A plain minisign trusted comment (no sha256 field) is accepted: the signature
        // itself covers the bytes.
        assert!(verify_pack(PACK, &signature, std::slice::from_ref(&key)).is_ok());
        let bare = TrustedKey::from_text(&pair.pk.to_base64());
        assert_eq!(
            bare.map(|k| k.comment),
            Ok(format!("minisign key {}", key.key_id))
        );
        assert!(TrustedKey::from_text("").is_err());
        assert!(TrustedKey::from_text("untrusted comment: x\nnot base64").is_err());
    }

    #[test]
    fn the_trusted_comment_stays_one_line() {
        let comment = pack_trusted_comment(5, "a\nb.ron", "id\t1", "v", "00");
        assert!(!comment.contains('\n'));
        assert_eq!(comment_field(&comment, "id"), Some("id 1"));
        assert_eq!(comment_field(&comment, "file"), Some("a b.ron"));
        assert_eq!(comment_field(&comment, "timestamp"), Some("5"));
    }
}
