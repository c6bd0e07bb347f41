//! Reading and writing the course file (RON), and checking the values serde cannot.

use super::{COURSE_SCHEMA, CourseDocument};

/// Read a course document from RON, with line:column on syntax errors and a clear message
/// for a newer schema.
/// A leading byte-order mark is ignored (V4-23); a key given twice is refused.
pub fn parse_course(text: &str) -> Result<CourseDocument, String> {
    let text = crate::domain::file_text::without_bom(text);
    if text.trim().is_empty() {
        return Err("the file is empty".to_string());
    }
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    if let Some(dup) = crate::domain::duplicate_keys::ron_duplicate_key(text, &options) {
        return Err(format!("{}:{}: {}", dup.line, dup.column, dup.reason()));
    }
    // Check the schema first so a newer file says so rather than failing on a new field.
    if let Ok(ron::Value::Map(map)) = options.from_str::<ron::Value>(text) {
        let schema = map
            .iter()
            .find(|(k, _)| matches!(k, ron::Value::String(s) if s == "schema"))
            .and_then(|(_, v)| match v {
                ron::Value::String(s) => Some(s.clone()),
                _ => None,
            });
        if let Some(schema) = schema
            && schema != COURSE_SCHEMA
        {
            return Err(format!(
                "1:1: schema \"{schema}\" is not \"{COURSE_SCHEMA}\" (written by a newer or different program); the file was not changed"
            ));
        }
    }
    let doc: CourseDocument = options
        .from_str(text)
        .map_err(|e| format!("{}:{}: {}", e.span.start.line, e.span.start.col, e.code))?;
    Ok(doc)
}

/// Write a course document as RON (the app and the CLI read it back with `parse_course`).
pub fn course_to_ron(doc: &CourseDocument) -> Result<String, String> {
    let config = ron::ser::PrettyConfig::new()
        .depth_limit(12)
        .struct_names(false)
        .enumerate_arrays(false);
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .to_string_pretty(doc, config)
        .map(|body| format!("#![enable(implicit_some)]\n{body}\n"))
        .map_err(|e| e.to_string())
}

/// The checks a course file's numbers need beyond their types: what was given is a finite
/// number, 0 or more, and every LFT value is in range. Errors name the field
/// (`sessions[2].lft[0].alt`, indexes as in the file).
pub fn validate_course_values(
    protocol: &crate::domain::protocol::Protocol,
    doc: &CourseDocument,
) -> Vec<String> {
    let mut errors = Vec::new();
    for (i, session) in doc.sessions.iter().enumerate() {
        if let Some(g) = &session.given {
            for (field, v) in [
                ("total_mg", g.total_mg),
                ("infusion_hours", g.infusion_hours),
            ] {
                if !(v.is_finite() && v >= 0.0) {
                    errors.push(format!(
                        "sessions[{i}].given.{field}: must be a number, 0 or more, not {v}"
                    ));
                }
            }
        }
    }
    errors.extend(super::lft::validate_lft(protocol, doc));
    errors
}
