//! The Order page, driven through its widgets (egui_kittest, no GPU): the contract's
//! refusals listed and linked, the preview equal to the text rendering of the same sheet,
//! export through the typed path (owner-only PDF and handout, the order ledger), COPY on a
//! second export, a new number naming the superseded one after a change, and Print without
//! a print service.

mod common;
#[path = "order_common.rs"]
mod order_common;

#[cfg(unix)]
use common::mode_of;
use common::{click, harness, has_label_containing, type_into};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use ketaplan::domain::order_identity::OrderLedger;
use ketaplan::order::{OrderSheet, RefusalReason};
use ketaplan::ui::KetaplanApp;
use ketaplan::ui::actions::Page;
use ketaplan::ui::order_export::{LEDGER_FILE, NO_PRINT_SERVICE, PrintService, read_ledger};
use ketaplan::ui::pages::order::{self as order_page, OrderState};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn on_order_page(doc: &Value) -> Harness<'static, KetaplanApp> {
    let mut app = order_common::order_app();
    app.open_case_value(doc);
    app.state.page = Page::Order;
    harness(app)
}

/// Export through the typed-path dialog (tests have no native dialog).
fn export(h: &mut Harness<'_, KetaplanApp>, path: &Path) {
    click(h, "Export PDF…");
    assert!(h.state().has_modal(), "the export dialog opens");
    type_into(
        h,
        "Path to export the order PDF to",
        &path.display().to_string(),
    );
    click(h, "Export to this path");
    assert!(!h.state().has_modal(), "{:?}", h.state().notice());
}

fn assert_owner_only_pdf(path: &Path) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(bytes.starts_with(b"%PDF"), "{} is a PDF", path.display());
    #[cfg(unix)]
    assert_eq!(mode_of(path), 0o600, "{} is owner-only", path.display());
}

/// The sheet the app would print now, built here from the app's own case with the same
/// options (the draft is what the app prints, so its case is the one to compare with).
fn sheet_of(app: &KetaplanApp) -> OrderSheet {
    let p = order_common::protocol();
    let live = app.live().unwrap_or_else(|| panic!("no live state"));
    let (Some(case), Some(plan)) = (live.case, live.plan) else {
        panic!("the app's case is not valid: {:?}", live.errors);
    };
    let options = order_page::options(app.today(), order_common::printed_at(), app.preferences());
    let plain =
        OrderSheet::build(&p, &case, &plan, &options).unwrap_or_else(|r| panic!("refused: {r:?}"));
    let mrn = case
        .order
        .as_ref()
        .and_then(|o| o.mrn.clone())
        .unwrap_or_default();
    let identity =
        app.order_ledger()
            .identify(&plain.frame.order_number, &mrn, order_common::order_date());
    OrderSheet::build(
        &p,
        &case,
        &plan,
        &order_page::with_identity(&options, &identity),
    )
    .unwrap_or_else(|r| panic!("refused: {r:?}"))
}

fn ready_number(app: &mut KetaplanApp) -> String {
    match app.order_state() {
        OrderState::Ready(r) => r.identity.order_number.clone(),
        other => panic!("not printable: {:?}", other.reasons()),
    }
}

