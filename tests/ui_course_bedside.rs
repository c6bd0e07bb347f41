//! The Course view's bedside record, driven through its widgets: the flowsheet recorded and
//! autosaved, "what was given" filled from it, the monitoring chart exported, LFT results
//! and a charted value past the stop criteria.

mod common;

use chrono::Duration;
use common::course_view::new_app;
use common::course_view::*;
use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use ketaplan::domain::plan;
use ketaplan::order::{Paper, format};
use ketaplan::store::course_store::autosave_path;
use ketaplan::ui::KetaplanApp;
use ketaplan::ui::actions::View;
use ketaplan::ui::course_state::flowsheet_path;

#[test]
fn the_flowsheet_fills_what_was_given_and_prints() {
    let dir = temp_dir();
    let path = write_course(
        dir.path(),
        "flow.ketaplan",
        &course_of(&[order_day() - Duration::days(1)]),
    );
    let mut h = course_harness(new_app());
    open_course_typed(&mut h, &path);
    for _ in 0..4 {
        click(&mut h, "Add row");
    }
    {
        let rows = &h.state().course.flowsheets[&1].rows;
        let times: Vec<&str> = rows.iter().map(|r| r.time.as_str()).collect();
        assert_eq!(times, ["09:00", "09:15", "09:30", "09:45"]);
    }
    type_into(&mut h, "Row 1 Rate mg/h", "40");
    type_into(&mut h, "Row 1 BP", "128/80");
    type_into(&mut h, "Row 1 Initials", "RN");
    type_into(&mut h, "Row 2 Rate mg/h", "40");
    type_into(&mut h, "Row 3 Rate mg/h", "20");
    type_into(&mut h, "Row 3 Note", "dizziness");
    type_into(&mut h, "Row 4 Time", "10:30");
    type_into(&mut h, "Row 4 Rate mg/h", "0");
    click(&mut h, "Add rescue drug");
    type_into(&mut h, "Rescue 1 time", "09:40");
    type_into(&mut h, "Rescue 1 drug", "ondansetron");
    type_into(&mut h, "Rescue 1 dose", "4 mg IV");
    type_into(&mut h, "Adverse effects (one a line)", "nausea");
    click(&mut h, "Fill what was given from this record");
    let doc = h
        .state()
        .course
        .doc
        .clone()
        .unwrap_or_else(|| panic!("course"));
    let given = doc.sessions[0]
        .given
        .clone()
        .unwrap_or_else(|| panic!("given"));
    // 40 mg/h × 0.5 h + 20 mg/h × 1 h = 40 mg; running 1.5 h.
    assert_eq!(given.total_mg, 40.0);
    assert_eq!(given.infusion_hours, 1.5);
    let changes: Vec<(&str, &str)> = given
        .rate_changes
        .iter()
        .map(|c| (c.at.as_str(), c.reason.as_str()))
        .collect();
    assert_eq!(changes, [("09:30", "dizziness"), ("10:30", "")]);
    let weight = plan(&protocol(), &doc.sessions[0].case).dosing_weight_kg;
    assert!((given.rate_changes[0].mg_per_kg_per_h - 20.0 / weight).abs() < 1e-9);
    assert_eq!(given.rescue_given.len(), 1);
    assert_eq!(given.rescue_given[0].drug, "ondansetron");
    assert_eq!(given.adverse_effects, ["nausea"]);
    assert!(doc.audit.iter().any(|a| a.field == "given"));
    assert!(has_label_containing(&h, "40 mg over 1.5 h"));

    click(&mut h, "Show the printable monitoring chart");
    assert!(has_label_containing(&h, "BEDSIDE MONITORING CHART"));
    assert!(has_label_containing(
        &h,
        "Patient: Jane Example | MRN: 000123"
    ));
    assert!(has_label_containing(&h, "128/80"));
    assert!(has_label_containing(&h, "What was given: 40 mg over 1.5 h"));

    // The rows are kept in the course file itself.
    click(&mut h, "Save course");
    assert!(!flowsheet_path(&path).exists(), "no sidecar");
    let mut h2 = course_harness(new_app());
    open_course_typed(&mut h2, &path);
    assert_eq!(bedside_rows(h2.state(), 1).len(), 4);
    assert_eq!(
        h2.state().course.flowsheets.get(&1).map(|f| f.rows.len()),
        Some(4)
    );
}

