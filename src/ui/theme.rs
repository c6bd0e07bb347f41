//! Design tokens: severity colours, icons and spacing live here and nowhere else.
//! Colour is never the only signal: every severity also has an icon and a word.

use crate::domain::findings::{MonitoringTier, Proceed};
use crate::domain::protocol::{AlertKind, Severity};
use egui::Color32;

pub const SPACE_SMALL: f32 = 4.0;
pub const SPACE: f32 = 8.0;
pub const SPACE_LARGE: f32 = 16.0;
/// Width of the label column on form pages.
pub const LABEL_WIDTH: f32 = 190.0;
/// Width of a number entry.
pub const NUMBER_WIDTH: f32 = 90.0;
/// Width of the plan panel on the right.
pub const PLAN_PANEL_WIDTH: f32 = 290.0;

// Dark enough to read on the light theme's white background (WCAG AA for normal text).
pub const STOP: Color32 = Color32::from_rgb(0xB0, 0x00, 0x20);
pub const AVOID: Color32 = Color32::from_rgb(0xB3, 0x4A, 0x00);
pub const CAUTION: Color32 = Color32::from_rgb(0x80, 0x5B, 0x00);
pub const INFO: Color32 = Color32::from_rgb(0x1F, 0x4E, 0x99);
pub const OK: Color32 = Color32::from_rgb(0x1B, 0x6E, 0x2E);
pub const MUTED: Color32 = Color32::from_rgb(0x55, 0x55, 0x55);
pub const BANNER_FILL: Color32 = Color32::from_rgb(0xF2, 0xF4, 0xF7);

pub const ICON_STOP: &str = "⛔";
pub const ICON_WARN: &str = "⚠";
pub const ICON_INFO: &str = "ℹ";
pub const ICON_OK: &str = "✔";
pub const ICON_ERROR: &str = "✖";

pub fn severity_color(s: Severity) -> Color32 {
    match s {
        Severity::Stop => STOP,
        Severity::Avoid => AVOID,
        Severity::Caution => CAUTION,
        Severity::Info => INFO,
    }
}

pub fn severity_icon(s: Severity) -> &'static str {
    match s {
        Severity::Stop => ICON_STOP,
        Severity::Avoid | Severity::Caution => ICON_WARN,
        Severity::Info => ICON_INFO,
    }
}

pub fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Stop => "STOP",
        Severity::Avoid => "AVOID",
        Severity::Caution => "CAUTION",
        Severity::Info => "INFO",
    }
}

pub fn alert_color(k: AlertKind) -> Color32 {
    match k {
        AlertKind::Hard => STOP,
        AlertKind::Soft => AVOID,
    }
}

pub fn alert_icon(k: AlertKind) -> &'static str {
    match k {
        AlertKind::Hard => ICON_STOP,
        AlertKind::Soft => ICON_WARN,
    }
}

pub fn alert_word(k: AlertKind) -> &'static str {
    match k {
        AlertKind::Hard => "HARD LIMIT",
        AlertKind::Soft => "SOFT LIMIT",
    }
}

pub fn proceed_color(p: Proceed) -> Color32 {
    match p {
        Proceed::Yes => OK,
        Proceed::NeedsJustification => AVOID,
        Proceed::No => STOP,
    }
}

pub fn proceed_icon(p: Proceed) -> &'static str {
    match p {
        Proceed::Yes => ICON_OK,
        Proceed::NeedsJustification => ICON_WARN,
        Proceed::No => ICON_STOP,
    }
}

pub fn proceed_text(p: Proceed) -> &'static str {
    match p {
        Proceed::Yes => "Proceed: yes",
        Proceed::NeedsJustification => "Proceed: needs justification",
        Proceed::No => "Proceed: NO — do not start",
    }
}

pub fn tier_text(t: MonitoringTier) -> &'static str {
    match t {
        MonitoringTier::Standard => "standard",
        MonitoringTier::Monitored => "monitored",
        MonitoringTier::Icu => "ICU",
    }
}

/// Light visuals with slightly larger text: the app is read at arm's length on a ward PC.
pub fn apply(ctx: &egui::Context) {
    ctx.set_theme(egui::Theme::Light);
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = egui::vec2(SPACE, SPACE_SMALL + 2.0);
        for (text_style, font) in style.text_styles.iter_mut() {
            if matches!(text_style, egui::TextStyle::Body | egui::TextStyle::Button) {
                font.size = 14.5;
            }
        }
    });
}
