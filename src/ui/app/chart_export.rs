//! The monitoring chart of a course session exported as PDF ("Export monitoring chart
//! (PDF)…"), through the same export dialog as the order.

use super::KetaplanApp;
use crate::ui::course_state::CourseNoticeKind;
use crate::ui::order_export::{ExportTarget, pdf_path, suggested_chart_name};
use std::path::{Path, PathBuf};

impl KetaplanApp {
    /// "Export monitoring chart (PDF)…" on a course session: record the bedside entries
    /// on screen (so the chart shows them), then ask where.
    pub(super) fn start_chart_export(&mut self, session_id: u32, ctx: &egui::Context) {
        if self.order.has_modal() {
            return;
        }
        if self.course.session(session_id).is_none() {
            self.course.notify(
                CourseNoticeKind::Error,
                format!("Session {session_id} is not in the open course."),
            );
            return;
        }
        self.course.commit_bedside(session_id);
        let target = ExportTarget::MonitoringChart { session_id };
        self.open_export_dialog(target, suggested_chart_name(session_id), ctx);
    }

    /// Export a course session's monitoring chart as PDF to `path` (given `.pdf`), on the
    /// paper chosen in Preferences, after recording the bedside entries on screen.
    /// Returns the path written.
    pub fn export_chart_to(
        &mut self,
        session_id: u32,
        path: &Path,
        ctx: &egui::Context,
    ) -> Result<PathBuf, String> {
        let path = pdf_path(path);
        let protocol = self
            .protocol
            .clone()
            .map_err(|_| "No protocol pack: no monitoring chart can be made.".to_string())?;
        self.course.commit_bedside(session_id);
        let sheet = self
            .course
            .monitoring_chart(&protocol, session_id, self.prefs.paper.paper())
            .ok_or_else(|| format!("Session {session_id} is not in the open course."))?;
        let bytes = crate::order::pdf::render(&sheet)
            .map_err(|e| format!("The PDF could not be made: {e}"))?;
        self.write_export_file(&path, &bytes)?;
        self.course.notify(
            CourseNoticeKind::Done,
            format!(
                "Exported the monitoring chart of session {session_id} to {}.",
                path.display()
            ),
        );
        if self.prefs.open_after_export {
            self.order.open_in_viewer(path.clone(), ctx);
        }
        Ok(path)
    }

    /// Write an exported file (atomically, owner-only) and remember its folder for the next
    /// export; the error names the path and says nothing was written.
    pub(super) fn write_export_file(&mut self, path: &Path, bytes: &[u8]) -> Result<(), String> {
        self.store.write_export(path, bytes).map_err(|e| {
            format!(
                "{}: could not export: {e}; nothing was written",
                path.display()
            )
        })?;
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            self.prefs.last_folder = Some(folder.display().to_string());
        }
        Ok(())
    }
}
