//! Step 6: a placeholder until the order-sheet work lands; says what is still missing
//! before an order could print, each item linked to its field.

use crate::ui::actions::{Action, Page};
use crate::ui::pages::{PageCtx, heading_ui, section_ui};
use crate::ui::theme;
use egui::{RichText, Ui};

pub fn ui(ui: &mut Ui, ctx: &PageCtx<'_>, actions: &mut Vec<Action>) {
    heading_ui(
        ui,
        "6 · Order",
        "The printable order sheet arrives with the order-sheet work. Until then, this page lists what an order still needs.",
    );
    let blockers = &ctx.live.blockers;
    if blockers.is_empty() {
        theme::icon_text_ui(
            ui,
            theme::ICON_OK,
            theme::OK,
            RichText::new("Nothing missing: this order could print.").strong(),
        );
        return;
    }
    theme::icon_text_ui(
        ui,
        theme::ICON_STOP,
        theme::STOP,
        RichText::new(format!(
            "The order cannot print yet: {} item{} to resolve.",
            blockers.len(),
            if blockers.len() == 1 { "" } else { "s" }
        ))
        .strong(),
    );
    for page in Page::ALL {
        let here: Vec<_> = blockers.iter().filter(|b| b.page() == page).collect();
        if here.is_empty() {
            continue;
        }
        section_ui(ui, page.title());
        for b in here {
            ui.horizontal_wrapped(|ui| {
                let (icon, color) = if b.stops {
                    (theme::ICON_STOP, theme::STOP)
                } else {
                    (theme::ICON_WARN, theme::CAUTION)
                };
                theme::icon_ui(ui, icon, color);
                if ui.link(&b.text).clicked() {
                    actions.push(Action::GoToField(b.field.clone()));
                }
            });
        }
    }
}