#[test]
fn refused_order_lists_the_contracts_refusals_each_linked_to_its_page() {
    let mut doc = order_common::standard();
    doc["order"]["prescriber"] = Value::Null;
    doc["order"]["attest"]["resuscitation_ready"] = json!(false);
    // One screening question left unanswered.
    let mut no = doc["screening_no"].as_array().cloned().unwrap_or_default();
    let unanswered = no.pop().unwrap_or_else(|| panic!("no screening_no"));
    doc["screening_no"] = json!(no);

    let mut h = on_order_page(&doc);
    // The reasons are exactly what `OrderSheet::build` (and so `ketaplan order`) refuses with.
    let live = h.state().live().unwrap_or_else(|| panic!("no live state"));
    let (Some(case), Some(plan)) = (live.case, live.plan) else {
        panic!("case invalid: {:?}", live.errors);
    };
    let options = order_page::options(
        order_common::order_date(),
        order_common::printed_at(),
        h.state().preferences(),
    );
    let refusals = match OrderSheet::build(&order_common::protocol(), &case, &plan, &options) {
        Err(r) => r,
        Ok(_) => panic!("the order should be refused"),
    };
    let kinds: Vec<RefusalReason> = refusals.iter().map(|r| r.reason).collect();
    assert!(
        kinds.contains(&RefusalReason::MissingOrderField),
        "{kinds:?}"
    );
    assert!(kinds.contains(&RefusalReason::Attestation), "{kinds:?}");
    assert!(
        kinds.contains(&RefusalReason::UnansweredScreening),
        "{kinds:?}"
    );
    let state = h.state_mut().order_state();
    let shown: Vec<&str> = state.reasons().iter().map(|r| r.text.as_str()).collect();
    // The contract's sentences, except that attestations and missing reasons are said in
    // the app's words (no contract paths, no command-line options).
    let expected: Vec<String> = refusals
        .iter()
        .map(|r| match r.reason {
            RefusalReason::Attestation => {
                "Resuscitation readiness attestation is not ticked.".to_string()
            }
            RefusalReason::UnansweredScreening => {
                let code = unanswered.as_str().unwrap_or_default();
                let question = order_common::protocol()
                    .finding(code)
                    .and_then(|d| d.screening.as_ref())
                    .map(|q| q.question.clone())
                    .unwrap_or_default();
                format!("1 screening question is not answered (first: {question})")
            }
            _ => r.message.clone(),
        })
        .collect();
    assert_eq!(shown, expected);
    assert!(
        !shown
            .iter()
            .any(|t| t.contains("order.attest") || t.contains("--"))
    );
    assert!(has_label_containing(
        &h,
        &format!("{} reasons to resolve", refusals.len())
    ));
    // Export and Print are off while the contract refuses.
    assert!(h.get_by_label("Export PDF…").accesskit_node().is_disabled());
    assert!(h.get_by_label("Print").accesskit_node().is_disabled());

    // Each reason is a link to the page that resolves it.
    let expected_pages = [
        (RefusalReason::UnansweredScreening, Page::Screening),
        (RefusalReason::MissingOrderField, Page::Review),
        (RefusalReason::Attestation, Page::Review),
    ];
    for (kind, page) in expected_pages {
        let Some(at) = refusals.iter().position(|r| r.reason == kind) else {
            panic!("no {kind:?} refusal");
        };
        // The link is the reason as the page words it.
        let text = expected[at].clone();
        h.state_mut().state.page = Page::Order;
        h.run();
        click(&mut h, &text);
        assert_eq!(h.state().page(), page, "{text}");
    }
    // The screening link names the unanswered question.
    let screening = state
        .reasons()
        .iter()
        .find(|r| r.field.starts_with("screening."))
        .map(|r| r.field.clone());
    assert_eq!(
        screening.as_deref(),
        Some(format!("screening.{}", unanswered.as_str().unwrap_or_default()).as_str())
    );
}

#[test]
fn an_incomplete_case_lists_its_missing_items_linked_to_their_pages() {
    let mut h = harness({
        let mut app = order_common::order_app();
        app.state.page = Page::Order;
        app
    });
    let state = h.state_mut().order_state();
    let OrderState::Incomplete(reasons) = &state else {
        panic!("a new case is incomplete: {state:?}");
    };
    assert!(!reasons.is_empty());
    assert!(has_label_containing(&h, "The case is not complete"));
    assert!(h.get_by_label("Export PDF…").accesskit_node().is_disabled());
    // The last one (the step bar links the first one too).
    let last = reasons[reasons.len() - 1].clone();
    click(&mut h, &last.text);
    assert_eq!(h.state().page(), last.page());
    assert_ne!(last.page(), Page::Order);
}

#[test]
fn the_preview_is_the_text_rendering_of_the_same_sheet() {
    let h = on_order_page(&order_common::standard());
    let sheet = sheet_of(h.state());
    let lines = ketaplan::order::text::lines(&sheet);
    assert_eq!(h.state().order_preview_lines(), lines.as_slice());
    // On screen as one text, line for line.
    h.get_by_label(&lines.join("\n"));
    // The order number and the date it is valid for are shown above it.
    assert!(has_label_containing(&h, &sheet.frame.order_number));
    assert!(has_label_containing(&h, "2026-11-20 only"));
    assert!(lines.iter().any(|l| l.contains(&sheet.frame.order_number)));
}

