//! Case files: saved in the contract's RON, readable by `ketaplan plan`, 0600, atomic.

use ketaplan::domain::Protocol;
use ketaplan::domain::case::{CaseFormat, parse_case};
use ketaplan::store::case_file::{
    RecentFiles, open_case, read_case_value, save_case, save_draft_value,
};
use ketaplan::store::fs::RealFs;
use std::path::Path;

fn protocol() -> Protocol {
    Protocol::built_in().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_saved_case_runs_through_ketaplan_plan() {
    let p = protocol();
    let text = include_str!("cases/p05-crps-ideal-weight-obese-glaucoma.case.json");
    let case = parse_case(&p, text, CaseFormat::Json).unwrap_or_else(|e| panic!("{e:?}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("patient.case.ron");
    assert_eq!(save_case(&RealFs, &path, &case), Ok(()));
    assert_eq!(open_case(&RealFs, &p, &path).ok(), Some(case));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path)
            .map(|m| m.permissions().mode() & 0o777)
            .ok();
        assert_eq!(mode, Some(0o600));
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ketaplan"))
        .arg("plan")
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_bad_file_reports_line_and_column() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("broken.case.json");
    std::fs::write(&path, "{\n  \"patient\": \n").unwrap_or_else(|e| panic!("{e}"));
    let errors = read_case_value(&RealFs, &path).err().unwrap_or_default();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].message.contains("3:"), "{}", errors[0].message);
    assert!(read_case_value(&RealFs, Path::new("/nonexistent/x.case.ron")).is_err());
}

#[test]
fn a_draft_that_is_not_yet_valid_is_kept() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("restore.ron");
    let value = serde_json::json!({"patient": {"weight": {"value": "7O", "unit": "kg"}}});
    assert_eq!(save_draft_value(&RealFs, &path, &value), Ok(()));
    let back = read_case_value(&RealFs, &path).unwrap_or_default();
    assert_eq!(back, value);
}

#[test]
fn recent_files_are_newest_first_without_duplicates() {
    let mut recent = RecentFiles::default();
    for i in 0..12 {
        recent.push(Path::new(&format!("/cases/{i}.case.ron")));
    }
    recent.push(Path::new("/cases/5.case.ron"));
    assert_eq!(recent.paths.len(), RecentFiles::MAX);
    assert_eq!(recent.paths[0], "/cases/5.case.ron");
    assert_eq!(
        recent
            .paths
            .iter()
            .filter(|p| p.ends_with("/5.case.ron"))
            .count(),
        1
    );
}
