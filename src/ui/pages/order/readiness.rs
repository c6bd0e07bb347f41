//! Whether the order can print: the sheet built from the live plan (ready, with its
//! identity and handout) or the contract's refusals, each with the field that resolves it.

use crate::domain::Protocol;
use crate::domain::findings::DoseField;
use crate::domain::order_identity::{OrderLedger, PrintIdentity, order_content_sha256};
use crate::domain::plan::Plan;
use crate::domain::protocol::{AlertKind, Severity};
use crate::domain::roles::Act;
use crate::domain::signature::{OrderSignature, SignatureKind, prescriber_refusal};
use crate::order::{Handout, OrderOptions, OrderSheet, Refusal, RefusalReason};
use crate::store::db::UserRow;
use crate::ui::actions::Page;
use crate::ui::draft::CaseDraft;
use crate::ui::live::{Blocker, Live, alert_field_path};
use crate::ui::prefs::Preferences;
use chrono::NaiveDate;

/// A reason the order cannot be exported, with the field that resolves it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    /// Contract path (as in the wizard's missing items), for the link.
    pub field: String,
    pub text: String,
    /// The plan itself says no (a [stop] finding or a hard limit).
    pub stops: bool,
}

impl Reason {
    pub fn page(&self) -> Page {
        Page::for_field(&self.field)
    }
}

/// A sheet that may be exported: what the preview shows and the PDF will hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Ready {
    pub sheet: OrderSheet,
    /// `order::text::lines(&sheet)`: the preview.
    pub lines: Vec<String>,
    /// How the next export or print is labelled (from the ledger).
    pub identity: PrintIdentity,
    pub valid_on: NaiveDate,
    pub mrn: String,
    /// The patient's discharge handout, dated the day the order is valid for.
    pub handout: Handout,
    /// Why the handout cannot be made (no clinic 24-hour telephone), if so.
    pub handout_refused: Option<String>,
    /// The prescriber's electronic signature the sheet carries when it is signed now.
    pub signing: Option<OrderSignature>,
    /// Every electronic signature the sheet prints.
    pub signatures: Vec<OrderSignature>,
}

/// The electronic signatures an order is built with.
#[derive(Default, Clone, Copy)]
pub struct Signing<'a> {
    /// Every signature the clinic's ledger holds (a COPY prints its order's).
    pub held: &'a [OrderSignature],
    /// "Sign and export": the signed-in physician who signs this print.
    pub sign_as: Option<&'a UserRow>,
}

/// What the Order page shows.
#[derive(Debug, Clone, PartialEq)]
pub enum OrderState {
    /// No protocol pack: nothing to show.
    NoProtocol,
    /// The case is not a valid case yet: the wizard's missing items.
    Incomplete(Vec<Reason>),
    /// A valid case the contract refuses to print: its refusals.
    Refused(Vec<Reason>),
    Ready(Box<Ready>),
}

impl OrderState {
    pub fn reasons(&self) -> &[Reason] {
        match self {
            OrderState::Incomplete(r) | OrderState::Refused(r) => r,
            _ => &[],
        }
    }

    pub fn ready(&self) -> Option<&Ready> {
        match self {
            OrderState::Ready(r) => Some(r),
            _ => None,
        }
    }
}

/// The options an order is built with today.
pub fn options(
    today: NaiveDate,
    printed_at: chrono::NaiveDateTime,
    prefs: &Preferences,
) -> OrderOptions {
    OrderOptions {
        order_date: today,
        printed_at,
        extra_justification: None,
        paper: prefs.paper.paper(),
        identity: None,
        signatures: Vec::new(),
    }
}

/// The options with the print identity (COPY, supersedes) the sheet will carry.
pub fn with_identity(options: &OrderOptions, identity: &PrintIdentity) -> OrderOptions {
    OrderOptions {
        identity: Some(identity.clone()),
        ..options.clone()
    }
}

/// Build the sheet for the current case as the next export would print it. Pure: the same
/// function serves the preview and the export, so they cannot differ.
pub fn prepare(
    protocol: &Protocol,
    live: &Live,
    draft: &CaseDraft,
    options: &OrderOptions,
    ledger: &OrderLedger,
    signing: Signing<'_>,
) -> OrderState {
    let (Some(case), Some(plan)) = (&live.case, &live.plan) else {
        return OrderState::Incomplete(live.blockers.iter().map(from_blocker).collect());
    };
    let plain = match OrderSheet::build(protocol, case, plan, options) {
        Ok(sheet) => sheet,
        Err(refusals) => {
            return OrderState::Refused(
                refusals
                    .iter()
                    .map(|r| reason_for(protocol, r, plan, draft))
                    .collect(),
            );
        }
    };
    let mrn = case
        .order
        .as_ref()
        .and_then(|o| o.mrn.as_deref())
        .map(str::trim)
        .unwrap_or_default()
        .to_string();
    let identity = ledger.identify(&plain.frame.order_number, &mrn, options.order_date);
    let content_sha256 = order_content_sha256(protocol, case, options.order_date);
    let mut options = with_identity(options, &identity);
    options.signatures = signing
        .held
        .iter()
        .filter(|s| s.order_number == identity.order_number && s.content_sha256 == content_sha256)
        .cloned()
        .collect();
    let signed_now = match signing.sign_as {
        None => None,
        Some(user) => match sign_now(case, &identity, &content_sha256, user, &options) {
            Ok(signature) => Some(signature),
            Err(text) => {
                return OrderState::Refused(vec![Reason {
                    field: "order.prescriber".into(),
                    text,
                    stops: false,
                }]);
            }
        },
    };
    options.signatures.extend(signed_now.clone());
    let options = &options;
    let sheet = match OrderSheet::build(protocol, case, plan, options) {
        Ok(s) => s,
        Err(refusals) => {
            return OrderState::Refused(
                refusals
                    .iter()
                    .map(|r| reason_for(protocol, r, plan, draft))
                    .collect(),
            );
        }
    };
    let lines = crate::order::text::lines(&sheet);
    OrderState::Ready(Box::new(Ready {
        sheet,
        lines,
        identity,
        valid_on: options.order_date,
        mrn,
        handout: Handout::build(protocol, case, plan, options.order_date),
        handout_refused: crate::order::handout::refusals(case)
            .into_iter()
            .next()
            .map(|r| r.message),
        signing: signed_now,
        signatures: options.signatures.clone(),
    }))
}