#[test]
fn flowsheet_rows_are_recorded_once_a_row_is_left_and_survive_save_and_reopen() {
    let dir = temp_dir();
    let path = write_course(
        dir.path(),
        "rows.ketaplan",
        &course_of(&[order_day() - Duration::days(1)]),
    );
    let mut h = course_harness(new_app());
    open_course_typed(&mut h, &path);
    click(&mut h, "Add row");
    click(&mut h, "Add row");
    assert_eq!(
        bedside_rows(h.state(), 1).len(),
        2,
        "adding a row records it"
    );
    let audits = bedside_audits(h.state());

    // Typing in row 1, cell after cell: no audit entry per keystroke or per cell…
    type_into(&mut h, "Row 1 Rate mg/h", "40");
    type_into(&mut h, "Row 1 BP", "128/80");
    type_into(&mut h, "Row 1 HR", "72");
    assert_eq!(bedside_audits(h.state()), audits);
    assert!(
        h.state().course.is_dirty(),
        "typed entries count as unsaved"
    );
    // …one when the row is left.
    type_into(&mut h, "Row 2 Rate mg/h", "0");
    assert_eq!(bedside_audits(h.state()), audits + 1);
    let rows = bedside_rows(h.state(), 1);
    assert_eq!(
        (
            rows[0].rate_mg_per_h.as_str(),
            rows[0].bp.as_str(),
            rows[0].hr.as_str()
        ),
        ("40", "128/80", "72")
    );
    // "Record" records the row being edited now.
    click(&mut h, "Record the bedside entries");
    assert_eq!(bedside_rows(h.state(), 1)[1].rate_mg_per_h, "0");

    click(&mut h, "Save course");
    assert!(!h.state().course.is_dirty());
    assert!(!flowsheet_path(&path).exists(), "no sidecar is written");
    let on_disk = read_course_file(&path);
    let saved_rows = on_disk.sessions[0]
        .bedside
        .clone()
        .map(|b| b.rows)
        .unwrap_or_default();
    assert_eq!(saved_rows, bedside_rows(h.state(), 1));

    let mut h2 = course_harness(new_app());
    open_course_typed(&mut h2, &path);
    assert_eq!(bedside_rows(h2.state(), 1), saved_rows);
    assert_eq!(
        h2.get_by_label("Row 1 BP").value().unwrap_or_default(),
        "128/80"
    );
    assert!(!h2.state().course.is_dirty());
}

#[test]
fn the_autosave_holds_the_flowsheet_even_mid_row() {
    let dir = temp_dir();
    let path = write_course(
        dir.path(),
        "auto.ketaplan",
        &course_of(&[order_day() - Duration::days(1)]),
    );
    let mut h = course_harness(new_app());
    open_course_typed(&mut h, &path);
    click(&mut h, "Add row");
    type_into(&mut h, "Row 1 SpO2 %", "97");
    // Still in the row: the page change autosaves it all the same.
    let auto = autosave_path(&path);
    assert!(!auto.exists());
    click(&mut h, "Case");
    assert!(auto.is_file(), "autosave on the page change");
    let autosaved = read_course_file(&auto);
    let rows = autosaved.sessions[0]
        .bedside
        .clone()
        .map(|b| b.rows)
        .unwrap_or_default();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].spo2, "97");
}

