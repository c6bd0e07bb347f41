//! Plain-text rendering of the order sheet: deterministic, wrapped to `TEXT_WIDTH`
//! characters. Used by `ketaplan order --text`, the snapshot tests and the app's preview.

use crate::order::sheet::{Block, OrderSheet, Style};

/// Characters per line of the text rendering.
pub const TEXT_WIDTH: usize = 100;

/// The sheet as lines of text (no trailing newlines).
pub fn lines(sheet: &OrderSheet) -> Vec<String> {
    let mut out = Vec::new();
    let fr = &sheet.frame;
    let rule = "=".repeat(TEXT_WIDTH);
    out.push(rule.clone());
    if let Some(copy) = &fr.copy {
        wrap_into(&mut out, &format!("*** {copy} ***"), "", "    ");
    }
    wrap_into(&mut out, &fr.banner, "", "");
    out.push(fr.title.to_uppercase());
    wrap_into(&mut out, &fr.clinic_line(), "", "  ");
    let mut number = format!("Order number: {} | {}", fr.order_number, fr.valid_for);
    if let Some(old) = &fr.supersedes {
        number.push_str(&format!(" | {old}"));
    }
    wrap_into(&mut out, &number, "", "  ");
    wrap_into(
        &mut out,
        &format!(
            "Patient: {} | MRN: {} | Date of birth: {}",
            fr.patient_name, fr.mrn, fr.date_of_birth
        ),
        "",
        "  ",
    );
    if let Some(safety) = fr.safety_line() {
        wrap_into(&mut out, &safety.replace("  |  ", " | "), "", "  ");
    }
    let mut protocol = format!("Printed: {} | Protocol: {}", fr.printed_at, fr.protocol);
    if let Some(provenance) = &fr.protocol_provenance {
        protocol.push_str(&format!(" | {provenance}"));
    }
    wrap_into(&mut out, &protocol, "", "  ");
    out.push(rule.clone());
    for (i, s) in sheet.sections.iter().enumerate() {
        out.push(String::new());
        out.push(format!("{}. {}", i + 1, s.title.to_uppercase()));
        for b in &s.blocks {
            block_lines(&mut out, b);
        }
    }
    out.push(String::new());
    out.push(rule);
    let footer = format!("{}. {}", fr.footer, fr.protocol);
    match &fr.protocol_provenance {
        // Whose pack computed it, on the last line too (as the PDF's footer has it).
        Some(provenance) => wrap_into(&mut out, &format!("{footer} | {provenance}"), "", "  "),
        None => out.push(footer),
    }
    if let Some(copy) = &fr.copy {
        wrap_into(&mut out, &format!("*** {copy} ***"), "", "    ");
    }
    out
}

/// The sheet as one string with a final newline.
pub fn render(sheet: &OrderSheet) -> String {
    let mut s = lines(sheet).join("\n");
    s.push('\n');
    s
}

fn block_lines(out: &mut Vec<String>, b: &Block) {
    match b {
        Block::Row { label, value } => {
            wrap_into(out, &format!("{label}: {value}"), "  ", "      ");
        }
        Block::Paragraph { text, style } => match style {
            Style::Strong => wrap_into(out, &format!("** {text}"), "  ", "     "),
            Style::Alert => wrap_into(out, &format!("!! {text}"), "  ", "     "),
            Style::Heading => wrap_into(out, &format!("-- {text}"), "  ", "     "),
            Style::Normal | Style::Small => wrap_into(out, text, "  ", "  "),
        },
        Block::Item { label, text, note } => {
            wrap_into(out, label, "  ", "    ");
            wrap_into(out, text, "    ", "    ");
            if let Some(n) = note {
                wrap_into(out, &format!(">> {n}"), "    ", "       ");
            }
        }
        Block::Check { text, ticked } => {
            let mark = if *ticked { "[x]" } else { "[ ]" };
            wrap_into(out, &format!("{mark} {text}"), "  ", "      ");
        }
        Block::Signature { role, name, signed } => {
            let who = match name {
                Some(n) => format!("{role}: {n}"),
                None => role.clone(),
            };
            wrap_into(out, &who, "  ", "    ");
            if let Some(line) = signed {
                wrap_into(out, line, "    ", "      ");
                return;
            }
            out.push(
                "    Signature ______________________________   Printed name ______________________________"
                    .to_string(),
            );
            out.push("    Date ____-__-__   Time ____:____ (24-hour)".to_string());
        }
        Block::Table { header, rows, .. } => table_lines(out, header, rows),
        Block::Panel { title, rows } => panel_lines(out, title, rows),
    }
}

