//! The Review page's attestations and the names of the clinicians responsible.

use crate::domain::findings::{MonitoringTier, Proceed};
use crate::ui::draft::CaseDraft;
use crate::ui::pages::{PageCtx, section_ui};
use crate::ui::theme;
use crate::ui::widgets::field::{Row, apply_focus, note_ui, text_row_ui, warning_ui};
use egui::Ui;

pub(super) fn attestations_ui(ui: &mut Ui, draft: &mut CaseDraft, ctx: &PageCtx<'_>) {
    section_ui(ui, "Attestations");
    let tier = ctx.live.plan.as_ref().map(|p| p.monitoring_tier);
    let proceed_no = ctx
        .live
        .plan
        .as_ref()
        .is_some_and(|p| p.proceed == Proceed::No);
    if proceed_no {
        warning_ui(
            ui,
            theme::ICON_STOP,
            theme::STOP,
            "The plan says do not start; attesting does not change that.",
        );
    }
    let items: [(&mut Option<bool>, &str, &str); 3] = [
        (
            &mut draft.attest_supervising_physician,
            "The supervising physician is licensed, ACLS-certified and experienced with ketamine",
            "order.attest.supervising_physician",
        ),
        (
            &mut draft.attest_administering_clinician,
            "The administering clinician (RN or PA) has moderate-sedation and ACLS training",
            "order.attest.administering_clinician",
        ),
        (
            &mut draft.attest_resuscitation_ready,
            "Resuscitation equipment and staff are available throughout",
            "order.attest.resuscitation_ready",
        ),
    ];
    for (flag, text, path) in items {
        let r = attest_checkbox(ui, flag, text);
        apply_focus(ctx, path, &r);
    }
    // The airway clinician is asked for at the monitored and ICU tiers; the name stays in
    // the draft at every tier, so switching tiers loses nothing.
    if tier.is_some_and(|t| t >= MonitoringTier::Monitored) {
        let r = attest_checkbox(
            ui,
            &mut draft.attest_airway_clinician_available,
            "An airway/ACLS-trained clinician is immediately available",
        );
        apply_focus(ctx, "order.attest.airway_clinician_available", &r);
        ui.indent("airway-clinician-name", |ui| {
            text_row_ui(
                ui,
                ctx,
                Row::text("Airway clinician", "order.airway_clinician_name"),
                &mut draft.airway_clinician_name,
                |_| {},
            );
        });
    }
    section_ui(ui, "Names");
    if let Some(number) = &draft.order_number {
        match draft.order_number_in_force(ctx.protocol, ctx.today) {
            Some(_) => note_ui(ui, format!("Order number {number} (from the opened case).")),
            None => warning_ui(
                ui,
                theme::ICON_WARN,
                theme::CAUTION,
                format!(
                    "Opened as order {number}. The case has changed since, so it is a new order: it gets a new number and supersedes {number}."
                ),
            ),
        }
    }
    text_row_ui(
        ui,
        ctx,
        Row::text("Prescriber", "order.prescriber"),
        &mut draft.prescriber,
        |_| {},
    );
    text_row_ui(
        ui,
        ctx,
        Row::text("Clinic", "order.clinic"),
        &mut draft.clinic,
        |_| {},
    );
    text_row_ui(
        ui,
        ctx,
        Row::text("Clinic telephone", "order.clinic_phone"),
        &mut draft.clinic_phone,
        |_| {},
    );
    text_row_ui(
        ui,
        ctx,
        Row::text("Supervising physician", "order.supervising_physician_name"),
        &mut draft.supervising_physician_name,
        |_| {},
    );
    text_row_ui(
        ui,
        ctx,
        Row::text(
            "Administering clinician",
            "order.administering_clinician_name",
        ),
        &mut draft.administering_clinician_name,
        |_| {},
    );
}

/// A tick box for an attestation that may never have been answered (`None`): drawn
/// unticked, and set to the box's state once it is clicked.
fn attest_checkbox(ui: &mut Ui, flag: &mut Option<bool>, text: &str) -> egui::Response {
    let mut on = *flag == Some(true);
    let r = ui.checkbox(&mut on, text);
    if r.changed() {
        *flag = Some(on);
    }
    r
}
