//! Shaping of lines with right-to-left or joining letters (a Hebrew or Arabic name): the
//! Unicode bidi algorithm cuts the line into runs in visual order and harfrust shapes each
//! run with the embedded font, so letters join and read as written.

use super::fonts::{BOLD_TTF, REGULAR_TTF};
use super::strip::Weight;
use std::sync::OnceLock;
use unicode_bidi::{BidiClass, BidiInfo, bidi_class};

/// One glyph as drawn, left to right. Lengths in em.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Glyph {
    pub gid: u16,
    /// How far the pen moves after this glyph, as shaped.
    pub advance_em: f32,
    /// The font's own advance for the glyph (what a PDF viewer moves by unless told).
    pub nominal_em: f32,
    /// Mark placement relative to the pen (x right, y up).
    pub dx_em: f32,
    pub dy_em: f32,
    /// The characters this glyph stands for, for copy and search; empty for the second and
    /// later glyphs of one cluster. In a right-to-left run they are in visual order, as
    /// text extractors (poppler, pdf.js) expect: they read glyphs left to right and reverse
    /// right-to-left words, so a lam-alef ligature stored as "لا" would come back "ال".
    pub text: String,
}

struct Face {
    font: harfrust::FontRef<'static>,
    data: harfrust::ShaperData,
    metrics: ttf_parser::Face<'static>,
}

fn face(weight: Weight) -> Option<&'static Face> {
    static FACES: OnceLock<Option<[Face; 2]>> = OnceLock::new();
    let faces = FACES.get_or_init(|| {
        let load = |bytes: &'static [u8]| -> Option<Face> {
            let font = harfrust::FontRef::new(bytes).ok()?;
            let data = harfrust::ShaperData::new(&font);
            let metrics = ttf_parser::Face::parse(bytes, 0).ok()?;
            Some(Face {
                font,
                data,
                metrics,
            })
        };
        Some([load(REGULAR_TTF)?, load(BOLD_TTF)?])
    });
    let faces = faces.as_ref()?;
    Some(match weight {
        Weight::Regular => &faces[0],
        Weight::Bold => &faces[1],
    })
}

/// Whether a line needs the shaper: right-to-left letters, or marks that sit on a letter.
/// Every other line is drawn character by character, as the font's character map says.
pub(super) fn needs_shaping(line: &str) -> bool {
    line.chars().any(|c| {
        matches!(
            bidi_class(c),
            BidiClass::R | BidiClass::AL | BidiClass::AN | BidiClass::NSM
        )
    })
}

/// The line's glyphs, left to right, or `None` when the embedded font cannot be read
/// (the caller refuses to print rather than guess).
pub(super) fn shape(line: &str, weight: Weight) -> Option<Vec<Glyph>> {
    let face = face(weight)?;
    let upem = f32::from(face.metrics.units_per_em().max(1));
    let shaper = face.data.shaper(&face.font).build();
    let info = BidiInfo::new(line, None);
    let mut glyphs = Vec::new();
    for paragraph in &info.paragraphs {
        let (levels, runs) = info.visual_runs(paragraph, paragraph.range.clone());
        for run in runs {
            let text = &line[run.clone()];
            let mut buffer = harfrust::UnicodeBuffer::new();
            buffer.push_str(text);
            buffer.set_direction(if levels[run.start].is_rtl() {
                harfrust::Direction::RightToLeft
            } else {
                harfrust::Direction::LeftToRight
            });
            buffer.guess_segment_properties();
            let shaped = shaper.shape(buffer, harfrust::ShapeOptions::new());
            let rtl = levels[run.start].is_rtl();
            let infos = shaped.glyph_infos();
            let positions = shaped.glyph_positions();
            // Cluster starts in logical order: a cluster's text runs to the next start.
            let mut starts: Vec<usize> = infos.iter().map(|i| i.cluster as usize).collect();
            starts.sort_unstable();
            starts.dedup();
            let mut seen = std::collections::HashSet::new();
            for (info, pos) in infos.iter().zip(positions) {
                let gid = u16::try_from(info.glyph_id).ok()?;
                let start = info.cluster as usize;
                let end = starts
                    .iter()
                    .find(|s| **s > start)
                    .copied()
                    .unwrap_or(text.len());
                let cluster_text = if !seen.insert(start) {
                    String::new()
                } else if rtl {
                    text.get(start..end)
                        .unwrap_or_default()
                        .chars()
                        .rev()
                        .collect()
                } else {
                    text.get(start..end).unwrap_or_default().to_string()
                };
                let nominal = face
                    .metrics
                    .glyph_hor_advance(ttf_parser::GlyphId(gid))
                    .unwrap_or(0);
                glyphs.push(Glyph {
                    gid,
                    advance_em: pos.x_advance as f32 / upem,
                    nominal_em: f32::from(nominal) / upem,
                    dx_em: pos.x_offset as f32 / upem,
                    dy_em: pos.y_offset as f32 / upem,
                    text: cluster_text,
                });
            }
        }
    }
    Some(glyphs)
}

