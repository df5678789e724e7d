//! The `zoneatlas` binary: the command line, or the desktop app when no command is given.
#![deny(unsafe_code)]
use clap::Parser;
use zoneatlas::cli::{Cli, run};

fn main() {
    let started = std::time::Instant::now();
    let cli = Cli::parse();
    let code = match cli.command {
        Some(command) => run(command, &mut std::io::stdout(), &mut std::io::stderr()),
        None => {
            match zoneatlas::app::run(cli.zones, cli.parcels, cli.basemap, cli.reference, started) {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("zoneatlas: cannot open the window: {e}");
                    1
                }
            }
        }
    };
    std::process::exit(code);
}
