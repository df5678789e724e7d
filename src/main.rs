//! The `zoneatlas` binary: the command line, or the desktop app when no command is given.
#![deny(unsafe_code)]
use clap::Parser;
use zoneatlas::cli::{Cli, run};
use zoneatlas::engine::store::is_url;

fn main() {
    let started = std::time::Instant::now();
    let cli = Cli::parse();
    let code = match cli.command {
        Some(command) => run(command, &mut std::io::stdout(), &mut std::io::stderr()),
        None if cli
            .zones
            .as_deref()
            .and_then(|z| z.to_str())
            .is_some_and(is_url)
            && cli.parcels.is_some() =>
        {
            let lang = zoneatlas::i18n::system_lang();
            eprintln!(
                "zoneatlas: {}",
                zoneatlas::i18n::tr(lang, zoneatlas::i18n::Key::DatabaseTakesNoFiles)
            );
            2
        }
        None => {
            match zoneatlas::app::run(
                cli.zones,
                cli.parcels,
                cli.board,
                cli.basemap,
                cli.reference,
                started,
            ) {
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
