//! Printing the order: the PDF (and handout) made and spooled to `lp` on a thread, the
//! ledger written once the print service accepts the job.

use super::{KetaplanApp, NoticeKind};
use std::path::{Path, PathBuf};

use super::order::label_of;

impl KetaplanApp {
    pub(super) fn print_order(&mut self, ctx: &egui::Context) {
        if self.order.printing.is_some() {
            return;
        }
        let printer = match self
            .order
            .print_service
            .destination(self.prefs.printer.as_deref())
        {
            Ok(p) => p,
            Err(e) => {
                self.set_notice(NoticeKind::Warning, format!("Not printed: {e}"));
                return;
            }
        };
        let Some(lp) = self.order.print_service.lp().map(Path::to_path_buf) else {
            return;
        };
        let now = self.order.now();
        let result = self.ready_order(now).and_then(|ready| {
            let mut documents = vec![
                crate::order::pdf::render(&ready.sheet)
                    .map_err(|e| format!("The PDF could not be made: {e}"))?,
            ];
            if self.prefs.export_handout {
                if let Some(why) = &ready.handout_refused {
                    return Err(format!("Nothing was printed: {why}"));
                }
                documents.push(
                    crate::order::pdf::render_handout(&ready.handout, ready.sheet.paper)
                        .map_err(|e| format!("The handout could not be made: {e}"))?,
                );
            }
            // The spool copies hold patient data: owner-only, in the data folder when there
            // is one; removed as soon as `lp` has taken them.
            let dir = self.data_dir.clone().unwrap_or_else(std::env::temp_dir);
            let mut files: Vec<PathBuf> = Vec::new();
            for (i, bytes) in documents.iter().enumerate() {
                let file = dir.join(format!(
                    ".ketaplan-print-{}-{}-{i}.pdf",
                    std::process::id(),
                    now.format("%H%M%S")
                ));
                if let Err(e) = self.store.write_export(&file, bytes) {
                    for f in &files {
                        self.store.remove_export(f);
                    }
                    return Err(format!("{}: {e}", file.display()));
                }
                files.push(file);
            }
            Ok((ready, files))
        });
        let (ready, files) = match result {
            Ok(x) => x,
            Err(e) => {
                self.set_notice(NoticeKind::Error, format!("Not printed: {e}"));
                return;
            }
        };
        // On the clinic database the original is recorded before it goes to the printer.
        let in_clinic = match self.clinic_record_before_leaving(&ready, now, ctx) {
            Ok(in_clinic) => in_clinic,
            Err(e) => {
                for f in &files {
                    self.store.remove_export(f);
                }
                self.set_notice(NoticeKind::Error, e);
                return;
            }
        };
        let number = ready.identity.order_number.clone();
        match self
            .order
            .start_print(lp, printer.clone(), number.clone(), files, ctx)
        {
            Ok(()) => {
                self.order.pending_print = (!in_clinic).then(|| Self::ledger_entry(&ready, now));
                let label = label_of(ready.identity.copy, ready.identity.supersedes.as_deref());
                self.set_notice(
                    NoticeKind::Done,
                    format!("Sending order {number}{label} to {printer}…"),
                );
            }
            Err(e) => self.set_notice(NoticeKind::Error, format!("Not printed: {e}")),
        }
    }
}
