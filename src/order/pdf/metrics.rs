//! Font metrics: advance widths of the embedded faces, measuring and wrapping text.

use super::fonts::{BOLD_TTF, REGULAR_TTF};
pub(super) use super::strip::Weight;
use crate::order::text::words;
use printpdf::ParsedFont;
use std::collections::HashMap;

/// Advance widths of the two faces, for measuring text.
pub(in crate::order::pdf) struct Metrics {
    pub(in crate::order::pdf) regular: ParsedFont,
    pub(in crate::order::pdf) bold: ParsedFont,
    cache: HashMap<(char, Weight), f32>,
}

impl Metrics {
    pub(in crate::order::pdf) fn load() -> Result<Metrics, String> {
        let mut warnings = Vec::new();
        let regular = ParsedFont::from_bytes(REGULAR_TTF, 0, &mut warnings)
            .ok_or("the embedded regular font could not be read")?;
        let bold = ParsedFont::from_bytes(BOLD_TTF, 0, &mut warnings)
            .ok_or("the embedded bold font could not be read")?;
        Ok(Metrics {
            regular,
            bold,
            cache: HashMap::new(),
        })
    }

    /// Advance of one character, in em.
    fn advance_em(&mut self, c: char, weight: Weight) -> f32 {
        if let Some(w) = self.cache.get(&(c, weight)) {
            return *w;
        }
        let font = match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        };
        let upem = f32::from(font.font_metrics.units_per_em.max(1));
        let gid = font.lookup_glyph_index(c as u32).unwrap_or(0);
        let w = f32::from(font.get_horizontal_advance(gid)) / upem;
        self.cache.insert((c, weight), w);
        w
    }

    pub(in crate::order::pdf) fn width(&mut self, text: &str, weight: Weight, size: f32) -> f32 {
        if super::shape::needs_shaping(text)
            && let Some(em) = super::shape::width_em(text, weight)
        {
            return em * size;
        }
        text.chars()
            .map(|c| self.advance_em(c, weight))
            .sum::<f32>()
            * size
    }

    /// Wrap to `width` points; a word wider than the line is broken between characters.
    pub(in crate::order::pdf) fn wrap(
        &mut self,
        text: &str,
        weight: Weight,
        size: f32,
        width: f32,
    ) -> Vec<String> {
        let space = self.width(" ", weight, size);
        let mut lines = Vec::new();
        let mut line = String::new();
        let mut line_w = 0.0;
        for word in words(text) {
            let word_w = self.width(&word, weight, size);
            if word_w > width {
                // Too wide on its own (a hash, a long code): break it up.
                for c in word.chars() {
                    let cw = self.advance_em(c, weight) * size;
                    if line_w + cw > width && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0.0;
                    }
                    line.push(c);
                    line_w += cw;
                }
                continue;
            }
            let needed = if line.is_empty() {
                word_w
            } else {
                space + word_w
            };
            if !line.is_empty() && line_w + needed > width {
                lines.push(std::mem::take(&mut line));
                line_w = 0.0;
            }
            if !line.is_empty() {
                line.push(' ');
                line_w += space;
            }
            line.push_str(&word);
            line_w += word_w;
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }
}
