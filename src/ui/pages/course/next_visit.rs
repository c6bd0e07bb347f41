//! The confirmation before the next visit replaces an unsaved case.

use super::ctx::CourseCtx;
use crate::ui::course_state::CourseState;

pub(super) fn confirm_next_visit_ui(
    ctx: &egui::Context,
    state: &mut CourseState,
    cctx: &CourseCtx<'_>,
) {
    if !state.confirm_next_visit {
        return;
    }
    let mut choice = None;
    let response = egui::Modal::new(egui::Id::unique("course-next-visit")).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading("Replace the case?");
        ui.label("The case on the Case pages has unsaved changes. Replace it with the next visit, pre-filled from the last session?");
        ui.horizontal(|ui| {
            if ui.button("Replace the case").clicked() {
                choice = Some(true);
            }
            if ui.button("Cancel").clicked() {
                choice = Some(false);
            }
        });
    });
    if response.should_close() && choice.is_none() {
        choice = Some(false);
    }
    match choice {
        Some(true) => {
            state.confirm_next_visit = false;
            state.request_next_visit(cctx.protocol, cctx.today);
        }
        Some(false) => state.confirm_next_visit = false,
        None => {}
    }
}
