//! The typed-path entry shared by the file dialogs (case, protocol pack, course, export):
//! a labelled single-line entry that takes focus once and confirms on Enter.

use crate::ui::theme;
use egui::{Key, RichText, Ui};

/// What a typed-path dialog keeps between frames.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PathEntryState {
    pub text: String,
    /// A problem with the last path tried (does not exist, would replace a file…).
    pub problem: Option<String>,
    /// The file exists: the next confirm replaces it.
    pub confirm_replace: bool,
    /// The entry was given keyboard focus when the dialog opened.
    pub focus_requested: bool,
}

impl PathEntryState {
    pub fn new(text: String) -> Self {
        Self {
            text,
            ..Self::default()
        }
    }
}

/// The typed-path dialog's width, title and the note on why it is shown (if any).
pub fn path_dialog_heading_ui(ui: &mut Ui, title: &str, note: Option<&str>) {
    ui.set_width(560.0);
    ui.heading(title);
    if let Some(note) = note {
        theme::icon_text_ui(ui, theme::ICON_INFO, theme::INFO, RichText::new(note));
    }
}

/// The label and the path entry (tied to the label). Returns true when Enter confirmed it.
pub fn path_entry_ui(ui: &mut Ui, state: &mut PathEntryState, label: &str, hint: &str) -> bool {
    let label = ui.label(label);
    let before = state.text.clone();
    let entry = ui
        .add(
            egui::TextEdit::singleline(&mut state.text)
                .desired_width(f32::INFINITY)
                .hint_text(hint),
        )
        .labelled_by(label.id);
    if state.text != before {
        // Another path: any earlier warning no longer applies.
        state.problem = None;
        state.confirm_replace = false;
    }
    if !state.focus_requested {
        // Once, so Tab can still reach the buttons.
        entry.request_focus();
        state.focus_requested = true;
    }
    entry.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter))
}

/// The problem with the last path tried, if any.
pub fn path_problem_ui(ui: &mut Ui, state: &PathEntryState) {
    if let Some(problem) = &state.problem {
        theme::icon_text_ui(ui, theme::ICON_WARN, theme::AVOID, RichText::new(problem));
    }
}
