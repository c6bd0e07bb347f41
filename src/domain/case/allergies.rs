//! Allergies must say "no known allergies" or list a real entry: placeholders are refused.

/// What to write instead of a placeholder (shown beside the field and in the error).
pub const ALLERGIES_HINT: &str = "write 'no known allergies' or list each allergy and its reaction";

/// Texts that mean "no known allergies" (NKA; NKDA, no known drug allergies).
const NONE_KNOWN: [&str; 4] = [
    "no known allergies",
    "no known drug allergies",
    "nka",
    "nkda",
];

/// Texts that say nothing about allergies: a dash, "none", "n/a", "nil", a question mark…
const PLACEHOLDERS: [&str; 22] = [
    "none",
    "n/a",
    "na",
    "n.a.",
    "n/k",
    "nk",
    "nil",
    "no",
    "nope",
    "null",
    "nothing",
    "unknown",
    "not known",
    "not asked",
    "tbd",
    "tba",
    "x",
    "0",
    "no allergies",
    "none known",
    "see chart",
    "see notes",
];

/// The text as compared: trimmed, lower case, inner spaces single, a final full stop gone.
fn normalized(text: &str) -> String {
    let lower = text.trim().to_lowercase();
    let single: Vec<&str> = lower.split_whitespace().collect();
    let joined = single.join(" ");
    joined
        .strip_suffix('.')
        .unwrap_or(&joined)
        .trim()
        .to_string()
}

/// True for the explicit "no known allergies" (or NKA/NKDA).
pub fn is_none_known(text: &str) -> bool {
    NONE_KNOWN.contains(&normalized(text).as_str())
}

/// Why an allergies text is not acceptable, or `None`. Empty text is left to the order's
/// refusal ("the order block lacks allergies").
pub fn placeholder_refusal(text: &str) -> Option<String> {
    if text.trim().is_empty() || is_none_known(text) {
        return None;
    }
    let n = normalized(text);
    let no_letters = !n.chars().any(char::is_alphanumeric);
    if no_letters || PLACEHOLDERS.contains(&n.as_str()) {
        return Some(format!(
            "\"{}\" does not say whether the patient has allergies: {ALLERGIES_HINT}",
            text.trim()
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_refused_whatever_the_case_and_spacing() {
        for text in [
            "-",
            " - ",
            "--",
            "—",
            "none",
            "None",
            "NONE ",
            "n/a",
            "N/A",
            "na",
            "nil",
            "Nil.",
            "no",
            "?",
            "??",
            "unknown",
            "none known",
            "No allergies",
            ".",
        ] {
            assert!(placeholder_refusal(text).is_some(), "{text:?}");
        }
    }

    #[test]
    fn none_known_and_real_entries_are_accepted() {
        for text in [
            "no known allergies",
            "No Known Allergies.",
            "NKA",
            "nkda",
            "No known drug allergies",
            "penicillin (rash)",
            "latex — anaphylaxis; morphine (itch)",
            "Nut",
            "",
        ] {
            assert_eq!(placeholder_refusal(text), None, "{text:?}");
        }
    }

    #[test]
    fn the_reason_names_what_to_write() {
        let why = placeholder_refusal("n/a").unwrap_or_default();
        assert!(
            why.contains("'no known allergies'") && why.contains("reaction"),
            "{why}"
        );
    }
}
