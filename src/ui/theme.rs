//! Design tokens: severity colours, icons and spacing live here and nowhere else.
//! Colour is never the only signal: every severity also has an icon and a word.

use crate::domain::findings::MonitoringTier;
use crate::domain::protocol::{AlertKind, Severity};
use egui::Color32;

pub const SPACE_SMALL: f32 = 4.0;
pub const SPACE: f32 = 8.0;
pub const SPACE_LARGE: f32 = 16.0;
/// Width of the label column on form pages.
pub const LABEL_WIDTH: f32 = 190.0;
/// Width of a number entry.
pub const NUMBER_WIDTH: f32 = 90.0;
/// Width of a date entry: ten characters and some room.
pub const DATE_WIDTH: f32 = 120.0;
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

/// Status icons are painted, not font glyphs: the bundled font has no ⚠ or ✔, and a
/// shape (no-entry sign, triangle, circle, tick) tells them apart without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    Stop,
    Warn,
    Info,
    Ok,
    Error,
}

pub const ICON_STOP: Icon = Icon::Stop;
pub const ICON_WARN: Icon = Icon::Warn;
pub const ICON_INFO: Icon = Icon::Info;
pub const ICON_OK: Icon = Icon::Ok;
pub const ICON_ERROR: Icon = Icon::Error;

/// Paint `icon` in `color`, its inner mark in `inner`, one text line high.
pub fn icon_colored_ui(
    ui: &mut egui::Ui,
    icon: Icon,
    color: Color32,
    inner: Color32,
) -> egui::Response {
    let size = ui.text_style_height(&egui::TextStyle::Body).max(12.0);
    let (rect, response) = ui.allocate_exact_size(egui::vec2(size, size), egui::Sense::hover());
    let painter = ui.painter();
    let c = rect.center();
    let r = size * 0.45;
    let stroke = egui::Stroke::new((size * 0.13).max(1.5), inner);
    match icon {
        Icon::Stop => {
            // An octagon (the no-entry/stop sign) with a bar.
            let points: Vec<egui::Pos2> = (0..8)
                .map(|i| {
                    let a = std::f32::consts::TAU * (i as f32 + 0.5) / 8.0;
                    c + egui::vec2(a.cos(), a.sin()) * r
                })
                .collect();
            painter.add(egui::Shape::convex_polygon(
                points,
                color,
                egui::Stroke::NONE,
            ));
            painter.line_segment(
                [c - egui::vec2(r * 0.55, 0.0), c + egui::vec2(r * 0.55, 0.0)],
                stroke,
            );
        }
        Icon::Warn => {
            let top = egui::pos2(c.x, rect.top() + size * 0.05);
            let left = egui::pos2(rect.left() + size * 0.02, rect.bottom() - size * 0.08);
            let right = egui::pos2(rect.right() - size * 0.02, rect.bottom() - size * 0.08);
            painter.add(egui::Shape::convex_polygon(
                vec![top, right, left],
                color,
                egui::Stroke::NONE,
            ));
            painter.line_segment(
                [c - egui::vec2(0.0, r * 0.35), c + egui::vec2(0.0, r * 0.3)],
                stroke,
            );
            painter.circle_filled(c + egui::vec2(0.0, r * 0.62), stroke.width * 0.55, inner);
        }
        Icon::Info => {
            painter.circle_filled(c, r, color);
            painter.line_segment(
                [c - egui::vec2(0.0, r * 0.15), c + egui::vec2(0.0, r * 0.55)],
                stroke,
            );
            painter.circle_filled(c - egui::vec2(0.0, r * 0.5), stroke.width * 0.6, inner);
        }
        Icon::Ok => {
            painter.circle_filled(c, r, color);
            painter.line_segment(
                [
                    c + egui::vec2(-r * 0.5, 0.0),
                    c + egui::vec2(-r * 0.12, r * 0.4),
                ],
                stroke,
            );
            painter.line_segment(
                [
                    c + egui::vec2(-r * 0.12, r * 0.4),
                    c + egui::vec2(r * 0.5, -r * 0.4),
                ],
                stroke,
            );
        }
        Icon::Error => {
            painter.circle_filled(c, r, color);
            let d = r * 0.42;
            painter.line_segment([c + egui::vec2(-d, -d), c + egui::vec2(d, d)], stroke);
            painter.line_segment([c + egui::vec2(-d, d), c + egui::vec2(d, -d)], stroke);
        }
    }
    response
}

