//! Who is at the keyboard, in the app (egui_kittest on a real SQLite clinic file, step 12):
//! the sign-in screen when the clinic database has users, a wrong password refused, the
//! banner naming who is signed in, the idle lock that keeps the case open, and "Sign and
//! export PDF…" that signs the order electronically (the signature read back from the PDF
//! and from the clinic's ledger) or writes nothing when the password is wrong.

#[path = "support/clinic.rs"]
mod clinic;
mod common;
#[path = "order_common.rs"]
mod order_common;

use clinic::{Backend, TestDb};
use common::{click, harness, has_label, has_label_containing, press, type_into, wait_for};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use ketaplan::store::db::{ClinicDb, Credentials, DbUrl, Role, UserRow};
use ketaplan::ui::KetaplanApp;
use ketaplan::ui::actions::Page;
use ketaplan::ui::order_export::{ClinicLedger, PrintService};
use std::time::{Duration, Instant};

const ADMIN_PASSWORD: &str = "admin pass 1";
const DOCTOR_PASSWORD: &str = "doctor pass 2";
const NURSE_PASSWORD: &str = "nurse pass 3";
const PHARMACIST_PASSWORD: &str = "pharma pass 4";

fn clinic_with_users() -> TestDb {
    let db = TestDb::migrated(&Backend::Sqlite).unwrap_or_else(|| panic!("no database"));
    let url = DbUrl::parse(&db.url).unwrap_or_else(|e| panic!("{e}"));
    let mut clinic = ClinicDb::open(&url, "UTC").unwrap_or_else(|e| panic!("{e}"));
    let user = |login: &str, full_name: &str, role: Role| UserRow {
        login: login.into(),
        full_name: full_name.into(),
        role,
        active: true,
    };
    let admin = Credentials {
        login: "ada",
        password: ADMIN_PASSWORD,
    };
    clinic
        .add_user(&user("ada", "Ada Admin", Role::Admin), ADMIN_PASSWORD, None)
        .unwrap_or_else(|e| panic!("{e}"));
    for (u, password) in [
        (
            user("dora", "Dr A. Example", Role::Physician),
            DOCTOR_PASSWORD,
        ),
        (user("nina", "Nina Nurse", Role::Nurse), NURSE_PASSWORD),
        (
            user("phil", "Phil Pharmacist", Role::Pharmacist),
            PHARMACIST_PASSWORD,
        ),
    ] {
        clinic
            .add_user(&u, password, Some(&admin))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    db
}

fn workstation(db: &TestDb) -> Harness<'static, KetaplanApp> {
    let mut app = KetaplanApp::with_protocol(Ok(order_common::protocol()));
    app.set_today(order_common::order_date());
    app.set_print_time(order_common::printed_at());
    app.set_print_service(PrintService::None);
    app.set_clinic_database(DbUrl::parse(&db.url).unwrap_or_else(|e| panic!("{e}")));
    app.open_case_value(&order_common::standard());
    app.state.page = Page::Order;
    harness(app)
}

fn sign_in(h: &mut Harness<'_, KetaplanApp>, login: &str, password: &str) {
    wait_for(h, "Sign in");
    type_into(h, "Login", login);
    type_into(h, "Password", password);
    press(h, "Sign in");
}

fn wait_until(h: &mut Harness<'_, KetaplanApp>, what: &str, done: impl Fn(&KetaplanApp) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done(h.state()) {
        assert!(Instant::now() < deadline, "{what} never happened");
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run();
}

fn pdf_text(path: &std::path::Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let d = lopdf::Document::load_mem(&bytes).unwrap_or_else(|e| panic!("{e}"));
    let pages: Vec<u32> = d.get_pages().keys().copied().collect();
    order_common::normalise(&d.extract_text(&pages).unwrap_or_default())
}

