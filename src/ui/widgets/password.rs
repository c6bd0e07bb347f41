//! A labelled password entry (never echoed): the prompts for the server password, the
//! signer's and the checker's. Returns whether Enter was pressed in it.

use egui::Ui;

/// `grab_focus`: put the cursor in it this frame (when the prompt opens, or after a
/// refusal).
pub fn password_row_ui(ui: &mut Ui, label: &str, text: &mut String, grab_focus: bool) -> bool {
    ui.horizontal(|ui| {
        let label = ui.label(label);
        let field = ui
            .add(
                egui::TextEdit::singleline(text)
                    .password(true)
                    .desired_width(240.0),
            )
            .labelled_by(label.id);
        if grab_focus && !field.has_focus() {
            field.request_focus();
        }
        field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))
    })
    .inner
}
