//! Choosing the protocol pack: a clinic's file or the built-in one.

use super::{KetaplanApp, NoticeKind};

use crate::domain::Protocol;
use crate::store::Store;
use std::path::Path;

impl KetaplanApp {
    /// Use a clinic's pack. A pack that fails validation is refused with its error and the
    /// pack in use is kept.
    pub fn use_protocol_file(&mut self, path: &Path) -> Result<(), String> {
        match load_protocol_file(&*self.store, path) {
            Ok(p) => {
                let text = format!(
                    "Protocol pack in use: {} {} ({}){}.",
                    p.pack.id,
                    p.pack.version,
                    p.short_sha256(),
                    if p.built_in { "" } else { ", local protocol" }
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
}

pub(super) fn load_protocol_file(store: &dyn Store, path: &Path) -> Result<Protocol, String> {
    let bytes = store.read_pack(path).map_err(|e| e.to_string())?;
    let text =
        String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 text", path.display()))?;
    Protocol::from_ron_str(&text).map_err(|e| format!("{}:{e}", path.display()))
}
