//! A line under a form row, aligned with the entries (notes, warnings, stripped-text notices).

use crate::ui::theme;
use egui::Ui;

/// Lay `add` out under a form row, starting where the row's entry starts.
pub fn indented_ui<R>(ui: &mut Ui, add: impl FnOnce(&mut Ui) -> R) -> R {
    ui.horizontal(|ui| {
        ui.add_space(theme::LABEL_WIDTH + ui.spacing().item_spacing.x);
        ui.vertical(add).inner
    })
    .inner
}
