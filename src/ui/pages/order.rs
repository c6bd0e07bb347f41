//! Step 6: the order. A preview built from the same `OrderSheet` the PDF and
//! `ketaplan order` print (its lines are the text rendering's), the order number and the
//! date it is valid for, and Export / Print. While the contract refuses the order, its
//! refusals (`OrderSheet::build`'s, never the app's own list) are shown instead, each
//! linked to the field that resolves it.

use crate::domain::Protocol;
use crate::domain::findings::DoseField;
use crate::domain::order_identity::{OrderLedger, PrintIdentity};
use crate::domain::plan::Plan;
use crate::domain::protocol::{AlertKind, Severity};
use crate::order::format as f;
use crate::order::{Handout, OrderOptions, OrderSheet, Refusal, RefusalReason};
use crate::ui::actions::OrderAction;
use crate::ui::actions::{Action, Page};
use crate::ui::draft::CaseDraft;
use crate::ui::live::{Blocker, Live, alert_field_path, field_label};
use crate::ui::pages::{PageCtx, heading_ui, section_ui};
use crate::ui::prefs::{PaperChoice, Preferences};
use crate::ui::theme;
use chrono::NaiveDate;
use egui::{Color32, RichText, Ui};

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
    let sheet = match OrderSheet::build(protocol, case, plan, &with_identity(options, &identity)) {
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
    }))
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

/// What the page shows besides the order itself.
pub struct OrderPageCtx {
    pub state: OrderState,
    /// The printer a print goes to, or why there is none.
    pub printer: Result<String, String>,
    /// A print job is with the print service.
    pub printing: bool,
    pub ledger_error: Option<String>,
    pub last_export: Option<std::path::PathBuf>,
    /// When this order was last exported or printed here.
    pub printed_before: Option<chrono::NaiveDateTime>,
    /// The discharge handout can be exported with the order.
    pub handout_available: bool,
}

pub fn ui(
    ui: &mut Ui,
    ctx: &PageCtx<'_>,
    order: &OrderPageCtx,
    prefs: &mut Preferences,
    actions: &mut Vec<Action>,
) {
    heading_ui(
        ui,
        "6 · Order",
        "The order sheet exactly as it prints. Export it as PDF or send it to a printer; the nurse follows the printed sheet at the pump.",
    );
    match &order.state {
        OrderState::NoProtocol => {}
        OrderState::Incomplete(reasons) => {
            buttons_ui(ui, order, prefs, actions, Some("Complete the case first"));
            reasons_ui(
                ui,
                ctx.protocol,
                reasons,
                "The case is not complete, so no order can be exported or printed",
                false,
                actions,
            );
        }
        OrderState::Refused(reasons) => {
            buttons_ui(
                ui,
                order,
                prefs,
                actions,
                Some("The order cannot be printed: see the reasons below"),
            );
            reasons_ui(
                ui,
                ctx.protocol,
                reasons,
                "The order cannot be exported or printed",
                true,
                actions,
            );
        }
        OrderState::Ready(ready) => {
            identity_ui(ui, ctx, order, ready);
            buttons_ui(ui, order, prefs, actions, None);
            also_check_ui(ui, ctx, actions);
            section_ui(ui, "Preview");
            preview_ui(ui, &ready.lines);
        }
    }
}

