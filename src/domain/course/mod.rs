//! A treatment course over time (`ketaplan.course/1`): sessions as ordered and as given,
//! their follow-ups and LFT results, and what is derived from them through the engine's own
//! rules — the yearly count that feeds `treatments_past_12_months`, cumulative dose,
//! response, durability, exposure and the course findings. Nothing derived is ever stored.

mod calls;
mod document;
mod exposure;
mod file;
mod lft;
mod lft_result;
mod new_session;
mod next_visit;
mod reapply;
mod summary;

pub use calls::{
    CallDue, follow_up_call_due_on, follow_up_calls_due, latest_session_date_with_call_due,
    matches_search,
};
pub use document::{
    AuditEntry, BedsideRecord, COURSE_SCHEMA, CourseDocument, CourseIdentity, FlowsheetRow, Given,
    OrderedPlan, RateChange, RescueGiven, Session,
};
pub use exposure::{
    exposure_end, highest_mg_per_kg_per_h, is_high_dose_or_prolonged, is_prolonged, records_any,
    reexposure_within, urinary_on_record,
};
pub use file::{course_to_ron, parse_course, validate_course_values};
pub use lft::{LftAssessment, LftReference, LftRise, assess_lft, check_lft_value, validate_lft};
pub use lft_result::{Enzyme, LftResult};
pub use new_session::{NewSessionError, case_identity, session_from_plan};
pub use next_visit::next_visit_case;
pub use reapply::{Reapplied, reapply_edits};
pub use summary::{
    COURSE_SUMMARY_SCHEMA, CourseSummary, SessionResponse, sessions_in_window, summarize,
};
