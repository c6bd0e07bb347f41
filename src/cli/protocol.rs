//! `ketaplan protocol check FILE.ron [--defaults]`: validate a protocol pack and print its
//! identity (and its institution defaults) as JSON.

use super::{Args, EXIT_OK, EXIT_REJECTED, USAGE, load_protocol};
use serde_json::json;
use std::io::Write;
use std::path::Path;

pub(super) fn protocol_command(args: &Args, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    let (Some(sub), Some(file)) = (
        args.positional.first().and_then(|s| s.to_str()),
        args.positional.get(1),
    ) else {
        let _ = writeln!(stderr, "ketaplan: protocol check needs a FILE.ron\n{USAGE}");
        return EXIT_REJECTED;
    };
    if sub != "check" || args.positional.len() != 2 {
        let _ = writeln!(stderr, "ketaplan: unknown protocol command\n{USAGE}");
        return EXIT_REJECTED;
    }
    match load_protocol(Some(Path::new(file))) {
        Ok(protocol) => {
            let mut doc = json!({
                "id": protocol.pack.id,
                "version": protocol.pack.version,
                "sha256": protocol.sha256,
            });
            if args.defaults {
                let defaults: Vec<_> = protocol
                    .institution_defaults()
                    .into_iter()
                    .map(|(field, value)| json!({"field": field, "value": value}))
                    .collect();
                doc["institution_defaults"] = json!(defaults);
            }
            let _ = writeln!(stdout, "{doc}");
            EXIT_OK
        }
        Err(e) => {
            let _ = writeln!(stderr, "ketaplan: {e}");
            EXIT_REJECTED
        }
    }
}
