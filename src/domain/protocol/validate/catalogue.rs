//! The pack's catalogue: findings, alerts and conditions unique and complete (every code of
//! the contract present), and every code a list names defined.

use super::checker::PackChecker;
use crate::domain::protocol::codes::{
    ALERT_CODES, CONTRACT_CONDITIONS, CONTRACT_SCREENING_CODES, COURSE_FINDING_CODES,
    RULE_FINDING_CODES,
};
use crate::domain::protocol::{Escalation, EscalationWhen, ProtocolPack};
use std::collections::BTreeSet;

/// Findings: unique codes, their texts, and every contract, rule and course code present.
/// Returns the codes seen.
pub(super) fn validate_findings<'a>(
    p: &'a ProtocolPack,
    c: &mut PackChecker<'_>,
) -> BTreeSet<&'a str> {
    // Findings: unique codes, non-empty text, every contract code present.
    let mut seen = BTreeSet::new();
    for f in &p.findings {
        let path = format!("findings[{}]", f.code);
        if f.code.trim().is_empty() {
            c.error("findings.code", "a finding has an empty code");
        } else if !seen.insert(f.code.as_str()) {
            c.error(&path, format!("duplicate code {}", f.code));
        }
        c.non_empty(&format!("{path}.title"), &f.title);
        c.non_empty(&format!("{path}.message"), &f.message);
        c.non_empty(&format!("{path}.source"), &f.source);
        if let Some(q) = &f.screening {
            c.non_empty(&format!("{path}.screening.question"), &q.question);
            c.non_empty(&format!("{path}.screening.group"), &q.group);
        }
        if let Some(e) = &f.escalation {
            c.non_empty(&format!("{path}.escalation.message"), &e.message);
            c.non_empty(&format!("{path}.escalation.source"), &e.source);
            if e.severity >= f.severity {
                c.error(
                    &format!("{path}.escalation.severity"),
                    "an escalation must be more severe than the finding's own severity",
                );
            }
        }
    }
    for code in CONTRACT_SCREENING_CODES {
        match p.findings.iter().find(|f| f.code == code) {
            None => c.error("findings", format!("screening code {code} is missing")),
            Some(f) if f.screening.is_none() => c.error(
                &format!("findings[{code}].screening"),
                "a contract screening code needs its screening question",
            ),
            Some(_) => {}
        }
    }
    for code in RULE_FINDING_CODES {
        if !seen.contains(code) {
            c.error("findings", format!("rule finding {code} is missing"));
        }
    }
    for code in COURSE_FINDING_CODES {
        if !seen.contains(code) {
            c.error("findings", format!("course finding {code} is missing"));
        }
    }
    seen
}

/// Escalations and code lists name screening codes the pack defines.
pub(super) fn validate_code_references(p: &ProtocolPack, c: &mut PackChecker<'_>) {
    for f in &p.findings {
        if let Some(Escalation {
            when: EscalationWhen::WithCode(other),
            ..
        }) = &f.escalation
            && !p
                .findings
                .iter()
                .any(|g| &g.code == other && g.screening.is_some())
        {
            c.error(
                &format!("findings[{}].escalation.when", f.code),
                format!("unknown screening code {other}"),
            );
        }
    }
    let screening_exists = |code: &str| {
        p.findings
            .iter()
            .any(|f| f.code == code && f.screening.is_some())
    };
    for (list, codes) in [
        ("course.day_to_day_codes", &p.course.day_to_day_codes),
        (
            "follow_on.abuse_caution.when_codes",
            &p.follow_on.abuse_caution.when_codes,
        ),
        ("monitoring.lowering_codes", &p.monitoring.lowering_codes),
        ("tests.ecg_codes", &p.tests.ecg_codes),
        ("tests.lft_codes", &p.tests.lft_codes),
    ] {
        for code in codes {
            if !screening_exists(code) {
                c.error(&format!("{list}[{code}]"), "unknown screening code");
            }
        }
    }
}

/// Alerts and conditions: unique, complete, and a condition's finding among `seen`.
pub(super) fn validate_alerts_and_conditions(
    p: &ProtocolPack,
    c: &mut PackChecker<'_>,
    seen: &BTreeSet<&str>,
) {
    // Alerts: unique, every contract alert present with its kind.
    let mut seen_alerts = BTreeSet::new();
    for a in &p.alerts {
        let path = format!("alerts[{}]", a.code);
        if !seen_alerts.insert(a.code.as_str()) {
            c.error(&path, format!("duplicate code {}", a.code));
        }
        c.non_empty(&format!("{path}.title"), &a.title);
        c.non_empty(&format!("{path}.message"), &a.message);
        c.non_empty(&format!("{path}.source"), &a.source);
    }
    for (code, kind) in ALERT_CODES {
        match p.alerts.iter().find(|a| a.code == code) {
            None => c.error("alerts", format!("alert {code} is missing")),
            Some(a) if a.kind != kind => c.error(
                &format!("alerts[{code}].kind"),
                format!("must be {}", kind.as_str()),
            ),
            Some(_) => {}
        }
    }

    // Conditions.
    let mut seen_conditions = BTreeSet::new();
    for cond in &p.conditions {
        let path = format!("conditions[{}]", cond.code);
        if !seen_conditions.insert(cond.code.as_str()) {
            c.error(&path, format!("duplicate code {}", cond.code));
        }
        c.non_empty(&format!("{path}.name"), &cond.name);
        c.non_empty(&format!("{path}.grade"), &cond.grade);
        c.non_empty(&format!("{path}.certainty"), &cond.certainty);
        c.non_empty(&format!("{path}.source"), &cond.source);
        if let Some(code) = &cond.finding
            && !seen.contains(code.as_str())
        {
            c.error(
                &format!("{path}.finding"),
                format!("unknown finding {code}"),
            );
        }
    }
    for code in CONTRACT_CONDITIONS {
        if !seen_conditions.contains(code) {
            c.error("conditions", format!("condition {code} is missing"));
        }
    }
}