#[test]
fn export_through_the_typed_path_writes_owner_only_pdfs_and_the_ledger() {
    let dir = order_common::tempdir();
    let data = dir.path().join("data");
    let mut app = order_common::order_app();
    app.set_data_dir(Some(data.clone()));
    app.open_case_value(&order_common::standard());
    app.state.page = Page::Order;
    let mut h = harness(app);
    let number = ready_number(h.state_mut());

    // Without ".pdf": the exported file gets it.
    let typed = dir.path().join("jane-order");
    export(&mut h, &typed);
    let pdf = PathBuf::from(format!("{}.pdf", typed.display()));
    assert_owner_only_pdf(&pdf);
    // The patient handout beside it (on by default).
    assert_owner_only_pdf(&dir.path().join("jane-order.handout.pdf"));
    let notice = h
        .state()
        .notice()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(
        notice.contains(&format!("Exported order {number}")),
        "{notice}"
    );

    // The ledger: in the data folder, owner-only, naming the order.
    let ledger_file = data.join(LEDGER_FILE);
    #[cfg(unix)]
    assert_eq!(mode_of(&ledger_file), 0o600);
    let ledger = read_ledger(&data).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ledger.printed.len(), 1);
    assert_eq!(ledger.printed[0].order_number, number);
    assert_eq!(ledger.printed[0].mrn, "000123");
    assert_eq!(ledger.printed[0].valid_on, order_common::order_date());
}

#[test]
fn ctrl_p_opens_the_export_from_any_page() {
    let mut app = order_common::order_app();
    app.open_case_value(&order_common::standard());
    let mut h = harness(app);
    assert_eq!(h.state().page(), Page::Patient);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::P);
    h.run();
    assert_eq!(h.state().page(), Page::Order);
    assert!(h.state().has_modal());
    assert!(has_label_containing(&h, "Path to export the order PDF to"));
    click(&mut h, "Cancel");
    assert!(!h.state().has_modal());
}

#[test]
fn exporting_the_same_order_twice_marks_the_second_copy() {
    let dir = order_common::tempdir();
    let mut app = order_common::order_app();
    app.set_data_dir(Some(dir.path().join("data")));
    app.open_case_value(&order_common::standard());
    app.state.page = Page::Order;
    let mut h = harness(app);
    let number = ready_number(h.state_mut());
    assert!(
        !h.state()
            .order_preview_lines()
            .iter()
            .any(|l| l.contains("COPY"))
    );

    export(&mut h, &dir.path().join("first.pdf"));
    // The preview is now the copy the next export will print.
    let state = h.state_mut().order_state();
    let ready = state.ready().unwrap_or_else(|| panic!("not printable"));
    assert!(ready.identity.copy);
    assert_eq!(ready.identity.order_number, number);
    h.run();
    let preview = h.state().order_preview_lines().to_vec();
    assert!(
        preview
            .iter()
            .any(|l| l.contains(&format!("COPY: a reprint of order {number}"))),
        "{preview:#?}"
    );
    assert_eq!(preview, ketaplan::order::text::lines(&sheet_of(h.state())));
    assert!(has_label_containing(&h, "COPY: this order was exported"));

    export(&mut h, &dir.path().join("second.pdf"));
    assert_owner_only_pdf(&dir.path().join("second.pdf"));
    let notice = h
        .state()
        .notice()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(notice.contains("(COPY)"), "{notice}");
    // A copy is not a new order: the ledger still holds one.
    let ledger: &OrderLedger = h.state().order_ledger();
    assert_eq!(ledger.printed.len(), 1);
}

