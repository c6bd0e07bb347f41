//! One frame of the app: fonts and theme once, then the panels, the page and the dialogs.

use super::*;

impl KetaplanApp {
    /// Draw the whole app into `ui` (the eframe window, or a test harness).
    pub fn ui_contents(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.frame_setup(&ctx);
        if let Some(id) = self.enter_moves_from.take() {
            // Give focus back for a moment so that "next" is counted from that field.
            ctx.memory_mut(|m| {
                m.request_focus(id);
                m.move_focus(egui::FocusDirection::Next);
            });
        }
        let focused_before = ctx.memory(|m| m.focused());
        self.handle_close_request(&ctx);
        self.poll_native_dialog(&ctx);

        let protocol = match &self.protocol {
            Ok(p) => p.clone(),
            Err(e) => {
                egui::CentralPanel::default().show(ui, |ui| {
                    ui.heading("ketaplan");
                    theme::icon_text_ui(
                        ui,
                        theme::ICON_STOP,
                        theme::STOP,
                        egui::RichText::new(format!("Protocol pack error: {e}")),
                    );
                });
                return;
            }
        };
        let mut actions = Vec::new();
        // No shortcut acts under the sign-in or lock screen.
        if !self.workstation.blocks() {
            self.keyboard(&ctx, &mut actions);
        }
        let before = self.state.clone();
        // A reason whose value changed no longer applies: drop it before validating.
        let dropped = self.state.draft.clear_stale_justifications(&protocol);
        if !dropped.is_empty() {
            let titles: Vec<&str> = dropped.iter().map(|c| protocol.title_for(c)).collect();
            self.set_notice(
                NoticeKind::Warning,
                format!(
                    "The reason for {} was removed: the value it justified changed. Give it again if it still applies.",
                    titles.join(", ")
                ),
            );
        }
        let live = Live::compute(&protocol, &self.state.draft, self.today);

        egui::Panel::top("toolbar-and-banner")
            .frame(
                egui::Frame::new()
                    .fill(theme::on(ui, theme::BANNER_FILL))
                    .inner_margin(theme::SPACE),
            )
            .show(ui, |ui| {
                self.toolbar_ui(ui, &protocol, &mut actions);
                self.notice_ui(ui, &mut actions);
                if self.view == View::Wizard {
                    ui.separator();
                    patient_banner_ui(ui, &self.state.draft, &live);
                    ui.separator();
                    step_bar_ui(ui, self.state.page, &live, &mut actions);
                }
            });
        match self.view {
            View::Wizard => self.wizard_ui(ui, &protocol, &live, &mut actions),
            View::Protocol => {
                egui::CentralPanel::default().show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("protocol-scroll")
                        .auto_shrink([false, false])
                        .show(ui, |ui| {
                            ui.set_max_width(ui.available_width().min(1000.0));
                            pages::protocol_view::ui(ui, &protocol, &mut actions);
                        });
                });
            }
            View::Preferences => {
                let zoom_factor = ctx.zoom_factor();
                let prefs_ctx = PrefsCtx {
                    protocol: &protocol,
                    protocol_error: self.protocol_error.as_deref(),
                    recent_count: self.recent.paths.len(),
                    zoom_factor,
                    print_service: &self.order.print_service,
                };
                let prefs = &mut self.prefs;
                let key_entry = &mut self.trusted_key_entry;
                egui::CentralPanel::default().show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("preferences-scroll")
                        .auto_shrink([false, false])
                        .show(ui, |ui| {
                            ui.set_max_width(ui.available_width().min(900.0));
                            pages::preferences::ui(ui, prefs, &prefs_ctx, &mut actions);
                            pages::trusted_keys::ui(
                                ui,
                                &prefs.trusted_keys,
                                key_entry,
                                &mut actions,
                            );
                        });
                });
            }
            View::Patients => {
                self.clinic_connect();
                let patients_ctx = pages::patients::PatientsCtx {
                    database: self.clinic.url().map(|u| u.redacted()),
                    reach: &self.clinic.reach,
                    waiting: self.clinic.waiting > 0,
                    today: self.today,
                };
                let mut wanted = Vec::new();
                egui::CentralPanel::default().show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("patients-scroll")
                        .auto_shrink([false, false])
                        .show(ui, |ui| {
                            pages::patients::ui(ui, &mut self.patients, &patients_ctx, &mut wanted);
                        });
                });
                self.patients_actions(wanted, &ctx);
            }
            View::Course => {
                let course_ctx = pages::course::CourseCtx {
                    protocol: &protocol,
                    live: &live,
                    today: self.today,
                    recent: &self.recent.paths,
                    case_dirty: self.is_dirty(),
                    paper: self.prefs.paper.paper(),
                    bedside_refused: self.refused_act(crate::domain::roles::Act::RecordBedside),
                };
                pages::course::view_ui(ui, &mut self.course, &course_ctx);
            }
        }
        self.modal_ui(&ctx);
        self.server_login_start(&ctx);
        self.server_login_ui(&ctx);
        self.sign_in_tick(&ctx);
        self.sign_prompt_ui(&ctx);
        self.check_prompt_ui(&ctx);
        self.sign_in_ui(&ctx);
        self.order_tick(&ctx);
        self.clinic_tick();
        self.clinic_ledger_tick(&ctx);
        theme::focus_ring_ui(&ctx);

        for action in actions {
            self.apply(action, &ctx);
        }
        self.course_requests(&ctx);
        self.course.acting_user = self.signed_in().map(|u| u.login.clone());
        self.course.tick(&ctx, (self.view, self.state.page));
        self.enter_moves_on(&ctx, focused_before);
        self.restore_tick(&ctx);
        self.prefs.zoom_factor = clamp_zoom(ctx.zoom_factor());
        if self.theme_applied != Some(self.prefs.theme) {
            theme::set_theme(&ctx, self.prefs.theme);
            self.theme_applied = Some(self.prefs.theme);
            ctx.request_repaint();
        }
        let title = self.window_title();
        if title != self.title_sent {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title_sent = title;
        }
        // What is on screen was computed from the draft as the frame began; draw again so
        // that no number lags behind an edit.
        if self.state != before {
            ctx.request_repaint();
        }
    }

    fn frame_setup(&mut self, ctx: &egui::Context) {
        if !self.fonts_applied {
            theme::apply(ctx);
            self.fonts_applied = true;
        }
        if self.theme_applied != Some(self.prefs.theme) {
            theme::set_theme(ctx, self.prefs.theme);
            self.theme_applied = Some(self.prefs.theme);
        }
        if !self.zoom_applied {
            self.zoom_applied = true;
            if (ctx.zoom_factor() - self.prefs.zoom_factor).abs() > f32::EPSILON {
                ctx.set_zoom_factor(self.prefs.zoom_factor);
            }
        }
    }
}
