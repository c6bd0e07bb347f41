//! The Order page's electronic-signature buttons (step 12): "Sign and export PDF…" for a
//! signed-in physician, "Record pharmacy check…" / "Record double check…" for the checkers.

use super::OrderPageCtx;
use crate::ui::actions::{Action, OrderAction};
use egui::{RichText, Ui};

pub(super) fn signing_buttons_ui(
    ui: &mut Ui,
    order: &OrderPageCtx,
    actions: &mut Vec<Action>,
    blocked: Option<&str>,
) {
    if let Some(signing) = &order.signing {
        let reason = blocked.map(str::to_string).or(signing.clone().err());
        let sign = ui.add_enabled(
            reason.is_none(),
            egui::Button::new(RichText::new("Sign and export PDF…").strong()),
        );
        let sign = match (&reason, signing) {
            (Some(why), _) => sign.on_disabled_hover_text(why),
            (None, Ok(name)) => sign.on_hover_text(format!(
                "Sign the order electronically as {name} (your password is asked), then save it as PDF"
            )),
            (None, Err(_)) => sign,
        };
        if sign.clicked() {
            actions.push(Action::Order(OrderAction::SignAndExport));
        }
    }
    if let Some((label, offer)) = &order.check {
        let button = ui.add_enabled(offer.is_ok(), egui::Button::new(*label));
        let button = match offer {
            Err(why) => button.on_disabled_hover_text(why),
            Ok(name) => button.on_hover_text(format!("Recorded as {name} with your password")),
        };
        if button.clicked() {
            actions.push(Action::Order(OrderAction::RecordCheck));
        }
    }
}
