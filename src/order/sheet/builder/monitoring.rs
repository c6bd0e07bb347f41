//! The sections around the infusion: monitoring, stopping, personnel, rescue, premedication, adverse effects, discharge, signatures.

use super::{BLANK, Builder, check, para, row, section, tier_text};
use crate::domain::case::{Course, Setting};
use crate::domain::findings::MonitoringTier;
use crate::domain::plan::RescueMedication;
use crate::domain::protocol::RescueCategory;
use crate::domain::signature::SignatureKind;
use crate::order::format as f;
use crate::order::sheet::{Block, Section, Style, given};

impl Builder<'_> {
    pub(super) fn monitoring(&self) -> Section {
        let m = &self.plan.monitoring;
        let mut blocks = vec![
            row(
                "Monitoring tier",
                format!("{}: {}", tier_text(m.tier), m.tier_meaning),
            ),
            row(&m.sedation_scale.label, m.sedation_scale.text.clone()),
        ];
        blocks.extend(m.items.iter().map(|i| row(&i.name, i.detail.clone())));
        blocks.push(para("How often", Style::Heading));
        blocks.extend(m.frequencies.iter().map(|l| row(&l.label, l.text.clone())));
        blocks.push(row(&m.oxygen.label, m.oxygen.text.clone()));
        blocks.push(para(format!("Source: {}", m.tier_source), Style::Small));
        section("Monitoring", blocks)
    }

    pub(super) fn stop_criteria(&self) -> Section {
        let m = &self.plan.monitoring;
        let mut blocks = vec![para("Do not start", Style::Heading)];
        blocks.extend(m.do_not_start.iter().map(|l| row(&l.label, l.text.clone())));
        blocks.push(para("Hold, stop and call", Style::Heading));
        blocks.extend(
            m.stop_criteria
                .iter()
                .map(|l| row(&l.label, l.text.clone())),
        );
        section("Do not start, hold and call", blocks)
    }

    pub(super) fn personnel(&self) -> Section {
        let o = self.order();
        let attest = o.attest.clone().unwrap_or_default();
        let mut blocks = Vec::new();
        let pack = &self.protocol.pack;
        let multi_day = self.case.regimen.course == crate::domain::case::Course::Continuous
            || crate::domain::units::cmp_value(self.plan.duration_h)
                > pack.tests.continuous_exposure_above_h.value;
        let single_day_skips = |role: &str| {
            !multi_day
                && pack
                    .personnel
                    .iter()
                    .any(|d| d.role == role && d.multi_day_only)
        };
        for p in self
            .plan
            .personnel
            .iter()
            .filter(|p| !single_day_skips(&p.role))
        {
            let role = p.role.to_lowercase();
            let name = if role.contains("supervising") {
                Some(self.text(&o.supervising_physician_name, BLANK))
            } else if role.contains("administering") {
                Some(self.text(&o.administering_clinician_name, BLANK))
            } else if role.contains("airway") {
                Some(self.text(&o.airway_clinician_name, BLANK))
            } else {
                None
            };
            let note = name.map(|n| {
                if role.contains("supervising") {
                    format!("Name: {n}. Contact while the infusion runs: {BLANK}")
                } else {
                    format!("Name: {n}. Credentials: {BLANK}")
                }
            });
            blocks.push(Block::Item {
                label: p.role.to_string(),
                text: p.requirement.to_string(),
                note,
            });
        }
        blocks.push(check(
            "Supervising physician attests: ACLS certified, meets the moderate-sedation requirements, immediately available",
            attest.supervising_physician == Some(true),
        ));
        blocks.push(check(
            "Administering clinician attests: trained in moderate sedation and ketamine, ACLS certified",
            attest.administering_clinician == Some(true),
        ));
        blocks.push(check(
            "Resuscitation equipment and staff present",
            attest.resuscitation_ready == Some(true),
        ));
        if self.plan.monitoring_tier != MonitoringTier::Standard {
            let ticked = attest.airway_clinician_available == Some(true);
            // Ticked: the name of the clinician it attests (or a line to write it).
            let text = if ticked {
                format!(
                    "Airway/ACLS clinician available: {}",
                    self.text(&o.airway_clinician_name, &format!("name {BLANK}"))
                )
            } else {
                "Airway/ACLS clinician available".to_string()
            };
            blocks.push(check(text, ticked));
        }
        blocks.push(check(
            "Rescue drugs at the bedside (ticked by the nurse before the start)",
            false,
        ));
        section("Personnel and readiness", blocks)
    }

    fn dose_text(&self, r: &RescueMedication) -> String {
        let mut dose = r.dose.to_string();
        if let Some(mg) = r.calculated_dose_mg {
            dose.push_str(&format!(
                " = {} for {}",
                f::mg(mg),
                f::kg(self.plan.dosing_weight_kg)
            ));
        }
        if r.age_adjusted {
            dose.push_str(&format!(
                " (dose for age {} or older)",
                f::number(self.protocol.pack.monitoring.elderly_from_age_years.value)
            ));
        }
        dose
    }

    pub(super) fn rescue(&self) -> Section {
        let mut blocks = Vec::new();
        let groups = [
            (
                RescueCategory::Rescue,
                "For adverse effects (lower the rate or stop first)",
            ),
            (RescueCategory::Seizure, "Seizure"),
            (RescueCategory::Reversal, "Reversal"),
        ];
        for (category, title) in groups {
            let drugs: Vec<&RescueMedication> = self
                .plan
                .rescue_medications
                .iter()
                .filter(|r| r.category == category)
                .collect();
            if drugs.is_empty() {
                continue;
            }
            blocks.push(para(title, Style::Heading));
            blocks.push(Block::Table {
                header: vec![
                    "Drug".into(),
                    "For".into(),
                    "Dose and route".into(),
                    "Repeat".into(),
                    "Maximum".into(),
                ],
                rows: drugs
                    .iter()
                    .map(|r| {
                        vec![
                            r.drug.to_string(),
                            r.indication.to_string(),
                            self.dose_text(r),
                            r.repeat.to_string(),
                            r.max.to_string(),
                        ]
                    })
                    .collect(),
                widths: vec![0.21, 0.27, 0.18, 0.18, 0.16],
            });
            for r in drugs {
                for w in &r.warnings {
                    blocks.push(para(
                        format!("{}: {} (source: {})", r.drug, w.text, w.source),
                        Style::Strong,
                    ));
                }
            }
        }
        if self
            .case
            .answered_yes(crate::domain::plan::BENZODIAZEPINE_CONTRAINDICATION)
        {
            blocks.push(para(
                "Benzodiazepines are contraindicated for this patient: none is listed.",
                Style::Strong,
            ));
        }
        section("Rescue medications", blocks)
    }

    pub(super) fn premedication(&self) -> Section {
        let mut blocks = vec![para(
            "Optional: the physician ticks what is to be given.",
            Style::Normal,
        )];
        for r in &self.plan.premedication {
            blocks.push(check(
                format!(
                    "{} {}, {}; maximum {}",
                    r.drug,
                    self.dose_text(r),
                    r.repeat,
                    r.max
                ),
                false,
            ));
        }
        section("Premedication", blocks)
    }

    pub(super) fn adverse_effects(&self) -> Section {
        section(
            "Adverse effects to watch for",
            self.plan
                .adverse_effects
                .iter()
                .map(|a| row(&a.effect, a.detail.clone()))
                .collect(),
        )
    }

    pub(super) fn discharge(&self) -> Section {
        let plan = self.plan;
        let m = &plan.monitoring;
        let mut blocks = vec![para("Discharge criteria", Style::Heading)];
        blocks.extend(
            m.discharge_criteria
                .iter()
                .map(|l| check(format!("{}: {}", l.label, l.text), false)),
        );
        blocks.push(para(
            "Instructions for the patient (give in writing)",
            Style::Heading,
        ));
        blocks.extend(
            plan.patient_instructions
                .iter()
                .map(|l| row(&l.label, l.text.clone())),
        );
        let rules = &self.protocol.pack.response;
        let r = &self.case.regimen;
        let weeks = if r.setting == Setting::Outpatient && r.course == Course::Single {
            rules.durable_single_outpatient_above_weeks.value
        } else {
            rules.durable_other_above_weeks.value
        };
        blocks.push(para("Follow-up", Style::Heading));
        blocks.push(row(
            "When",
            format!("at least {} weeks after this session", f::number(weeks)),
        ));
        blocks.push(row(
            "Record",
            "pain score (NRS 0–10) before and after, satisfaction, ODI and opioid MME, weeks of relief, urinary and liver symptoms",
        ));
        blocks.push(row(
            "Treatments in 12 months",
            format!(
                "{}, this one included",
                f::number(f64::from(plan.treatments_in_12_months))
            ),
        ));
        section("Discharge and follow-up", blocks)
    }

    /// On page 1, right after the orders: who orders and who verifies for dispensing.
    pub(super) fn prescriber_signature(&self) -> Section {
        let o = self.order();
        let mut blocks = vec![self.signature_block(
            "Ordering physician",
            given(&o.prescriber),
            SignatureKind::Order,
        )];
        // What the electronic signatures cover, right under the prescriber's, so the chart
        // copy can be checked against the ledger.
        if let Some(s) = self.options.signatures.first() {
            blocks.push(Block::Paragraph {
                text: format!(
                    "Signed content: order {}, sha256 {}",
                    s.order_number, s.content_sha256
                ),
                style: Style::Small,
            });
        }
        blocks.push(self.signature_block(
            "Pharmacist verification",
            None,
            SignatureKind::PharmacyCheck,
        ));
        section("Order signatures", blocks)
    }

    /// A signature's lines, or its electronic signature when the ledger holds one (the
    /// signer's name then prints as the name).
    fn signature_block(&self, role: &str, name: Option<&str>, kind: SignatureKind) -> Block {
        let signed = self.options.signatures.iter().find(|s| s.kind == kind);
        Block::Signature {
            role: role.to_string(),
            name: signed
                .map(|s| s.full_name.clone())
                .or_else(|| name.map(str::to_string)),
            signed: signed.map(|s| s.printed_line()),
        }
    }

    pub(super) fn signatures(&self) -> Section {
        let o = self.order();
        section(
            "Signatures at the bedside",
            vec![
                self.signature_block(
                    "Independent double check of the pump programming at the start (high-alert IV anesthetic agent)",
                    None,
                    SignatureKind::DoubleCheck,
                ),
                Block::Signature {
                    role: "Administering nurse".to_string(),
                    name: given(&o.administering_clinician_name).map(str::to_string),
                    signed: None,
                },
            ],
        )
    }
}
