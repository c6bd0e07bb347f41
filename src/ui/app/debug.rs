//! Debug builds only: the `KETAPLAN_*` environment variables that preload a case, page, view,
//! theme, dialog or a course from the clinic database, for screenshots.

use super::{Intent, KetaplanApp, Modal};

use crate::ui::actions::{Page, View};
use crate::ui::files::DialogKind;
use crate::ui::prefs::ThemeChoice;
use std::path::PathBuf;

impl KetaplanApp {
    /// Debug builds only: `KETAPLAN_OPEN=case.json` preloads a case, `KETAPLAN_PAGE=review`
    /// opens a page, `KETAPLAN_VIEW=protocol` a view and `KETAPLAN_DIALOG=open|save|unsaved`
    /// a dialog and `KETAPLAN_THEME=dark` the dark theme, to take screenshots of realistic cases. Release builds ignore them.
    pub(super) fn open_debug_case(&mut self, ctx: &egui::Context) {
        if !cfg!(debug_assertions) {
            return;
        }
        if let Some(path) = std::env::var_os("KETAPLAN_OPEN") {
            let path = PathBuf::from(path);
            if !self.open_path(&path) {
                eprintln!("ketaplan: KETAPLAN_OPEN: could not open {}", path.display());
            }
        }
        if let Some(page) = std::env::var("KETAPLAN_PAGE")
            .ok()
            .and_then(|p| Page::parse(&p))
        {
            self.state.page = page;
        }
        if let Some(view) = std::env::var("KETAPLAN_VIEW")
            .ok()
            .and_then(|v| View::parse(&v))
        {
            self.view = view;
        }
        if let Ok(protocol) = &self.protocol
            && self.course.open_debug(protocol)
        {
            self.view = View::Course;
        }
        // `KETAPLAN_CLINIC_OPEN=MRN`: open that patient's course from the clinic database.
        if let Ok(mrn) = std::env::var("KETAPLAN_CLINIC_OPEN") {
            self.patients_actions(
                vec![crate::ui::pages::patients::PatientsAction::Open(mrn)],
                ctx,
            );
        }
        if std::env::var("KETAPLAN_THEME").ok().as_deref() == Some("dark") {
            self.prefs.theme = ThemeChoice::Dark;
        }
        match std::env::var("KETAPLAN_DIALOG").ok().as_deref() {
            Some("open") => self.start_dialog(DialogKind::OpenCase, None, ctx),
            Some("save") => self.start_dialog(DialogKind::SaveCase, None, ctx),
            Some("unsaved") => self.modal = Some(Modal::Unsaved(Intent::Close)),
            _ => {}
        }
    }
}
