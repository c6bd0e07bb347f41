//! Labelled entries. Each shows the validator's errors for its contract path right beside
//! it, and is tied to its label so screen readers (and tests) find it by name.

pub use super::indent::indented_ui;
use crate::ui::pages::PageCtx;
use crate::ui::theme;
use egui::{Align, Layout, Response, RichText, Ui};

/// True when `focus` names `path` or a field under it.
pub fn focus_matches(focus: Option<&str>, path: &str) -> bool {
    focus.is_some_and(|f| {
        f == path
            || f.strip_prefix(path)
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    })
}

/// Bring a widget into view (and focus it) when the app was asked to show its field.
pub fn apply_focus(ctx: &PageCtx<'_>, path: &str, response: &Response) {
    if focus_matches(ctx.focus, path) {
        response.request_focus();
        response.scroll_to_me(Some(Align::Center));
    }
}

/// The fixed-width label column of a form row.
pub fn row_label_ui(ui: &mut Ui, label: &str) -> Response {
    ui.allocate_ui_with_layout(
        egui::vec2(theme::LABEL_WIDTH, ui.spacing().interact_size.y),
        Layout::left_to_right(Align::Center),
        |ui| {
            // Keep the column width even when the label is short or empty.
            ui.set_min_width(theme::LABEL_WIDTH);
            ui.label(label)
        },
    )
    .inner
}

/// A single-line text entry tied to `label`. Does not draw errors (see [`errors_ui`]).
/// A single-line entry whose egui Id comes from its contract path, so focus and the text
/// cursor stay put when validation lines appear or vanish above it.
pub fn entry_ui(
    ui: &mut Ui,
    path: &str,
    label_id: egui::Id,
    text: &mut String,
    width: f32,
    hint: &str,
) -> Response {
    ui.add(
        egui::TextEdit::singleline(text)
            .id(field_id(path))
            .desired_width(width)
            .hint_text(hint),
    )
    .labelled_by(label_id)
}

/// The stable egui Id of the entry for a contract path.
pub fn field_id(path: &str) -> egui::Id {
    egui::Id::unique(("ketaplan-field", path))
}

/// A whole form row: label, entry, then `extra` (unit switches…) on the same line, and the
/// errors for `path` underneath.
pub fn text_row_ui(
    ui: &mut Ui,
    ctx: &PageCtx<'_>,
    row: Row<'_>,
    text: &mut String,
    extra: impl FnOnce(&mut Ui),
) -> Response {
    let response = ui
        .horizontal(|ui| {
            let l = row_label_ui(ui, row.label);
            let r = entry_ui(ui, row.path, l.id, text, row.width, row.hint);
            extra(ui);
            r
        })
        .inner;
    super::printable::strip_and_note_ui(ui, row.path, text, response.changed());
    apply_focus(ctx, row.path, &response);
    errors_ui(ui, ctx, row.path);
    response
}

/// What a form row shows: its label, the contract path of its errors, entry width, hint.
#[derive(Clone, Copy)]
pub struct Row<'a> {
    pub label: &'a str,
    pub path: &'a str,
    pub width: f32,
    pub hint: &'a str,
}

impl<'a> Row<'a> {
    /// A number entry.
    pub fn number(label: &'a str, path: &'a str) -> Self {
        Row {
            label,
            path,
            width: theme::NUMBER_WIDTH,
            hint: "",
        }
    }
    /// A text entry.
    pub fn text(label: &'a str, path: &'a str) -> Self {
        Row {
            label,
            path,
            width: 260.0,
            hint: "",
        }
    }
    /// A date entry (YYYY-MM-DD).
    pub fn date(label: &'a str, path: &'a str) -> Self {
        Row {
            label,
            path,
            width: theme::DATE_WIDTH,
            hint: "YYYY-MM-DD",
        }
    }
    pub fn hint(self, hint: &'a str) -> Self {
        Row { hint, ..self }
    }
}

