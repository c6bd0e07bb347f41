//! The panels every page shares: the toolbar, the notice bar and the wizard's layout.

use super::{KetaplanApp, NoticeKind};
use crate::ui::clinic_desk::Reach;
use crate::ui::widgets::pk_plot::PkView;

use crate::domain::Protocol;
use crate::ui::actions::{Action, Page, View};
use crate::ui::live::Live;
use crate::ui::pages::PageCtx;
use crate::ui::widgets::plan_panel::plan_panel_ui;
use crate::ui::{pages, theme};
use egui::RichText;

impl KetaplanApp {
    pub(super) fn toolbar_ui(
        &self,
        ui: &mut egui::Ui,
        protocol: &Protocol,
        actions: &mut Vec<Action>,
    ) {
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("New")
                .on_hover_text("New case (Ctrl+N)")
                .clicked()
            {
                actions.push(Action::NewCase);
            }
            if ui
                .button("Open…")
                .on_hover_text("Open a case (Ctrl+O)")
                .clicked()
            {
                actions.push(Action::OpenCase);
            }
            ui.add_enabled_ui(!self.recent.paths.is_empty(), |ui| {
                ui.menu_button("Open recent", |ui| {
                    for path in &self.recent.paths {
                        if ui.button(path).clicked() {
                            actions.push(Action::OpenRecent(path.clone()));
                            ui.close();
                        }
                    }
                });
            });
            // In the Course view they save the course, as Ctrl+S / Ctrl+Shift+S do there.
            let course = self.view == View::Course;
            let (save_tip, save_as_tip) = if course {
                (
                    "Save the course (Ctrl+S)",
                    "Save the course under another name (Ctrl+Shift+S)",
                )
            } else {
                ("Save (Ctrl+S)", "Save under another name (Ctrl+Shift+S)")
            };
            if ui.button("Save").on_hover_text(save_tip).clicked() {
                actions.push(if course {
                    Action::SaveCourse
                } else {
                    Action::Save
                });
            }
            if ui.button("Save as…").on_hover_text(save_as_tip).clicked() {
                actions.push(if course {
                    Action::SaveCourseAs
                } else {
                    Action::SaveAs
                });
            }
            ui.separator();
            let wizard = self.view == View::Wizard;
            if ui.selectable_label(wizard, "Case").clicked() {
                actions.push(Action::ShowView(View::Wizard));
            }
            if ui
                .selectable_label(self.view == View::Protocol, "Protocol")
                .clicked()
            {
                actions.push(Action::ShowView(View::Protocol));
            }
            if ui
                .selectable_label(self.view == View::Course, "Course")
                .on_hover_text("The patient's treatment course: sessions, follow-up, follow-on")
                .clicked()
            {
                actions.push(Action::ShowView(View::Course));
            }
            if ui
                .selectable_label(self.view == View::Patients, "Patients")
                .on_hover_text(
                    "The clinic database: find a patient, calls due, import course files",
                )
                .clicked()
            {
                actions.push(Action::ShowView(View::Patients));
            }
            if ui
                .selectable_label(self.view == View::Preferences, "Preferences")
                .clicked()
            {
                actions.push(Action::ShowView(View::Preferences));
            }
            ui.separator();
            // The file name; its folder on hover (a long path would push the toolbar apart).
            let (name, full) = match &self.file {
                Some(path) => (
                    path.file_name().map_or_else(
                        || path.display().to_string(),
                        |n| n.to_string_lossy().to_string(),
                    ),
                    path.display().to_string(),
                ),
                None => (
                    "New case (not saved)".to_string(),
                    "Not saved to a file yet".to_string(),
                ),
            };
            ui.label(RichText::new(name).color(theme::on(ui, theme::MUTED)))
                .on_hover_text(full);
            if self.is_dirty() {
                ui.label(
                    RichText::new("• unsaved changes")
                        .color(theme::on(ui, theme::AVOID))
                        .strong(),
                );
            }
            if let Some(user) = self.signed_in() {
                ui.separator();
                ui.label(
                    RichText::new(format!(
                        "Signed in: {} ({})",
                        user.full_name,
                        user.role.as_str()
                    ))
                    .strong(),
                );
                if ui
                    .button("Lock")
                    .on_hover_text("Lock the workstation now; everything stays open")
                    .clicked()
                {
                    actions.push(Action::LockWorkstation);
                }
            }
            let clinic_problem = match &self.clinic.reach {
                Reach::Unreachable(reason) => Some(("Clinic database unreachable", reason)),
                Reach::NeedsPassword(reason) => Some(("Clinic server password needed", reason)),
                Reach::NotAsked | Reach::Reached => None,
            };
            if let Some((headline, reason)) = clinic_problem {
                ui.separator();
                theme::icon_ui(ui, theme::ICON_WARN, theme::AVOID);
                ui.label(
                    RichText::new(headline)
                        .color(theme::on(ui, theme::AVOID))
                        .strong(),
                )
                .on_hover_text(format!(
                    "{reason}. Nothing typed is lost: the case stays in the restore file and the next action tries again."
                ));
            }
            if let Some(by) = protocol.approved_by().filter(|_| !protocol.built_in) {
                ui.separator();
                theme::icon_ui(ui, theme::ICON_OK, theme::OK);
                ui.label(
                    RichText::new(format!(
                        "{} {} approved: {by}",
                        protocol.pack.id, protocol.pack.version
                    ))
                    .color(theme::on(ui, theme::OK))
                    .strong(),
                )
                .on_hover_text("Its signature verified against a key trusted in Preferences.");
            } else if !protocol.built_in {
                ui.separator();
                theme::icon_ui(ui, theme::ICON_WARN, theme::AVOID);
                ui.label(
                    RichText::new(format!(
                        "LOCAL PROTOCOL {} {}",
                        protocol.pack.id, protocol.pack.version
                    ))
                    .color(theme::on(ui, theme::AVOID))
                    .strong(),
                );
            }
        });
    }

    pub(super) fn notice_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        // The row is always reserved: a message appearing never pushes the step bar down.
        let Some(notice) = &self.notice else {
            ui.allocate_exact_size(
                egui::vec2(ui.available_width(), ui.spacing().interact_size.y),
                egui::Sense::hover(),
            );
            return;
        };
        let (icon, color) = match notice.kind {
            NoticeKind::Done => (theme::ICON_OK, theme::OK),
            NoticeKind::Warning => (theme::ICON_WARN, theme::AVOID),
            NoticeKind::Error => (theme::ICON_ERROR, theme::STOP),
        };
        ui.horizontal(|ui| {
            if ui
                .small_button("Dismiss")
                .on_hover_text("Hide this message")
                .clicked()
            {
                actions.push(Action::DismissNotice);
            }
            theme::icon_ui(ui, icon, color);
            // One line (truncated, in full on hover) so a long message never adds rows.
            ui.add(
                egui::Label::new(RichText::new(&notice.text).color(theme::on(ui, color)))
                    .truncate(),
            )
            .on_hover_text(&notice.text);
        });
    }

    /// The wizard's layout, laid out by hand (not with panels) so the Tab order follows
    /// reading order: step bar, page, Back/Next, then the plan panel.
    pub(super) fn wizard_ui(
        &mut self,
        ui: &mut egui::Ui,
        protocol: &Protocol,
        live: &Live,
        actions: &mut Vec<Action>,
    ) {
        let rest = ui.available_rect_before_wrap();
        let nav_height = ui.spacing().interact_size.y + 2.0 * theme::SPACE;
        let plan_width = theme::PLAN_PANEL_WIDTH.min(rest.width() * 0.4);
        let split_x = rest.max.x - plan_width;
        let nav_top = rest.max.y - nav_height;
        let page_rect = egui::Rect::from_min_max(rest.min, egui::pos2(split_x, nav_top));
        let plan_rect = egui::Rect::from_min_max(
            egui::pos2(split_x, rest.min.y),
            egui::pos2(rest.max.x, nav_top),
        );
        let nav_rect = egui::Rect::from_min_max(egui::pos2(rest.min.x, nav_top), rest.max);
        let visuals = ui.visuals().clone();
        let painter = ui.painter();
        painter.rect_filled(rest, 0.0, visuals.panel_fill);
        painter.rect_filled(nav_rect, 0.0, theme::on(ui, theme::BANNER_FILL));
        let line = visuals.widgets.noninteractive.bg_stroke;
        painter.vline(split_x, rest.min.y..=nav_top, line);
        painter.hline(rest.min.x..=rest.max.x, nav_top, line);

        // 1: the page.
        let focus = self.pending_focus.clone();
        let page = self.state.page;
        let order_page =
            (page == Page::Order).then(|| self.order_page_ctx(protocol, live, ui.ctx()));
        let reason_refused = self.refused_act(crate::domain::roles::Act::GiveClinicalReason);
        // The predicted concentration, on the pages that show it (cached until the regimen
        // changes).
        let pk = match (&live.plan, page) {
            (Some(plan), Page::Regimen | Page::Review) => Some(PkView::refresh(
                &mut self.pk_view,
                &protocol.pack.pharmacokinetics,
                plan,
            )),
            _ => None,
        };
        let mut page_ui = ui.new_child(
            egui::UiBuilder::new()
                .id_salt("page-area")
                .max_rect(page_rect.shrink(theme::SPACE)),
        );
        page_ui.set_clip_rect(page_rect);
        egui::ScrollArea::vertical()
            .id_salt(("page-scroll", page.title()))
            .auto_shrink([false, false])
            .show(&mut page_ui, |ui| {
                ui.set_max_width(ui.available_width().min(900.0));
                let ctx = PageCtx {
                    protocol,
                    live,
                    today: self.today,
                    focus: focus.as_deref(),
                    reason_refused,
                    pk,
                };
                let draft = &mut self.state.draft;
                let page_state = &mut self.state.page_state;
                match page {
                    Page::Patient => pages::patient::ui(ui, draft, &ctx),
                    Page::Indication => pages::indication::ui(ui, draft, &ctx),
                    Page::Screening => pages::screening::ui(ui, draft, page_state, &ctx),
                    Page::Regimen => pages::regimen::ui(ui, draft, page_state, &ctx),
                    Page::Review => pages::review::ui(ui, draft, &ctx, actions),
                    Page::Order => {
                        if let Some(order) = &order_page {
                            pages::order::ui(ui, &ctx, order, &mut self.prefs, actions);
                        }
                    }
                }
                ui.add_space(theme::SPACE_LARGE);
            });
        // The focus request has been drawn on its page.
        if focus.is_some() && self.pending_focus == focus {
            self.pending_focus = None;
        }

        // 2: Back / Next.
        let mut nav_ui = ui.new_child(
            egui::UiBuilder::new()
                .id_salt("navigation")
                .max_rect(nav_rect.shrink(theme::SPACE))
                .layout(egui::Layout::left_to_right(egui::Align::Center)),
        );
        nav_ui.set_clip_rect(nav_rect);
        if let Some(prev) = page.previous()
            && nav_ui
                .button("Back")
                .on_hover_text(format!("{} (Page Up, Alt+←)", prev.title()))
                .clicked()
        {
            actions.push(Action::GoTo(prev));
        }
        if let Some(next) = page.next()
            && nav_ui
                .button("Next")
                .on_hover_text(format!("{} (Page Down, Alt+→)", next.title()))
                .clicked()
        {
            actions.push(Action::GoTo(next));
        }
        // "— LOCAL PROTOCOL", or "— approved: KEY COMMENT" once its signature verified.
        let provenance = protocol
            .provenance_mark()
            .map_or_else(String::new, |mark| format!(" — {mark}"));
        let unapproved = !protocol.built_in && protocol.approval.is_none();
        nav_ui.label(
            RichText::new(format!(
                "Decision aid, not a medical device: a clinician verifies every order. Protocol {} {} ({}){provenance}",
                protocol.pack.id,
                protocol.pack.version,
                protocol.short_sha256()
            ))
            .color(theme::on(ui, if unapproved { theme::AVOID } else { theme::MUTED }))
            .small(),
        );

        // 3: the plan panel.
        let mut plan_ui = ui.new_child(
            egui::UiBuilder::new()
                .id_salt("plan-panel")
                .max_rect(plan_rect.shrink(theme::SPACE)),
        );
        plan_ui.set_clip_rect(plan_rect);
        egui::ScrollArea::vertical()
            .id_salt("plan-scroll")
            .auto_shrink([false, false])
            .show(&mut plan_ui, |ui| {
                plan_panel_ui(ui, protocol, live, actions)
            });
        ui.allocate_rect(rest, egui::Sense::hover());
    }
}
