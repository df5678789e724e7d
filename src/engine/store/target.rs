//! Which server and database: a libpq-style URL (`postgres://user@host:port/db`), read by the
//! client library's own parser. The password is never part of it: it comes from `PGPASSWORD`
//! or the password file (`PGPASSFILE`, else `~/.pgpass`), as for `psql`, and ZoneAtlas writes
//! it nowhere. A server that is not on this machine is reached over TLS only, its certificate
//! checked against the web's roots and `PGSSLROOTCERT` when set.

use postgres::config::{Host, SslMode};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::StoreProblem;

/// A database to connect to.
#[derive(Clone, Debug)]
pub struct Target {
    config: postgres::Config,
    /// The URL as given, for messages and the recent files (it holds no password).
    pub url: String,
}

/// How long a connection attempt may take before the server counts as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

impl Target {
    /// Reads a `postgres://` URL. One host; a password in it is refused (see
    /// [`StoreProblem::PasswordInUrl`]).
    pub fn parse(url: &str) -> Result<Target, StoreProblem> {
        let bad = |detail: String| StoreProblem::BadUrl {
            url: redacted(url),
            detail,
        };
        if !super::is_url(url) {
            return Err(bad("it does not start with postgres://".into()));
        }
        let mut config: postgres::Config = url.parse().map_err(|e| bad(format!("{e}")))?;
        if config.get_password().is_some() {
            return Err(StoreProblem::PasswordInUrl);
        }
        if config.get_hosts().len() != 1 {
            return Err(bad("it must name one host".into()));
        }
        if config.get_user().is_none() {
            let user = std::env::var("PGUSER")
                .ok()
                .filter(|u| !u.is_empty())
                .or_else(|| std::env::var("USER").ok())
                .unwrap_or_else(|| "postgres".to_string());
            config.user(&user);
        }
        config
            .application_name("zoneatlas")
            .connect_timeout(CONNECT_TIMEOUT);
        Ok(Target {
            config,
            url: url.to_string(),
        })
    }

    /// The host as written (a socket directory for a Unix socket).
    pub fn host(&self) -> String {
        match self.config.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            Some(Host::Unix(p)) => p.display().to_string(),
            None => String::new(),
        }
    }

    pub fn port(&self) -> u16 {
        self.config.get_ports().first().copied().unwrap_or(5432)
    }

    pub fn user(&self) -> &str {
        self.config.get_user().unwrap_or("")
    }

    pub fn dbname(&self) -> &str {
        self.config.get_dbname().unwrap_or_else(|| self.user())
    }

    /// Whether the server is on this machine (a loopback address or a Unix socket): only
    /// then is the connection made without TLS.
    pub fn is_loopback(&self) -> bool {
        match self.config.get_hosts().first() {
            Some(Host::Unix(_)) => true,
            Some(Host::Tcp(h)) => {
                h == "localhost"
                    || h.trim_matches(|c| c == '[' || c == ']')
                        .parse::<IpAddr>()
                        .is_ok_and(|ip| ip.is_loopback())
            }
            None => false,
        }
    }

    /// Connects: the password from the environment or the password file, TLS unless the
    /// server is on this machine.
    pub fn connect(&self) -> Result<postgres::Client, StoreProblem> {
        let mut config = self.config.clone();
        let password = self.password();
        let no_password = password.is_none();
        if let Some(password) = password {
            config.password(password);
        }
        let failed = |e: postgres::Error| {
            let (target, detail) = (self.url.clone(), super::server_words(&e));
            if refused_for_good(&e) {
                StoreProblem::LoginRefused { target, detail }
            } else if no_password && password_missing(&e) {
                StoreProblem::NoPassword { target }
            } else {
                StoreProblem::Connect { target, detail }
            }
        };
        if self.is_loopback() {
            config.ssl_mode(SslMode::Disable);
            config.connect(postgres::NoTls).map_err(failed)
        } else {
            config.ssl_mode(SslMode::Require);
            let tls = tls_config().map_err(|detail| StoreProblem::Connect {
                target: self.url.clone(),
                detail,
            })?;
            config
                .connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls))
                .map_err(failed)
        }
    }

    /// `PGPASSWORD`, else the first matching line of the password file.
    fn password(&self) -> Option<String> {
        if let Ok(p) = std::env::var("PGPASSWORD") {
            return Some(p);
        }
        let file = std::env::var_os("PGPASSFILE")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".pgpass")))?;
        let text = std::fs::read_to_string(file).ok()?;
        // As libpq: a socket connection matches the host `localhost`.
        let host = match self.config.get_hosts().first() {
            Some(Host::Unix(_)) => "localhost".to_string(),
            _ => self.host(),
        };
        pgpass_lookup(
            &text,
            &host,
            &self.port().to_string(),
            self.dbname(),
            self.user(),
        )
    }
}

