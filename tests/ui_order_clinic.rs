//! The Order page on a clinic database (egui_kittest, a real SQLite clinic file shared by two
//! app instances, as two workstations): an original exported at one is a COPY at the other;
//! an original the other printed meanwhile is refused before anything is written; the
//! workstation's own ledger file joins the clinic's when the database is chosen.

#[path = "support/clinic.rs"]
mod clinic;
mod common;
#[path = "order_common.rs"]
mod order_common;

use clinic::{Backend, TestDb};
use common::{click, harness, has_label_containing, type_into};
use egui_kittest::Harness;
use ketaplan::domain::order_identity::{OrderLedger, PrintedOrder};
use ketaplan::store::db::{ClinicDb, DbUrl};
use ketaplan::ui::KetaplanApp;
use ketaplan::ui::actions::Page;
use ketaplan::ui::order_export::{ClinicLedger, PrintService};
use ketaplan::ui::pages::order::OrderState;
use std::path::Path;

fn workstation(db: &TestDb, data: Option<&Path>) -> Harness<'static, KetaplanApp> {
    let mut app = KetaplanApp::with_protocol(Ok(order_common::protocol()));
    app.set_today(order_common::order_date());
    app.set_print_time(order_common::printed_at());
    app.set_print_service(PrintService::None);
    app.set_data_dir(data.map(Path::to_path_buf));
    app.set_clinic_database(DbUrl::parse(&db.url).unwrap_or_else(|e| panic!("{e}")));
    app.open_case_value(&order_common::standard());
    app.state.page = Page::Order;
    let mut h = harness(app);
    wait_for_ledger(&mut h);
    h
}

/// Frames until the clinic's ledger is read (export waits for it).
fn wait_for_ledger(h: &mut Harness<'_, KetaplanApp>) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !matches!(h.state().order_clinic_ledger(), ClinicLedger::Read(_)) {
        assert!(
            std::time::Instant::now() < deadline,
            "the clinic's ledger was never read: {:?}",
            h.state().order_clinic_ledger()
        );
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.run();
}

fn export(h: &mut Harness<'_, KetaplanApp>, path: &Path) -> String {
    click(h, "Export PDF…");
    type_into(
        h,
        "Path to export the order PDF to",
        &path.display().to_string(),
    );
    click(h, "Export to this path");
    h.state()
        .notice()
        .map(|n| n.text.clone())
        .unwrap_or_default()
}

fn clinic_ledger(db: &TestDb) -> OrderLedger {
    let url = DbUrl::parse(&db.url).unwrap_or_else(|e| panic!("{e}"));
    let mut clinic = ClinicDb::open(&url, "UTC").unwrap_or_else(|e| panic!("{e}"));
    clinic.read_ledger().unwrap_or_else(|e| panic!("{e}"))
}

fn preview_says_copy(h: &Harness<'_, KetaplanApp>) -> bool {
    h.state()
        .order_preview_lines()
        .iter()
        .any(|l| l.contains("COPY"))
}

fn number(h: &mut Harness<'_, KetaplanApp>) -> String {
    match h.state_mut().order_state() {
        OrderState::Ready(r) => r.identity.order_number.clone(),
        other => panic!("not printable: {:?}", other.reasons()),
    }
}

#[test]
fn an_original_exported_at_one_workstation_is_a_copy_at_the_other() {
    let db = TestDb::migrated(&Backend::Sqlite).unwrap_or_else(|| panic!("no database"));
    let mut first = workstation(&db, None);
    let order = number(&mut first);
    let notice = export(&mut first, &db.path("first.pdf"));
    assert!(
        notice.contains(&format!("Exported order {order} to")),
        "{notice}"
    );
    assert!(db.path("first.pdf").is_file());
    let ledger = clinic_ledger(&db);
    assert_eq!(ledger.printed.len(), 1);
    assert_eq!(ledger.printed[0].order_number, order);

    // The other workstation opens the same order afterwards: its sheet says COPY.
    let mut second = workstation(&db, None);
    assert!(preview_says_copy(&second), "the preview marks the reprint");
    assert!(has_label_containing(
        &second,
        "COPY: this order was exported or printed at the clinic before"
    ));
    let notice = export(&mut second, &db.path("second.pdf"));
    assert!(notice.contains("(COPY)"), "{notice}");
    assert_eq!(
        clinic_ledger(&db).printed.len(),
        1,
        "a COPY is not an original"
    );
}

#[test]
fn an_original_printed_elsewhere_meanwhile_is_refused_before_anything_is_written() {
    let db = TestDb::migrated(&Backend::Sqlite).unwrap_or_else(|| panic!("no database"));
    // Both read the clinic's ledger before either exports.
    let mut first = workstation(&db, None);
    let mut second = workstation(&db, None);
    export(&mut first, &db.path("first.pdf"));
    export(&mut second, &db.path("second.pdf"));
    // The export dialog stays open with the reason.
    assert!(
        has_label_containing(&second, "Nothing was exported")
            && has_label_containing(&second, "meanwhile"),
        "the refusal names the original printed elsewhere"
    );
    click(&mut second, "Cancel");
    assert!(
        !db.path("second.pdf").exists(),
        "no second original was written"
    );
    assert!(!db.path("second.handout.pdf").exists());
    // It reads the clinic's ledger again: now the sheet is a COPY.
    wait_for_ledger(&mut second);
    assert!(
        preview_says_copy(&second),
        "after the refusal the page shows the reprint"
    );
}

#[test]
fn the_workstations_own_ledger_joins_the_clinics() {
    let db = TestDb::migrated(&Backend::Sqlite).unwrap_or_else(|| panic!("no database"));
    let data = db.path("data");
    // An original printed here before the clinic database was chosen.
    let mut own = OrderLedger::default();
    own.printed.push(PrintedOrder {
        order_number: "KP-EARLIER-1".into(),
        mrn: "000999".into(),
        valid_on: order_common::order_date(),
        printed_at: order_common::printed_at(),
        supersedes: None,
    });
    let store = ketaplan::store::FileStore::new(Some(data.clone()));
    ketaplan::store::Store::write_ledger(&store, &own, false).unwrap_or_else(|e| panic!("{e}"));
    let _h = workstation(&db, Some(&data));
    let ledger = clinic_ledger(&db);
    assert!(
        ledger
            .printed
            .iter()
            .any(|p| p.order_number == "KP-EARLIER-1"),
        "{ledger:?}"
    );
}
