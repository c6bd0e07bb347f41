//! The step bar: every step clickable, marked complete / needs attention / blocked; a
//! blocked step links to the field that blocks it.

use crate::ui::actions::{Action, Page};
use crate::ui::live::{Live, StepStatus};
use crate::ui::theme;
use egui::{RichText, Ui};

fn status_mark(s: StepStatus) -> (theme::Icon, &'static str, egui::Color32) {
    match s {
        StepStatus::Complete => (theme::ICON_OK, "complete", theme::OK),
        StepStatus::NeedsAttention => (theme::ICON_WARN, "needs attention", theme::CAUTION),
        StepStatus::Blocked => (theme::ICON_STOP, "blocked", theme::STOP),
    }
}

pub fn step_bar_ui(ui: &mut Ui, current: Page, live: &Live, actions: &mut Vec<Action>) {
    ui.horizontal_wrapped(|ui| {
        for (i, page) in Page::ALL.iter().copied().enumerate() {
            let status = live.status(page);
            let (icon, word, color) = status_mark(status);
            theme::icon_ui(ui, icon, color);
            let text =
                RichText::new(format!("{} {}", i + 1, page.title())).color(theme::on(ui, color));
            let text = if page == current {
                text.strong().underline()
            } else {
                text
            };
            let r = ui.selectable_label(page == current, text);
            let name = format!("Step {}: {word}", page.title());
            let selected = page == current;
            r.widget_info(|| {
                egui::WidgetInfo::selected(egui::Role::Button, true, selected, name.clone())
            });
            let r = r.on_hover_text(format!("{}: {word}", page.title()));
            if r.clicked() {
                actions.push(Action::GoTo(page));
            }
            if i + 1 < Page::ALL.len() {
                ui.label(RichText::new("›").color(theme::on(ui, theme::MUTED)));
            }
        }
    });
    // What blocks the order, on one row that is always there (empty when nothing blocks),
    // so nothing under the pointer moves when a step becomes blocked or unblocked.
    let blocked: Vec<Page> = Page::ALL
        .into_iter()
        .filter(|p| live.status(*p) == StepStatus::Blocked)
        .collect();
    let first = blocked
        .iter()
        .find_map(|p| live.first_blocker(*p).map(|b| (*p, b)));
    let row_height = ui.spacing().interact_size.y;
    ui.allocate_ui_with_layout(
        egui::vec2(ui.available_width(), row_height),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_min_height(row_height);
            let Some((page, b)) = first else {
                return;
            };
            // The last blocked step (the Order when it is blocked) names the chain.
            let last = blocked.last().copied().unwrap_or(page);
            theme::icon_ui(ui, theme::ICON_STOP, theme::STOP);
            let names: Vec<&str> = blocked.iter().map(|p| p.title()).collect();
            ui.label(
                RichText::new(format!("{} blocked:", names.join(", ")))
                    .color(theme::on(ui, theme::STOP))
                    .strong(),
            );
            if ui
                .link(format!("Go to the field that blocks {}", last.title()))
                .clicked()
            {
                actions.push(Action::GoToField(b.field.clone()));
            }
            ui.add(egui::Label::new(&b.text).truncate());
        },
    );
}