/// The signature `user` gives this print, or why they cannot: not a physician, a COPY (an
/// original is signed once), or not the prescriber the case names.
fn sign_now(
    case: &crate::domain::Case,
    identity: &PrintIdentity,
    content_sha256: &str,
    user: &UserRow,
    options: &OrderOptions,
) -> Result<OrderSignature, String> {
    crate::domain::roles::may(user.role, Act::SignOrder)
        .map_err(|why| format!("{} is signed in, and {why}.", user.full_name))?;
    if identity.copy {
        return Err(format!(
            "Order {} was printed before: a reprint is a COPY and is not signed again.",
            identity.order_number
        ));
    }
    let signature = OrderSignature {
        kind: SignatureKind::Order,
        order_number: identity.order_number.clone(),
        content_sha256: content_sha256.to_string(),
        login: user.login.clone(),
        full_name: user.full_name.clone(),
        role: user.role,
        signed_at: options.printed_at,
    };
    let prescriber = case.order.as_ref().and_then(|o| o.prescriber.as_deref());
    match prescriber_refusal(prescriber, &signature) {
        Some(why) => Err(format!("Not signed: {why}.")),
        None => Ok(signature),
    }
}

fn from_blocker(b: &Blocker) -> Reason {
    Reason {
        field: b.field.clone(),
        text: b.text.clone(),
        stops: b.stops,
    }
}

/// The field that resolves a refusal. The text is the refusal's own sentence.
pub fn reason_for(
    protocol: &Protocol,
    refusal: &Refusal,
    plan: &Plan,
    draft: &CaseDraft,
) -> Reason {
    let message = refusal.message.as_str();
    let field = match refusal.reason {
        RefusalReason::ProceedNo => {
            let stop = plan
                .findings
                .iter()
                .find(|x| x.severity == Severity::Stop)
                .map(|x| {
                    if protocol.is_screening_code(&x.code) {
                        format!("screening.{}", x.code)
                    } else {
                        "patient.age_years".to_string()
                    }
                });
            let hard = plan
                .limit_alerts
                .iter()
                .find(|a| a.kind == AlertKind::Hard)
                .map(|a| alert_field_path(draft, a.field).to_string());
            stop.or(hard)
                .unwrap_or_else(|| alert_field_path(draft, DoseField::Infusion).to_string())
        }
        RefusalReason::MissingJustification => {
            let codes = plan
                .findings
                .iter()
                .map(|x| &x.code)
                .chain(plan.limit_alerts.iter().map(|a| &a.code));
            codes
                .filter(|code| {
                    message.contains(&format!(" {code}:"))
                        || message.contains(&format!(" {code} ("))
                })
                .max_by_key(|code| code.len())
                .map_or_else(
                    || "justifications".to_string(),
                    |code| format!("justifications.{code}"),
                )
        }
        RefusalReason::UnansweredScreening => plan
            .unanswered_screening
            .first()
            .map_or_else(|| "screening".to_string(), |c| format!("screening.{c}")),
        RefusalReason::MissingOrderField => [
            "patient_name",
            "mrn",
            "date_of_birth",
            "weighed_on",
            "allergies",
            "prescriber",
        ]
        .iter()
        .find(|name| message.contains(&format!("lacks {name} ")))
        .map_or_else(|| "order.prescriber".to_string(), |n| format!("order.{n}")),
        RefusalReason::Attestation => [
            "supervising_physician",
            "administering_clinician",
            "resuscitation_ready",
            "airway_clinician_available",
        ]
        .iter()
        .find(|name| message.contains(&format!("order.attest.{name} ")))
        .map_or_else(
            || "order.attest.supervising_physician".to_string(),
            |n| format!("order.attest.{n}"),
        ),
        RefusalReason::WeightTooOld => "order.weighed_on".to_string(),
        RefusalReason::DateOfBirth => "order.date_of_birth".to_string(),
        RefusalReason::OrderDate => "order".to_string(),
        RefusalReason::OrderNumber => "order.order_number".to_string(),
    };
    // The command line's wording (codes, "--justification", contract paths) in the app's.
    let text = match refusal.reason {
        RefusalReason::MissingJustification => match field.strip_prefix("justifications.") {
            Some(code) => format!(
                "A reason is needed for {} (on the Review page).",
                protocol.title_for(code)
            ),
            None => refusal.message.clone(),
        },
        RefusalReason::Attestation => {
            format!(
                "{} is not ticked.",
                crate::ui::live::field_label(protocol, &field)
            )
        }
        RefusalReason::UnansweredScreening => {
            let n = plan.unanswered_screening.len();
            let first = crate::ui::live::field_label(protocol, &field);
            format!(
                "{n} screening question{} not answered (first: {first})",
                if n == 1 { " is" } else { "s are" }
            )
        }
        _ => refusal.message.clone(),
    };
    Reason {
        field,
        text,
        stops: refusal.reason == RefusalReason::ProceedNo,
    }
}
