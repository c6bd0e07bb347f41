//! The typed-path prompt for course files, with the system dialog behind "Browse…".

use super::*;

/// The typed-path prompt for course files (with an optional system dialog behind "Browse…").
pub struct CoursePrompt {
    pub save: bool,
    pub entry: PathEntryState,
    browse: Option<DialogThread>,
}

impl CoursePrompt {
    pub fn new(save: bool, text: String) -> Self {
        Self {
            save,
            entry: PathEntryState::new(text),
            browse: None,
        }
    }

    pub fn title(&self) -> &'static str {
        if self.save {
            "Save the course as"
        } else {
            "Open a course"
        }
    }

    pub fn path_label(&self) -> &'static str {
        if self.save {
            "Path to save the course to"
        } else {
            "Path of the course file to open"
        }
    }

    pub fn confirm_text(&self) -> &'static str {
        if self.save {
            "Save the course to this path"
        } else {
            "Open this course"
        }
    }

    /// Start the platform's file dialog on its own thread.
    pub fn browse(&mut self, ctx: &egui::Context) {
        let save = self.save;
        let start = PathBuf::from(self.entry.text.trim());
        let thread = DialogThread::spawn("ketaplan-course-dialog", ctx.clone(), move || {
            let mut dialog = rfd::AsyncFileDialog::new()
                .add_filter("ketaplan course", &[COURSE_EXTENSION])
                .add_filter("All files", &["*"]);
            if let Some(dir) = start.parent().filter(|d| d.is_dir()) {
                dialog = dialog.set_directory(dir);
            }
            let chosen = if save {
                block_on(dialog.save_file())
            } else {
                block_on(dialog.pick_file())
            };
            chosen.map(|h| h.path().to_path_buf())
        });
        if thread.is_some() {
            self.browse = thread;
        } else {
            self.entry.problem =
                Some("No system file dialog is available here: type the path.".into());
        }
    }

    /// A path chosen in the system dialog fills the entry.
    pub fn poll_browse(&mut self) {
        let Some(thread) = &self.browse else {
            return;
        };
        match thread.poll() {
            DialogPoll::Chosen(path) => {
                self.entry.text = path.display().to_string();
                self.browse = None;
            }
            DialogPoll::Cancelled { elapsed } => {
                if elapsed < NO_DIALOG_WITHIN {
                    self.entry.problem =
                        Some("No system file dialog is available here: type the path.".into());
                }
                self.browse = None;
            }
            DialogPoll::Waiting => {}
        }
    }

    pub fn browsing(&self) -> bool {
        self.browse.is_some()
    }
}
