//! Stable entry identities: a `urn:uuid` derived from what the entry is (the same order or
//! session exports with the same identities, so an EHR can recognise a re-export).

use sha2::{Digest, Sha256};

/// `urn:uuid:…` from the parts naming the entry: a name-based UUID (version 8, RFC 9562)
/// from their sha256.
pub fn urn(parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        // Length-prefixed so that ("ab", "c") and ("a", "bc") differ.
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    let mut b: [u8; 16] = [0; 16];
    b.copy_from_slice(&hash.finalize()[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The resource id inside an entry: the UUID of its full URL.
pub fn id_of(full_url: &str) -> String {
    full_url.trim_start_matches("urn:uuid:").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_parts_give_the_same_uuid_and_others_differ() {
        let a = urn(&["order", "KP-1"]);
        assert_eq!(a, urn(&["order", "KP-1"]));
        assert_ne!(a, urn(&["order", "KP-2"]));
        assert_ne!(urn(&["ab", "c"]), urn(&["a", "bc"]));
        let uuid = id_of(&a);
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "8", "version 8");
        assert!(
            matches!(&uuid[19..20], "8" | "9" | "a" | "b"),
            "RFC variant"
        );
    }
}
