//! The servers under test: Rostrum, the ceiling and Node `ws`, each started on its own core where
//! there are two, and measured from the outside through `/proc`.

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{bail, Context};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

/// Which server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Rostrum,
    Ceiling,
    Node,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Rostrum => "Rostrum",
            Kind::Ceiling => "ceiling",
            Kind::Node => "Node ws",
        }
    }
}

/// The token secret every Rostrum under test is given, so that the harness can sign tokens.
pub const SECRET: &str = "rostrum-bench-secret-of-at-least-32-bytes";

/// Where the programs are.
#[derive(Debug, Clone)]
pub struct Programs {
    pub rostrum: PathBuf,
    pub ceiling: PathBuf,
    /// `tests/bench/node-ws`, when node and its `node_modules` are there.
    pub node: Option<PathBuf>,
    /// The core the servers run on, when there are two or more.
    pub core: Option<usize>,
}

/// A running server process.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    _dir: Option<tempfile::TempDir>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `kind` on a free port (Rostrum on a fresh data directory, or on `data`).
    pub fn start(kind: Kind, programs: &Programs, data: Option<PathBuf>) -> anyhow::Result<Server> {
        Self::start_on(kind, programs, data, None)
    }

    /// [`Server::start`], with Rostrum keeping its records in the PostgreSQL database `store`
    /// names instead of the data directory's SQLite file.
    pub fn start_on(
        kind: Kind,
        programs: &Programs,
        data: Option<PathBuf>,
        store: Option<&str>,
    ) -> anyhow::Result<Server> {
        let mut command = match programs.core {
            Some(core) => {
                let mut c = Command::new("taskset");
                c.args(["-c", &core.to_string()]);
                c
            }
            None => Command::new("env"),
        };
        let mut dir = None;
        match kind {
            Kind::Rostrum => {
                let path = match data {
                    Some(path) => path,
                    None => {
                        let temp = tempfile::Builder::new().prefix("rostrum-bench-").tempdir()?;
                        let path = temp.path().to_path_buf();
                        dir = Some(temp);
                        path
                    }
                };
                let log = std::fs::File::create(path.join("server.log"))?;
                command
                    .arg(&programs.rostrum)
                    .args(["serve", "--addr", "127.0.0.1:0", "--data"])
                    .arg(&path)
                    // Every client here comes from a handful of loopback addresses: the caps that
                    // keep one address from crowding out a venue are lifted, as for the references.
                    .args([
                        "--max-connections-per-address",
                        "1000000",
                        "--address-messages-per-sec",
                        "10000000",
                        "--no-rate-limits",
                    ])
                    .args(store.map(|url| format!("--store={url}")))
                    .env("ROSTRUM_SECRET", SECRET)
                    // The server's default logging, unless BENCH_RUST_LOG says otherwise.
                    .env(
                        "RUST_LOG",
                        std::env::var("BENCH_RUST_LOG").unwrap_or_else(|_| "info,hyper=warn,warp=warn".into()),
                    )
                    .stderr(log);
            }
            Kind::Ceiling => {
                command.arg(&programs.ceiling).arg("127.0.0.1:0").stderr(Stdio::null());
            }
            Kind::Node => {
                let dir = programs.node.as_ref().context("node is not available")?;
                command.arg("node").arg(dir.join("server.js")).arg("127.0.0.1:0").stderr(Stdio::null());
            }
        }
        let mut child = command.stdout(Stdio::piped()).spawn().with_context(|| format!("start {}", kind.name()))?;
        let stdout = child.stdout.take().context("stdout")?;
        let mut lines = std::io::BufReader::new(stdout).lines();
        let line = lines.next().context("the server printed nothing")??;
        let addr = line.rsplit("://").next().context("no address")?.trim().parse().context("address")?;
        // Keep draining stdout so that the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Ok(Server { child, addr, _dir: dir })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// CPU time (user + system) the process has used so far.
    pub fn cpu(&self) -> Duration {
        cpu_of(self.pid())
    }

    /// Resident memory, in KiB.
    pub fn rss_kib(&self) -> u64 {
        rss_of(self.pid())
    }
}

/// User + system CPU time of a process, from `/proc/PID/stat`.
pub fn cpu_of(pid: u32) -> Duration {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { return Duration::ZERO };
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> =
        stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let ticks: u64 = [11, 12].iter().filter_map(|&i| fields.get(i)?.parse::<u64>().ok()).sum();
    Duration::from_nanos(ticks * 1_000_000_000 / clock_ticks())
}

fn clock_ticks() -> u64 {
    static TICKS: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok()?.trim().parse().ok())
            .unwrap_or(100)
    })
}

/// `VmRSS` of a process, from `/proc/PID/status`, in KiB.
pub fn rss_of(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// A token signed with [`SECRET`], as the server's own `rostrum token` would make it.
pub fn token(sub: &str, name: &str, role: &str, delegation: Option<&str>, scope: Value) -> String {
    let now = crate::unix_millis() / 1000;
    let mut claims = json!({
        "iss": "rostrum", "aud": "rostrum.v1", "sub": sub, "iat": now, "exp": now + 86_400,
        "jti": format!("bench-{sub}"), "name": name, "role": role, "scope": scope,
    });
    if let Some(delegation) = delegation {
        claims["delegation"] = json!(delegation);
    }
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(SECRET.as_bytes()))
        .expect("HS256 signing")
}

pub fn secretariat() -> String {
    token("bench-secretariat", "Bench secretariat", "secretariat", None, json!({}))
}

/// Creates an open meeting with `segments` lists (everyone may inscribe), the first one active.
pub async fn create_meeting(addr: SocketAddr, id: &str, segments: usize) -> anyhow::Result<()> {
    let sec = secretariat();
    let post = |path: String, body: Value| {
        let sec = sec.clone();
        async move {
            let (status, answer) =
                rostrum_tests::http(addr, "POST", &path, Some(&sec), Some(&body.to_string()), "application/json").await;
            if status != 201 {
                bail!("POST {path}: {status} {answer}");
            }
            Ok(())
        }
    };
    post(
        "/api/meetings".into(),
        json!({"id": id, "title": format!("Bench {id}"), "process": "bench", "access": "open"}),
    )
    .await?;
    for i in 0..segments {
        let spec = json!({"title": format!("List {}", i + 1), "inscription": "all", "time_limit_secs": 180});
        post(format!("/api/meetings/{id}/segments"), spec).await?;
    }
    post(format!("/api/meetings/{id}/commands"), json!({"type": "activate_segment", "segment": 1})).await
}

/// Waits until `GET /healthz` answers 200.
pub async fn healthy(addr: SocketAddr) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await else { return false };
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).await.is_err() {
        return false;
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    answer.starts_with(b"HTTP/1.1 200")
}
