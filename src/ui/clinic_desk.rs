//! The clinic database as the app uses it: one worker thread owns the connection, so a
//! slow or unreachable server never freezes a frame; the UI sends jobs and polls replies.
//! A lost connection is reopened on the next job (the status bar says so meanwhile).

use crate::store::db::{DbError, DbUrl};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use worker::{Worker, first_error, reply_unreachable};

mod worker;

pub use worker::{Job, Reply, SEARCH_LIMIT};

/// Whether the database answered the last job.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Reach {
    #[default]
    NotAsked,
    Reached,
    /// The reason, with the URL redacted; the next job tries again.
    Unreachable(String),
    /// The server wants a password (none given, or a wrong one): the app asks for it.
    NeedsPassword(String),
}

/// The app's side: sends jobs, collects replies each frame.
#[derive(Default)]
pub struct ClinicDesk {
    url: Option<DbUrl>,
    /// The server password typed at the prompt; never written anywhere.
    password: Option<String>,
    jobs: Option<Sender<Job>>,
    replies: Option<Receiver<Reply>>,
    /// Jobs sent and not answered yet.
    pub waiting: usize,
    /// Replies that arrived while `send_and_wait` waited for its own (given out by `poll`).
    held: Vec<Reply>,
    pub reach: Reach,
}

impl ClinicDesk {
    /// Use the database at `url` (the worker starts on the first job).
    pub fn connect(&mut self, url: DbUrl) {
        if self.url.as_ref() != Some(&url) {
            *self = ClinicDesk {
                url: Some(url),
                ..ClinicDesk::default()
            };
        }
    }

    /// Use this server password from now on (the worker reconnects with it).
    pub fn set_password(&mut self, password: String) {
        *self = ClinicDesk {
            url: self.url.take(),
            password: Some(password),
            ..ClinicDesk::default()
        };
    }

    pub fn url(&self) -> Option<&DbUrl> {
        self.url.as_ref()
    }

    /// Send a job; false (and the reason in `reach`) when there is no database to send to.
    pub fn send(&mut self, job: Job, ctx: &egui::Context) -> bool {
        if self.jobs.is_none() {
            let Some(url) = self.url.clone() else {
                self.reach = Reach::Unreachable("no clinic database is set in Preferences".into());
                return false;
            };
            let password = self.password.clone();
            let (job_tx, job_rx) = mpsc::channel::<Job>();
            let (reply_tx, reply_rx) = mpsc::channel::<Reply>();
            let wake = ctx.clone();
            let started = std::thread::Builder::new()
                .name("ketaplan-clinic-db".into())
                .spawn(move || {
                    let mut worker = Worker {
                        url,
                        password,
                        db: None,
                    };
                    for job in job_rx {
                        if reply_tx.send(worker.run(job)).is_err() {
                            break;
                        }
                        wake.request_repaint();
                    }
                });
            if let Err(e) = started {
                self.reach =
                    Reach::Unreachable(format!("could not start the database worker: {e}"));
                return false;
            }
            self.jobs = Some(job_tx);
            self.replies = Some(reply_rx);
        }
        let sent = self.jobs.as_ref().is_some_and(|tx| tx.send(job).is_ok());
        if sent {
            self.waiting += 1;
        } else {
            self.jobs = None;
            self.reach = Reach::Unreachable("the database worker stopped; try again".into());
        }
        sent
    }

    /// Send a job and wait up to `timeout` for its answer (the jobs before it are answered
    /// first, in order; their replies are kept for the next `poll`). `None`: no answer.
    pub fn send_and_wait(
        &mut self,
        job: Job,
        ctx: &egui::Context,
        timeout: std::time::Duration,
    ) -> Option<Reply> {
        let ahead = self.waiting;
        if !self.send(job, ctx) {
            return None;
        }
        let deadline = std::time::Instant::now() + timeout;
        let mut received = std::mem::take(&mut self.held);
        let already = received.len();
        while received.len() < already + ahead + 1 && std::time::Instant::now() < deadline {
            received.extend(self.poll_channel());
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        let answer = if received.len() == already + ahead + 1 {
            received.pop()
        } else {
            None
        };
        self.held = received;
        answer
    }

    /// The replies that arrived since the last frame.
    pub fn poll(&mut self) -> Vec<Reply> {
        let mut replies = std::mem::take(&mut self.held);
        replies.extend(self.poll_channel());
        replies
    }

    fn poll_channel(&mut self) -> Vec<Reply> {
        let mut replies = Vec::new();
        if let Some(rx) = &self.replies {
            loop {
                match rx.try_recv() {
                    Ok(reply) => replies.push(reply),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        self.jobs = None;
                        self.replies = None;
                        break;
                    }
                }
            }
        }
        for reply in &replies {
            self.waiting = self.waiting.saturating_sub(1);
            self.reach = if reply_unreachable(reply) {
                match first_error(reply) {
                    Some(DbError::NeedsPassword(reason)) => Reach::NeedsPassword(reason.clone()),
                    other => Reach::Unreachable(other.map(ToString::to_string).unwrap_or_default()),
                }
            } else {
                Reach::Reached
            };
        }
        replies
    }

    /// Wait for the replies to every job sent (tests; the app polls).
    pub fn wait_all(&mut self, timeout: std::time::Duration) -> Vec<Reply> {
        let deadline = std::time::Instant::now() + timeout;
        let mut replies = Vec::new();
        while self.waiting > 0 && std::time::Instant::now() < deadline {
            replies.extend(self.poll());
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        replies
    }
}
