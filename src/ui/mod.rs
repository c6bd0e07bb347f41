//! The desktop app (egui/eframe). Reads a Plan; never computes clinical values itself.
pub mod actions;
pub mod app;
pub mod clinic_desk;
pub mod course_state;
pub mod draft;
pub mod export_dialog;
pub mod file_dialog;
pub mod files;
pub mod live;
pub mod order_export;
pub mod pages;
pub mod prefs;
pub mod text_widget;
pub mod theme;
pub mod verdict;
pub mod widgets;

pub use app::KetaplanApp;

/// Open the main window. Returns when the window is closed.
pub fn run() -> Result<(), eframe::Error> {
    run_opening(None)
}

/// Open the main window with a file (`ketaplan FILE`, a double-click in the file manager):
/// a course file in the Course view, a case in the wizard; one that cannot be opened says
/// why in the window.
pub fn run_opening(file: Option<std::path::PathBuf>) -> Result<(), eframe::Error> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("ketaplan")
            .with_app_id("ketaplan")
            .with_inner_size([1200.0, 800.0])
            .with_min_inner_size([800.0, 600.0]),
        ..Default::default()
    };
    eframe::run_native(
        "ketaplan",
        options,
        Box::new(move |cc| {
            let mut app = KetaplanApp::new(cc);
            if let Some(path) = &file {
                app.open_at_start(path);
            }
            Ok(Box::new(app))
        }),
    )
}
