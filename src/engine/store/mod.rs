//! The shared store: a board's zones and parcels in PostgreSQL with PostGIS, for several
//! planners at once and for the ministry's view of every board.
//!
//! A database holds any number of boards, each in its own schema (`za_<board>`, see
//! [`schema`]). A layer is kept as rows, one per feature, holding the feature's GeoJSON text
//! exactly as the file had it (so that a round trip gives back the same members, values and
//! number spellings), its geometry in WGS84 for PostGIS, a row version and who changed it when;
//! the file's text around its features is kept beside them. Reading a board ([`board::load`])
//! puts that text back together and reads it as a file is read: figures are the engine's,
//! never the database's.
//!
//! Edits are the engine's operations ([`super::edit`], [`super::script`]), applied under the
//! board's lock in one transaction ([`apply`]): a step made against a value (`from`) or a row
//! version that someone else has changed since is refused, and then nothing is applied. Every
//! change is written to the board's history with its inverse, who made it and when
//! ([`history`]).
//!
//! Everything here is blocking I/O: the app calls it from its background threads only.

pub mod apply;
pub mod board;
pub mod history;
pub mod schema;
pub mod target;

pub use board::{Loaded, Rows};
pub use target::Target;

/// What went wrong with the store (put into words by the catalogue).
#[derive(Clone, Debug, PartialEq)]
pub enum StoreProblem {
    /// The text is not a `postgres://user@host:port/db` URL (`detail`: what is wrong).
    BadUrl { url: String, detail: String },
    /// The URL holds a password: it belongs in `PGPASSWORD` or `~/.pgpass`, where ZoneAtlas
    /// never writes it (URLs are kept in the recent files).
    PasswordInUrl,
    /// A board's name makes no identifier (no letter or digit in it, or too long).
    BadBoardName { name: String },
    /// The server could not be reached or refused the connection (what the client said).
    Connect { target: String, detail: String },
    /// The server refused the login itself (a wrong password, a role or a database that does
    /// not exist: SQLSTATE classes 28 and 3D): trying again would be refused again, until the
    /// login is put right (`detail`: what the server said).
    LoginRefused { target: String, detail: String },
    /// The server asks for a password and none is set (`PGPASSWORD`, the password file):
    /// the client gives up before the server says anything, and trying again would too.
    NoPassword { target: String },
    /// The database has no ZoneAtlas schema: `zoneatlas db init` first.
    NotInitialised { target: String },
    /// No board of this name in the database (`boards`: those there are).
    NoSuchBoard { board: String, boards: Vec<String> },
    /// The database holds several boards: `--board` must say which.
    WhichBoard { boards: Vec<String> },
    /// A row is no longer at the version it was read at: someone changed it meanwhile.
    RowChanged { layer: &'static str, fid: i64 },
    /// The board already holds data: an import goes into an empty board.
    NotEmpty { board: String },
    /// The server refused a statement (permission, a lost connection…): what it said.
    Server { detail: String },
    /// The text kept for a layer does not read back as GeoJSON (changed by hand in the
    /// database?).
    Corrupt {
        board: String,
        layer: &'static str,
        detail: String,
    },
}

impl StoreProblem {
    /// The login cannot succeed until someone puts it right (a refused login, no password):
    /// not worth trying again.
    pub fn is_login_refused(&self) -> bool {
        matches!(
            self,
            StoreProblem::LoginRefused { .. } | StoreProblem::NoPassword { .. }
        )
    }
}

impl From<postgres::Error> for StoreProblem {
    fn from(e: postgres::Error) -> StoreProblem {
        StoreProblem::Server {
            detail: server_words(&e),
        }
    }
}

/// What the server or the client said, as they said it (the server's message and detail).
pub fn server_words(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_string(),
        },
        None => {
            // The client's own words, then what lay under them ("connection refused").
            let mut words = e.to_string();
            let mut cause = std::error::Error::source(e);
            while let Some(c) = cause {
                words.push_str(": ");
                words.push_str(&c.to_string());
                cause = c.source();
            }
            words
        }
    }
}

/// Whether a command-line argument names a database rather than a file.
pub fn is_url(s: &str) -> bool {
    s.starts_with("postgres://") || s.starts_with("postgresql://")
}