#[test]
fn the_monitoring_chart_exports_as_pdf_with_what_is_on_screen() {
    let dir = temp_dir();
    let path = write_course(
        dir.path(),
        "chart.ketaplan",
        &course_of(&[order_day() - Duration::days(1)]),
    );
    let mut h = course_harness(new_app());
    // The paper comes from Preferences.
    click(&mut h, "Preferences");
    click(&mut h, "US Letter");
    click(&mut h, "Course");
    open_course_typed(&mut h, &path);
    click(&mut h, "Add row");
    type_into(&mut h, "Row 1 BP", "128/80");

    // The printable view is the text rendering of the very sheet that is exported.
    click(&mut h, "Show the printable monitoring chart");
    let shown = h.state().course.chart_lines.clone();
    assert_eq!(shown, recorded_chart(h.state(), 1, Paper::Letter));
    assert!(shown.iter().any(|l| l.contains("128/80")), "{shown:#?}");
    assert!(has_label_containing(&h, "BEDSIDE MONITORING CHART"));

    // An entry still in its cell is on screen, not yet recorded on the session…
    type_into(&mut h, "Row 1 Initials", "QX");
    assert!(h.state().course.has_pending_bedside());
    assert!(
        h.state()
            .course
            .chart_lines
            .iter()
            .any(|l| l.contains("QX")),
        "the preview shows what is on screen"
    );
    // …and is recorded before the chart is exported.
    click(&mut h, "Export monitoring chart (PDF)…");
    assert!(!h.state().course.has_pending_bedside());
    assert_eq!(bedside_rows(h.state(), 1)[0].initials, "QX");
    assert!(
        h.query_by_label("Path to export the order PDF to")
            .is_none()
    );
    let target = dir.path().join("chart-out");
    type_into(
        &mut h,
        "Path to export the monitoring chart PDF to",
        &target.display().to_string(),
    );
    click(&mut h, "Export to this path");
    assert!(!h.state().has_modal());

    let pdf = dir.path().join("chart-out.pdf");
    let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("{}: {e}", pdf.display()));
    assert!(bytes.starts_with(b"%PDF"), "a PDF");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&pdf)
            .unwrap_or_else(|e| panic!("{e}"))
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "owner-only");
    }
    // US Letter, as chosen.
    let document = lopdf::Document::load_mem(&bytes).unwrap_or_else(|e| panic!("{e}"));
    for id in document.get_pages().values() {
        let media = document
            .get_dictionary(*id)
            .ok()
            .and_then(|p| p.get(b"MediaBox").ok())
            .and_then(|o| o.as_array().ok())
            .cloned()
            .unwrap_or_default();
        let num = |i: usize| media.get(i).and_then(|o| o.as_float().ok()).unwrap_or(-1.0);
        assert!((num(2) - num(0) - 612.0).abs() < 0.5, "{media:?}");
        assert!((num(3) - num(1) - 792.0).abs() < 0.5, "{media:?}");
    }
    // The preview still equals the chart as recorded, entries included.
    h.run();
    let shown = h.state().course.chart_lines.clone();
    assert_eq!(shown, recorded_chart(h.state(), 1, Paper::Letter));
    assert!(shown.iter().any(|l| l.contains("QX")), "{shown:#?}");
    assert!(has_label_containing(
        &h,
        "Exported the monitoring chart of session 1"
    ));
    // The recorded entry makes the course unsaved; nothing else was written beside it.
    assert!(h.state().course.is_dirty());
}

