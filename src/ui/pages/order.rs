//! Step 6: the order. A preview built from the same `OrderSheet` the PDF and
//! `ketaplan order` print (its lines are the text rendering's), the order number and the
//! date it is valid for, and Export / Print. While the contract refuses the order, its
//! refusals (`OrderSheet::build`'s, never the app's own list) are shown instead, each
//! linked to the field that resolves it.

use crate::domain::Protocol;
use crate::order::format as f;
use crate::ui::actions::OrderAction;
use crate::ui::actions::{Action, Page};
use crate::ui::live::field_label;
use crate::ui::pages::{PageCtx, heading_ui, section_ui};
use crate::ui::prefs::{PaperChoice, Preferences};
use crate::ui::theme;
use egui::{Color32, RichText, Ui};

mod readiness;
mod signing;

pub use readiness::{
    OrderState, Ready, Reason, Signing, options, prepare, reason_for, with_identity,
};

/// What the page shows besides the order itself.
pub struct OrderPageCtx {
    pub state: OrderState,
    /// The printer a print goes to, or why there is none.
    pub printer: Result<String, String>,
    /// A print job is with the print service.
    pub printing: bool,
    pub ledger_error: Option<String>,
    /// Where the ledger says it was printed: "here", or "at the clinic" (its database).
    pub ledger_place: &'static str,
    /// Why export and print wait for the clinic database's ledger.
    pub clinic_hold: Option<String>,
    pub last_export: Option<std::path::PathBuf>,
    /// When this order was last exported or printed here.
    pub printed_before: Option<chrono::NaiveDateTime>,
    /// The discharge handout can be exported with the order.
    pub handout_available: bool,
    /// "Sign and export PDF…": the signed-in physician's name, or why signing is not offered
    /// (`None`: no one signs in at this workstation).
    pub signing: Option<Result<String, String>>,
    /// "Record pharmacy check…" / "Record double check…" for the signed-in user, and their
    /// name or why not.
    pub check: Option<(&'static str, Result<String, String>)>,
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
        "The order sheet exactly as it prints. Export it as PDF or send it to a printer (Export FHIR… sends the same order to the EHR); the nurse follows the printed sheet at the pump.",
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
                                    "COPY: this order was exported or printed {where_} before{when}. The sheet is marked COPY.", where_ = order.ledger_place
                                ))
                                .strong(),
                            );
                        } else {
                            theme::icon_text_ui(
                                ui,
                                theme::ICON_OK,
                                theme::OK,
                                RichText::new(format!(
                                    "The original: not exported or printed {} before.",
                                    order.ledger_place
                                )),
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
            if let Some(hold) = &order.clinic_hold {
                theme::icon_text_ui(
                    ui,
                    theme::ICON_WARN,
                    theme::AVOID,
                    RichText::new(format!("Waiting: {hold}.")),
                );
            }
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
        let fhir = ui.add_enabled(blocked.is_none(), egui::Button::new("Export FHIR…"));
        if match blocked {
            Some(why) => fhir.on_disabled_hover_text(why),
            None => fhir.on_hover_text("Save the order as a FHIR R4 bundle (JSON) for the EHR"),
        }
        .clicked()
        {
            actions.push(Action::Order(OrderAction::ExportFhir));
        }
        signing::signing_buttons_ui(ui, order, actions, blocked);
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