/// Width of a shaped line, in em.
pub(super) fn width_em(line: &str, weight: Weight) -> Option<f32> {
    Some(shape(line, weight)?.iter().map(|g| g.advance_em).sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nominal_gid(c: char) -> u16 {
        let f = ttf_parser::Face::parse(REGULAR_TTF, 0).unwrap_or_else(|e| panic!("{e}"));
        f.glyph_index(c).map(|g| g.0).unwrap_or(0)
    }

    #[test]
    fn arabic_letters_join_and_run_right_to_left() {
        // محمد: meem, hah, meem, dal. Joined, the first meem takes its initial form, so
        // no glyph is the isolated letter from the character map except the final dal.
        let glyphs = shape("\u{645}\u{62d}\u{645}\u{62f}", Weight::Regular).unwrap_or_default();
        assert_eq!(glyphs.len(), 4);
        assert!(glyphs.iter().all(|g| g.gid != 0), "{glyphs:?}");
        // Drawn right to left: the leftmost glyph is the last letter (dal).
        assert_eq!(glyphs[0].text, "\u{62f}");
        assert_eq!(glyphs[3].text, "\u{645}");
        assert_ne!(glyphs[3].gid, nominal_gid('\u{645}'), "initial meem form");
        assert_ne!(glyphs[1].gid, nominal_gid('\u{62d}'), "medial hah form");
    }

    #[test]
    fn lam_alef_is_one_glyph_that_copies_as_two_letters() {
        // لا — lam followed by alef is drawn as one ligature; its text in visual order
        // (alef, lam) reads back as lam, alef once the extractor reverses the word.
        let glyphs = shape("\u{644}\u{627}", Weight::Bold).unwrap_or_default();
        assert_eq!(glyphs.len(), 1, "{glyphs:?}");
        assert_eq!(glyphs[0].text, "\u{627}\u{644}");
    }

    #[test]
    fn a_latin_label_keeps_its_order_around_a_right_to_left_name() {
        // "Patient: לוי 12" (lamed, vav, yod).
        let line = "Patient: \u{5dc}\u{5d5}\u{5d9} 12";
        assert!(needs_shaping(line));
        assert!(!needs_shaping("Patient: Zoë Ñúñez-Øster"));
        let text: String = shape(line, Weight::Regular)
            .unwrap_or_default()
            .iter()
            .map(|g| g.text.as_str())
            .collect();
        // Visual order (UAX #9): the Hebrew word reversed, and the number that follows it
        // joins the right-to-left run (so it reads first from the right); digits keep
        // their own order.
        assert_eq!(text, "Patient: 12 \u{5d9}\u{5d5}\u{5dc}");
        assert!(width_em(line, Weight::Regular).unwrap_or(0.0) > 5.0);
    }
}
