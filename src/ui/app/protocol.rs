//! Choosing the protocol pack: a clinic's file or the built-in one, and the public keys a
//! clinic's pack must be signed with.

use super::{KetaplanApp, NoticeKind};

use crate::domain::Protocol;
use crate::domain::protocol::TrustedKey;
use crate::store::Store;
use crate::store::protocol_pack::open_pack;
use crate::ui::pages::protocol_view::pack_kind;
use crate::ui::prefs::Preferences;
use std::path::Path;

pub use crate::ui::pages::trusted_keys::TrustedKeyEntry;

impl KetaplanApp {
    /// Use a clinic's pack. A pack that fails validation, or (with trusted keys set) whose
    /// signature does not verify, is refused with its error and the pack in use is kept.
    pub fn use_protocol_file(&mut self, path: &Path) -> Result<(), String> {
        match load_protocol_file(&*self.store, path, &self.prefs) {
            Ok(p) => {
                let text = format!(
                    "Protocol pack in use: {} {} ({}){}.",
                    p.pack.id,
                    p.pack.version,
                    p.short_sha256(),
                    if p.built_in {
                        String::new()
                    } else {
                        format!(", {}", pack_kind(&p))
                    }
                );
                self.prefs.protocol_path = (!p.built_in).then(|| path.display().to_string());
                self.protocol = Ok(std::sync::Arc::new(p));
                self.protocol_error = None;
                self.set_notice(NoticeKind::Done, text);
                Ok(())
            }
            Err(e) => {
                let kept = match &self.protocol {
                    Ok(p) => format!("{} {} is still in use", p.pack.id, p.pack.version),
                    Err(_) => "no pack is in use".to_string(),
                };
                self.protocol_error = Some(e.clone());
                self.set_notice(
                    NoticeKind::Error,
                    format!("Protocol pack refused ({kept}): {e}"),
                );
                Err(e)
            }
        }
    }

    pub fn use_built_in_protocol(&mut self) {
        match Protocol::built_in() {
            Ok(p) => {
                self.protocol = Ok(std::sync::Arc::new(p));
                self.prefs.protocol_path = None;
                self.protocol_error = None;
                self.set_notice(NoticeKind::Done, "Using the built-in protocol pack.");
            }
            Err(e) => self.set_notice(NoticeKind::Error, e.to_string()),
        }
    }

    /// Trust the public key the Preferences entry names (a `KEY.pub` path or its text).
    pub fn trust_key(&mut self) -> Result<(), String> {
        let entry = self.trusted_key_entry.text.trim().to_string();
        let added = self.key_text(&entry).and_then(|text| {
            let key = TrustedKey::from_text(&text)?;
            let known = self.prefs.trusted_keys()?;
            if known.iter().any(|k| k.key_id == key.key_id) {
                return Err(format!("{} is already trusted", key.label()));
            }
            self.prefs.trusted_keys.push(text);
            Ok(key)
        });
        match added {
            Ok(key) => {
                self.trusted_key_entry = TrustedKeyEntry::default();
                self.set_notice(
                    NoticeKind::Done,
                    format!("Trusted key added: {}.", key.label()),
                );
                self.recheck_protocol();
                Ok(())
            }
            Err(e) => {
                self.trusted_key_entry.error = Some(e.clone());
                Err(e)
            }
        }
    }

    /// Stop trusting the key at `index` of the Preferences list.
    pub fn untrust_key(&mut self, index: usize) {
        if index < self.prefs.trusted_keys.len() {
            self.prefs.trusted_keys.remove(index);
            self.set_notice(NoticeKind::Done, "Trusted key removed.");
            self.recheck_protocol();
        }
    }

    /// A key's text: the entry itself when it is one, else the file it names.
    fn key_text(&self, entry: &str) -> Result<String, String> {
        if entry.is_empty() {
            return Err("Enter the path of a KEY.pub file, or paste its text.".into());
        }
        if TrustedKey::from_text(entry).is_ok() {
            return Ok(entry.to_string());
        }
        let path = Path::new(entry);
        let text = self
            .store
            .read_public_key(path)
            .map_err(|e| e.to_string())?;
        TrustedKey::from_text(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(text.trim().to_string())
    }

    /// The trusted keys changed: the clinic pack in use is opened again under the new
    /// rule. One that is no longer accepted is not used: the built-in pack takes over.
    fn recheck_protocol(&mut self) {
        let Some(path) = self.prefs.protocol_path.clone() else {
            return;
        };
        match load_protocol_file(&*self.store, Path::new(&path), &self.prefs) {
            Ok(p) => {
                self.protocol = Ok(std::sync::Arc::new(p));
                self.protocol_error = None;
            }
            Err(e) => {
                if let Ok(built_in) = Protocol::built_in() {
                    self.protocol = Ok(std::sync::Arc::new(built_in));
                }
                self.protocol_error = Some(e.clone());
                self.set_notice(
                    NoticeKind::Error,
                    format!("The clinic protocol pack is not used, the built-in pack is: {e}"),
                );
            }
        }
    }
}

/// Open a clinic's pack; with trusted keys its signature must verify against one of them.
pub(super) fn load_protocol_file(
    store: &dyn Store,
    path: &Path,
    prefs: &Preferences,
) -> Result<Protocol, String> {
    open_pack(store, path, &prefs.trusted_keys()?)
}