#[test]
fn a_changed_dose_gets_a_new_number_that_names_the_superseded_one() {
    let dir = order_common::tempdir();
    let data = dir.path().join("data");
    let mut app = order_common::order_app();
    app.set_data_dir(Some(data.clone()));
    app.open_case_value(&order_common::standard());
    app.state.page = Page::Order;
    let mut h = harness(app);
    let first = ready_number(h.state_mut());
    export(&mut h, &dir.path().join("first.pdf"));

    // Change the starting infusion (the Regimen page's entry edits this draft field).
    let before = h.state().state.draft.infusion_value.clone();
    h.state_mut().state.draft.infusion_value = "0.4".to_string();
    assert_ne!(before, "0.4");
    h.run();
    let state = h.state_mut().order_state();
    let ready = state
        .ready()
        .unwrap_or_else(|| panic!("not printable: {:?}", state.reasons()));
    let second = ready.identity.order_number.clone();
    assert_ne!(second, first);
    assert!(!ready.identity.copy);
    assert_eq!(ready.identity.supersedes.as_deref(), Some(first.as_str()));
    h.run();
    assert!(has_label_containing(
        &h,
        &format!("Supersedes order {first}")
    ));
    assert!(
        h.state()
            .order_preview_lines()
            .iter()
            .any(|l| l.contains(&format!("Supersedes order {first}")))
    );

    export(&mut h, &dir.path().join("second.pdf"));
    let ledger = read_ledger(&data).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ledger.printed.len(), 2);
    assert_eq!(ledger.printed[1].order_number, second);
    assert_eq!(
        ledger.printed[1].supersedes.as_deref(),
        Some(first.as_str())
    );
    // Read again by a new app, the ledger still knows both orders.
    let mut again = order_common::order_app();
    again.set_data_dir(Some(data));
    again.open_case_value(&order_common::standard());
    let state = again.order_state();
    let ready = state.ready().unwrap_or_else(|| panic!("not printable"));
    assert_eq!(ready.identity.order_number, first);
    assert!(ready.identity.copy, "the first order, exported before");
}

#[test]
fn print_is_disabled_without_a_print_service() {
    // What the app finds on a computer without `lp` (an empty PATH).
    let empty = order_common::tempdir();
    assert_eq!(
        ketaplan::ui::order_export::detect_print_service(Some(
            empty.path().as_os_str().to_os_string()
        )),
        PrintService::None
    );
    let mut h = on_order_page(&order_common::standard());
    assert!(h.state_mut().order_state().ready().is_some());
    let print = h.get_by_label("Print");
    assert!(print.accesskit_node().is_disabled());
    assert!(has_label_containing(&h, NO_PRINT_SERVICE));
    // Export stays available.
    assert!(!h.get_by_label("Export PDF…").accesskit_node().is_disabled());
    // Clicking the disabled button does nothing.
    click(&mut h, "Print");
    assert!(h.state().notice().is_none());
    assert!(h.state().order_ledger().printed.is_empty());
}

#[test]
fn a_damaged_ledger_is_reported_and_kept_aside() {
    let dir = order_common::tempdir();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(data.join(LEDGER_FILE), "not a ledger (").unwrap_or_else(|e| panic!("{e}"));
    let mut app = order_common::order_app();
    app.set_data_dir(Some(data.clone()));
    app.open_case_value(&order_common::standard());
    app.state.page = Page::Order;
    let mut h = harness(app);
    assert!(has_label_containing(
        &h,
        "a reprint will not be recognised as a copy"
    ));
    export(&mut h, &dir.path().join("order.pdf"));
    assert!(data.join(format!("{LEDGER_FILE}.unreadable")).is_file());
    let ledger = read_ledger(&data).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ledger.printed.len(), 1);
}

/// A stand-in for CUPS: `lpstat` lists `ward3` as the default printer; `lp` records its
/// arguments and copies the files it is given (or fails, when `fail` is set).
#[cfg(unix)]
fn fake_print_service(dir: &Path, fail: bool) -> PrintService {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap_or_else(|e| panic!("{e}"));
    let log = dir.join("lp-log");
    std::fs::create_dir_all(&log).unwrap_or_else(|e| panic!("{e}"));
    let lp = if fail {
        "#!/bin/sh\necho 'lp: The printer or class does not exist.' >&2\nexit 1\n".to_string()
    } else {
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{log}/args'\nseen=0\nn=0\nfor a in \"$@\"; do\n  if [ \"$seen\" = 1 ]; then n=$((n+1)); cp \"$a\" '{log}/job-'$n.pdf; fi\n  [ \"$a\" = \"--\" ] && seen=1\ndone\necho 'request id is ward3-7 (2 file(s))'\n",
            log = log.display()
        )
    };
    let lpstat = "#!/bin/sh\ncase \"$1\" in\n  -p) echo 'printer ward3 is idle.  enabled since Fri 20 Nov 2026';;\n  -d) echo 'system default destination: ward3';;\nesac\n";
    for (name, text) in [("lp", lp.as_str()), ("lpstat", lpstat)] {
        let path = bin.join(name);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    ketaplan::ui::order_export::detect_print_service(Some(bin.into_os_string()))
}