#[test]
fn a_physician_signs_in_is_locked_when_idle_and_signs_the_order() {
    let db = clinic_with_users();
    let mut h = workstation(&db);
    sign_in(&mut h, "dora", "wrong password");
    wait_for(&mut h, "Not signed in: dora: wrong login or password");
    assert!(h.state().signed_in().is_none());
    type_into(&mut h, "Password", DOCTOR_PASSWORD);
    press(&mut h, "Sign in");
    wait_until(&mut h, "signing in", |app| app.signed_in().is_some());
    assert!(has_label(&h, "Signed in: Dr A. Example (physician)"));
    assert!(!has_label(&h, "Sign in"), "the sign-in screen is gone");

    // Idle: the lock screen, the case still open behind it.
    h.state_mut().set_idle_lock(Duration::from_millis(300));
    std::thread::sleep(Duration::from_millis(400));
    h.step();
    h.run();
    assert!(has_label(&h, "Workstation locked"));
    assert!(has_label_containing(&h, "Everything stays open"));
    assert_eq!(h.state().state.page, Page::Order, "nothing was closed");
    h.state_mut().set_idle_lock(Duration::from_secs(600));
    type_into(&mut h, "Password", DOCTOR_PASSWORD);
    press(&mut h, "Unlock");
    wait_until(&mut h, "unlocking", |app| !has_unlock_screen(app));
    assert!(!has_label(&h, "Workstation locked"));

    // Sign and export: the path, then the signer's password.
    wait_until(&mut h, "the ledger read", |app| {
        matches!(app.order_clinic_ledger(), ClinicLedger::Read(_))
    });
    let path = db.path("signed.pdf");
    click(&mut h, "Sign and export PDF…");
    type_into(
        &mut h,
        "Path to export the order PDF to",
        &path.display().to_string(),
    );
    click(&mut h, "Export to this path");
    assert!(
        has_label(&h, "Sign the order"),
        "the signer's password is asked"
    );
    type_into(&mut h, "Signer's password", "wrong password");
    click(&mut h, "Sign and export");
    assert!(has_label_containing(&h, "wrong login or password"));
    assert!(!path.exists(), "a wrong password writes nothing");
    type_into(&mut h, "Signer's password", DOCTOR_PASSWORD);
    click(&mut h, "Sign and export");
    assert!(path.is_file(), "{:?}", h.state().notice());
    let text = pdf_text(&path);
    assert!(
        text.contains("Electronically signed by Dr A. Example (physician) at 2026-11-20 08:30"),
        "{text}"
    );
    let url = DbUrl::parse(&db.url).unwrap_or_else(|e| panic!("{e}"));
    let mut clinic = ClinicDb::open(&url, "UTC").unwrap_or_else(|e| panic!("{e}"));
    let ledger = clinic.read_ledger().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ledger.printed.len(), 1);
    let number = &ledger.printed[0].order_number;
    let signatures = clinic
        .read_signatures(number)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(signatures.len(), 1);
    assert_eq!(signatures[0].login, "dora");
    assert!(text.contains(&format!("sha256 {}", signatures[0].content_sha256)));
    let trail = clinic
        .clinic_audit_trail()
        .unwrap_or_else(|e| panic!("{e}"));
    let acts: Vec<(&str, &str)> = trail
        .iter()
        .map(|e| (e.by.as_str(), e.action.as_str()))
        .collect();
    for act in [
        ("dora", "signed in"),
        ("dora", "unlocked"),
        ("dora", "signed: order"),
    ] {
        assert!(acts.contains(&act), "{act:?}: {acts:?}");
    }
}

fn has_unlock_screen(app: &KetaplanApp) -> bool {
    app.signed_in().is_some() && app.is_locked()
}

#[test]
fn a_nurse_is_not_offered_the_signature() {
    let db = clinic_with_users();
    let mut h = workstation(&db);
    sign_in(&mut h, "nina", NURSE_PASSWORD);
    wait_until(&mut h, "signing in", |app| app.signed_in().is_some());
    assert!(has_label(&h, "Signed in: Nina Nurse (nurse)"));
    assert!(
        h.get_by_label("Sign and export PDF…")
            .accesskit_node()
            .is_disabled(),
        "a nurse may not sign an order"
    );
}

#[test]
fn without_users_no_one_signs_in() {
    let db = TestDb::migrated(&Backend::Sqlite).unwrap_or_else(|| panic!("no database"));
    let mut h = workstation(&db);
    for _ in 0..20 {
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!has_label(&h, "Sign in"));
    assert!(h.state().signed_in().is_none());
    assert!(
        h.query_all_by_label("Sign and export PDF…")
            .next()
            .is_none(),
        "no signature is offered where no one signs in"
    );
}

