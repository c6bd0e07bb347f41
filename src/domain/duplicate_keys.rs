//! Duplicate keys in a JSON or RON file are refused, naming the key and its line:column.
//!
//! serde_json and ron both let the last of two equal keys win silently: a second
//! `"weight"` would replace the first. Every reader runs this check over the text first; it
//! walks the document through `deserialize_any` and stops at the first key that repeats in
//! the same object, map or struct. A syntax error is left to the reader's own parse.

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fmt;

/// A key that occurs twice in one object, with where the second one was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    pub key: String,
    /// Dotted path of the object holding it (`""` at the top level).
    pub within: String,
    pub line: usize,
    pub column: usize,
}

impl DuplicateKey {
    /// The message without the position (for errors that print line:column themselves).
    pub fn reason(&self) -> String {
        let place = if self.within.is_empty() {
            String::new()
        } else {
            format!(" in {}", self.within)
        };
        format!(
            "duplicate key \"{}\"{place} (each key may appear only once; the file was not read)",
            self.key
        )
    }
}

impl fmt::Display for DuplicateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}:{}", self.reason(), self.line, self.column)
    }
}

/// The first duplicate key of a JSON text, if any (a syntax error is not reported here).
pub fn json_duplicate_key(text: &str) -> Option<DuplicateKey> {
    let found = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    let result = Walk {
        found: &found,
        path: String::new(),
    }
    .deserialize(&mut de);
    let (key, within) = found.into_inner()?;
    let (line, column) = match result {
        Err(e) => (e.line(), e.column()),
        Ok(()) => (0, 0),
    };
    Some(DuplicateKey {
        key,
        within,
        line,
        column,
    })
}

/// The first duplicate key of a RON text read with `options`, if any.
pub fn ron_duplicate_key(text: &str, options: &ron::Options) -> Option<DuplicateKey> {
    let found = RefCell::new(None);
    let result = options.from_str_seed(
        text,
        Walk {
            found: &found,
            path: String::new(),
        },
    );
    let (key, within) = found.into_inner()?;
    let (line, column) = match result {
        Err(e) => (e.span.start.line, e.span.start.col),
        Ok(()) => (0, 0),
    };
    Some(DuplicateKey {
        key,
        within,
        line,
        column,
    })
}

/// Walks one value; `found` receives the first duplicate key and the path of its object.
struct Walk<'a> {
    found: &'a RefCell<Option<(String, String)>>,
    path: String,
}

impl<'a> Walk<'a> {
    fn child(&self, path: String) -> Walk<'a> {
        Walk {
            found: self.found,
            path,
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

macro_rules! ignore_scalars {
    ($($name:ident: $t:ty),* $(,)?) => {
        $(fn $name<E: de::Error>(self, _: $t) -> Result<(), E> { Ok(()) })*
    };
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    ignore_scalars!(
        visit_bool: bool, visit_i8: i8, visit_i16: i16, visit_i32: i32, visit_i64: i64,
        visit_i128: i128, visit_u8: u8, visit_u16: u16, visit_u32: u32, visit_u64: u64,
        visit_u128: u128, visit_f32: f32, visit_f64: f64, visit_char: char,
        visit_str: &str, visit_bytes: &[u8],
    );
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        while seq
            .next_element_seed(self.child(format!("{}[{i}]", self.path)))?
            .is_some()
        {
            i += 1;
        }
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = BTreeSet::new();
        while let Some(key) = map.next_key_seed(KeySeed {
            found: self.found,
            path: self.path.clone(),
        })? {
            if let Some(text) = &key
                && !seen.insert(text.clone())
            {
                *self.found.borrow_mut() = Some((text.clone(), self.path.clone()));
                return Err(de::Error::custom(format!("duplicate key \"{text}\"")));
            }
            let path = join(&self.path, key.as_deref().unwrap_or("?"));
            map.next_value_seed(self.child(path))?;
        }
        Ok(())
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        use de::VariantAccess;
        let (_, variant) = data.variant::<de::IgnoredAny>()?;
        variant.newtype_variant_seed(self)
    }
}

/// Reads a key as text (strings, numbers, booleans, chars); other keys (a struct used as
/// a RON map key) are walked but not compared.
struct KeySeed<'a> {
    found: &'a RefCell<Option<(String, String)>>,
    path: String,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Option<String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(self)
    }
}

