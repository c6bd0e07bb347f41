//! Preferences: the public keys a clinic approves its protocol packs with (`KEY.pub`).

use crate::domain::protocol::TrustedKey;
use crate::ui::actions::Action;
use crate::ui::pages::section_ui;
use crate::ui::theme;
use crate::ui::widgets::field::row_label_ui;
use egui::{RichText, Ui};

/// The entry for a new trusted key, and why the last one was refused.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrustedKeyEntry {
    /// A `KEY.pub` file's path, or its text pasted.
    pub text: String,
    pub error: Option<String>,
}

pub fn ui(ui: &mut Ui, trusted: &[String], entry: &mut TrustedKeyEntry, actions: &mut Vec<Action>) {
    section_ui(ui, "Trusted keys");
    let rule = if trusted.is_empty() {
        "No trusted key: a clinic pack is used as it is and marked LOCAL PROTOCOL."
    } else {
        "A clinic pack is used only if its signature (PACK.ron.minisig) verifies against one of these keys; the order then prints \"approved:\" and the key's comment."
    };
    ui.add(egui::Label::new(RichText::new(rule).color(theme::on(ui, theme::MUTED))).wrap());
    for (index, text) in trusted.iter().enumerate() {
        ui.horizontal(|ui| {
            match TrustedKey::from_text(text) {
                Ok(key) => {
                    theme::icon_text_ui(
                        ui,
                        theme::ICON_OK,
                        theme::OK,
                        RichText::new(format!("Trusted: {}", key.label())),
                    );
                }
                Err(e) => {
                    theme::icon_text_ui(
                        ui,
                        theme::ICON_ERROR,
                        theme::STOP,
                        RichText::new(format!("Not a key ({e}); remove it")),
                    );
                }
            }
            if ui.button("Remove").clicked() {
                actions.push(Action::UntrustKey(index));
            }
        });
    }
    ui.horizontal(|ui| {
        let label = row_label_ui(ui, "Trusted public key");
        // Multi-line: a pasted KEY.pub keeps its comment line and its key line.
        ui.add(
            egui::TextEdit::multiline(&mut entry.text)
                .hint_text("path of KEY.pub, or its text")
                .desired_rows(2)
                .desired_width(420.0),
        )
        .labelled_by(label.id);
        if ui.button("Trust this key").clicked() {
            actions.push(Action::TrustKey);
        }
    });
    if let Some(error) = &entry.error {
        theme::icon_text_ui(
            ui,
            theme::ICON_ERROR,
            theme::STOP,
            RichText::new(format!("The key was not added: {error}")),
        );
    }
}
