//! PDF rendering of the order sheet (printpdf 0.12, embedded DejaVu Sans, subset on save).
//!
//! Layout: every block becomes a chunk of measured lines; chunks flow down the page and onto
//! new pages, never off the page (a chunk taller than a page is split line by line; a table
//! repeats its header row after a page break). Every page carries the same header (banner,
//! title, patient identifiers, clinic, order number, printed time, protocol, "page x of y")
//! and footer ("Not valid without signature"). Text is wrapped by measuring it with the
//! font's advance widths, with a number kept on the line of its unit.
//!
//! Output is byte-for-byte deterministic for a given sheet: the font ids, the creation date
//! (the injected print time) and the trailer /ID (a hash of the content) are all fixed.

use crate::order::handout::Handout;
use crate::order::sheet::{OrderSheet, Paper};
use printpdf::{FontId, PdfDocument, PdfPage, PdfSaveOptions};

mod draw;
mod fonts;
mod frame;
mod handout;
mod layout;
mod metrics;
mod shape;
mod strip;

use draw::emit;
use frame::{footer_strips, header_strips};
use handout::fit_handout;
use layout::lay_out;
use metrics::Metrics;
use strip::Strip;

/// Points per millimetre.
const PT_PER_MM: f32 = 72.0 / 25.4;
const MARGIN_X_PT: f32 = 15.0 * PT_PER_MM;
const MARGIN_TOP_PT: f32 = 10.0 * PT_PER_MM;
const MARGIN_BOTTOM_PT: f32 = 10.0 * PT_PER_MM;

/// Body text at least 10 pt, notes 9 pt (issue 20, item 5).
const BODY_PT: f32 = 10.0;
const SMALL_PT: f32 = 9.0;
const HEADING_PT: f32 = 11.5;
const TITLE_PT: f32 = 13.0;
const HEADER_PT: f32 = 9.0;
/// The pump box: read at the bedside, larger than the body.
const PANEL_PT: f32 = 11.0;
const LINE_FACTOR: f32 = 1.28;
/// Width of the label column of a "label: value" row.
const LABEL_COLUMN_PT: f32 = 40.0 * PT_PER_MM;
const CELL_PAD_PT: f32 = 2.5;
const INDENT_PT: f32 = 12.0;

/// Font ids double as the PDF subset tag, which must be six capital letters; fixed
/// ids (rather than printpdf's random ones) keep the output deterministic.
const REGULAR_ID: &str = "KPREGU";
const BOLD_ID: &str = "KPBOLD";

fn pdf_date(dt: chrono::NaiveDateTime) -> printpdf::OffsetDateTime {
    use chrono::{Datelike, Timelike};
    printpdf::OffsetDateTime {
        date: printpdf::Date {
            year: dt.year(),
            month: dt.month() as u8,
            day: dt.day() as u8,
        },
        time: printpdf::Time {
            hour: dt.hour() as u8,
            minute: dt.minute() as u8,
            second: dt.second() as u8,
            millisecond: 0,
        },
        offset: printpdf::Offset {
            hours: 0,
            minutes: 0,
            seconds: 0,
            milliseconds: 0,
        },
    }
}

/// The number of pages `render` produces for this sheet.
pub fn page_count(sheet: &OrderSheet) -> Result<usize, String> {
    let mut m = Metrics::load()?;
    Ok(lay_out(&mut m, sheet).1.len())
}

/// Render the sheet as PDF bytes.
pub fn render(sheet: &OrderSheet) -> Result<Vec<u8>, String> {
    let mut m = Metrics::load()?;
    let (header_h, pages, page_w, page_h) = lay_out(&mut m, sheet);
    let min_body_pt = 0.5 * page_h;
    if page_h - header_h < min_body_pt {
        // Identifiers so long that the header would fill the page: refuse to print
        // rather than squeeze or clip them.
        return Err("the patient identifiers are too long for the page header".to_string());
    }
    let width = page_w - 2.0 * MARGIN_X_PT;
    let fonts = [FontId(REGULAR_ID.to_string()), FontId(BOLD_ID.to_string())];
    // No patient name in the metadata: it shows in print queues and file managers (PHI).
    let mut doc = PdfDocument::new(&format!(
        "Ketamine infusion order {}",
        sheet.frame.order_number
    ));
    for (id, font) in [(&fonts[0], &m.regular), (&fonts[1], &m.bold)] {
        doc.resources
            .fonts
            .map
            .insert(id.clone(), printpdf::PdfFont::new(font.clone()));
    }
    let info = &mut doc.metadata.info;
    info.creation_date = pdf_date_from_frame(sheet);
    info.modification_date = info.creation_date;
    info.metadata_date = info.creation_date;
    info.creator = format!("ketaplan {}", env!("CARGO_PKG_VERSION"));
    info.producer = "ketaplan (printpdf)".to_string();
    info.identifier = sheet.frame.order_number.clone();

    let total = pages.len();
    let footer = footer_strips(&mut m, sheet, width);
    let footer_h: f32 = footer.iter().map(|s| s.height).sum();
    let mut pdf_pages = Vec::with_capacity(total);
    for (i, body) in pages.iter().enumerate() {
        let label = format!("Page {} of {}", i + 1, total);
        let header = header_strips(&mut m, sheet, width, &label);
        let mut ops = Vec::new();
        let top = page_h - MARGIN_TOP_PT;
        let placed: Vec<(f32, Strip)> = header
            .iter()
            .scan(0.0, |y, s| {
                let at = *y;
                *y += s.height;
                Some((at, s.clone()))
            })
            .collect();
        emit(&mut ops, &placed, MARGIN_X_PT, top, &fonts);
        emit(&mut ops, body, MARGIN_X_PT, top - header_h, &fonts);
        let footer_placed: Vec<(f32, Strip)> = footer
            .iter()
            .scan(0.0, |y, s| {
                let at = *y;
                *y += s.height;
                Some((at, s.clone()))
            })
            .collect();
        emit(
            &mut ops,
            &footer_placed,
            MARGIN_X_PT,
            MARGIN_BOTTOM_PT + footer_h,
            &fonts,
        );
        pdf_pages.push(PdfPage::new(
            printpdf::Mm(page_w / PT_PER_MM),
            printpdf::Mm(page_h / PT_PER_MM),
            ops,
        ));
    }
    let mut warnings = Vec::new();
    let bytes = doc
        .with_pages(pdf_pages)
        .save(&PdfSaveOptions::default(), &mut warnings);
    Ok(fix_trailer_id(bytes))
}

