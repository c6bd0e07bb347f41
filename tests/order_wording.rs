//! Issue 20 (Step 9b) items 8 and 10 on the sheet model: the titration goal and who may
//! titrate, an override on the dose line it overrides, "reason given by", the airway
//! clinician's name, tall-man lettering from the pack, benzodiazepine-free wording when
//! benzodiazepines are contraindicated, and no multi-day lines on a single-day order.

#[path = "order_common.rs"]
mod common;

use common::*;
use ketaplan::order::{Block, OrderSheet, Paper, Section};

fn section<'a>(s: &'a OrderSheet, title: &str) -> &'a Section {
    s.sections
        .iter()
        .find(|x| x.title == title)
        .unwrap_or_else(|| panic!("no section {title}"))
}

fn row<'a>(sec: &'a Section, label: &str) -> &'a str {
    sec.blocks
        .iter()
        .find_map(|b| match b {
            Block::Row { label: l, value } if l == label => Some(value.as_str()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no row {label} in {}", sec.title))
}

fn words(s: &OrderSheet) -> String {
    s.all_text().join("\n")
}

#[test]
fn each_titration_step_has_its_goal_stop_criteria_and_who_may_titrate() {
    let p = protocol();
    let goal = &p.pack.sheet.titration_goal;
    let (plan, s) = sheet(&monitored(), &options(Paper::A4, None));
    assert!(plan.titration.is_some());
    let t = section(&s, "Titration");
    let pain = ketaplan::order::format::number(goal.pain_score_at_most.value);
    assert_eq!(
        row(t, "Goal of each step"),
        format!(
            "pain score {pain} or less out of 10, with {}",
            goal.sedation_ceiling
        )
    );
    assert!(row(t, "Increase only when").starts_with(&format!("the pain score is above {pain}")));
    assert_eq!(row(t, "Stop increasing"), goal.stop_increasing);
    assert_eq!(row(t, "Who may titrate"), goal.who_may_titrate);
    // Every step row has a place for the pain and sedation scores and the double check.
    let (header, rows) = t
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Table { header, rows, .. } => Some((header, rows)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no step table"));
    assert!(header.iter().any(|h| h == "Pain / sedation before"));
    assert!(header.iter().any(|h| h == "Checked by"));
    assert_eq!(rows.len(), plan.titration.map_or(0, |t| t.steps.len()));
}

#[test]
fn a_justified_soft_limit_is_shown_on_the_dose_line_it_overrides() {
    let (plan, s) = sheet(&monitored(), &options(Paper::A4, None));
    assert!(plan.alert("bolus_above_guideline").is_some());
    let orders = section(&s, "Ketamine orders");
    let table = orders
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Table { rows, .. } => Some(rows),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no orders table"));
    let bolus = &table[0];
    assert!(bolus[0].starts_with("Bolus"));
    assert!(
        bolus[1].contains("OVERRIDE: Bolus above the guideline")
            && bolus[1].contains("reason given by Dr A. Example (see Findings)"),
        "{bolus:?}"
    );
    // The infusion line has no override of its own here.
    assert!(!table[1][1].contains("OVERRIDE"), "{:?}", table[1]);
    // The reason is still in the findings, given by (not "accepted by") the physician.
    let all = words(&s);
    assert!(all.contains("reason given by Dr A. Example"));
    assert!(!all.contains("accepted by"));
}

#[test]
fn the_airway_clinician_is_named_when_the_box_is_ticked() {
    let (_, s) = sheet(&monitored(), &options(Paper::A4, None));
    let text = |s: &OrderSheet| -> Vec<(String, bool)> {
        section(s, "Personnel and readiness")
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Check { text, ticked } if text.starts_with("Airway/ACLS") => {
                    Some((text.clone(), *ticked))
                }
                _ => None,
            })
            .collect()
    };
    assert_eq!(
        text(&s),
        vec![(
            "Airway/ACLS clinician available: Dr B. Airway".to_string(),
            true
        )]
    );
    let mut doc = monitored();
    doc["order"]["airway_clinician_name"] = serde_json::Value::Null;
    let (_, s) = sheet(&doc, &options(Paper::A4, None));
    let got = text(&s);
    assert!(
        got[0]
            .0
            .starts_with("Airway/ACLS clinician available: name ____"),
        "{got:?}"
    );
}

#[test]
fn look_alike_names_print_in_tall_man_letters_from_the_pack() {
    let p = protocol();
    assert!(p.pack.sheet.tall_man.source.contains("ISMP"));
    let (_, s) = sheet(&standard(), &options(Paper::A4, None));
    let all = words(&s);
    for name in ["cloNIDine", "LORazepam", "diphenhydrAMINE"] {
        assert!(all.contains(name), "no {name}");
    }
    // No plain spelling of a listed name is left, in any case.
    for w in all.split(|c: char| !c.is_alphanumeric()) {
        for name in &p.pack.sheet.tall_man.names {
            if w.eq_ignore_ascii_case(name) {
                assert_eq!(w, name, "{w} not in tall-man letters");
            }
        }
    }
    // levETIRAcetam is on the sheet when benzodiazepines are contraindicated (p16).
    let mut doc = vignette("p16-");
    complete(&mut doc);
    let (_, s) = sheet(&doc, &options(Paper::A4, None));
    assert!(words(&s).contains("levETIRAcetam"));
}

#[test]
fn no_sentence_suggests_a_benzodiazepine_when_they_are_contraindicated() {
    let mut doc = vignette("p16-");
    complete(&mut doc);
    let (_, s) = sheet(&doc, &options(Paper::A4, None));
    let negations = ["cannot", "contraindicated", "instead", "without"];
    for text in s.all_text() {
        for sentence in text.split(". ") {
            let lower = sentence.to_lowercase();
            if ["benzodiazepine", "midazolam", "lorazepam", "diazepam"]
                .iter()
                .any(|d| lower.contains(d))
            {
                assert!(
                    negations.iter().any(|n| lower.contains(n)),
                    "suggests a benzodiazepine: {sentence}"
                );
            }
        }
    }
    // Without the contraindication, the usual advice stays.
    let (_, s) = sheet(&standard(), &options(Paper::A4, None));
    assert!(words(&s).contains("a benzodiazepine or cloNIDine may help"));
}

#[test]
fn a_single_day_order_has_no_multi_day_lines() {
    let (_, s) = sheet(&standard(), &options(Paper::A4, None));
    let all = words(&s).to_lowercase();
    assert!(!all.contains("multi-day"), "multi-day line on a 4 h order");
    // A continuous ICU infusion keeps them.
    let (_, s) = sheet(
        &icu_multi_page(),
        &options(Paper::A4, Some(ICU_JUSTIFICATION)),
    );
    assert!(words(&s).to_lowercase().contains("multi-day"));
}
