//! The computer's print service (`lp`, `lpstat`) and its file viewer: found, asked and
//! run here (blocking — the app runs them on threads).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The system's print service (CUPS `lp`), as found on this computer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum PrintService {
    /// Not looked for yet.
    #[default]
    Unknown,
    /// `lpstat` is running.
    Looking,
    /// No `lp` on the PATH.
    None,
    Available {
        /// The `lp` program found.
        lp: PathBuf,
        printers: Vec<String>,
        /// The system's default destination (`lpstat -d`).
        default: Option<String>,
    },
}

impl PrintService {
    /// The printer a print goes to: the chosen one if it exists, else the system default.
    /// `Err` says why printing is not possible.
    pub fn destination(&self, chosen: Option<&str>) -> Result<String, String> {
        match self {
            PrintService::Unknown | PrintService::Looking => {
                Err("Looking for a print service…".to_string())
            }
            PrintService::None => Err(NO_PRINT_SERVICE.to_string()),
            PrintService::Available {
                printers, default, ..
            } => {
                if let Some(name) = chosen.map(str::trim).filter(|n| !n.is_empty()) {
                    if printers.iter().any(|p| p == name) {
                        return Ok(name.to_string());
                    }
                    return Err(format!(
                        "The printer chosen in Preferences ({name}) is not available: choose another."
                    ));
                }
                match default {
                    Some(d) => Ok(d.clone()),
                    None if printers.is_empty() => {
                        Err("The print service has no printers: add one, then look again.".into())
                    }
                    None => Err("No default printer: choose a printer in Preferences.".to_string()),
                }
            }
        }
    }

    /// The `lp` program, when there is a print service.
    pub fn lp(&self) -> Option<&Path> {
        match self {
            PrintService::Available { lp, .. } => Some(lp),
            _ => None,
        }
    }

    pub fn printers(&self) -> Option<&[String]> {
        match self {
            PrintService::Available { printers, .. } => Some(printers),
            _ => None,
        }
    }
}

/// Shown on the disabled Print button when there is no `lp`.
pub const NO_PRINT_SERVICE: &str = "No print service found";

/// `program` on `path_var` (the value of PATH), if it is a file there.
pub fn find_program(program: &str, path_var: Option<OsString>) -> Option<PathBuf> {
    let path_var = path_var?;
    std::env::split_paths(&path_var)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// Look for the print service (blocking: run it on a thread). `lp` on the PATH and the
/// printers `lpstat -p` lists; the default from `lpstat -d`.
pub fn detect_print_service(path_var: Option<OsString>) -> PrintService {
    let Some(lp) = find_program("lp", path_var.clone()) else {
        return PrintService::None;
    };
    let lpstat = find_program("lpstat", path_var).unwrap_or_else(|| lp.with_file_name("lpstat"));
    let run = |arg: &str| {
        Command::new(&lpstat)
            .arg(arg)
            .env("LC_ALL", "C")
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    };
    PrintService::Available {
        lp,
        printers: parse_lpstat_printers(&run("-p")),
        default: parse_lpstat_default(&run("-d")),
    }
}

/// Printer names from `lpstat -p` ("printer NAME is idle.  enabled since …").
pub fn parse_lpstat_printers(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("printer "))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// The default destination from `lpstat -d` ("system default destination: NAME").
pub fn parse_lpstat_default(text: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.split_once("default destination:"))
        .map(|(_, name)| name.trim().to_string())
        .filter(|n| !n.is_empty())
}

/// Send `files` to `printer` with `lp` (blocking: run on a thread).
pub fn run_lp(lp: &Path, printer: &str, title: &str, files: &[PathBuf]) -> Result<String, String> {
    let output = Command::new(lp)
        .arg("-d")
        .arg(printer)
        .arg("-t")
        .arg(title)
        .arg("--")
        .args(files)
        .env("LC_ALL", "C")
        .output();
    match output {
        Ok(o) if o.status.success() => Ok(String::from_utf8_lossy(&o.stdout).trim().to_string()),
        Ok(o) => {
            let err = String::from_utf8_lossy(&o.stderr).trim().to_string();
            Err(if err.is_empty() {
                format!("lp exited with {}", o.status)
            } else {
                err
            })
        }
        Err(e) => Err(format!("lp could not be run: {e}")),
    }
}

/// Open a file with the desktop's viewer, best effort (blocking until the opener returns:
/// run on a thread).
pub fn open_with_desktop(path: &Path) -> Result<(), String> {
    let mut command = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        Command::new("xdg-open")
    };
    match command.arg(path).status() {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("the file viewer reported {s}")),
        Err(e) => Err(format!("no file viewer could be started ({e})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lpstat_output_is_read() {
        let p = "printer ward3 is idle.  enabled since Mon 01 Jan\nprinter Office_Laser disabled since x -\n\treason unknown\n";
        assert_eq!(parse_lpstat_printers(p), vec!["ward3", "Office_Laser"]);
        assert_eq!(
            parse_lpstat_default("system default destination: ward3\n").as_deref(),
            Some("ward3")
        );
        assert_eq!(
            parse_lpstat_default("no system default destination\n"),
            None
        );
    }

    #[test]
    fn no_lp_on_the_path_is_no_print_service() {
        let dir = std::env::temp_dir().join(format!("ketaplan-no-lp-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let service = detect_print_service(Some(dir.clone().into_os_string()));
        assert_eq!(service, PrintService::None);
        assert_eq!(detect_print_service(None), PrintService::None);
        assert_eq!(service.destination(None), Err(NO_PRINT_SERVICE.to_string()));
        let _ = std::fs::remove_dir(&dir);
    }

    #[test]
    fn the_destination_is_the_chosen_printer_or_the_default() {
        let s = PrintService::Available {
            lp: PathBuf::from("/usr/bin/lp"),
            printers: vec!["a".into(), "b".into()],
            default: Some("a".into()),
        };
        assert_eq!(s.destination(None), Ok("a".to_string()));
        assert_eq!(s.destination(Some("b")), Ok("b".to_string()));
        assert!(s.destination(Some("gone")).is_err());
        let none = PrintService::Available {
            lp: PathBuf::from("/usr/bin/lp"),
            printers: vec!["a".into()],
            default: None,
        };
        assert!(none.destination(None).is_err());
    }
}
