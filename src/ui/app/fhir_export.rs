//! "Export FHIR…" on the Order page and the Course view: the order, or the course's
//! sessions, as a FHIR R4 Bundle (JSON) for the clinic's EHR, written like every export.

use super::{KetaplanApp, NoticeKind};
use crate::order::OrderOptions;
use crate::order::fhir::{CourseExport, OrderExport, course_bundle, now_in, sheet_bundle};
use crate::ui::actions::{Page, View};
use crate::ui::course_state::CourseNoticeKind;
use crate::ui::order_export::{COURSE_FHIR_NAME, ExportTarget, json_path, suggested_fhir_name};
use std::path::{Path, PathBuf};

/// The workstation's time zone: session and flowsheet times are its wall-clock times.
fn zone() -> chrono_tz::Tz {
    crate::store::db::machine_time_zone()
        .parse()
        .unwrap_or(chrono_tz::UTC)
}

impl KetaplanApp {
    /// "Export FHIR…" on the Order page: ask where, when the order can print.
    pub(super) fn start_order_fhir_export(&mut self, ctx: &egui::Context) {
        self.view = View::Wizard;
        self.state.page = Page::Order;
        let Some(number) = self
            .order_state()
            .ready()
            .map(|r| r.identity.order_number.clone())
        else {
            self.set_notice(
                NoticeKind::Warning,
                "The order cannot be exported yet: the reasons are listed on the Order page.",
            );
            return;
        };
        self.open_export_dialog(ExportTarget::OrderFhir, suggested_fhir_name(&number), ctx);
    }

    /// Write the order's FHIR Bundle to `path` (given `.json`): the sheet as it prints now,
    /// with the electronic signatures it carries. Nothing is recorded in the order ledger
    /// (nothing was printed). Returns the path written.
    pub fn export_order_fhir_to(&mut self, path: &Path) -> Result<PathBuf, String> {
        let path = json_path(path);
        let now = self.order.now();
        let ready = self.ready_order(now)?;
        let (Ok(protocol), Some(live)) = (self.protocol.clone(), self.live()) else {
            return Err("No protocol pack: no order can be made.".to_string());
        };
        let (Some(case), Some(plan)) = (live.case, live.plan) else {
            return Err("The order cannot be exported: the case is not complete.".to_string());
        };
        let options = OrderOptions {
            order_date: ready.valid_on,
            printed_at: now,
            extra_justification: None,
            paper: ready.sheet.paper,
            identity: Some(ready.identity.clone()),
            signatures: ready.signatures.clone(),
        };
        let exported_at = now_in(zone());
        let export = OrderExport {
            protocol: &protocol,
            case: &case,
            plan: &plan,
            options: &options,
            exported_at: &exported_at,
        };
        let bundle = sheet_bundle(&export, &ready.sheet);
        self.write_bundle(&path, &bundle)?;
        self.set_notice(
            NoticeKind::Done,
            format!(
                "Exported the FHIR bundle of order {} to {}.",
                ready.identity.order_number,
                path.display()
            ),
        );
        Ok(path)
    }

    /// "Export FHIR…" in the Course view: the bedside entries on screen are recorded first.
    pub(super) fn start_course_fhir_export(&mut self, ctx: &egui::Context) {
        let Some(ids) = self
            .course
            .doc
            .as_ref()
            .map(|d| d.sessions.iter().map(|s| s.id).collect::<Vec<_>>())
        else {
            self.course.notify(
                CourseNoticeKind::Error,
                "No course is open: nothing to export.",
            );
            return;
        };
        for id in ids {
            self.course.commit_bedside(id);
        }
        self.open_export_dialog(ExportTarget::CourseFhir, COURSE_FHIR_NAME.to_string(), ctx);
    }

    /// Write the open course's FHIR Bundle to `path` (given `.json`). A charted value that is
    /// not a number is named and nothing is written. Returns the path written.
    pub fn export_course_fhir_to(&mut self, path: &Path) -> Result<PathBuf, String> {
        let path = json_path(path);
        let protocol = self
            .protocol
            .clone()
            .map_err(|_| "No protocol pack: the course cannot be exported.".to_string())?;
        let doc = self
            .course
            .doc
            .clone()
            .ok_or_else(|| "No course is open: nothing to export.".to_string())?;
        let zone = zone();
        let exported_at = now_in(zone);
        let export = CourseExport {
            protocol: &protocol,
            course: &doc,
            zone,
            exported_at: &exported_at,
        };
        let bundle = course_bundle(&export).map_err(|errors| {
            format!(
                "The course was not exported: {} Correct the flowsheet and export again.",
                errors.join(". ")
            )
        })?;
        self.write_bundle(&path, &bundle)?;
        self.course.notify(
            CourseNoticeKind::Done,
            format!(
                "Exported the course as a FHIR bundle to {}.",
                path.display()
            ),
        );
        Ok(path)
    }

    fn write_bundle(
        &mut self,
        path: &Path,
        bundle: &crate::order::fhir::Bundle,
    ) -> Result<(), String> {
        let json = serde_json::to_string_pretty(bundle)
            .map_err(|e| format!("The FHIR bundle could not be made: {e}"))?;
        self.write_export_file(path, format!("{json}\n").as_bytes())
    }
}
