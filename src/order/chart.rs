//! The bedside monitoring chart of one course session, printed from the flowsheet: the same
//! page model as the order sheet (identifiers on every page, page x of y, protocol hash), so
//! it renders with `text` and `pdf` unchanged.

use crate::domain::Protocol;
use crate::domain::course::{CourseDocument, Session};
use crate::order::format as f;
use crate::order::sheet::{Block, OrderSheet, PageFrame, Paper, Section, Style};
use chrono::NaiveDateTime;

fn or_blank(s: &str) -> String {
    if s.trim().is_empty() {
        "—".to_string()
    } else {
        s.trim().to_string()
    }
}

/// Build the monitoring chart of a session.
pub fn monitoring_chart(
    protocol: &Protocol,
    doc: &CourseDocument,
    session: &Session,
    printed_at: NaiveDateTime,
    paper: Paper,
) -> OrderSheet {
    let order = session.case.order.clone().unwrap_or_default();
    let order_number = session
        .ordered
        .order_number
        .clone()
        .unwrap_or_else(|| "—".to_string());
    let frame = PageFrame {
        title: "Bedside monitoring chart (IV ketamine)".to_string(),
        banner: "HIGH-ALERT medication: ketamine hydrochloride, racemic, intravenous.".to_string(),
        clinic: order.clinic.clone().unwrap_or_default(),
        patient_name: doc.identity.patient_name.clone(),
        mrn: doc.identity.mrn.clone(),
        date_of_birth: doc.identity.date_of_birth.clone().unwrap_or_default(),
        allergies: None,
        dosing_weight: None,
        clinic_phone: None,
        order_number: order_number.clone(),
        valid_for: format!("Session of {}", f::date(session.date())),
        copy: None,
        supersedes: None,
        printed_at: f::date_time(printed_at),
        protocol: format!(
            "{} version {}, sha256 {}",
            session.ordered.protocol_id,
            protocol.pack.version,
            session
                .ordered
                .protocol_sha256
                .get(..12)
                .unwrap_or(&session.ordered.protocol_sha256)
        ),
        protocol_provenance: protocol.provenance_mark(),
        footer: "Part of the medical record. Chart every 15 minutes and after every rate change"
            .to_string(),
    };

    let mut sections = Vec::new();
    let ordered = &session.ordered;
    sections.push(Section {
        title: "Session".to_string(),
        blocks: vec![
            Block::Row {
                label: "Started".into(),
                value: f::date_time(session.started_at),
            },
            Block::Row {
                label: "Ordered".into(),
                value: format!(
                    "{} ({} on the pump), up to {}; {} in total",
                    f::mg_per_h(ordered.infusion_mg_per_h),
                    f::ml_per_h(ordered.pump_ml_per_h),
                    f::mg_per_kg_per_h(ordered.max_infusion_mg_per_kg_per_h),
                    f::mg(ordered.total_mg)
                ),
            },
            Block::Row {
                label: "Monitoring tier".into(),
                value: ordered.monitoring_tier.clone(),
            },
            Block::Row {
                label: "Order number".into(),
                value: order_number,
            },
        ],
    });

    let bedside = session.bedside.clone().unwrap_or_default();
    let rows: Vec<Vec<String>> = bedside
        .rows
        .iter()
        .map(|r| {
            vec![
                or_blank(&r.time),
                or_blank(&r.rate_mg_per_h),
                or_blank(&r.bp),
                or_blank(&r.hr),
                or_blank(&r.rr),
                or_blank(&r.spo2),
                or_blank(&r.sedation),
                or_blank(&r.pain),
                or_blank(&r.initials),
                {
                    // Values past the order's stop criteria are marked on the chart too.
                    let flags = crate::domain::vital_limits::row_flags(
                        &protocol.pack.monitoring_plan.vital_limits,
                        r,
                    );
                    let note = r.note.trim();
                    match (flags.is_empty(), note.is_empty()) {
                        (true, _) => note.to_string(),
                        (false, true) => format!("PAST STOP CRITERIA: {}", flags.join("; ")),
                        (false, false) => {
                            format!("PAST STOP CRITERIA: {}. {note}", flags.join("; "))
                        }
                    }
                },
            ]
        })
        .collect();
    let mut flow_blocks = Vec::new();
    if rows.is_empty() {
        flow_blocks.push(Block::Paragraph {
            text: "No flowsheet rows were recorded for this session.".to_string(),
            style: Style::Normal,
        });
    } else {
        flow_blocks.push(Block::Table {
            header: [
                "Time",
                "Rate mg/h",
                "BP mmHg",
                "HR /min",
                "RR /min",
                "SpO2 %",
                "Sedation",
                "Pain",
                "Initials",
                "Note",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            rows,
            widths: vec![0.08, 0.09, 0.1, 0.07, 0.07, 0.07, 0.11, 0.06, 0.08, 0.27],
        });
    }
    sections.push(Section {
        title: "Flowsheet".to_string(),
        blocks: flow_blocks,
    });

    let mut given_blocks = Vec::new();
    if bedside.rescue.is_empty() {
        given_blocks.push(Block::Paragraph {
            text: "No rescue drugs were given.".to_string(),
            style: Style::Normal,
        });
    } else {
        given_blocks.push(Block::Table {
            header: vec!["Time".into(), "Drug".into(), "Dose".into()],
            rows: bedside
                .rescue
                .iter()
                .map(|r| vec![or_blank(&r.at), or_blank(&r.drug), or_blank(&r.dose)])
                .collect(),
            widths: vec![0.15, 0.45, 0.4],
        });
    }
    given_blocks.push(Block::Row {
        label: "Adverse effects".into(),
        value: or_blank(&bedside.adverse_effects),
    });
    match &session.given {
        Some(g) => given_blocks.push(Block::Row {
            label: "What was given".into(),
            value: format!("{} over {}", f::mg(g.total_mg), f::hours(g.infusion_hours)),
        }),
        None => given_blocks.push(Block::Row {
            label: "What was given".into(),
            value: "not recorded yet".into(),
        }),
    }
    sections.push(Section {
        title: "Rescue drugs, adverse effects, total given".to_string(),
        blocks: given_blocks,
    });
    sections.push(Section {
        title: "Signatures".to_string(),
        blocks: vec![
            Block::Signature {
                role: "Administering nurse".into(),
                name: order.administering_clinician_name.clone(),
                signed: None,
            },
            Block::Signature {
                role: "Supervising physician".into(),
                name: order.supervising_physician_name.clone(),
                signed: None,
            },
        ],
    });
    OrderSheet {
        paper,
        frame,
        sections,
    }
}