#[test]
fn an_lft_result_is_entered_checked_recorded_and_carried_to_the_next_visit() {
    use ketaplan::domain::course::LftResult;
    let dir = temp_dir();
    let first = order_day() - Duration::days(40);
    let mut doc = course_of(&[first, order_day() - Duration::days(20)]);
    doc.sessions[0].lft = vec![LftResult {
        alt: Some(20.0),
        alt_uln: Some(40.0),
        ..LftResult::on(first - Duration::days(1))
    }];
    let path = write_course(dir.path(), "lft.ketaplan", &doc);
    let mut h = course_harness(new_app());
    open_course_typed(&mut h, &path);
    assert!(has_label_containing(&h, "No liver test result recorded"));
    let recorded = |h: &Harness<'_, KetaplanApp>| {
        h.state()
            .course
            .doc
            .as_ref()
            .map_or(0, |d| d.sessions[1].lft.len())
    };

    // Refused entries name their field; nothing is recorded.
    let day = format::date(order_day() - Duration::days(19));
    type_into(&mut h, "LFT date", &day);
    type_into(&mut h, "ALT (U/L)", "-5");
    click(&mut h, "Record LFT result");
    assert!(has_label_containing(
        &h,
        "ALT (U/L): must be a number of U/L more than 0"
    ));
    type_into(&mut h, "LFT date", "2026-13-01");
    type_into(&mut h, "ALT (U/L)", "65");
    click(&mut h, "Record LFT result");
    assert!(has_label_containing(
        &h,
        "LFT date: must be a date YYYY-MM-DD"
    ));
    assert_eq!(recorded(&h), 0);
    assert!(!h.state().course.is_dirty());

    // A valid result: recorded (audited), judged against the baseline, shown with its title.
    type_into(&mut h, "LFT date", &day);
    type_into(&mut h, "ALT upper limit of normal (U/L)", "40");
    click(&mut h, "Record LFT result");
    assert_eq!(recorded(&h), 1);
    assert!(h.state().course.is_dirty());
    assert!(has_label_containing(
        &h,
        "Liver enzymes raised after ketamine"
    ));
    assert!(has_label_containing(&h, "Raised: ALT 65 U/L on"));
    assert!(has_label_containing(
        &h,
        "3.3 times the first recorded value (20 U/L)"
    ));
    assert!(has_label_containing(&h, "65 (ULN 40)"));
    let audit = h
        .state()
        .course
        .doc
        .as_ref()
        .and_then(|d| d.audit.last().cloned())
        .unwrap_or_else(|| panic!("audit"));
    assert!(audit.field.starts_with("lft"), "{}", audit.field);

    // Saved in the course file.
    click(&mut h, "Save course");
    let saved = read_course_file(&path);
    assert_eq!(saved.sessions[1].lft.len(), 1);
    assert_eq!(saved.sessions[1].lft[0].alt, Some(65.0));

    // A result typed in error can be removed (audited); put back, it is recorded again.
    click(&mut h, &format!("Remove the liver test of {day}"));
    assert_eq!(recorded(&h), 0);
    assert!(!has_label_containing(
        &h,
        "Liver enzymes raised after ketamine"
    ));
    type_into(&mut h, "LFT date", &day);
    type_into(&mut h, "ALT (U/L)", "65");
    type_into(&mut h, "ALT upper limit of normal (U/L)", "40");
    click(&mut h, "Record LFT result");
    assert_eq!(recorded(&h), 1);

    // The next visit's case says the rise is unresolved.
    click(&mut h, "Prepare the next visit");
    assert_eq!(h.state().view(), View::Wizard);
    assert!(h.state().state.draft.lft_raised_unresolved);
}

#[test]
fn a_charted_value_past_the_stop_criteria_is_named_in_its_row() {
    let dir = temp_dir();
    let path = write_course(
        dir.path(),
        "flags.ketaplan",
        &course_of(&[order_day() - Duration::days(1)]),
    );
    let mut h = course_harness(new_app());
    open_course_typed(&mut h, &path);
    click(&mut h, "Add row");
    type_into(&mut h, "Row 1 BP", "179/109");
    type_into(&mut h, "Row 1 SpO2 %", "90");
    assert!(!has_label_containing(&h, "Past the stop criteria"));
    // 190/115 fits the field and is at or above the 180/110 stop criterion; SpO2 88 < 90.
    type_into(&mut h, "Row 1 BP", "190/115");
    type_into(&mut h, "Row 1 SpO2 %", "88");
    assert_eq!(h.state().course.flowsheets[&1].rows[0].bp, "190/115");
    assert!(has_label_containing(
        &h,
        "Past the stop criteria: SpO2 88 % (below 90 %); BP 190/115 (at or above 180/110)"
    ));
    // Marked on the printable chart as well.
    click(&mut h, "Show the printable monitoring chart");
    let lines = h.state().course.chart_lines.join(" ");
    let flat: String = lines.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("PAST STOP CRITERIA: SpO2 88 %"), "{flat}");
}