/// A box drawn with `+`, `-` and `|`, one "label: value" entry per line (wrapped inside).
fn panel_lines(out: &mut Vec<String>, title: &str, rows: &[(String, String)]) {
    let inner = TEXT_WIDTH - 2 - 4;
    let border = format!("  +{}+", "-".repeat(inner + 2));
    out.push(border.clone());
    let mut body = Vec::new();
    wrap_to(&mut body, &title.to_uppercase(), "", "", inner);
    for (label, value) in rows {
        wrap_to(&mut body, &format!("{label}: {value}"), "", "    ", inner);
    }
    for l in body {
        let pad = inner.saturating_sub(l.chars().count());
        out.push(format!("  | {l}{} |", " ".repeat(pad)));
    }
    out.push(border);
}

/// Aligned columns when they fit; otherwise one wrapped "Header: value; …" entry per row.
fn table_lines(out: &mut Vec<String>, header: &[String], rows: &[Vec<String>]) {
    let columns = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, cell) in r.iter().enumerate().take(columns) {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let total: usize = 2 + widths.iter().sum::<usize>() + 3 * columns.saturating_sub(1);
    if total <= TEXT_WIDTH {
        let line = |cells: &[String]| {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c:<w$}"))
                .collect();
            format!("  {}", padded.join(" | ")).trim_end().to_string()
        };
        out.push(line(header));
        out.push(format!(
            "  {}",
            widths
                .iter()
                .map(|w| "-".repeat(*w))
                .collect::<Vec<_>>()
                .join("-+-")
        ));
        for r in rows {
            out.push(line(r));
        }
    } else {
        for r in rows {
            let mut cells = header.iter().zip(r);
            let Some((_, first)) = cells.next() else {
                continue;
            };
            let rest: Vec<String> = cells.map(|(h, c)| format!("{h}: {c}")).collect();
            wrap_into(
                out,
                &format!("- {first}. {}", rest.join("; ")),
                "  ",
                "    ",
            );
        }
    }
}

/// Words for wrapping, with a number kept on the same line as the unit after it
/// ("4 mg", "0.5 mg/kg/h", "30 minutes"): a dose split across lines is easy to misread.
pub fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let glue = out.last().is_some_and(|prev| {
            prev.ends_with(|c: char| c.is_ascii_digit())
                && word.starts_with(|c: char| c.is_alphabetic() || c == '%')
        });
        match out.last_mut() {
            Some(prev) if glue => {
                prev.push(' ');
                prev.push_str(word);
            }
            _ => out.push(word.to_string()),
        }
    }
    out
}

/// Greedy word wrap: `first` prefixes the first line, `rest` the others.
fn wrap_into(out: &mut Vec<String>, text: &str, first: &str, rest: &str) {
    wrap_to(out, text, first, rest, TEXT_WIDTH);
}

/// Greedy word wrap to `width` characters.
pub(crate) fn wrap_to(out: &mut Vec<String>, text: &str, first: &str, rest: &str, width: usize) {
    let mut line = first.to_string();
    let mut empty = true;
    for word in words(text) {
        let word = word.as_str();
        let len = line.chars().count();
        let needed = word.chars().count() + usize::from(!empty);
        if !empty && len + needed > width {
            out.push(line);
            line = rest.to_string();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push(line);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_the_width_and_indents_continuations() {
        let mut out = Vec::new();
        let text = "word ".repeat(60);
        wrap_into(&mut out, &text, "  ", "    ");
        assert!(out.len() > 2);
        assert!(out.iter().all(|l| l.chars().count() <= TEXT_WIDTH));
        assert!(out[0].starts_with("  word"));
        assert!(out[1].starts_with("    word"));
    }

    #[test]
    fn a_number_stays_with_its_unit() {
        assert_eq!(
            words("give 4 mg then 0.5 mg/kg/h for 30 minutes (Table 4); L344"),
            vec![
                "give",
                "4 mg",
                "then",
                "0.5 mg/kg/h",
                "for",
                "30 minutes",
                "(Table",
                "4);",
                "L344"
            ]
        );
    }
}