#[test]
fn a_pharmacist_reads_the_course_but_records_no_bedside_entry() {
    let db = clinic_with_users();
    let mut h = workstation(&db);
    sign_in(&mut h, "phil", PHARMACIST_PASSWORD);
    wait_until(&mut h, "signing in", |app| app.signed_in().is_some());
    let day = order_common::order_date();
    let course = common::course_view::write_course(
        db.dir.path(),
        "course.ketaplan",
        &common::course_view::course_of(&[day]),
    );
    click(&mut h, "Course");
    common::course_view::open_course_typed(&mut h, &course);
    let refusal = "Signed in as Phil Pharmacist: a pharmacist may not record flowsheets, \
                   what was given and follow-ups: only a nurse or a physician may.";
    assert!(
        has_label(&h, refusal),
        "the course says why it is read-only"
    );
    assert!(
        h.get_by_label("Record follow-up")
            .accesskit_node()
            .is_disabled(),
        "the follow-up cannot be recorded"
    );
}

/// Dora signs the order on `h` and exports it to `name` in the clinic's folder.
fn signed_export(h: &mut Harness<'_, KetaplanApp>, db: &TestDb, name: &str) {
    sign_in(h, "dora", DOCTOR_PASSWORD);
    wait_until(h, "signing in", |app| app.signed_in().is_some());
    wait_until(h, "the ledger read", |app| {
        matches!(app.order_clinic_ledger(), ClinicLedger::Read(_))
    });
    click(h, "Sign and export PDF…");
    type_into(
        h,
        "Path to export the order PDF to",
        &db.path(name).display().to_string(),
    );
    click(h, "Export to this path");
    type_into(h, "Signer's password", DOCTOR_PASSWORD);
    click(h, "Sign and export");
    assert!(db.path(name).is_file(), "{:?}", h.state().notice());
}

#[test]
fn a_pharmacist_then_a_nurse_record_their_checks_on_the_signed_order() {
    let db = clinic_with_users();
    let mut physician = workstation(&db);
    signed_export(&mut physician, &db, "signed.pdf");

    let mut pharmacy = workstation(&db);
    sign_in(&mut pharmacy, "phil", PHARMACIST_PASSWORD);
    wait_until(&mut pharmacy, "signing in", |app| app.signed_in().is_some());
    wait_until(&mut pharmacy, "the ledger read", |app| {
        matches!(app.order_clinic_ledger(), ClinicLedger::Read(_))
    });
    click(&mut pharmacy, "Record pharmacy check…");
    type_into(&mut pharmacy, "Checker's password", "wrong password");
    click(&mut pharmacy, "Record check");
    assert!(
        has_label_containing(&pharmacy, "Not recorded"),
        "a wrong password"
    );
    type_into(&mut pharmacy, "Checker's password", PHARMACIST_PASSWORD);
    click(&mut pharmacy, "Record check");
    let notice = pharmacy
        .state()
        .notice()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(notice.contains("The pharmacy check of order"), "{notice}");
    wait_until(&mut pharmacy, "the ledger read again", |app| {
        matches!(app.order_clinic_ledger(), ClinicLedger::Read(_))
    });
    assert!(
        pharmacy
            .state()
            .order_preview_lines()
            .iter()
            .any(|l| l.contains("Electronically signed by Phil Pharmacist (pharmacist)")),
        "the COPY prints the check"
    );

    let mut bedside = workstation(&db);
    sign_in(&mut bedside, "nina", NURSE_PASSWORD);
    wait_until(&mut bedside, "signing in", |app| app.signed_in().is_some());
    wait_until(&mut bedside, "the ledger read", |app| {
        matches!(app.order_clinic_ledger(), ClinicLedger::Read(_))
    });
    click(&mut bedside, "Record double check…");
    type_into(&mut bedside, "Checker's password", NURSE_PASSWORD);
    click(&mut bedside, "Record check");
    let url = DbUrl::parse(&db.url).unwrap_or_else(|e| panic!("{e}"));
    let mut clinic = ClinicDb::open(&url, "UTC").unwrap_or_else(|e| panic!("{e}"));
    let number = clinic
        .read_ledger()
        .unwrap_or_else(|e| panic!("{e}"))
        .printed[0]
        .order_number
        .clone();
    let kinds: Vec<(String, &str)> = clinic
        .read_signatures(&number)
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|s| (s.login.clone(), s.kind.as_str()))
        .collect();
    for expected in [
        ("dora", "order"),
        ("phil", "pharmacy_check"),
        ("nina", "double_check"),
    ] {
        assert!(
            kinds.contains(&(expected.0.to_string(), expected.1)),
            "{expected:?}: {kinds:?}"
        );
    }
}