fn reasons_ui(
    ui: &mut Ui,
    protocol: &Protocol,
    reasons: &[Reason],
    what: &str,
    // The refusals' sentences do not name the field in the app's words: say it first.
    name_fields: bool,
    actions: &mut Vec<Action>,
) {
    ui.add_space(theme::SPACE);
    theme::icon_text_ui(
        ui,
        theme::ICON_STOP,
        theme::STOP,
        RichText::new(format!(
            "{what}: {} reason{} to resolve.",
            reasons.len(),
            if reasons.len() == 1 { "" } else { "s" }
        ))
        .strong(),
    );
    for page in Page::ALL {
        let here: Vec<_> = reasons.iter().filter(|r| r.page() == page).collect();
        if here.is_empty() {
            continue;
        }
        section_ui(ui, page.title());
        for r in here {
            ui.horizontal_wrapped(|ui| {
                let (icon, color) = if r.stops {
                    (theme::ICON_STOP, theme::STOP)
                } else {
                    (theme::ICON_WARN, theme::CAUTION)
                };
                theme::icon_ui(ui, icon, color);
                if name_fields {
                    let name = if r.field.starts_with("screening") {
                        "Screening questions".to_string()
                    } else {
                        field_label(protocol, &r.field)
                    };
                    ui.label(RichText::new(format!("{name}:")).strong());
                }
                if ui
                    .link(&r.text)
                    .on_hover_text(format!("Go to {}", page.title()))
                    .clicked()
                {
                    actions.push(Action::GoToField(r.field.clone()));
                }
                // The file's own number has no field: one click removes it, and the
                // number made from the content is given when the order prints.
                if r.field == "order.order_number"
                    && ui.button("Remove the file's order number").clicked()
                {
                    actions.push(Action::DropOrderNumber);
                }
            });
        }
    }
}

/// The wizard's own flags that the contract does not refuse on: shown, not blocking.
fn also_check_ui(ui: &mut Ui, ctx: &PageCtx<'_>, actions: &mut Vec<Action>) {
    if ctx.live.blockers.is_empty() {
        return;
    }
    ui.add_space(theme::SPACE);
    theme::icon_text_ui(
        ui,
        theme::ICON_WARN,
        theme::CAUTION,
        RichText::new("Also check before printing:").strong(),
    );
    for b in &ctx.live.blockers {
        ui.horizontal_wrapped(|ui| {
            theme::icon_ui(ui, theme::ICON_WARN, theme::CAUTION);
            if ui.link(&b.text).clicked() {
                actions.push(Action::GoToField(b.field.clone()));
            }
        });
    }
}

fn identity_ui(ui: &mut Ui, ctx: &PageCtx<'_>, order: &OrderPageCtx, ready: &Ready) {
    let id = &ready.identity;
    egui::Frame::group(ui.style())
        .inner_margin(theme::SPACE)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            egui::Grid::new("order-identity")
                .num_columns(2)
                .spacing([theme::SPACE_LARGE, theme::SPACE_SMALL])
                .show(ui, |ui| {
                    ui.label("Order number");
                    ui.label(RichText::new(&id.order_number).monospace().strong());
                    ui.end_row();
                    ui.label("Valid for");
                    let when = if ready.valid_on == ctx.today {
                        format!("{} (today) only", f::date(ready.valid_on))
                    } else {
                        format!("{} only", f::date(ready.valid_on))
                    };
                    ui.label(RichText::new(when).strong());
                    ui.end_row();
                    ui.label("This print");
                    ui.vertical(|ui| {
                        if id.copy {
                            let when = order
                                .printed_before
                                .map(|t| format!(" on {}", f::date_time(t)))
                                .unwrap_or_default();
                            theme::icon_text_ui(
                                ui,
                                theme::ICON_WARN,
                                theme::AVOID,
                                RichText::new(format!(
                                    "COPY: this order was exported or printed here before{when}. The sheet is marked COPY."
                                ))
                                .strong(),
                            );
                        } else {
                            theme::icon_text_ui(
                                ui,
                                theme::ICON_OK,
                                theme::OK,
                                RichText::new("The original: not exported or printed here before."),
                            );
                        }
                        if let Some(old) = &id.supersedes {
                            theme::icon_text_ui(
                                ui,
                                theme::ICON_INFO,
                                theme::INFO,
                                RichText::new(format!(
                                    "Supersedes order {old} for this patient on this date (the case changed): discard the old sheet."
                                ))
                                .strong(),
                            );
                        }
                    });
                    ui.end_row();
                });
            if let Some(e) = &order.ledger_error {
                theme::icon_text_ui(
                    ui,
                    theme::ICON_WARN,
                    theme::AVOID,
                    RichText::new(format!(
                        "The list of orders printed here could not be read ({e}): a reprint will not be recognised as a copy."
                    )),
                );
            }
            if let Some(path) = &order.last_export {
                ui.label(
                    RichText::new(format!("Last exported to {}", path.display()))
                        .color(theme::on(ui, theme::MUTED)),
                );
            }
        });
}

