//! The file system and the clock behind small traits, so tests can inject a failure at
//! each step of a save (write, fsync, rename) and fix the time.

use chrono::NaiveDateTime;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The steps of an atomic save. Real implementation: [`RealFs`].
pub trait FileSystem {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    fn exists(&self, path: &Path) -> bool;
    /// Create (or truncate) `path`, owner-only, and write all of `bytes`.
    fn write_new(&self, path: &Path, bytes: &[u8]) -> io::Result<()>;
    /// Flush `path`'s data to the disk.
    fn fsync(&self, path: &Path) -> io::Result<()>;
    /// Atomically replace `to` with `from`.
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    fn remove(&self, path: &Path) -> io::Result<()>;
}

pub trait Clock {
    fn now(&self) -> NaiveDateTime;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> NaiveDateTime {
        chrono::Local::now().naive_local()
    }
}

pub struct RealFs;

impl FileSystem for RealFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }
    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }
    fn write_new(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // Patient data: readable by the owner only.
            options.mode(0o600);
        }
        let mut file = options.open(path)?;
        file.write_all(bytes)?;
        file.flush()
    }
    fn fsync(&self, path: &Path) -> io::Result<()> {
        std::fs::OpenOptions::new()
            .write(true)
            .open(path)?
            .sync_all()
    }
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        std::fs::rename(from, to)?;
        // Make the rename itself durable where the platform allows opening a directory.
        if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty())
            && let Ok(d) = std::fs::File::open(dir)
        {
            let _ = d.sync_all();
        }
        Ok(())
    }
    fn remove(&self, path: &Path) -> io::Result<()> {
        std::fs::remove_file(path)
    }
}

/// Create `dir` (and its parents) readable by the owner only: the data folder holds
/// patient data.
pub fn ensure_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// `file.ketaplan` → `file.ketaplan.<suffix>` in the same directory (same file system,
/// so the final rename is atomic).
pub fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".{suffix}"));
    path.with_file_name(name)
}

/// Distinguishes temporary files of concurrent writers in one process.
static TEMPORARY_COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A temporary file beside `path` (same directory, so the final rename cannot cross file
/// systems), named `.NAME.PID.N.tmp` so concurrent writers never share one.
pub(crate) fn temporary_sibling(path: &Path) -> io::Result<PathBuf> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a file name", path.display()),
        )
    })?;
    let n = TEMPORARY_COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Ok(path.with_file_name(format!(
        ".{}.{}.{n}.tmp",
        name.to_string_lossy(),
        std::process::id()
    )))
}

/// Write `bytes` to `path` atomically: a temporary file in the same directory, fsync,
/// rename. When `backup` is true the previous version is kept as `path.bak` first.
/// On any failure the existing file is untouched and the temporary files are removed.
pub fn save_atomic(fs: &dyn FileSystem, path: &Path, bytes: &[u8], backup: bool) -> io::Result<()> {
    let temp = temporary_sibling(path)?;
    let bak_temp = temporary_sibling(&sibling(path, "bak"))?;
    let result = (|| {
        fs.write_new(&temp, bytes)?;
        fs.fsync(&temp)?;
        if backup && fs.exists(path) {
            // Copy (not move) the old version, so `path` exists at every moment.
            let old = fs.read(path)?;
            fs.write_new(&bak_temp, &old)?;
            fs.fsync(&bak_temp)?;
            fs.rename(&bak_temp, &sibling(path, "bak"))?;
        }
        fs.rename(&temp, path)
    })();
    if result.is_err() {
        for t in [&temp, &bak_temp] {
            if fs.exists(t) {
                let _ = fs.remove(t);
            }
        }
    }
    result
}
