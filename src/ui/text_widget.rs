//! Pack text (`domain::text::Text`) shown directly in egui widgets, as a `&str` would be.

use crate::domain::text::Text;

impl From<&Text> for egui::WidgetText {
    fn from(text: &Text) -> Self {
        egui::WidgetText::from(text.as_str())
    }
}

impl From<Text> for egui::WidgetText {
    fn from(text: Text) -> Self {
        egui::WidgetText::from(text.as_str())
    }
}
