//! The order ledger on disk (`orders.ron`, owner-only): read and written by the app and the CLI alike.

use crate::domain::order_identity::OrderLedger;
use crate::store::fs::{RealFs, ensure_private_dir, save_atomic};
use std::path::{Path, PathBuf};

/// The ledger's file name in the app's data folder.
pub const LEDGER_FILE: &str = "orders.ron";

/// The ledger at `path`: empty when there is none yet; an error when one exists but cannot
/// be read (then reprints would not be recognised).
pub fn read_ledger_file(path: &Path) -> Result<OrderLedger, String> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(OrderLedger::default()),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let text = String::from_utf8(bytes).map_err(|_| format!("{} is not text", path.display()))?;
    ron::from_str(crate::domain::file_text::without_bom(&text))
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Write the ledger atomically, owner-only, creating its folder (0700). An unreadable old
/// ledger is kept aside first (`orders.ron.unreadable`) rather than overwritten.
pub fn write_ledger_file(path: &Path, ledger: &OrderLedger, keep_old: bool) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        ensure_private_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    if keep_old && path.exists() {
        let mut aside = path.as_os_str().to_owned();
        aside.push(".unreadable");
        let _ = std::fs::rename(path, PathBuf::from(aside));
    }
    let text = ron::ser::to_string_pretty(ledger, ron::ser::PrettyConfig::new())
        .map_err(|e| e.to_string())?;
    save_atomic(&RealFs, path, text.as_bytes(), false)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// True when `a` and `b` name the same file (an existing file through links or `..`, or
/// the same path once its folder is resolved).
pub fn same_file(a: &Path, b: &Path) -> bool {
    fn resolved(p: &Path) -> Option<PathBuf> {
        if let Ok(c) = std::fs::canonicalize(p) {
            return Some(c);
        }
        let name = p.file_name()?;
        let parent = p.parent().filter(|d| !d.as_os_str().is_empty());
        let dir = std::fs::canonicalize(parent.unwrap_or(Path::new("."))).ok()?;
        Some(dir.join(name))
    }
    match (resolved(a), resolved(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn a_missing_ledger_is_empty_and_a_written_one_reads_back() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("sub").join(LEDGER_FILE);
        assert_eq!(read_ledger_file(&path), Ok(OrderLedger::default()));
        let mut ledger = OrderLedger::default();
        let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default();
        ledger.record(
            "KP-1",
            "000123",
            day,
            day.and_hms_opt(8, 0, 0).unwrap_or_default(),
        );
        assert_eq!(write_ledger_file(&path, &ledger, false), Ok(()));
        assert_eq!(read_ledger_file(&path), Ok(ledger));
    }

    #[test]
    fn same_file_sees_through_dot_segments_and_missing_files() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let a = dir.path().join("case.json");
        let _ = std::fs::write(&a, "{}");
        assert!(same_file(&a, &dir.path().join(".").join("case.json")));
        assert!(!same_file(&a, &dir.path().join("order.pdf")));
        assert!(same_file(
            &dir.path().join("new.pdf"),
            &dir.path().join("./new.pdf")
        ));
    }
}
