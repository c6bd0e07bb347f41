//! Reading a case file: its text (JSON or RON) to a generic value, duplicate keys and syntax
//! errors located, then validated to a [`Case`]; and writing a case back as RON.

use super::field_error::FieldError;
use super::record::Case;
use super::validate::case_from_value;
use crate::domain::protocol::Protocol;
use serde_json::{Map, Value};

/// The text format of a case file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseFormat {
    Json,
    Ron,
}

impl CaseFormat {
    /// `.ron` files are RON; everything else is read as JSON.
    pub fn from_path(path: &std::path::Path) -> CaseFormat {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("ron") => CaseFormat::Ron,
            _ => CaseFormat::Json,
        }
    }
}

/// Parse a case file's text to a generic value (syntax errors name the field `""` and give
/// line:column), then validate it.
pub fn parse_case(
    protocol: &Protocol,
    text: &str,
    format: CaseFormat,
) -> Result<Case, Vec<FieldError>> {
    let value = parse_value(text, format).map_err(|e| vec![e])?;
    case_from_value(protocol, &value)
}

/// Parse text to a generic JSON value. RON is converted (structs and maps become objects).
/// A leading byte-order mark is ignored (V4-23); a key given twice in one object is
/// rejected, naming it and its line:column.
pub fn parse_value(text: &str, format: CaseFormat) -> Result<Value, FieldError> {
    let text = crate::domain::file_text::without_bom(text);
    let duplicate = |dup: crate::domain::duplicate_keys::DuplicateKey| FieldError {
        field: join_path(&dup.within, &dup.key),
        message: dup.to_string(),
    };
    match format {
        CaseFormat::Json => {
            if let Some(dup) = crate::domain::duplicate_keys::json_duplicate_key(text) {
                return Err(duplicate(dup));
            }
            serde_json::from_str::<Value>(text).map_err(|e| FieldError {
                field: String::new(),
                message: format!(
                    "the file is not valid JSON at {}:{}: {}",
                    e.line(),
                    e.column(),
                    json_error_text(&e)
                ),
            })
        }
        CaseFormat::Ron => {
            let options = ron::Options::default()
                .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
            if let Some(dup) = crate::domain::duplicate_keys::ron_duplicate_key(text, &options) {
                return Err(duplicate(dup));
            }
            let value: ron::Value = options.from_str(text).map_err(|e| FieldError {
                field: String::new(),
                message: format!(
                    "the file is not valid RON at {}:{}: {}",
                    e.span.start.line, e.span.start.col, e.code
                ),
            })?;
            ron_to_json(value)
        }
    }
}

fn join_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn json_error_text(e: &serde_json::Error) -> String {
    // serde_json appends " at line L column C"; keep only the description.
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

fn ron_to_json(value: ron::Value) -> Result<Value, FieldError> {
    Ok(match value {
        ron::Value::Bool(b) => Value::Bool(b),
        ron::Value::Char(c) => Value::String(c.to_string()),
        ron::Value::String(s) => Value::String(s),
        ron::Value::Unit => Value::Null,
        ron::Value::Option(None) => Value::Null,
        ron::Value::Option(Some(inner)) => ron_to_json(*inner)?,
        ron::Value::Number(n) => {
            let f = n.into_f64();
            // Non-finite numbers cannot be JSON; reject them here with a clear message.
            match serde_json::Number::from_f64(f) {
                Some(num) if f.fract() != 0.0 || f.abs() > 9.0e15 => Value::Number(num),
                Some(_) => Value::Number(serde_json::Number::from(f as i64)),
                None => {
                    return Err(FieldError {
                        field: String::new(),
                        message: format!("the file contains a number that is not finite ({f})"),
                    });
                }
            }
        }
        ron::Value::Bytes(_) => {
            return Err(FieldError {
                field: String::new(),
                message: "the file contains a byte string, which no field accepts".into(),
            });
        }
        ron::Value::Seq(items) => Value::Array(
            items
                .into_iter()
                .map(ron_to_json)
                .collect::<Result<Vec<_>, _>>()?,
        ),
        ron::Value::Map(map) => {
            let mut out = Map::new();
            for (k, v) in map.into_iter() {
                let key = match k {
                    ron::Value::String(s) => s,
                    other => {
                        return Err(FieldError {
                            field: String::new(),
                            message: format!("a map key is not a string: {other:?}"),
                        });
                    }
                };
                out.insert(key, ron_to_json(v)?);
            }
            Value::Object(out)
        }
    })
}

/// Write a case in the contract's RON form (`*.case.ron`), readable by `ketaplan plan`.
pub fn case_to_ron(case: &Case) -> Result<String, String> {
    let config = ron::ser::PrettyConfig::new().struct_names(false);
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .to_string_pretty(case, config)
        .map(|body| format!("#![enable(implicit_some)]\n{body}\n"))
        .map_err(|e| e.to_string())
}
