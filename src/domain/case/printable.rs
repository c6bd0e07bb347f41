//! Characters refused in text that prints (V4-22): controls, bidi overrides and invisible spaces.
//!
//! A right-to-left override can make one name print as another, and a zero-width space makes
//! two names that look alike differ. Joiners (U+200C, U+200D, needed in Persian and Indic
//! names) and right-to-left letters stay allowed.

/// Whether line breaks may stay (justification reasons) or not (names, identifiers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineBreaks {
    Refused,
    Kept,
}

/// The name of a refused character, or `None` when it may print.
pub fn refused_name(c: char, breaks: LineBreaks) -> Option<&'static str> {
    if breaks == LineBreaks::Kept && (c == '\n' || c == '\r') {
        return None;
    }
    Some(match c {
        '\t' => "CHARACTER TABULATION",
        '\n' => "LINE FEED (a line break)",
        '\r' => "CARRIAGE RETURN (a line break)",
        '\u{0}'..='\u{1f}' | '\u{7f}' => "a control character",
        '\u{85}' => "NEXT LINE (a control character)",
        '\u{80}'..='\u{9f}' => "a control character",
        '\u{200b}' => "ZERO WIDTH SPACE",
        '\u{2060}' => "WORD JOINER (an invisible character)",
        '\u{feff}' => "ZERO WIDTH NO-BREAK SPACE",
        '\u{2028}' => "LINE SEPARATOR",
        '\u{2029}' => "PARAGRAPH SEPARATOR",
        '\u{202a}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202b}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202c}' => "POP DIRECTIONAL FORMATTING",
        '\u{202d}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202e}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        _ => return None,
    })
}

/// `U+202E RIGHT-TO-LEFT OVERRIDE`
pub fn describe(c: char, name: &str) -> String {
    format!("U+{:04X} {name}", u32::from(c))
}

/// Why `text` cannot print, naming its first refused character and where it is.
pub fn refusal(text: &str, breaks: LineBreaks) -> Option<String> {
    let Some((position, c, name)) = text
        .chars()
        .enumerate()
        .find_map(|(i, c)| refused_name(c, breaks).map(|n| (i + 1, c, n)))
    else {
        // Nothing hidden: every other character must print exactly as typed.
        return crate::domain::glyphs::refusal(text);
    };
    Some(format!(
        "contains {} (character {position}), which may not be printed: it can make the text print differently from what was typed; delete it",
        describe(c, name)
    ))
}

/// The text without its refused characters, and what was taken out (for the app: paste
/// and typing strip them and say so).
pub fn strip_refused(text: &str, breaks: LineBreaks) -> (String, Vec<String>) {
    let mut removed: Vec<String> = Vec::new();
    let kept = text
        .chars()
        .filter(|&c| match refused_name(c, breaks) {
            None => true,
            Some(name) => {
                let d = describe(c, name);
                if !removed.contains(&d) {
                    removed.push(d);
                }
                false
            }
        })
        .collect();
    (kept, removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_isolates_and_invisible_spaces_are_refused() {
        for c in [
            '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200b}', '\u{feff}',
        ] {
            assert!(refused_name(c, LineBreaks::Kept).is_some(), "{c:?}");
        }
        let why = refusal("Jane \u{202e}elpmaxE", LineBreaks::Refused);
        assert_eq!(
            why.as_deref()
                .map(|w| w.starts_with("contains U+202E RIGHT-TO-LEFT OVERRIDE (character 6)")),
            Some(true),
            "{why:?}"
        );
    }

    #[test]
    fn controls_c0_and_c1_are_refused_line_breaks_only_where_kept() {
        assert!(refusal("a\u{7}b", LineBreaks::Kept).is_some());
        assert!(refusal("a\u{9c}b", LineBreaks::Kept).is_some());
        assert!(refusal("a\tb", LineBreaks::Kept).is_some());
        assert!(refusal("line one\nline two\r\n", LineBreaks::Kept).is_none());
        assert!(refusal("line one\nline two", LineBreaks::Refused).is_some());
        assert!(refusal("\u{1f}", LineBreaks::Refused).is_some());
        assert!(refusal("\u{80}", LineBreaks::Refused).is_some());
        assert!(
            refusal("\u{a0}", LineBreaks::Refused).is_none(),
            "no-break space prints"
        );
    }

    #[test]
    fn joiners_and_right_to_left_letters_stay() {
        for text in [
            "می\u{200c}خواهم",
            "क्\u{200d}ष",
            "דוד כהן",
            "محمد",
            "Zoë Ñúñez-Øster 李",
        ] {
            // Not hidden characters (V4-22): nothing is stripped. Whether the sheet can draw
            // them is judged separately (`domain::glyphs`).
            assert!(
                text.chars()
                    .all(|c| refused_name(c, LineBreaks::Refused).is_none()),
                "{text}"
            );
            assert_eq!(strip_refused(text, LineBreaks::Refused).0, text);
        }
    }

    #[test]
    fn strip_takes_out_refused_characters_and_names_each_once() {
        let (kept, removed) =
            strip_refused("Ja\u{200b}ne\u{200b} \u{202e}Doe", LineBreaks::Refused);
        assert_eq!(kept, "Jane Doe");
        assert_eq!(
            removed,
            vec!["U+200B ZERO WIDTH SPACE", "U+202E RIGHT-TO-LEFT OVERRIDE"]
        );
        let (kept, removed) = strip_refused("a\nb", LineBreaks::Kept);
        assert_eq!((kept.as_str(), removed.len()), ("a\nb", 0));
    }
}