macro_rules! key_scalars {
    ($($name:ident: $t:ty),* $(,)?) => {
        $(fn $name<E: de::Error>(self, v: $t) -> Result<Option<String>, E> { Ok(Some(v.to_string())) })*
    };
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    key_scalars!(
        visit_bool: bool, visit_i64: i64, visit_i128: i128, visit_u64: u64, visit_u128: u128,
        visit_f64: f64, visit_char: char, visit_str: &str,
    );
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Option<String>, E> {
        Ok(Some(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<String>, E> {
        Ok(Some("()".into()))
    }
    fn visit_none<E: de::Error>(self) -> Result<Option<String>, E> {
        Ok(Some("None".into()))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        Walk {
            found: self.found,
            path: self.path,
        }
        .deserialize(d)
        .map(|()| None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<String>, A::Error> {
        Walk {
            found: self.found,
            path: self.path,
        }
        .visit_seq(seq)
        .map(|()| None)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<String>, A::Error> {
        Walk {
            found: self.found,
            path: self.path,
        }
        .visit_map(map)
        .map(|()| None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ron_options() -> ron::Options {
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
    }

    #[test]
    fn json_second_key_is_found_with_its_position() {
        let text = "{\n  \"patient\": {\n    \"weight\": 1,\n    \"weight\": 2\n  }\n}";
        let dup = json_duplicate_key(text);
        assert_eq!(
            dup.as_ref()
                .map(|d| (d.key.as_str(), d.within.as_str(), d.line)),
            Some(("weight", "patient", 4))
        );
    }

    #[test]
    fn json_same_key_in_different_objects_is_fine() {
        assert_eq!(
            json_duplicate_key(r#"{"a": {"v": 1}, "b": {"v": 2}, "c": [{"v":1},{"v":2}]}"#),
            None
        );
    }

    #[test]
    fn json_syntax_error_is_left_to_the_reader() {
        assert_eq!(json_duplicate_key("{\"a\": "), None);
    }

    #[test]
    fn json_duplicate_inside_a_list_names_the_index() {
        let dup = json_duplicate_key(r#"{"l": [{"x": 1}, {"x": 1, "x": 2}]}"#);
        assert_eq!(dup.map(|d| d.within), Some("l[1]".to_string()));
    }

    #[test]
    fn ron_struct_field_twice_is_found() {
        let text = "#![enable(implicit_some)]\n(\n  a: 1,\n  b: (c: 2,\n     c: 3),\n)";
        let dup = ron_duplicate_key(text, &ron_options());
        assert_eq!(
            dup.as_ref()
                .map(|d| (d.key.as_str(), d.within.as_str(), d.line)),
            Some(("c", "b", 5))
        );
    }

    #[test]
    fn ron_map_key_twice_is_found() {
        let dup = ron_duplicate_key(r#"(m: {"x": "a", "x": "b"})"#, &ron_options());
        assert_eq!(dup.map(|d| d.key), Some("x".to_string()));
    }

    #[test]
    fn ron_enums_options_and_lists_are_walked() {
        let text = "(s: Stop, o: Some((k: 1, k: 2)), l: [1, 2])";
        let dup = ron_duplicate_key(text, &ron_options());
        assert_eq!(dup.map(|d| d.key), Some("k".to_string()));
        assert_eq!(
            ron_duplicate_key("(s: Stop, o: Some(3), t: (1, 2))", &ron_options()),
            None
        );
    }
}
