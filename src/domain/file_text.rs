//! What every file reader does to the text first: a leading UTF-8 byte-order mark is dropped (V4-23).

/// The text without a leading U+FEFF (Windows editors write one); anything else unchanged.
pub fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::without_bom;

    #[test]
    fn only_a_leading_mark_is_dropped() {
        assert_eq!(without_bom("\u{feff}{}"), "{}");
        assert_eq!(without_bom("{}"), "{}");
        assert_eq!(without_bom("a\u{feff}b"), "a\u{feff}b");
        assert_eq!(without_bom("\u{feff}\u{feff}x"), "\u{feff}x");
    }
}
