//! Thin binary: no arguments opens the desktop app, a subcommand runs the command line.
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    if args.is_empty() {
        return match ketaplan::ui::run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("ketaplan: could not open the window: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let code = ketaplan::cli::run(&args, &mut std::io::stdout(), &mut std::io::stderr());
    ExitCode::from(code)
}