/// The validator's messages for `path` (and fields under it), indented under the entry.
pub fn errors_ui(ui: &mut Ui, ctx: &PageCtx<'_>, path: &str) {
    for e in ctx.live.errors_for(path) {
        indented_ui(ui, |ui| {
            // A field not yet filled in is said calmly; a wrong value is an error.
            if is_only_missing(&e.message) {
                theme::icon_text_ui(ui, theme::ICON_INFO, theme::INFO, RichText::new("Required"));
            } else {
                theme::icon_text_ui(
                    ui,
                    theme::ICON_ERROR,
                    theme::STOP,
                    RichText::new(&e.message),
                );
            }
        });
    }
}

/// The engine's message for a field that is simply empty.
pub fn is_only_missing(message: &str) -> bool {
    message == "is required"
}

/// A muted note under a form row ("= 79.8 kg").
pub fn note_ui(ui: &mut Ui, text: impl Into<String>) {
    let text = text.into();
    indented_ui(ui, |ui| {
        ui.add(egui::Label::new(RichText::new(text).color(theme::on(ui, theme::MUTED))).wrap());
    });
}

/// A coloured warning under a form row (icon + text, never colour alone).
pub fn warning_ui(ui: &mut Ui, icon: theme::Icon, color: egui::Color32, text: impl Into<String>) {
    let text = text.into();
    indented_ui(ui, |ui| {
        theme::icon_text_ui(ui, icon, color, RichText::new(text).strong());
    });
}

/// A selectable button whose accessible name is `name` (visible text `text`): many rows
/// share "Yes"/"No", so the name carries the question.
pub fn named_choice_ui(ui: &mut Ui, selected: bool, text: &str, name: &str) -> Response {
    let r = choice_button_ui(ui, selected, text);
    let name = name.to_string();
    r.widget_info(|| {
        egui::WidgetInfo::selected(egui::Role::RadioButton, true, selected, name.clone())
    });
    r
}

/// A framed button that shows whether it is chosen (so unchosen options still look
/// clickable, unlike a bare selectable label).
pub fn choice_button_ui(ui: &mut Ui, selected: bool, text: &str) -> Response {
    // Chosen is shown by more than colour: bold and underlined as well.
    let label = if selected {
        egui::RichText::new(text).strong().underline()
    } else {
        egui::RichText::new(text)
    };
    ui.add(
        egui::Button::new(label)
            .selected(selected)
            .min_size(egui::vec2(40.0, 0.0)),
    )
}

/// One option of a unit switch or Yes/No choice bound to `current`.
pub fn choice_ui<T: PartialEq + Copy>(
    ui: &mut Ui,
    current: &mut T,
    value: T,
    text: &str,
) -> Response {
    let mut r = choice_button_ui(ui, *current == value, text);
    if r.clicked() && *current != value {
        *current = value;
        r.mark_changed();
    }
    r
}

/// Arrow keys move the keyboard focus within a group of choices (Yes/No, radio buttons):
/// Right or Down to the next, Left or Up to the previous. Space or Enter still chooses.
pub fn arrow_group(ui: &Ui, group: &[&Response]) {
    let Some(at) = group.iter().position(|r| r.has_focus()) else {
        return;
    };
    // The group takes the arrows itself: egui would otherwise move the focus to whatever
    // widget lies in that direction on the page.
    if let Some(r) = group.get(at) {
        ui.memory_mut(|m| {
            m.set_focus_lock_filter(
                r.id,
                egui::EventFilter {
                    tab: false,
                    horizontal_arrows: true,
                    vertical_arrows: true,
                    escape: false,
                },
            );
        });
    }
    let (next, previous) = ui.input(|i| {
        let plain = i.modifiers.is_none();
        (
            plain && (i.key_pressed(egui::Key::ArrowRight) || i.key_pressed(egui::Key::ArrowDown)),
            plain && (i.key_pressed(egui::Key::ArrowLeft) || i.key_pressed(egui::Key::ArrowUp)),
        )
    });
    let target = if next {
        (at + 1).min(group.len() - 1)
    } else if previous {
        at.saturating_sub(1)
    } else {
        return;
    };
    if let Some(r) = group.get(target) {
        r.request_focus();
    }
}
