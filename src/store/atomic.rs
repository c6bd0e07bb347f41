//! `write_atomic`: a file is either the old one or the complete new one, never a partial
//! write (an order sheet cut short could be followed at the pump).
//!
//! The bytes go to a new temporary file in the same directory (so the rename cannot cross
//! file systems), are flushed to disk (`fsync`), then renamed over the target. On Unix the
//! file is created with mode 0600: order sheets carry patient identifiers. On any error the
//! temporary file is removed and the target is left as it was.

use crate::store::fs::{RealFs, save_atomic};
use std::io;
use std::path::Path;

/// Write `bytes` to `path` atomically (temporary file, fsync, rename; mode 0600 on Unix).
/// The same mechanism as every other save (`store::fs::save_atomic`), without a backup.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    save_atomic(&RealFs, path, bytes, false)
}

/// Write `bytes` to a new file `path`, atomically, refusing to replace one that exists
/// (an approval key overwritten is a key lost). Owner-only (0600) unless `world_readable`
/// (0644, for a public key). Linking the complete temporary file into place fails if
/// `path` appeared meanwhile, so two writers cannot both succeed.
pub fn create_new_atomic(path: &Path, bytes: &[u8], world_readable: bool) -> io::Result<()> {
    use crate::store::fs::{FileSystem, temporary_sibling};
    let exists = || {
        io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} already exists; nothing was overwritten", path.display()),
        )
    };
    if path.exists() {
        return Err(exists());
    }
    let temp = temporary_sibling(path)?;
    let result = (|| {
        RealFs.write_new(&temp, bytes)?;
        #[cfg(unix)]
        if world_readable {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&temp, std::fs::Permissions::from_mode(0o644))?;
        }
        #[cfg(not(unix))]
        let _ = world_readable;
        RealFs.fsync(&temp)?;
        match std::fs::hard_link(&temp, path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(exists()),
            // A file system without hard links: a rename after the check above.
            Err(_) if !path.exists() => RealFs.rename(&temp, path),
            Err(e) => Err(e),
        }
    })();
    if temp.exists() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmpdir() -> tempfile::TempDir {
        match tempfile::tempdir() {
            Ok(d) => d,
            Err(e) => panic!("no temporary directory: {e}"),
        }
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".tmp"))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn writes_the_whole_file_and_replaces_an_old_one() {
        let dir = tmpdir();
        let path = dir.path().join("order.pdf");
        assert!(write_atomic(&path, b"first version, longer").is_ok());
        assert!(write_atomic(&path, b"second").is_ok());
        assert_eq!(std::fs::read(&path).unwrap_or_default(), b"second");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn file_mode_is_0600() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tmpdir();
        let path = dir.path().join("order.txt");
        assert!(write_atomic(&path, b"x").is_ok());
        let mode = std::fs::metadata(&path).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode.ok(), Some(0o600));
    }

    #[test]
    fn create_new_refuses_an_existing_file_and_keeps_it() {
        let dir = tmpdir();
        let path = dir.path().join("approval.key");
        assert!(create_new_atomic(&path, b"first", false).is_ok());
        let again = create_new_atomic(&path, b"second", false);
        assert_eq!(
            again.err().map(|e| e.kind()),
            Some(io::ErrorKind::AlreadyExists)
        );
        assert_eq!(std::fs::read(&path).unwrap_or_default(), b"first");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_missing_directory_fails_and_leaves_nothing() {
        let dir = tmpdir();
        let path = dir.path().join("no-such-dir").join("x.pdf");
        assert!(write_atomic(&path, b"data").is_err());
        assert!(!path.exists());
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_directory_as_target_fails_and_keeps_it() {
        let dir = tmpdir();
        let target = dir.path().join("sub");
        assert!(std::fs::create_dir(&target).is_ok());
        assert!(write_atomic(&target, b"data").is_err());
        assert!(target.is_dir());
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_failed_rename_keeps_the_old_file_and_removes_the_temporary() {
        // A non-empty directory cannot be replaced by a file: the rename fails after the
        // temporary file was written in full.
        let dir = tmpdir();
        let target = dir.path().join("busy");
        assert!(std::fs::create_dir(&target).is_ok());
        assert!(std::fs::write(target.join("inside"), b"keep").is_ok());
        assert!(write_atomic(&target, b"data").is_err());
        assert_eq!(
            std::fs::read(target.join("inside")).unwrap_or_default(),
            b"keep"
        );
        assert!(leftovers(dir.path()).is_empty());
    }
}
