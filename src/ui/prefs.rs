//! Preferences: what a clinic sets once. Kept in eframe's storage, which is not owner-only,
//! so nothing here may hold patient data (cases and the restore file live elsewhere).

use crate::domain::Protocol;
use crate::domain::protocol::TrustedKey;
use crate::ui::draft::{CaseDraft, WeightUnitChoice};
use serde::{Deserialize, Serialize};

/// The key of the preferences in eframe's storage.
pub const STORAGE_KEY: &str = "ketaplan.preferences";

/// Zoom limits: below 0.5 text is unreadable, above 3 the pages no longer fit.
pub const ZOOM_MIN: f32 = 0.5;
pub const ZOOM_MAX: f32 = 3.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ThemeChoice {
    #[default]
    Light,
    Dark,
}

impl ThemeChoice {
    pub fn egui_theme(self) -> egui::Theme {
        match self {
            ThemeChoice::Light => egui::Theme::Light,
            ThemeChoice::Dark => egui::Theme::Dark,
        }
    }
}

/// Every field has a default, so preferences written by an older version (or a damaged
/// entry) never stop the app from starting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    /// The weight unit a new case starts with.
    pub weight_unit: WeightUnitChoice,
    /// A standard concentration (mg/mL) a new case starts with; used only while the pack
    /// in use lists it.
    pub default_concentration_mg_per_ml: Option<f64>,
    /// Printed on the order; filled into new cases.
    pub clinic_name: String,
    /// The clinic's telephone: printed on the handout and the order; filled into new cases.
    pub clinic_phone: String,
    pub theme: ThemeChoice,
    /// egui zoom factor (Ctrl + / Ctrl − / Ctrl 0).
    pub zoom_factor: f32,
    /// Where the last case was opened or saved; file dialogs start there.
    pub last_folder: Option<String>,
    /// A clinic's protocol pack (`.ron`); `None` is the built-in pack.
    pub protocol_path: Option<String>,
    /// The text of each public key (`KEY.pub`) the clinic approves packs with. While any is
    /// set, a clinic pack is used only if its signature verifies against one of them.
    pub trusted_keys: Vec<String>,
    /// The printer orders are sent to (`lp -d`); `None` is the system's default printer.
    pub printer: Option<String>,
    /// Paper size of the printed order.
    pub paper: PaperChoice,
    /// Open the PDF with the desktop's viewer after exporting it.
    pub open_after_export: bool,
    /// Export and print the patient's discharge handout with the order.
    pub export_handout: bool,
    /// The clinic database: `None` is this computer's `clinic.db`; else a server URL
    /// (`postgres://USER@HOST:PORT/DB`), never with a password.
    pub clinic_database: Option<String>,
    /// Minutes without input after which a signed-in workstation locks (asks the password
    /// again, everything kept open).
    pub lock_after_minutes: u32,
}

/// Paper size of the order (kept here rather than `order::Paper`, which has no serde).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum PaperChoice {
    #[default]
    A4,
    Letter,
}

impl PaperChoice {
    pub fn paper(self) -> crate::order::Paper {
        match self {
            PaperChoice::A4 => crate::order::Paper::A4,
            PaperChoice::Letter => crate::order::Paper::Letter,
        }
    }
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            weight_unit: WeightUnitChoice::Kg,
            default_concentration_mg_per_ml: None,
            clinic_name: String::new(),
            clinic_phone: String::new(),
            theme: ThemeChoice::Light,
            zoom_factor: 1.0,
            last_folder: None,
            protocol_path: None,
            trusted_keys: Vec::new(),
            printer: None,
            paper: PaperChoice::A4,
            open_after_export: false,
            export_handout: true,
            clinic_database: None,
            lock_after_minutes: LOCK_AFTER_MINUTES_DEFAULT,
        }
    }
}

impl Preferences {
    /// Read from eframe's storage; anything missing or unreadable falls back to defaults.
    pub fn load(storage: Option<&dyn eframe::Storage>) -> Self {
        let mut prefs: Preferences = storage
            .and_then(|s| eframe::get_value(s, STORAGE_KEY))
            .unwrap_or_default();
        prefs.zoom_factor = clamp_zoom(prefs.zoom_factor);
        prefs.lock_after_minutes = prefs.lock_after_minutes.clamp(1, LOCK_AFTER_MINUTES_MAX);
        prefs
    }

    /// The trusted keys, parsed; a stored text that is not a key is named by its place.
    pub fn trusted_keys(&self) -> Result<Vec<TrustedKey>, String> {
        self.trusted_keys
            .iter()
            .enumerate()
            .map(|(i, text)| {
                TrustedKey::from_text(text)
                    .map_err(|e| format!("trusted key {} in Preferences: {e}", i + 1))
            })
            .collect()
    }

    pub fn store(&self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, self);
    }

    /// A fresh case with the clinic's defaults filled in.
    pub fn new_draft(&self, protocol: Option<&Protocol>, today: chrono::NaiveDate) -> CaseDraft {
        let mut draft = CaseDraft::new(today);
        draft.weight_unit = self.weight_unit;
        draft.clinic = self.clinic_name.trim().to_string();
        draft.clinic_phone = self.clinic_phone.trim().to_string();
        // Only a concentration the pack in use offers; another pack may not list it.
        if let (Some(mg_per_ml), Some(protocol)) = (self.default_concentration_mg_per_ml, protocol)
            && protocol
                .pack
                .concentrations
                .iter()
                .any(|c| c.mg_per_ml == mg_per_ml)
        {
            draft.concentration_mg_per_ml =
                crate::order::format::number(mg_per_ml).replace(',', "");
        }
        draft
    }
}

/// The idle lock of step 12: ten minutes, as the issue asks.
pub const LOCK_AFTER_MINUTES_DEFAULT: u32 = 10;
/// The longest idle lock a workstation may be given (a shared workstation must lock).
pub const LOCK_AFTER_MINUTES_MAX: u32 = 60;

/// A zoom factor the app can draw with (NaN and extremes from a damaged file are reset).
pub fn clamp_zoom(zoom: f32) -> f32 {
    if zoom.is_finite() {
        zoom.clamp(ZOOM_MIN, ZOOM_MAX)
    } else {
        1.0
    }
}
