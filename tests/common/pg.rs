//! A throwaway PostgreSQL with PostGIS for the store's tests: `initdb` into a temporary
//! folder, `pg_ctl` on 127.0.0.1 at a free port (and a socket in that folder), trust
//! authentication, `fsync` off; stopped and removed when dropped. Run as the `postgres` user
//! when the tests run as root (the server refuses root).
//!
//! Without the server binaries or PostGIS, [`Server::start`] says so on stderr and gives
//! `None`, and the tests skip, unless `ZONEATLAS_REQUIRE_DB` is set (CI sets it: there the
//! packages are installed, and a database test that skipped would hide a failure).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct Server {
    /// Holds the data folder; removed after the server stops.
    dir: tempfile::TempDir,
    bin: PathBuf,
    pub port: u16,
    as_postgres: bool,
    running: bool,
}

/// The newest installed server's binaries (`/usr/lib/postgresql/N/bin`), else those on the
/// PATH.
fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find(|p| p.join("initdb").exists() && p.join("pg_ctl").exists())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// Skips (or, in CI, fails) a database test.
fn unavailable(why: &str) -> Option<Server> {
    assert!(
        std::env::var_os("ZONEATLAS_REQUIRE_DB").is_none(),
        "ZONEATLAS_REQUIRE_DB is set, but the database tests cannot run: {why}"
    );
    eprintln!("skipping the database test: {why}");
    None
}

impl Server {
    /// Starts a new server; `None` (after saying why) when this machine cannot.
    pub fn start() -> Option<Server> {
        let Some(bin) = bin_dir() else {
            return unavailable(
                "no PostgreSQL server binaries (initdb, pg_ctl); install the postgresql and postgresql-15-postgis-3 packages",
            );
        };
        let share = Command::new(bin.join("pg_config"))
            .arg("--sharedir")
            .output()
            .ok()
            .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
        let postgis = share
            .as_deref()
            .map(|s| s.join("extension/postgis.control"))
            .or_else(|| {
                // pg_config may be missing: the Debian layout.
                let v = bin.parent()?.file_name()?.to_str()?.to_string();
                Some(PathBuf::from(format!(
                    "/usr/share/postgresql/{v}/extension/postgis.control"
                )))
            });
        if !postgis.as_deref().is_some_and(Path::exists) {
            return unavailable(
                "PostGIS is not installed for this server (postgresql-15-postgis-3)",
            );
        }
        let as_postgres = is_root();
        let dir = tempfile::Builder::new()
            .prefix("zoneatlas-pg-")
            .tempdir()
            .expect("a temporary folder");
        // The server's own folder: its data, log and socket.
        let run = dir.path().join("run");
        std::fs::create_dir(&run).expect("the server's folder");
        let data = run.join("data");
        if as_postgres {
            // The server's user must reach its folder and own its data.
            let ok = Command::new("chmod")
                .arg("755")
                .arg(dir.path())
                .status()
                .is_ok_and(|s| s.success())
                && Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(&run)
                    .status()
                    .is_ok_and(|s| s.success());
            if !ok {
                return unavailable("cannot give the data folder to the postgres user");
            }
        }
        let mut server = Server {
            dir,
            bin,
            port: 0,
            as_postgres,
            running: false,
        };
        let init = server
            .command("initdb")
            .args([
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "-D",
            ])
            .arg(&data)
            .output()
            .expect("initdb runs");
        assert!(
            init.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&init.stderr)
        );
        // A free port can be taken by someone else before the server binds it: try again.
        for _ in 0..5 {
            server.port = free_port();
            let options = format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                server.port,
                run.display()
            );
            let started = server
                .command("pg_ctl")
                .args(["-w", "-t", "30", "-D"])
                .arg(&data)
                .args(["-l"])
                .arg(run.join("log"))
                .args(["-o", &options, "start"])
                .stdout(Stdio::null())
                .status()
                .expect("pg_ctl runs");
            if started.success() {
                server.running = true;
                return Some(server);
            }
        }
        let log = std::fs::read_to_string(run.join("log")).unwrap_or_default();
        panic!("the test server did not start:\n{log}");
    }

    /// The server's folder (data, log, socket).
    fn run(&self) -> PathBuf {
        self.dir.path().join("run")
    }

    /// A program of the server's, run as its user.
    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    /// The URL of database `db` as `user`.
    pub fn url(&self, user: &str, db: &str) -> String {
        format!("postgres://{user}@127.0.0.1:{}/{db}", self.port)
    }

    /// A new database, empty, and its URL for the superuser.
    pub fn database(&self, name: &str) -> String {
        let mut c = self.superuser("postgres");
        c.batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .expect("a new database");
        self.url("postgres", name)
    }

    /// A connection as the superuser.
    pub fn superuser(&self, db: &str) -> postgres::Client {
        postgres::Client::connect(
            &format!(
                "host=127.0.0.1 port={} user=postgres dbname={db}",
                self.port
            ),
            postgres::NoTls,
        )
        .expect("the test server accepts the superuser")
    }

    /// From now on `user` logs in over TCP with a password (SCRAM), as on a board's server;
    /// everyone else is still trusted.
    pub fn require_password(&self, user: &str) {
        let hba = self.run().join("data/pg_hba.conf");
        let old = std::fs::read_to_string(&hba).expect("pg_hba.conf");
        // The first line that matches decides: this one goes before initdb's trust lines.
        let line = format!("host all {user} 127.0.0.1/32 scram-sha-256\n");
        std::fs::write(&hba, format!("{line}{old}")).expect("pg_hba.conf written");
        self.superuser("postgres")
            .batch_execute("SELECT pg_reload_conf()")
            .expect("reload");
    }

    /// What the server has logged so far (its refusals among them).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.run().join("log")).unwrap_or_default()
    }

    /// Stops the server at once (as a crash or a pulled cable would): clients lose their
    /// connections.
    pub fn kill(&mut self) {
        if self.running {
            let _ = self
                .command("pg_ctl")
                .args(["-D"])
                .arg(self.run().join("data"))
                .args(["-m", "immediate", "stop"])
                .stdout(Stdio::null())
                .status();
            self.running = false;
        }
    }

    /// Starts it again after [`Server::kill`], on the same port.
    pub fn restart(&mut self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.run().display()
        );
        let ok = self
            .command("pg_ctl")
            .args(["-w", "-t", "30", "-D"])
            .arg(self.run().join("data"))
            .args(["-l"])
            .arg(self.run().join("log"))
            .args(["-o", &options, "start"])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "the test server did not start again");
        self.running = true;
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Whether this process has no password to give (no `PGPASSWORD`, no password file), as the
/// tests of a login without one need (they skip otherwise).
pub fn no_password_at_hand() -> bool {
    let file = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".pgpass")));
    std::env::var_os("PGPASSWORD").is_none() && !file.is_some_and(|f| f.exists())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}
