//! The treatment course: the patient's sessions, the yearly count against the guideline's
//! 6 and 12, the course findings, responses, charts, follow-up and LFT entry, the bedside record,
//! the follow-up calls due and the follow-on planner. Every clinical figure is the engine's.

mod badge;
mod bedside;
mod calls;
mod count;
pub mod ctx;
mod file_bar;
mod follow_up;
mod given_pk;
mod lft;
mod next_visit;
mod notices;
mod path_dialog;
mod session;
mod sessions;

use crate::ui::course_state::{CourseState, CourseTab};
use crate::ui::pages::heading_ui;
use crate::ui::theme;
use calls::calls_tab_ui;
use egui::Ui;
use file_bar::file_bar_ui;
use next_visit::confirm_next_visit_ui;
use notices::notices_ui;
use path_dialog::prompt_ui;
use sessions::sessions_tab_ui;

pub use badge::response_badge_ui;
pub use ctx::CourseCtx;
pub use file_bar::{save_course, save_course_as};

/// The whole Course view (central panel, scrolling) and its dialogs.
pub fn view_ui(ui: &mut Ui, state: &mut CourseState, ctx: &CourseCtx<'_>) {
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("course-scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.set_max_width(ui.available_width().min(1100.0));
                page_ui(ui, state, ctx);
            });
    });
    prompt_ui(ui.ctx(), state, ctx);
    confirm_next_visit_ui(ui.ctx(), state, ctx);
}

fn page_ui(ui: &mut Ui, state: &mut CourseState, ctx: &CourseCtx<'_>) {
    heading_ui(
        ui,
        "Treatment course",
        "Plan courses, not single infusions: the sessions of one patient, their responses and the yearly count (the guideline suggests no more than 6 to 12 treatments a year).",
    );
    file_bar_ui(ui, state);
    notices_ui(ui, state, ctx);
    ui.add_space(theme::SPACE);
    ui.horizontal(|ui| {
        for (tab, text) in [
            (CourseTab::Sessions, "Sessions"),
            (CourseTab::Calls, "Follow-up calls due"),
            (CourseTab::FollowOn, "Follow-on planner"),
        ] {
            if ui.selectable_label(state.tab == tab, text).clicked() {
                state.tab = tab;
            }
        }
    });
    ui.separator();
    match state.tab {
        CourseTab::Sessions => sessions_tab_ui(ui, state, ctx),
        CourseTab::Calls => calls_tab_ui(ui, state, ctx),
        CourseTab::FollowOn => crate::ui::pages::follow_on::ui(ui, state, ctx),
    }
    ui.add_space(theme::SPACE_LARGE);
}