pub fn icon_ui(ui: &mut egui::Ui, icon: Icon, color: Color32) -> egui::Response {
    // The inner mark contrasts with the (lighter) dark-theme colours too.
    let inner = if ui.visuals().dark_mode {
        Color32::from_rgb(0x1B, 0x1B, 0x1B)
    } else {
        Color32::WHITE
    };
    icon_colored_ui(ui, icon, on(ui, color), inner)
}

/// An icon followed by (wrapping) text in the same colour.
pub fn icon_text_ui(ui: &mut egui::Ui, icon: Icon, color: Color32, text: egui::RichText) {
    ui.horizontal_top(|ui| {
        ui.spacing_mut().item_spacing.x = SPACE_SMALL + 2.0;
        icon_ui(ui, icon, color);
        ui.add(egui::Label::new(text.color(on(ui, color))).wrap());
    });
}

pub fn severity_color(s: Severity) -> Color32 {
    match s {
        Severity::Stop => STOP,
        Severity::Avoid => AVOID,
        Severity::Caution => CAUTION,
        Severity::Info => INFO,
    }
}

pub fn severity_icon(s: Severity) -> Icon {
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

pub fn alert_icon(k: AlertKind) -> Icon {
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

pub fn tier_text(t: MonitoringTier) -> &'static str {
    match t {
        MonitoringTier::Standard => "standard",
        MonitoringTier::Monitored => "monitored",
        MonitoringTier::Icu => "ICU",
    }
}

/// DejaVu Sans (the order sheet's font): clear digits, accents in names, ≥ and ².
const DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Fonts and slightly larger text (the app is read at arm's length on a ward PC), in
/// light visuals; [`set_theme`] switches to dark.
pub fn apply(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "DejaVuSans".to_owned(),
        std::sync::Arc::new(egui::FontData::from_static(DEJAVU_SANS)),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        let list = fonts.families.entry(family.clone()).or_default();
        // First for text, later as a fallback for monospace symbols.
        if family == egui::FontFamily::Proportional {
            list.insert(0, "DejaVuSans".to_owned());
        } else {
            list.push("DejaVuSans".to_owned());
        }
    }
    ctx.set_fonts(fonts);
    ctx.set_theme(egui::Theme::Light);
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = egui::vec2(SPACE, SPACE_SMALL + 2.0);
        for (text_style, font) in style.text_styles.iter_mut() {
            if matches!(text_style, egui::TextStyle::Body | egui::TextStyle::Button) {
                font.size = 14.0;
            }
        }
    });
}

/// Light or dark visuals (the preference).
pub fn set_theme(ctx: &egui::Context, theme: crate::ui::prefs::ThemeChoice) {
    ctx.set_theme(theme.egui_theme());
}

/// A palette colour as drawn on `ui`: the light palette as it is, or its lighter twin on the
/// dark theme (the light colours are too dark to read there). Other colours pass through.
pub fn on(ui: &egui::Ui, light: Color32) -> Color32 {
    if !ui.visuals().dark_mode {
        return light;
    }
    let dark = [
        (STOP, Color32::from_rgb(0xFF, 0x6E, 0x6E)),
        (AVOID, Color32::from_rgb(0xFF, 0x9E, 0x4A)),
        (CAUTION, Color32::from_rgb(0xE8, 0xC1, 0x4A)),
        (INFO, Color32::from_rgb(0x7A, 0xB0, 0xFF)),
        (OK, Color32::from_rgb(0x5F, 0xC9, 0x7E)),
        (MUTED, Color32::from_rgb(0xAA, 0xAA, 0xAA)),
        (BANNER_FILL, Color32::from_rgb(0x24, 0x28, 0x2E)),
    ];
    dark.iter()
        .find(|(l, _)| *l == light)
        .map_or(light, |(_, d)| *d)
}

/// A clearly visible ring around the widget with keyboard focus (buttons and radio
/// buttons included, which egui marks only faintly), drawn above everything.
pub fn focus_ring_ui(ctx: &egui::Context) {
    let Some(id) = ctx.memory(|m| m.focused()) else {
        return;
    };
    let Some(response) = ctx.read_response(id) else {
        return;
    };
    let color = if ctx.global_style().visuals.dark_mode {
        Color32::from_rgb(0x8A, 0xB4, 0xF8)
    } else {
        Color32::from_rgb(0x0B, 0x57, 0xD0)
    };
    let painter = ctx.layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("keyboard-focus-ring"),
    ));
    painter.rect_stroke(
        response.rect.expand(2.0),
        3.0,
        egui::Stroke::new(2.5, color),
        egui::StrokeKind::Outside,
    );
}
