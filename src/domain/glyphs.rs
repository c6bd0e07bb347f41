//! What the order sheet can print exactly as typed: a character must have a glyph in both
//! embedded fonts (the sheet shapes Arabic and Hebrew and lays out right-to-left runs), and
//! a script whose conjuncts the fonts do not carry is refused — a name must print as
//! written or be refused at entry, never as empty boxes.

use std::sync::OnceLock;

/// The fonts the printed order embeds (the same files as `order::pdf`).
const REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

fn faces() -> &'static [ttf_parser::Face<'static>] {
    static FACES: OnceLock<Vec<ttf_parser::Face<'static>>> = OnceLock::new();
    FACES.get_or_init(|| {
        [REGULAR_TTF, BOLD_TTF]
            .into_iter()
            .filter_map(|bytes| ttf_parser::Face::parse(bytes, 0).ok())
            .collect()
    })
}

/// Scripts whose letters combine into forms the embedded fonts do not carry: a stray
/// glyph of one of them would print, but the word would not read as written.
fn needs_conjuncts(c: char) -> bool {
    matches!(u32::from(c),
        0x0700..=0x074F // Syriac
        | 0x0780..=0x07BF // Thaana
        | 0x0900..=0x0DFF // Indic scripts
    )
}

/// Why `c` cannot print exactly, or `None` when it can.
pub fn unprintable(c: char) -> Option<&'static str> {
    if c.is_whitespace() || c == '\u{200c}' || c == '\u{200d}' {
        return None;
    }
    if needs_conjuncts(c) {
        return Some("the order sheet's fonts cannot join the letters of this script");
    }
    let faces = faces();
    if faces.len() < 2 || faces.iter().any(|f| f.glyph_index(c).is_none()) {
        return Some("the order sheet's font has no glyph for it (it would print as an empty box)");
    }
    None
}

/// The first character of `text` that cannot print exactly, with where it is.
pub fn refusal(text: &str) -> Option<String> {
    let (position, c, why) = text
        .chars()
        .enumerate()
        .find_map(|(i, c)| unprintable(c).map(|why| (i + 1, c, why)))?;
    Some(format!(
        "contains U+{:04X} ({c}, character {position}): {why}; write it as on the patient's identity document in Latin, Greek, Cyrillic, Hebrew or Arabic letters",
        u32::from(c)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_greek_cyrillic_hebrew_and_arabic_names_print_cjk_and_indic_are_refused() {
        for name in [
            "Zoë Ñúñez-Øster",
            "Γιώργος Παπαδόπουλος",
            "Анна Иванова",
            "דוד לוי",
            "محمد علي",
            "پریسا ژاله گلچین", // Persian letters pe, zhe, gaf, yeh
        ] {
            assert_eq!(refusal(name), None, "{name}");
        }
        let why = refusal("Zoë Ñúñez-Øster 李").unwrap_or_default();
        assert!(
            why.contains("U+674E") && why.contains("character 17"),
            "{why}"
        );
        assert!(why.contains("empty box"));
        let why = refusal("देवी").unwrap_or_default();
        assert!(why.contains("U+0926") && why.contains("join"), "{why}");
        // Joiners and spaces are not letters to draw.
        assert_eq!(refusal("a\u{200c}b c"), None);
    }
}