/// Draw frames until the print job has answered (it runs on a thread).
#[cfg(unix)]
fn wait_for_print(h: &mut Harness<'_, KetaplanApp>) -> String {
    for _ in 0..200 {
        h.run();
        let text = h
            .state()
            .notice()
            .map(|n| n.text.clone())
            .unwrap_or_default();
        if !text.starts_with("Sending order") && !text.is_empty() {
            return text;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    panic!("the print job did not answer");
}

#[cfg(unix)]
#[test]
fn print_sends_the_order_and_handout_to_the_printer_on_a_thread() {
    let dir = order_common::tempdir();
    let service = fake_print_service(dir.path(), false);
    let PrintService::Available {
        printers, default, ..
    } = &service
    else {
        panic!("the fake lp was not found: {service:?}");
    };
    assert_eq!(printers, &vec!["ward3".to_string()]);
    assert_eq!(default.as_deref(), Some("ward3"));

    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap_or_else(|e| panic!("{e}"));
    let mut app = order_common::order_app();
    app.set_print_service(service);
    app.set_data_dir(Some(data.clone()));
    app.open_case_value(&order_common::standard());
    app.state.page = Page::Order;
    let mut h = harness(app);
    let number = ready_number(h.state_mut());
    assert!(
        !h.get_by_label("Print to ward3")
            .accesskit_node()
            .is_disabled()
    );
    click(&mut h, "Print to ward3");
    let notice = wait_for_print(&mut h);
    assert!(
        notice.contains(&format!("Order {number} sent to ward3")),
        "{notice}"
    );

    let log = dir.path().join("lp-log");
    let args = std::fs::read_to_string(log.join("args")).unwrap_or_default();
    let args: Vec<&str> = args.lines().collect();
    assert_eq!(args[..2], ["-d", "ward3"], "{args:?}");
    assert!(
        args.iter().any(|a| a.contains(&number)),
        "job title: {args:?}"
    );
    assert_owner_only_pdf(&log.join("job-1.pdf"));
    assert!(
        std::fs::read(log.join("job-2.pdf"))
            .unwrap_or_default()
            .starts_with(b"%PDF")
    );
    // The spool copies are gone; the ledger has the order.
    let left: Vec<_> = std::fs::read_dir(&data)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.contains("print"))
                .collect()
        })
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
    let ledger = read_ledger(&data).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ledger.printed.len(), 1);
    assert_eq!(ledger.printed[0].order_number, number);
    // Printed again: a copy.
    assert!(
        h.state_mut()
            .order_state()
            .ready()
            .is_some_and(|r| r.identity.copy)
    );
}

#[cfg(unix)]
#[test]
fn a_failed_print_is_a_notice_and_not_recorded() {
    let dir = order_common::tempdir();
    let mut app = order_common::order_app();
    app.set_print_service(fake_print_service(dir.path(), true));
    app.open_case_value(&order_common::standard());
    app.state.page = Page::Order;
    let mut h = harness(app);
    click(&mut h, "Print to ward3");
    let notice = wait_for_print(&mut h);
    assert!(notice.contains("was not printed"), "{notice}");
    assert!(notice.contains("does not exist"), "{notice}");
    assert!(h.state().order_ledger().printed.is_empty());
}

#[test]
fn a_foreign_order_number_from_a_file_is_removed_with_one_click() {
    let mut doc = order_common::standard();
    doc["order"]["order_number"] = serde_json::json!("K-1999-0001");
    let mut h = on_order_page(&doc);
    assert!(has_label_containing(&h, "is not this order's number"));
    click(&mut h, "Remove the file's order number");
    assert_eq!(h.state().state.draft.order_number, None);
    assert!(!has_label_containing(&h, "is not this order's number"));
    // Now printable, with the number made from the content.
    let sheet = sheet_of(h.state());
    assert_ne!(sheet.frame.order_number, "K-1999-0001");
}
