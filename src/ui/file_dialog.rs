//! The platform's file dialogs, run off the UI thread and polled each frame, and the
//! typed-path prompt offered when there is no dialog (as under Xvfb).

use crate::ui::widgets::path_entry::PathEntryState;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

/// What a file dialog is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogKind {
    OpenCase,
    SaveCase,
    OpenProtocol,
}

impl DialogKind {
    pub fn title(self) -> &'static str {
        match self {
            DialogKind::OpenCase => "Open a case",
            DialogKind::SaveCase => "Save the case as",
            DialogKind::OpenProtocol => "Use a clinic protocol pack",
        }
    }

    /// The accessible label of the typed-path entry and the confirm button's text.
    pub fn path_label(self) -> &'static str {
        match self {
            DialogKind::OpenCase => "Path of the case file to open",
            DialogKind::SaveCase => "Path to save the case to",
            DialogKind::OpenProtocol => "Path of the protocol pack (.ron)",
        }
    }

    pub fn confirm_text(self) -> &'static str {
        match self {
            DialogKind::OpenCase => "Open this file",
            DialogKind::SaveCase => "Save to this path",
            DialogKind::OpenProtocol => "Load this pack",
        }
    }
}

/// A native dialog answers "no file" faster than a person can click Cancel when there is
/// no dialog to show (no portal, as under Xvfb): then the typed path is offered instead.
pub const NO_DIALOG_WITHIN: Duration = Duration::from_millis(400);

/// A platform file dialog running on its own thread; the UI polls it each frame.
pub struct DialogThread {
    started: Instant,
    receiver: Receiver<Option<PathBuf>>,
}

impl DialogThread {
    /// Run `show` (the platform's dialog; it blocks until closed) on a thread named `name`.
    /// `ctx` is woken when it closes. `None` when no thread could be started.
    pub fn spawn(
        name: &str,
        ctx: egui::Context,
        show: impl FnOnce() -> Option<PathBuf> + Send + 'static,
    ) -> Option<Self> {
        let (sender, receiver) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let _ = sender.send(show());
                ctx.request_repaint();
            });
        spawned.ok().map(|_| DialogThread {
            started: Instant::now(),
            receiver,
        })
    }

    /// No thread, no dialog: reports "closed" at once → typed path.
    pub fn closed() -> Self {
        DialogThread {
            started: Instant::now(),
            receiver: mpsc::channel().1,
        }
    }

    pub fn poll(&self) -> DialogPoll {
        match self.receiver.try_recv() {
            Ok(Some(path)) => DialogPoll::Chosen(path),
            Ok(None) | Err(TryRecvError::Disconnected) => DialogPoll::Cancelled {
                elapsed: self.started.elapsed(),
            },
            Err(TryRecvError::Empty) => DialogPoll::Waiting,
        }
    }
}

/// A native file dialog for a case or a protocol pack.
pub struct NativeDialog {
    pub kind: DialogKind,
    thread: DialogThread,
}

pub enum DialogPoll {
    Waiting,
    Chosen(PathBuf),
    /// Closed without a file, after `elapsed`.
    Cancelled {
        elapsed: Duration,
    },
}

impl NativeDialog {
    /// Show the platform's dialog without blocking the frame. `ctx` is woken when it closes.
    pub fn spawn(
        kind: DialogKind,
        folder: Option<PathBuf>,
        file_name: Option<String>,
        ctx: egui::Context,
    ) -> NativeDialog {
        let thread = DialogThread::spawn("ketaplan-file-dialog", ctx, move || {
            let mut dialog = rfd::AsyncFileDialog::new().set_title(kind.title());
            dialog = match kind {
                DialogKind::OpenCase | DialogKind::SaveCase => dialog
                    .add_filter("ketaplan case", &["ron", "json"])
                    .add_filter("All files", &["*"]),
                DialogKind::OpenProtocol => dialog.add_filter("Protocol pack", &["ron"]),
            };
            if let Some(folder) = folder.filter(|f| f.is_dir()) {
                dialog = dialog.set_directory(folder);
            }
            if let Some(name) = file_name {
                dialog = dialog.set_file_name(name);
            }
            let chosen = match kind {
                DialogKind::SaveCase => block_on(dialog.save_file()),
                DialogKind::OpenCase | DialogKind::OpenProtocol => block_on(dialog.pick_file()),
            };
            chosen.map(|h| h.path().to_path_buf())
        });
        NativeDialog {
            kind,
            thread: thread.unwrap_or_else(DialogThread::closed),
        }
    }

    pub fn poll(&self) -> DialogPoll {
        self.thread.poll()
    }
}

/// Run a future to completion on this thread (the dialog thread; never the UI thread).
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    struct ThreadWaker(std::thread::Thread);
    impl Wake for ThreadWaker {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(out) => return out,
            Poll::Pending => std::thread::park(),
        }
    }
}

/// The typed-path dialog (always available; the only one when there is no native dialog).
#[derive(Debug, Clone, PartialEq)]
pub struct PathPrompt {
    pub kind: DialogKind,
    /// The path typed; on Save, `confirm_replace` means the old file is kept as `.bak`.
    pub entry: PathEntryState,
    /// Why the typed path is shown ("no file dialog is available here").
    pub note: Option<String>,
}

impl PathPrompt {
    pub fn new(kind: DialogKind, text: String, note: Option<String>) -> Self {
        Self {
            kind,
            entry: PathEntryState::new(text),
            note,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_on_runs_a_ready_future() {
        assert_eq!(block_on(async { 7 }), 7);
    }
}
