//! The validator and its readers of a generic value: objects with only known keys, required
//! fields, numbers in range, text, true/false and choices, each error with its path.

use crate::domain::case::FieldError;
use crate::domain::protocol::{Protocol, ProtocolPack};
use serde_json::{Map, Value};

pub(super) struct Validator<'p> {
    pub(super) pack: &'p ProtocolPack,
    pub(super) protocol: &'p Protocol,
    pub(super) errors: Vec<FieldError>,
}

pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

pub(super) fn fmt_num(x: f64) -> String {
    crate::domain::number_format::number(x)
}

pub(super) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

impl Validator<'_> {
    pub(super) fn error(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.to_string(),
            message: message.into(),
        });
    }

    /// Check `value` is an object and that it holds only `allowed` keys.
    pub(super) fn object<'v>(
        &mut self,
        path: &str,
        value: &'v Value,
        allowed: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        match value {
            Value::Object(map) => {
                for key in map.keys() {
                    if !allowed.contains(&key.as_str()) {
                        self.error(
                            &join(path, key),
                            format!(
                                "unknown field \"{key}\" (expected one of: {})",
                                allowed.join(", ")
                            ),
                        );
                    }
                }
                Some(map)
            }
            other => {
                let what = if path.is_empty() { "the case" } else { path };
                self.error(
                    path,
                    format!("{what} must be an object, not {}", type_name(other)),
                );
                None
            }
        }
    }

    /// A present, non-null field.
    pub(super) fn field<'v>(map: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
        map.get(key).filter(|v| !v.is_null())
    }

    pub(super) fn required<'v>(
        &mut self,
        path: &str,
        map: &'v Map<String, Value>,
        key: &str,
    ) -> Option<&'v Value> {
        let found = Self::field(map, key);
        if found.is_none() {
            self.error(&join(path, key), "is required");
        }
        found
    }

    pub(super) fn number(&mut self, path: &str, value: &Value) -> Option<f64> {
        match value.as_f64() {
            Some(x) if x.is_finite() && value.is_number() => Some(x),
            Some(_) => {
                self.error(path, "must be a finite number");
                None
            }
            None => {
                self.error(path, format!("must be a number, not {}", type_name(value)));
                None
            }
        }
    }

    pub(super) fn integer(&mut self, path: &str, value: &Value, min: f64, max: f64) -> Option<u32> {
        let x = self.number(path, value)?;
        if x.fract() != 0.0 {
            self.error(path, format!("must be a whole number, not {}", fmt_num(x)));
            return None;
        }
        if x < min || x > max {
            self.error(
                path,
                format!(
                    "must be between {} and {}, not {}",
                    fmt_num(min),
                    fmt_num(max),
                    fmt_num(x)
                ),
            );
            return None;
        }
        u32::try_from(x as i64).ok()
    }

    pub(super) fn ranged(
        &mut self,
        path: &str,
        value: &Value,
        min: f64,
        min_inclusive: bool,
        max: f64,
        unit: &str,
    ) -> Option<f64> {
        let x = self.number(path, value)?;
        let low_ok = if min_inclusive { x >= min } else { x > min };
        if !low_ok || x > max {
            let lower = if min_inclusive {
                format!("at least {}", fmt_num(min))
            } else {
                format!("more than {}", fmt_num(min))
            };
            let unit_text = if unit.is_empty() {
                String::new()
            } else {
                format!(" {unit}")
            };
            self.error(
                path,
                format!(
                    "must be {lower} and at most {}{unit_text}, not {}",
                    fmt_num(max),
                    fmt_num(x)
                ),
            );
            return None;
        }
        Some(x)
    }

    pub(super) fn text(&mut self, path: &str, value: &Value) -> Option<String> {
        match value {
            Value::String(s) => Some(s.clone()),
            other => {
                self.error(path, format!("must be text, not {}", type_name(other)));
                None
            }
        }
    }

    pub(super) fn boolean(&mut self, path: &str, value: &Value) -> Option<bool> {
        match value {
            Value::Bool(b) => Some(*b),
            other => {
                self.error(
                    path,
                    format!("must be true or false, not {}", type_name(other)),
                );
                None
            }
        }
    }

    pub(super) fn choice<T: Copy>(
        &mut self,
        path: &str,
        value: &Value,
        parse: fn(&str) -> Option<T>,
        all: &[&str],
    ) -> Option<T> {
        let s = self.text(path, value)?;
        let parsed = parse(&s);
        if parsed.is_none() {
            self.error(path, format!("\"{s}\" is not one of: {}", all.join(", ")));
        }
        parsed
    }
}
