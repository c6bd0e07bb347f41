//! Thin binary: no arguments (or one case or course file) opens the desktop app, a
//! subcommand runs the command line.
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    // No arguments, or one file to open (what a double-click passes): the desktop app.
    let file = ketaplan::cli::file_to_open(&args);
    if args.is_empty() || file.is_some() {
        return match ketaplan::ui::run_opening(file) {
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
