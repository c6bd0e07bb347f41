//! The pack's identity and its order-sheet section: names, texts and tall-man letters.

use super::checker::PackChecker;
use crate::domain::protocol::ProtocolPack;

/// Identity (id, version, product) and the sheet section's texts.
pub(super) fn validate_identity_and_sheet(p: &ProtocolPack, c: &mut PackChecker<'_>) {
    c.non_empty("id", &p.id);
    c.non_empty("version", &p.version);
    c.non_empty("product", &p.product);
    let sh = &p.sheet;
    for (path, text) in [
        (
            "sheet.drug_library.care_area_standard",
            &sh.drug_library.care_area_standard,
        ),
        (
            "sheet.drug_library.care_area_monitored",
            &sh.drug_library.care_area_monitored,
        ),
        (
            "sheet.drug_library.care_area_icu",
            &sh.drug_library.care_area_icu,
        ),
        ("sheet.drug_library.fallback", &sh.drug_library.fallback),
        ("sheet.drug_library.source", &sh.drug_library.source),
        (
            "sheet.titration_goal.sedation_ceiling",
            &sh.titration_goal.sedation_ceiling,
        ),
        (
            "sheet.titration_goal.stop_increasing",
            &sh.titration_goal.stop_increasing,
        ),
        (
            "sheet.titration_goal.who_may_titrate",
            &sh.titration_goal.who_may_titrate,
        ),
        ("sheet.titration_goal.source", &sh.titration_goal.source),
        ("sheet.emergency.number", &sh.emergency.number),
        ("sheet.emergency.source", &sh.emergency.source),
        ("sheet.tall_man.source", &sh.tall_man.source),
    ] {
        c.non_empty(path, text);
    }
    for (i, name) in sh.tall_man.names.iter().enumerate() {
        if name.trim().is_empty() || !name.is_ascii() {
            c.error(
                &format!("sheet.tall_man.names[{i}]"),
                "must be a drug name in ASCII letters",
            );
        }
    }
    for (i, r) in sh.benzodiazepine_free.iter().enumerate() {
        c.non_empty(&format!("sheet.benzodiazepine_free[{i}].from"), &r.from);
    }
}
