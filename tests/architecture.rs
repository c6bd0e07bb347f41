//! The floor plan holds: each layer imports only the layers below it, only `store` touches
//! the file system, every module opens with what it is for, and no file grows past 400 lines.

use std::path::{Path, PathBuf};

const MAX_LINES: usize = 400;

fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&root)
                .map(|r| r.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            (rel, text)
        })
        .collect()
}

/// The code of a file without its `#[cfg(test)]` tail (tests may use a temporary folder).
fn code_without_tests(text: &str) -> &str {
    text.find("#[cfg(test)]").map_or(text, |i| &text[..i])
}

#[test]
fn each_layer_imports_only_the_layers_below_it() {
    let forbidden: &[(&str, &[&str])] = &[
        (
            "domain/",
            &["crate::order", "crate::store", "crate::ui", "crate::cli"],
        ),
        ("order/", &["crate::store", "crate::ui", "crate::cli"]),
        ("store/", &["crate::ui", "crate::cli"]),
        ("ui/", &["crate::cli"]),
        ("cli", &["crate::ui"]),
    ];
    let mut wrong = Vec::new();
    for (file, text) in sources() {
        for (layer, banned) in forbidden {
            if file.starts_with(layer) {
                for b in *banned {
                    if text.contains(b) {
                        wrong.push(format!("{file} uses {b}"));
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "upward imports:\n{}", wrong.join("\n"));
}

#[test]
fn only_the_store_touches_the_file_system() {
    // Checking whether a typed path exists, as a file dialog does, is not reading a file.
    let mut wrong = Vec::new();
    for (file, text) in sources() {
        if file.starts_with("store/") || file == "main.rs" {
            continue;
        }
        let code = code_without_tests(&text);
        for pattern in [
            "std::fs",
            "File::",
            "OpenOptions",
            "read_dir(",
            "Command::new",
        ] {
            if code.contains(pattern) {
                wrong.push(format!("{file} uses {pattern}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "I/O outside store/:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_file_grows_past_the_limit_and_each_says_what_it_is_for() {
    let mut wrong = Vec::new();
    for (file, text) in sources() {
        let lines = text.lines().count();
        if lines > MAX_LINES {
            wrong.push(format!("{file}: {lines} lines > {MAX_LINES}"));
        }
        if !text.trim_start().starts_with("//!") {
            wrong.push(format!("{file}: no opening //! comment"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