/// Whether the server refused the login itself: SQLSTATE class 28 (invalid authorization: a
/// wrong password, a role that does not exist or may not log in, no `pg_hba.conf` line) or 3D
/// (the database does not exist). A server starting up (57P03), one with too many connections
/// (53300) or one that cannot be reached may take the next attempt.
fn refused_for_good(e: &postgres::Error) -> bool {
    e.as_db_error().is_some_and(|db| {
        let code = db.code().code();
        code.starts_with("28") || code.starts_with("3D")
    })
}

/// Whether the server asked for a password that the client did not have. The client gives
/// up on its own, without SQLSTATE, and says so only in words: its kind of error is not
/// public (the store's tests hold it to these words).
fn password_missing(e: &postgres::Error) -> bool {
    e.as_db_error().is_none() && super::server_words(e).contains("password missing")
}

/// The URL with any password in it masked, for messages.
fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((user, host)) if user.contains(':') => {
            let name = user.split(':').next().unwrap_or("");
            format!("{scheme}://{name}:***@{host}")
        }
        _ => url.to_string(),
    }
}

/// The password of the first line of a password file (`host:port:db:user:password`, `*`
/// matching anything, `\:` and `\\` escaped) that matches.
pub fn pgpass_lookup(text: &str, host: &str, port: &str, db: &str, user: &str) -> Option<String> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .find_map(|line| {
            let fields = pgpass_fields(line);
            let [h, p, d, u, password] = fields.as_slice() else {
                return None;
            };
            let matches = |field: &str, value: &str| field == "*" || field == value;
            (matches(h, host) && matches(p, port) && matches(d, db) && matches(u, user))
                .then(|| password.clone())
        })
}

fn pgpass_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next()
                    && let Some(last) = fields.last_mut()
                {
                    last.push(next);
                }
            }
            // The password is the rest of the line, colons and all.
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => {
                if let Some(last) = fields.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    fields
}

/// TLS with ring: the web's roots, and the certificates of `PGSSLROOTCERT` (a board's own
/// authority) when set.
fn tls_config() -> Result<rustls::ClientConfig, String> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(file) = std::env::var_os("PGSSLROOTCERT") {
        let certs = CertificateDer::pem_file_iter(&file)
            .map_err(|e| format!("{}: {e}", Path::new(&file).display()))?;
        for cert in certs {
            let cert = cert.map_err(|e| format!("{}: {e}", Path::new(&file).display()))?;
            roots.add(cert).map_err(|e| e.to_string())?;
        }
    }
    // ring, the provider already in the tree through ureq: aws-lc-rs (post-quantum key
    // exchange) would build a C library with cmake on every cold CI run.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_gives_its_parts_and_loopback_is_told_apart() {
        let t = Target::parse("postgres://planner@127.0.0.1:5433/zones").unwrap();
        assert_eq!(
            (t.host().as_str(), t.port(), t.user(), t.dbname()),
            ("127.0.0.1", 5433, "planner", "zones")
        );
        assert!(t.is_loopback());
        // Parsed, never contacted: reserved names and addresses (RFC 2606, RFC 5737).
        for (url, loopback) in [
            ("postgres://a@localhost/db", true),
            ("postgresql://a@[::1]:5432/db", true),
            ("postgres://a@db.example/kcn", false),
            ("postgres://a@192.0.2.10/kcn", false),
        ] {
            assert_eq!(Target::parse(url).unwrap().is_loopback(), loopback, "{url}");
        }
    }

    #[test]
    fn a_password_in_the_url_and_other_texts_are_refused() {
        assert_eq!(
            Target::parse("postgres://a:secret@localhost/db").unwrap_err(),
            StoreProblem::PasswordInUrl
        );
        assert!(matches!(
            Target::parse("zones.geojson"),
            Err(StoreProblem::BadUrl { .. })
        ));
        // A URL that does not parse is quoted without its password.
        match Target::parse("postgres://a:secret@host:notaport/db") {
            Err(StoreProblem::BadUrl { url, .. }) => {
                assert_eq!(url, "postgres://a:***@host:notaport/db")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_password_file_matches_as_libpq_does() {
        let file = "# board server\n\
                    db.example:5432:kcn:planner:first\n\
                    *:*:*:planner:any\\:colon:and more\n\
                    localhost:5433:*:*:local\n";
        let look = |h, p, d, u| pgpass_lookup(file, h, p, d, u);
        assert_eq!(
            look("db.example", "5432", "kcn", "planner").as_deref(),
            Some("first")
        );
        assert_eq!(
            look("other", "1", "x", "planner").as_deref(),
            Some("any:colon:and more")
        );
        assert_eq!(
            look("localhost", "5433", "x", "staff").as_deref(),
            Some("local")
        );
        assert_eq!(look("localhost", "5432", "x", "staff"), None);
    }
}
