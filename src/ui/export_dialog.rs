//! Where an order, a monitoring chart or a FHIR bundle is exported: the file names offered, the native
//! dialog on its own thread, and the typed path when there is none.

use crate::ui::files::{DialogPoll, DialogThread, has_extension};
use crate::ui::widgets::path_entry::PathEntryState;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

// ------------------------------------------------------------------------- paths

/// Order PDFs end in `.pdf` (a typed name without it gets it).
pub fn pdf_path(path: &Path) -> PathBuf {
    if has_extension(path, "pdf") {
        return path.to_path_buf();
    }
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| OsString::from("order"));
    name.push(".pdf");
    path.with_file_name(name)
}

/// The patient handout beside the order: `x.pdf` → `x.handout.pdf`.
pub fn handout_path(order_pdf: &Path) -> PathBuf {
    let stem = order_pdf
        .file_stem()
        .map_or_else(|| "order".to_string(), |s| s.to_string_lossy().to_string());
    order_pdf.with_file_name(format!("{stem}.handout.pdf"))
}

/// The file name offered for an order: its number (no patient name in file names).
pub fn suggested_pdf_name(order_number: &str) -> String {
    let safe: String = order_number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("order-{safe}.pdf")
}

// ------------------------------------------------------------------------- dialogs

/// What an export dialog writes: the order or a course session's monitoring chart (PDF),
/// or the order or the course as a FHIR R4 Bundle (JSON, for the EHR).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExportTarget {
    #[default]
    Order,
    MonitoringChart {
        session_id: u32,
    },
    OrderFhir,
    CourseFhir,
}

impl ExportTarget {
    /// The dialog's title.
    pub fn title(self) -> &'static str {
        match self {
            ExportTarget::Order => "Export the order as PDF",
            ExportTarget::MonitoringChart { .. } => "Export the monitoring chart as PDF",
            ExportTarget::OrderFhir => "Export the order as FHIR (JSON)",
            ExportTarget::CourseFhir => "Export the course as FHIR (JSON)",
        }
    }

    /// What is saved, in the dialog's sentence.
    pub fn what(self) -> &'static str {
        match self {
            ExportTarget::Order => "the order",
            ExportTarget::MonitoringChart { .. } => "the monitoring chart",
            ExportTarget::OrderFhir => "the order's FHIR bundle",
            ExportTarget::CourseFhir => "the course's FHIR bundle",
        }
    }

    /// The accessible label of the typed-path entry.
    pub fn path_label(self) -> &'static str {
        match self {
            ExportTarget::Order => "Path to export the order PDF to",
            ExportTarget::MonitoringChart { .. } => "Path to export the monitoring chart PDF to",
            ExportTarget::OrderFhir => "Path to export the order FHIR bundle to",
            ExportTarget::CourseFhir => "Path to export the course FHIR bundle to",
        }
    }

    /// The hint in the typed-path entry.
    pub fn hint(self) -> &'static str {
        match self {
            ExportTarget::Order => "/home/…/order.pdf",
            ExportTarget::MonitoringChart { .. } => "/home/…/monitoring-chart.pdf",
            ExportTarget::OrderFhir => "/home/…/order.fhir.json",
            ExportTarget::CourseFhir => "/home/…/course.fhir.json",
        }
    }

    /// `path` with the file type's extension (added to a typed name without it).
    pub fn file_path(self, path: &Path) -> PathBuf {
        match self {
            ExportTarget::Order | ExportTarget::MonitoringChart { .. } => pdf_path(path),
            ExportTarget::OrderFhir | ExportTarget::CourseFhir => json_path(path),
        }
    }

    /// The save dialog's file filter: its name and extensions.
    pub fn filter(self) -> (&'static str, &'static [&'static str]) {
        match self {
            ExportTarget::Order | ExportTarget::MonitoringChart { .. } => ("PDF", &["pdf"]),
            ExportTarget::OrderFhir | ExportTarget::CourseFhir => ("FHIR JSON", &["json"]),
        }
    }
}

/// FHIR bundles end in `.json` (a typed name without it gets it).
pub fn json_path(path: &Path) -> PathBuf {
    if has_extension(path, "json") {
        return path.to_path_buf();
    }
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| OsString::from("bundle"));
    name.push(".json");
    path.with_file_name(name)
}

/// The file name offered for a course's FHIR bundle (no patient name in file names).
pub const COURSE_FHIR_NAME: &str = "course.fhir.json";

/// The file name offered for an order's FHIR bundle (no patient name in file names).
pub fn suggested_fhir_name(order_number: &str) -> String {
    suggested_pdf_name(order_number).replace(".pdf", ".fhir.json")
}

/// The file name offered for a session's monitoring chart (no patient name in file names).
pub fn suggested_chart_name(session_id: u32) -> String {
    format!("monitoring-chart-session-{session_id}.pdf")
}

/// The platform's save dialog on its own thread; polled each frame.
pub struct NativeExportDialog {
    pub target: ExportTarget,
    thread: DialogThread,
}

impl NativeExportDialog {
    pub fn spawn(
        target: ExportTarget,
        folder: Option<PathBuf>,
        file_name: String,
        ctx: egui::Context,
    ) -> Self {
        let thread = DialogThread::spawn("ketaplan-export-dialog", ctx, move || {
            let mut dialog = rfd::FileDialog::new()
                .set_title(target.title())
                .add_filter(target.filter().0, target.filter().1)
                .set_file_name(file_name);
            if let Some(folder) = folder.filter(|f| f.is_dir()) {
                dialog = dialog.set_directory(folder);
            }
            dialog.save_file()
        });
        Self {
            target,
            thread: thread.unwrap_or_else(DialogThread::closed),
        }
    }

    pub fn poll(&self) -> DialogPoll {
        self.thread.poll()
    }
}

/// The typed-path export dialog.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExportPrompt {
    pub target: ExportTarget,
    pub entry: PathEntryState,
    /// Why the typed path is shown (no system dialog).
    pub note: Option<String>,
}

pub enum ExportModal {
    Native(NativeExportDialog),
    Path(ExportPrompt),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_paths_end_in_pdf() {
        assert_eq!(pdf_path(Path::new("/t/a.pdf")), Path::new("/t/a.pdf"));
        assert_eq!(pdf_path(Path::new("/t/a.PDF")), Path::new("/t/a.PDF"));
        assert_eq!(pdf_path(Path::new("/t/a")), Path::new("/t/a.pdf"));
        assert_eq!(pdf_path(Path::new("/t/a.txt")), Path::new("/t/a.txt.pdf"));
        assert_eq!(
            handout_path(Path::new("/t/order.pdf")),
            Path::new("/t/order.handout.pdf")
        );
        assert_eq!(
            suggested_pdf_name("KP-20261125-AB12CD34"),
            "order-KP-20261125-AB12CD34.pdf"
        );
    }
}
