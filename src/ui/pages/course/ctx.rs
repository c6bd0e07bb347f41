//! What the Course page reads from the app (one borrow of it, passed to every part).

use crate::domain::Protocol;
use crate::ui::live::Live;
use chrono::NaiveDate;

/// What the Course page reads from the app.
pub struct CourseCtx<'a> {
    pub protocol: &'a Protocol,
    pub live: &'a Live,
    pub today: NaiveDate,
    /// The app's recent-files list (course files among them).
    pub recent: &'a [String],
    /// The case on the Case pages has unsaved changes.
    pub case_dirty: bool,
    /// The paper printed documents are laid out for (Preferences).
    pub paper: crate::order::Paper,
    /// Why the signed-in user may not record flowsheets, what was given, follow-ups and
    /// liver tests (a pharmacist, an admin); `None` when they may, or no one signs in here.
    pub bedside_refused: Option<String>,
}
