//! The `zoneatlas` binary: the command line, or the desktop app when no command is given.
use clap::Parser;
use zoneatlas::cli::{Cli, run};

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Some(command) => run(command, &mut std::io::stdout(), &mut std::io::stderr()),
        None => {
            // The desktop app lands in the next commit.
            eprintln!("zoneatlas: the desktop app is not built yet; see `zoneatlas --help`");
            2
        }
    };
    std::process::exit(code);
}
