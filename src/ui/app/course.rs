//! The app's side of the Course view: its requests and opening a course from the recent list.

use super::{KetaplanApp, NoticeKind, WizardState};

use crate::ui::actions::{Page, View};
use crate::ui::draft::CaseDraft;
use crate::ui::pages::PageState;
use std::path::Path;

impl KetaplanApp {
    /// What the Course view asked for: a file on the recent list, the next visit's case.
    pub(super) fn course_requests(&mut self, ctx: &egui::Context) {
        use crate::ui::course_state::CourseRequest;
        for request in std::mem::take(&mut self.course.requests) {
            match request {
                CourseRequest::Remember(path) => self.remember_file(&path),
                CourseRequest::NextVisit { draft, previous } => {
                    self.state = WizardState {
                        draft: *draft,
                        page: Page::Patient,
                        page_state: PageState {
                            previous_answers: previous,
                            ..PageState::default()
                        },
                    };
                    self.file = None;
                    self.saved = Some(CaseDraft::new(self.today));
                    self.view = View::Wizard;
                    self.set_notice(
                        NoticeKind::Warning,
                        "Next visit pre-filled from the last session: answer the day-to-day questions again and check the weight.",
                    );
                }
                CourseRequest::ExportChart(session_id) => self.start_chart_export(session_id, ctx),
                CourseRequest::ExportFhir => self.start_course_fhir_export(ctx),
                CourseRequest::SaveToClinic => self.clinic_save_course(ctx),
                CourseRequest::ReloadFromClinic => self.clinic_reload_course(ctx),
            }
        }
    }

    /// A course file from the recent list opens in the Course view (never as a case).
    pub(super) fn course_open_recent(&mut self, path: &Path) {
        self.view = View::Course;
        if self.course.is_dirty() {
            self.set_notice(
                NoticeKind::Warning,
                "Save the open course before opening another.",
            );
        } else if let Ok(protocol) = &self.protocol {
            self.course.open(protocol, path);
        }
    }
}
