//! Text entry for fields that print: refused characters (V4-22) are stripped as they are typed or pasted, and the field says so.

use crate::domain::case::printable::{LineBreaks, strip_refused};
use crate::ui::theme;
use egui::{RichText, Ui};

/// Which line-break rule a field's printed text follows, or `None` when it is not checked.
pub fn printed_field(path: &str) -> Option<LineBreaks> {
    if path.starts_with("justifications.") {
        return Some(LineBreaks::Kept);
    }
    let key = path.strip_prefix("order.").unwrap_or(path);
    let printed = crate::domain::case::order_fields::PRINTED_ORDER_FIELDS.contains(&key)
        && path.starts_with("order.");
    (printed || path == "condition_detail").then_some(LineBreaks::Refused)
}

/// After an edit of `text` (the field at `path`): take refused characters out and remember
/// what was taken, then show it beside the field until the next clean edit.
pub fn strip_and_note_ui(ui: &mut Ui, path: &str, text: &mut String, changed: bool) {
    let Some(breaks) = printed_field(path) else {
        return;
    };
    let id = egui::Id::unique(("printable-stripped", path));
    if changed {
        let (kept, removed) = strip_refused(text, breaks);
        if removed.is_empty() {
            ui.data_mut(|d| d.remove::<String>(id));
        } else {
            *text = kept;
            ui.data_mut(|d| d.insert_temp(id, removed.join(", ")));
        }
    }
    if let Some(removed) = ui.data(|d| d.get_temp::<String>(id)) {
        super::indent::indented_ui(ui, |ui| {
            theme::icon_text_ui(
                ui,
                theme::ICON_WARN,
                theme::CAUTION,
                RichText::new(format!(
                    "Removed {removed}: it may not be printed (it can make text print differently from what was typed)."
                )),
            );
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printed_fields_and_their_line_break_rule() {
        assert_eq!(
            printed_field("order.patient_name"),
            Some(LineBreaks::Refused)
        );
        assert_eq!(printed_field("order.allergies"), Some(LineBreaks::Refused));
        assert_eq!(printed_field("condition_detail"), Some(LineBreaks::Refused));
        assert_eq!(
            printed_field("justifications.weak_evidence"),
            Some(LineBreaks::Kept)
        );
        assert_eq!(printed_field("order.date_of_birth"), None);
        assert_eq!(printed_field("patient_name"), None);
        assert_eq!(printed_field("patient.weight.value"), None);
    }
}