fn pdf_date_from_frame(sheet: &OrderSheet) -> printpdf::OffsetDateTime {
    // The frame holds the formatted print time; parse it back (it was made by format).
    let parsed = chrono::NaiveDateTime::parse_from_str(&sheet.frame.printed_at, "%Y-%m-%d %H:%M");
    pdf_date(parsed.unwrap_or_default())
}

/// printpdf writes a random trailer /ID; replace both strings (same length, so no offset
/// moves) with a hash of the rest of the file, making the output deterministic.
fn fix_trailer_id(mut bytes: Vec<u8>) -> Vec<u8> {
    let Some(start) = find_last(&bytes, b"/ID[(").or_else(|| find_last(&bytes, b"/ID [(")) else {
        return bytes;
    };
    let open = start + bytes[start..].iter().position(|&b| b == b'(').unwrap_or(0);
    let mut spans = Vec::new();
    let mut i = open;
    while spans.len() < 2 && i < bytes.len() {
        if bytes[i] == b'('
            && let Some(len) = bytes[i + 1..].iter().position(|&b| b == b')')
        {
            spans.push((i + 1, i + 1 + len));
            i += len + 2;
            continue;
        }
        if bytes[i] == b']' {
            break;
        }
        i += 1;
    }
    let mut hashed = bytes.clone();
    for &(a, b) in &spans {
        hashed[a..b].fill(b'0');
    }
    let digest = crate::domain::protocol::sha256_hex(&hashed);
    let digest = digest.as_bytes();
    for &(a, b) in &spans {
        for (k, byte) in bytes[a..b].iter_mut().enumerate() {
            *byte = digest[k % digest.len()];
        }
    }
    bytes
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Render the discharge handout as a one-page PDF, in the order sheet's font. The type
/// shrinks a step at a time (down to 12 pt) until it fits one page; if it does not fit at
/// 12 pt, it is refused rather than printed smaller or on two pages.
pub fn render_handout(h: &Handout, paper: Paper) -> Result<Vec<u8>, String> {
    let mut m = Metrics::load()?;
    let fit = fit_handout(&mut m, h, paper)?;
    let fonts = [FontId(REGULAR_ID.to_string()), FontId(BOLD_ID.to_string())];
    let mut doc = PdfDocument::new("Instructions after your ketamine infusion");
    for (id, font) in [(&fonts[0], &m.regular), (&fonts[1], &m.bold)] {
        doc.resources
            .fonts
            .map
            .insert(id.clone(), printpdf::PdfFont::new(font.clone()));
    }
    let info = &mut doc.metadata.info;
    info.creation_date = pdf_date(h.on.and_hms_opt(0, 0, 0).unwrap_or_default());
    info.modification_date = info.creation_date;
    info.metadata_date = info.creation_date;
    info.creator = format!("ketaplan {}", env!("CARGO_PKG_VERSION"));
    info.producer = "ketaplan (printpdf)".to_string();
    let placed: Vec<(f32, Strip)> = fit
        .strips
        .iter()
        .scan(0.0, |y, s| {
            let at = *y;
            *y += s.height;
            Some((at, s.clone()))
        })
        .collect();
    let mut ops = Vec::new();
    emit(
        &mut ops,
        &placed,
        fit.margin,
        fit.page_h - fit.margin,
        &fonts,
    );
    let page = PdfPage::new(
        printpdf::Mm(fit.page_w / PT_PER_MM),
        printpdf::Mm(fit.page_h / PT_PER_MM),
        ops,
    );
    let mut warnings = Vec::new();
    let bytes = doc
        .with_pages(vec![page])
        .save(&PdfSaveOptions::default(), &mut warnings);
    Ok(fix_trailer_id(bytes))
}

/// The body size, in points, the handout is printed at on this paper.
pub fn handout_font_size(h: &Handout, paper: Paper) -> Result<f32, String> {
    let mut m = Metrics::load()?;
    Ok(fit_handout(&mut m, h, paper)?.size)
}