fn buttons_ui(
    ui: &mut Ui,
    order: &OrderPageCtx,
    prefs: &mut Preferences,
    actions: &mut Vec<Action>,
    blocked: Option<&str>,
) {
    ui.add_space(theme::SPACE);
    ui.horizontal_wrapped(|ui| {
        let export = ui.add_enabled(
            blocked.is_none(),
            egui::Button::new(RichText::new("Export PDF…").strong()),
        );
        let export = match blocked {
            Some(why) => export.on_disabled_hover_text(why),
            None => export.on_hover_text("Choose where to save the order as PDF (Ctrl+P)"),
        };
        if export.clicked() {
            actions.push(Action::Order(OrderAction::Export));
        }
        let print_reason: Option<String> = match (&order.printer, blocked) {
            (_, Some(why)) => Some(why.to_string()),
            (Err(why), None) => Some(why.clone()),
            (Ok(_), None) if order.printing => Some("Sending to the printer…".to_string()),
            (Ok(_), None) => None,
        };
        let print_text = match &order.printer {
            Ok(p) => format!("Print to {p}"),
            Err(_) => "Print".to_string(),
        };
        let print = ui.add_enabled(print_reason.is_none(), egui::Button::new(print_text));
        let print = match &print_reason {
            Some(why) => print.on_disabled_hover_text(why),
            None => print.on_hover_text("Send the order to the printer chosen in Preferences"),
        };
        if print.clicked() {
            actions.push(Action::Order(OrderAction::Print));
        }
        // Why Print is off, in words (not only on hover).
        if blocked.is_none()
            && let Err(why) = &order.printer
        {
            theme::icon_text_ui(ui, theme::ICON_INFO, theme::MUTED, RichText::new(why));
            let looking = why.starts_with("Looking");
            if !looking
                && ui
                    .small_button("Look again")
                    .on_hover_text("Look for the print service and its printers again")
                    .clicked()
            {
                actions.push(Action::Order(OrderAction::RefreshPrinters));
            }
        }
        if order.printing {
            ui.spinner();
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.checkbox(&mut prefs.open_after_export, "Open after export");
        if order.handout_available {
            ui.checkbox(&mut prefs.export_handout, "Also export the patient handout");
            if let OrderState::Ready(ready) = &order.state
                && let Some(why) = &ready.handout_refused
                && prefs.export_handout
            {
                theme::icon_text_ui(
                    ui,
                    theme::ICON_WARN,
                    theme::AVOID,
                    RichText::new(format!("No handout: {why}")),
                );
            }
        }
        ui.separator();
        ui.label("Paper");
        ui.selectable_value(&mut prefs.paper, PaperChoice::A4, "A4");
        ui.selectable_value(&mut prefs.paper, PaperChoice::Letter, "US Letter");
    });
}

/// The sheet's text rendering on a white page, in a monospaced font (100 characters wide,
/// as `ketaplan order --text` prints it). One label, so it reads as one text.
fn preview_ui(ui: &mut Ui, lines: &[String]) {
    let text = lines.join("\n");
    egui::Frame::new()
        .fill(Color32::WHITE)
        .stroke(egui::Stroke::new(1.0, Color32::from_gray(170)))
        .shadow(egui::Shadow {
            offset: [2, 3],
            blur: 6,
            spread: 0,
            color: Color32::from_black_alpha(40),
        })
        .inner_margin(theme::SPACE_LARGE)
        .show(ui, |ui| {
            egui::ScrollArea::horizontal()
                .id_salt("order-preview")
                .show(ui, |ui| {
                    ui.add(
                        egui::Label::new(
                            RichText::new(text)
                                .monospace()
                                .size(12.0)
                                .color(Color32::from_gray(20)),
                        )
                        .extend(),
                    );
                });
        });
}
