//! The two faces the sheet embeds (DejaVu Sans regular and bold: Latin, Greek, Cyrillic,
//! Hebrew and Arabic), the same files the engine checks names against.

pub(super) const REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
pub(super) const BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");
