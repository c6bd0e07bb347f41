//! Keyboard handling: the shortcuts and Enter moving on to the next field.

use super::KetaplanApp;

use crate::ui::actions::{Action, View};
use egui::{Key, KeyboardShortcut, Modifiers};

impl KetaplanApp {
    /// Shortcuts, consumed before any widget sees them. None while a dialog is open.
    pub(super) fn keyboard(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        if self.has_modal() {
            return;
        }
        let shortcut = |m, k| KeyboardShortcut::new(m, k);
        let cmd_shift = Modifiers::COMMAND | Modifiers::SHIFT;
        ctx.input_mut(|i| {
            // Ctrl+Shift+S first: Ctrl+S would match it too. In the Course view they save
            // the course, not the case.
            let course = self.view == View::Course;
            if i.consume_shortcut(&shortcut(cmd_shift, Key::S)) {
                actions.push(if course {
                    Action::SaveCourseAs
                } else {
                    Action::SaveAs
                });
            } else if i.consume_shortcut(&shortcut(Modifiers::COMMAND, Key::S)) {
                actions.push(if course {
                    Action::SaveCourse
                } else {
                    Action::Save
                });
            }
            if i.consume_shortcut(&shortcut(Modifiers::COMMAND, Key::N)) {
                actions.push(Action::NewCase);
            }
            if i.consume_shortcut(&shortcut(Modifiers::COMMAND, Key::O)) {
                actions.push(Action::OpenCase);
            }
            if i.consume_shortcut(&shortcut(Modifiers::COMMAND, Key::P)) {
                actions.push(Action::Order(crate::ui::actions::OrderAction::Export));
            }
            if self.view == View::Wizard {
                let next = i.consume_key(Modifiers::NONE, Key::PageDown)
                    || i.consume_key(Modifiers::ALT, Key::ArrowRight);
                let previous = i.consume_key(Modifiers::NONE, Key::PageUp)
                    || i.consume_key(Modifiers::ALT, Key::ArrowLeft);
                if next && let Some(p) = self.state.page.next() {
                    actions.push(Action::GoTo(p));
                }
                if previous && let Some(p) = self.state.page.previous() {
                    actions.push(Action::GoTo(p));
                }
            } else if i.consume_key(Modifiers::NONE, Key::Escape) {
                actions.push(Action::ShowView(View::Wizard));
            }
        });
    }

    /// Enter in a single-line entry moves on to the next field, as Tab does. A single-line
    /// entry gives up focus on Enter; that is how it is told apart from a multi-line one.
    pub(super) fn enter_moves_on(&mut self, ctx: &egui::Context, focused_before: Option<egui::Id>) {
        let entered = ctx.input(|i| i.key_pressed(Key::Enter) && i.modifiers.is_none());
        let focused_now = ctx.memory(|m| m.focused());
        if entered
            && !self.has_modal()
            && let Some(id) = focused_before
            && focused_now.is_none()
            && egui::text_edit::TextEditState::load(ctx, id).is_some()
        {
            self.enter_moves_from = Some(id);
            ctx.request_repaint();
        }
    }
}
