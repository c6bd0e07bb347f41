//! The application shell: state, page routing, preferences.

use crate::domain::Protocol;

pub struct KetaplanApp {
    protocol: Result<Protocol, String>,
}

impl KetaplanApp {
    pub fn new(_cc: &eframe::CreationContext<'_>) -> Self {
        Self::with_protocol(Protocol::built_in().map_err(|e| e.to_string()))
    }

    pub fn with_protocol(protocol: Result<Protocol, String>) -> Self {
        Self { protocol }
    }

    pub fn ui_contents(&mut self, ui: &mut egui::Ui) {
        ui.heading("ketaplan");
        match &self.protocol {
            Ok(p) => {
                ui.label(format!(
                    "Protocol {} {} (sha256 {})",
                    p.pack.id,
                    p.pack.version,
                    p.short_sha256()
                ));
            }
            Err(e) => {
                ui.colored_label(egui::Color32::RED, format!("Protocol pack error: {e}"));
            }
        }
        ui.label("Decision aid, not a medical device: a clinician verifies every order.");
    }
}

impl eframe::App for KetaplanApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| self.ui_contents(ui));
    }
}
