//! The verdict as the screens show it: the engine's `proceed`, but never a green "yes"
//! while screening questions are open, and "yes, with justification" once every reason is in.

use crate::domain::findings::{Proceed, codes_needing_justification};
use crate::domain::{Case, Plan};
use crate::ui::theme;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A [stop] finding or a hard limit: nothing else matters.
    No,
    /// Screening questions are still open.
    Pending {
        unanswered: usize,
    },
    /// [avoid] findings or soft limits without their reason.
    NeedsJustification {
        missing: usize,
    },
    /// Every reason is given.
    YesWithJustification,
    Yes,
}

impl Verdict {
    pub fn of(plan: &Plan, case: Option<&Case>) -> Verdict {
        if plan.proceed == Proceed::No {
            return Verdict::No;
        }
        if !plan.unanswered_screening.is_empty() {
            return Verdict::Pending {
                unanswered: plan.unanswered_screening.len(),
            };
        }
        if plan.proceed == Proceed::Yes {
            return Verdict::Yes;
        }
        let missing = codes_needing_justification(&plan.findings, &plan.limit_alerts)
            .iter()
            .filter(|code| !case.is_some_and(|c| c.justifications.contains_key(*code)))
            .count();
        if missing == 0 {
            Verdict::YesWithJustification
        } else {
            Verdict::NeedsJustification { missing }
        }
    }

    pub fn text(self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        match self {
            Verdict::No => "Proceed: NO — do not start".into(),
            Verdict::Pending { unanswered } => format!(
                "Pending: {} unanswered",
                plural(unanswered, "question", "questions")
            ),
            Verdict::NeedsJustification { missing } => format!(
                "Proceed: needs justification ({} missing)",
                plural(missing, "reason", "reasons")
            ),
            Verdict::YesWithJustification => "Proceed: yes, with justification".into(),
            Verdict::Yes => "Proceed: yes".into(),
        }
    }

    pub fn color(self) -> egui::Color32 {
        match self {
            Verdict::No => theme::STOP,
            Verdict::Pending { .. } => theme::CAUTION,
            Verdict::NeedsJustification { .. } => theme::AVOID,
            Verdict::YesWithJustification | Verdict::Yes => theme::OK,
        }
    }

    pub fn icon(self) -> theme::Icon {
        match self {
            Verdict::No => theme::ICON_STOP,
            Verdict::Pending { .. } | Verdict::NeedsJustification { .. } => theme::ICON_WARN,
            Verdict::YesWithJustification | Verdict::Yes => theme::ICON_OK,
        }
    }
}
