//! Helpers shared by the UI tests (egui_kittest, no GPU): the built-in pack, the vignettes,
//! the app on the vignettes' order date, the harness and typing into labelled entries.
//! Each test file uses some of them.
#![allow(dead_code)]

pub mod course_view;
pub mod engine;

use chrono::NaiveDate;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use ketaplan::domain::course::OrderedPlan;
use ketaplan::domain::{Plan, Protocol};
use ketaplan::ui::KetaplanApp;
use serde_json::Value;
use std::path::Path;

pub const P01: &str = "tests/cases/p01-crps-contract-example-lb-positive.case.json";

pub fn protocol() -> Protocol {
    Protocol::built_in().unwrap_or_else(|e| panic!("built-in pack: {e}"))
}

pub fn read_case(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The order date of the vignettes (p01 was weighed on 2026-11-20).
pub fn order_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default()
}

/// What a session records of the engine's plan for its case (no order number).
pub fn ordered_plan(p: &Protocol, planned: &Plan) -> OrderedPlan {
    OrderedPlan {
        protocol_id: p.pack.id.to_string(),
        protocol_sha256: p.sha256.to_string(),
        order_number: None,
        infusion_mg_per_h: planned.infusion_mg_per_h,
        pump_ml_per_h: planned.pump_ml_per_h,
        max_infusion_mg_per_kg_per_h: planned.max_infusion_mg_per_kg_per_h,
        total_mg: planned.total_mg,
        monitoring_tier: planned.monitoring_tier.as_str().to_string(),
        dosing_weight_kg: Some(planned.dosing_weight_kg),
    }
}

pub fn new_app() -> KetaplanApp {
    let mut app = KetaplanApp::with_protocol(Ok(protocol()));
    app.set_today(order_day());
    app
}

pub fn harness(app: KetaplanApp) -> Harness<'static, KetaplanApp> {
    harness_with_height(app, 3200.0)
}

/// Tall enough that no page needs scrolling, so every widget can be clicked.
pub fn harness_with_height(app: KetaplanApp, height: f32) -> Harness<'static, KetaplanApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, height))
        .with_max_steps(32)
        .build_ui_state(|ui, app: &mut KetaplanApp| app.ui_contents(ui), app);
    h.run();
    h
}

pub fn click(h: &mut Harness<'_, KetaplanApp>, label: &str) {
    h.get_by_label(label).click();
    h.run();
}

/// Click without waiting for the frames to settle: a spinner turns while the clinic
/// database answers on its own thread (follow with `wait_for`).
pub fn press(h: &mut Harness<'_, KetaplanApp>, label: &str) {
    h.get_by_label(label).click();
    h.step();
}

/// Draw frames until `label` shows (the database answers on its own thread). The limit is
/// generous: with every test binary running at once a debug import can take seconds.
pub fn wait_for(h: &mut Harness<'_, KetaplanApp>, label: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::time::Instant::now() < deadline {
        h.step();
        if has_label_containing(h, label) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("{label:?} never appeared");
}

pub fn keys(h: &mut Harness<'_, KetaplanApp>, modifiers: egui::Modifiers, key: egui::Key) {
    h.key_press_modifiers(modifiers, key);
    h.run();
}

/// Replace the text of the entry labelled `label` (focus, select all, type).
pub fn type_into(h: &mut Harness<'_, KetaplanApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

pub fn has_label_containing(h: &Harness<'_, KetaplanApp>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

pub fn has_label(h: &Harness<'_, KetaplanApp>, text: &str) -> bool {
    h.query_all_by_label(text).next().is_some()
}

pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"))
}

#[cfg(unix)]
pub fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .map(|m| m.permissions().mode() & 0o777)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// eframe's storage, in memory.
#[derive(Default)]
pub struct MemoryStorage(pub std::collections::HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_string(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

/// The resources of a FHIR Bundle (JSON) of one type, in entry order.
pub fn fhir_resources<'a>(bundle: &'a Value, kind: &str) -> Vec<&'a Value> {
    bundle["entry"]
        .as_array()
        .map(|e| {
            e.iter()
                .map(|e| &e["resource"])
                .filter(|r| r["resourceType"] == kind)
                .collect()
        })
        .unwrap_or_default()
}
