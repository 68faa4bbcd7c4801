//! Test harness: starts Rostrum on port 0 with its own data directory — in the test's own process
//! ([`Server::in_process`], over `rostrum::start`, as zero2prod's `spawn_app`), or as the real
//! `rostrum` binary where a test kills the process — and talks to it the way clients do: WebSockets
//! and plain HTTP over real sockets.

pub mod attack;
pub mod browser;
pub mod linearizability;
pub mod report;
pub mod soak;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use shared::api::{CommandOutcome, IssuedToken, NewMeeting, TokenRequest};
use shared::protocol::{ClientMessage, Resume, ServerMessage, SnapshotReason, PROTOCOL};
use shared::{
    Command, CommandId, Error as Rejection, EventRecord, Meeting, MeetingId, MeetingInfo, Participant, ProcessId,
    SegmentId, Seq,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// The public forms without proof or limits, for a spawned server: tests post many forms.
const FORMS_OFF: &[(&str, &str)] = &[
    ("ROSTRUM_PROOF_BITS", "0"),
    ("ROSTRUM_APPLICATIONS_PER_ADDRESS", "0"),
    ("ROSTRUM_APPLICATIONS_PER_PROCESS", "0"),
    ("ROSTRUM_STATEMENTS_PER_ADDRESS", "0"),
    ("ROSTRUM_STATEMENTS_PER_PROCESS", "0"),
];

/// The PostgreSQL database a test server keeps its records in, when the whole suite runs on
/// PostgreSQL (`ROSTRUM_TEST_STORE=postgres`, with `ROSTRUM_TEST_POSTGRES` naming the server): one
/// new database per data directory, remembered in it so that a server restarted on the directory
/// finds its meetings again. `None`, the SQLite file in the directory, otherwise.
pub fn test_store(data: &Path) -> Option<String> {
    if std::env::var("ROSTRUM_TEST_STORE").ok().as_deref() != Some("postgres") {
        return None;
    }
    let remembered = data.join("test-store-url");
    if let Ok(url) = std::fs::read_to_string(&remembered) {
        return Some(url);
    }
    let url = scratch_database().1;
    std::fs::write(&remembered, &url).expect("remember the test database");
    Some(url)
}

/// A new database on the test PostgreSQL (`ROSTRUM_TEST_POSTGRES`; `make test` starts one): its
/// name and URL.
pub fn scratch_database() -> (String, String) {
    let admin = postgres_admin();
    // The PostgreSQL client blocks on a runtime of its own: off the test's async task.
    std::thread::spawn(move || rostrum::store::postgres::scratch::create(&admin))
        .join()
        .expect("create a database")
        .expect("the test PostgreSQL makes a database")
}

/// The URL of the test PostgreSQL.
pub fn postgres_admin() -> String {
    std::env::var("ROSTRUM_TEST_POSTGRES")
        .expect("ROSTRUM_TEST_POSTGRES is not set: `make test` starts PostgreSQL; by hand, tests/postgres.sh start")
}

/// How long a test waits for any one message before it fails.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// The `rostrum` binary built beside the test executables (`make test` builds it first), or the
/// one `ROSTRUM_BIN` names: worktrees that share a target directory overwrite each other's
/// `target/debug/rostrum`, but not the hashed copy in `target/debug/deps`.
pub fn rostrum_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("ROSTRUM_BIN") {
        return PathBuf::from(bin);
    }
    let exe = std::env::current_exe().expect("test executable path");
    // Tests run from target/<profile>/deps, the soak runner from target/<profile>.
    let dir = exe.parent().expect("target/<profile>/...");
    let dir = if dir.join("rostrum").is_file() { dir } else { dir.parent().expect("target/<profile>") };
    let bin = dir.join("rostrum");
    assert!(bin.is_file(), "{} is missing: run `cargo build -p rostrum-server` first (make test does)", bin.display());
    bin
}

/// How a test server runs: the real binary in a child process, or in the test's own process.
enum Runner {
    Child(Child),
    InProcess { running: Option<rostrum::Running>, _lock: rostrum::DataDir },
}

/// A running server with its own data directory.
pub struct Server {
    child: Runner,
    pub addr: SocketAddr,
    pub data: PathBuf,
    _tempdir: Option<tempfile::TempDir>,
    log: PathBuf,
}

impl Server {
    /// Starts the binary on a fresh data directory: for tests that kill it, restart it or read its
    /// log. Other tests use [`Server::in_process`].
    pub async fn start() -> Server {
        let tempdir = tempfile::tempdir().expect("temp dir");
        let mut server = Server::start_in(tempdir.path()).await;
        server._tempdir = Some(tempdir);
        server
    }

    /// Starts the binary on a fresh data directory without request budgets
    /// (`--no-rate-limits`): for tests that drive the API as fast as it answers.
    pub async fn start_flat_out() -> Server {
        let tempdir = tempfile::tempdir().expect("temp dir");
        let mut server = Server::start_with(tempdir.path(), &["--no-rate-limits"]).await;
        server._tempdir = Some(tempdir);
        server
    }

    /// Starts a server on `data` (which may hold an earlier server's database).
    pub async fn start_in(data: &Path) -> Server {
        Server::start_with(data, &[]).await
    }

    /// Starts a server on `data` with extra command-line arguments.
    pub async fn start_with(data: &Path, args: &[&str]) -> Server {
        Server::start_at(data, "127.0.0.1:0", args).await
    }

    /// Starts a server on `data` listening on `addr` (say, the address of a server that was
    /// killed, to restart it where its clients reconnect), with extra command-line arguments.
    pub async fn start_at(data: &Path, addr: &str, args: &[&str]) -> Server {
        Server::start_env(data, addr, args, &[("RUST_LOG", "debug,hyper=info,warp=info")]).await
    }

    /// Starts a server on `data` listening on `addr`, with extra arguments and environment
    /// variables (say, `RUST_LOG=trace` to see everything it could ever log). The public forms ask
    /// for no proof and have no limits unless the arguments say otherwise (`--proof-bits 8`).
    pub async fn start_env(data: &Path, addr: &str, args: &[&str], env: &[(&str, &str)]) -> Server {
        let log = data.join(format!(
            "server-{}.log",
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
        ));
        let store = test_store(data).filter(|_| !args.contains(&"--store"));
        let mut child = Process::new(rostrum_bin())
            .args(["serve", "--addr", addr, "--data"])
            .arg(data)
            .args(store.iter().flat_map(|url| ["--store", url.as_str()]))
            .args(args)
            .envs(FORMS_OFF.iter().copied())
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("start rostrum");
        let stdout = child.stdout.take().expect("stdout");
        let addr = tokio::task::spawn_blocking(move || {
            use std::io::BufRead;
            let mut lines = std::io::BufReader::new(stdout).lines();
            let line = lines.next().expect("the server printed nothing").expect("stdout");
            let addr = line.rsplit("://").next().expect("listening line").trim().parse().expect("address");
            // Keep draining stdout so the server never blocks on a full pipe.
            std::thread::spawn(move || for _ in lines {});
            addr
        })
        .await
        .expect("read address");
        Server { child: Runner::Child(child), addr, data: data.to_path_buf(), _tempdir: None, log }
    }

    /// A server in the test's own process (`rostrum::start` on a fresh data directory and port 0):
    /// the same HTTP and WebSocket code as the binary, started in milliseconds. Tokens are minted
    /// with the CLI on the same data directory, as with a spawned server. Tests that kill the
    /// process use [`Server::start`]. The public forms ask for no proof and have no limits here;
    /// [`Server::in_process_with`] sets them.
    pub async fn in_process() -> Server {
        Server::in_process_configured(Default::default(), rostrum::api::forms::FormLimits::off()).await
    }

    /// [`Server::in_process`] without request budgets: for tests that send hundreds of requests
    /// from one address to check something else (the authorization matrix, say).
    pub async fn in_process_flat_out() -> Server {
        let limits = rostrum::limits::Limits { rates: rostrum::limits::RateBudgets::unlimited(), ..Default::default() };
        Server::in_process_configured(limits, rostrum::api::forms::FormLimits::off()).await
    }

    /// [`Server::in_process`] with the public forms' proof of work and limits as given.
    pub async fn in_process_with(forms: rostrum::api::forms::FormLimits) -> Server {
        Server::in_process_configured(Default::default(), forms).await
    }

    /// [`Server::in_process`] with these limits and these public forms' limits.
    pub async fn in_process_configured(
        limits: rostrum::limits::Limits,
        forms: rostrum::api::forms::FormLimits,
    ) -> Server {
        let tempdir = tempfile::tempdir().expect("temp dir");
        let data = tempdir.path().to_path_buf();
        let lock = rostrum::DataDir::lock(data.clone()).expect("the data directory's lock");
        let config = rostrum::Config {
            data_dir: data.clone(),
            addr: "127.0.0.1:0".parse().expect("address"),
            store: test_store(&data),
            web_dir: None,
            public_url: None,
            allowed_origins: Vec::new(),
            frame_ancestors: Vec::new(),
            limits,
            quotas: Default::default(),
            forms,
            webhooks: Default::default(),
            tls: None,
        };
        let running = rostrum::start(config, &lock).await.expect("rostrum starts in process");
        let addr = running.addr;
        Server {
            child: Runner::InProcess { running: Some(running), _lock: lock },
            addr,
            log: data.join("in-process.log"),
            data,
            _tempdir: Some(tempdir),
        }
    }

    /// The server's log so far (stderr).
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Asks the process to stop with SIGTERM, as systemd or a container runtime does, and waits
    /// (off the runtime's threads) until it has exited.
    pub async fn terminate(&mut self) -> std::process::ExitStatus {
        let Runner::Child(child) = &mut self.child else { panic!("an in-process server has no process to stop") };
        let pid = child.id().to_string();
        let sent = Process::new("kill").args(["-TERM", &pid]).status().expect("kill -TERM");
        assert!(sent.success(), "kill -TERM {pid} failed");
        let started = std::time::Instant::now();
        loop {
            if let Some(status) = child.try_wait().expect("wait") {
                return status;
            }
            assert!(started.elapsed() < PATIENCE, "the server did not exit within {PATIENCE:?} of SIGTERM");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Kills the process with SIGKILL: no shutdown code runs.
    pub fn kill9(&mut self) {
        let Runner::Child(child) = &mut self.child else { panic!("an in-process server cannot be killed") };
        child.kill().expect("kill");
        child.wait().expect("wait");
    }

    /// The `rostrum` command, to run beside this server: on its PostgreSQL database too when the
    /// suite runs on one (`ROSTRUM_STORE`).
    pub fn cli(&self) -> Process {
        let mut cli = Process::new(rostrum_bin());
        if let Ok(url) = std::fs::read_to_string(self.data.join("test-store-url")) {
            cli.env("ROSTRUM_STORE", url);
        }
        cli
    }

    /// Mints a token with the CLI, as a secretariat officer would.
    pub fn token(&self, role: &str, id: &str, name: &str, affiliation: &[(&str, &str)], scope: (&str, &str)) -> String {
        let mut cmd = self.cli();
        cmd.args(["token", "--data"]).arg(&self.data).args(["--role", role, "--id", id, "--name", name]);
        for (flag, value) in affiliation {
            cmd.arg(format!("--{flag}")).arg(value);
        }
        cmd.arg(format!("--{}", scope.0)).arg(scope.1);
        let out = cmd.output().expect("rostrum token");
        assert!(out.status.success(), "rostrum token failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf8").trim().to_string()
    }

    /// A secretariat token (all meetings), valid for a year so that it may mint long-lived links.
    pub fn secretariat(&self) -> String {
        let out = self
            .cli()
            .args(["token", "--data"])
            .arg(&self.data)
            .args(["--role", "secretariat", "--id", "sec-1", "--name", "Secretariat officer", "--ttl-hours", "8760"])
            .output()
            .expect("rostrum token");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    /// One request over the shared contract: `body` as sent, the answer read as `A` when the status
    /// is 2xx, else the status with the error body every endpoint answers with.
    pub async fn call<A: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: &impl Serialize,
    ) -> Result<A, (u16, shared::Error)> {
        let body = serde_json::to_string(body).expect("request bodies serialize");
        let (status, answer) = http(self.addr, method, path, token, Some(&body), "application/json").await;
        if (200..300).contains(&status) {
            Ok(serde_json::from_value(answer.clone()).unwrap_or_else(|e| panic!("{method} {path}: {e}: {answer}")))
        } else {
            Err((
                status,
                serde_json::from_value(answer.clone()).unwrap_or_else(|e| panic!("not an error: {e}: {answer}")),
            ))
        }
    }

    /// Mints a token over `POST /api/tokens` with `by`'s token.
    pub async fn mint(&self, by: &str, request: &TokenRequest) -> Result<IssuedToken, (u16, shared::Error)> {
        self.call("POST", "/api/tokens", Some(by), request).await
    }

    /// One HTTP request; returns the status and the parsed JSON body (or the text as a string).
    pub async fn http(&self, method: &str, path: &str, token: Option<&str>, body: Option<&Value>) -> (u16, Value) {
        http(self.addr, method, path, token, body.map(|b| b.to_string()).as_deref(), "application/json").await
    }

    /// Creates a meeting with the given segments over the API, activating the first. Returns the
    /// secretariat token used.
    pub async fn meeting(&self, id: &str, access: &str, segments: &[Value]) -> String {
        self.meeting_in(id, "oewg", access, segments).await
    }
}

/// Nodes on one new PostgreSQL database, each with a data directory of its own holding the same
/// signing keys (the first node's `secret.key` or `keys.json`), as README.md's "Running several nodes" sets them
/// up. The database is dropped with them.
pub struct Nodes {
    pub nodes: Vec<Server>,
    /// The database's URL (`--store`).
    pub url: String,
    database: String,
    /// More arguments for each node's `rostrum serve`.
    args: Vec<String>,
    /// Its environment, beside the harness's (`RUST_LOG` at debug unless this says otherwise).
    env: Vec<(String, String)>,
}

impl Nodes {
    /// Starts `count` nodes.
    pub async fn start(count: usize) -> Nodes {
        Nodes::start_with(count, &[]).await
    }

    /// Starts `count` nodes, each with `args` more.
    pub async fn start_with(count: usize, args: &[&str]) -> Nodes {
        Nodes::start_env(count, args, &[("RUST_LOG", "debug,hyper=info,warp=info")]).await
    }

    /// Starts `count` nodes, each with `args` more and the variables `env` (the benchmarks log
    /// less than the tests).
    pub async fn start_env(count: usize, args: &[&str], env: &[(&str, &str)]) -> Nodes {
        let (database, url) = scratch_database();
        let args = args.iter().map(|arg| arg.to_string()).collect();
        let env = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut nodes = Nodes { nodes: Vec::new(), url, database, args, env };
        for _ in 0..count {
            nodes.add().await;
        }
        nodes
    }

    /// Starts one more node; returns its index.
    pub async fn add(&mut self) -> usize {
        let tempdir = tempfile::tempdir().expect("temp dir");
        if let Some(first) = self.nodes.first() {
            // `secret.key` until the first `rostrum keys rotate`, `keys.json` after it.
            let shared = ["keys.json", "secret.key"].into_iter().filter(|name| first.data.join(name).exists());
            let mut copied = 0;
            for name in shared {
                std::fs::copy(first.data.join(name), tempdir.path().join(name)).expect("share the keys");
                copied += 1;
            }
            assert!(copied > 0, "the first node has signing keys to share");
        }
        let mut args = vec!["--store", &self.url];
        args.extend(self.args.iter().map(String::as_str));
        let env: Vec<(&str, &str)> = self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let mut node = Server::start_env(tempdir.path(), "127.0.0.1:0", &args, &env).await;
        node._tempdir = Some(tempdir);
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// Waits until every node serves the meeting (created on one of them).
    pub async fn until_everywhere(&self, meeting: &str) {
        let sec = self.nodes[0].secretariat();
        for node in &self.nodes {
            let started = std::time::Instant::now();
            while node.http("GET", &format!("/api/meetings/{meeting}"), Some(&sec), None).await.0 != 200 {
                assert!(started.elapsed() < PATIENCE, "node {} never heard of meeting {meeting}", node.addr);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
}

impl std::ops::Index<usize> for Nodes {
    type Output = Server;
    fn index(&self, node: usize) -> &Server {
        &self.nodes[node]
    }
}

impl std::ops::IndexMut<usize> for Nodes {
    fn index_mut(&mut self, node: usize) -> &mut Server {
        &mut self.nodes[node]
    }
}

impl Drop for Nodes {
    fn drop(&mut self) {
        self.nodes.clear();
        let (admin, database) = (postgres_admin(), self.database.clone());
        let _ = std::thread::spawn(move || rostrum::store::postgres::scratch::drop(&admin, &database)).join();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        match &mut self.child {
            Runner::Child(child) => {
                let _ = child.kill();
                let _ = child.wait();
            }
            // Its tasks end with the test's runtime; the listener stops with them.
            Runner::InProcess { running, .. } => drop(running.take()),
        }
    }
}

/// A list's answer (`shared::api::Page`) with the items of its page in place of the page:
/// `(status, items)`, or the error as it came.
pub fn items((status, body): (u16, Value)) -> (u16, Value) {
    match status {
        200 => (status, body["items"].clone()),
        _ => (status, body),
    }
}

/// A segment spec as JSON.
pub fn segment(title: &str, inscription: &str, time_limit_secs: u32) -> Value {
    json!({"title": title, "inscription": inscription, "time_limit_secs": time_limit_secs})
}

/// A bare HTTP/1.1 request over a fresh connection.
pub async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
    content_type: &str,
) -> (u16, Value) {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let body = body.unwrap_or("");
    let mut request =
        format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    if !body.is_empty() {
        request += &format!("Content-Type: {content_type}\r\n");
    }
    if let Some(token) = token {
        request += &format!("Authorization: Bearer {token}\r\n");
    }
    request += "\r\n";
    request += body;
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = Vec::new();
    tokio::time::timeout(PATIENCE, stream.read_to_end(&mut response)).await.expect("http timeout").expect("read");
    let text = String::from_utf8_lossy(&response);
    let (head, body) = text.split_once("\r\n\r\n").expect("http response");
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("status");
    let body =
        if head.to_ascii_lowercase().contains("transfer-encoding: chunked") { dechunk(body) } else { body.to_string() };
    (status, serde_json::from_str(&body).unwrap_or(Value::String(body)))
}

/// An HTTP answer: its status, its head in lower case (status line and headers) and its body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: Value,
}

/// One request from `source` (any address of 127.0.0.0/8) on a connection of its own, with
/// `headers` as given: for limits per address and for validators such as `If-None-Match`.
pub async fn exchange(
    addr: SocketAddr,
    source: std::net::IpAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    exchange_bytes(addr, source, method, path, headers, body.as_bytes()).await
}

/// [`exchange`] with a body of any bytes. A body is sent as JSON unless `headers` name another
/// `Content-Type`. A server that answers before it has read the body (a refusal by a limit) may
/// close the connection under the writer: the answer is still read.
pub async fn exchange_bytes(
    addr: SocketAddr,
    source: std::net::IpAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket.bind(SocketAddr::new(source, 0)).expect("bind the source address");
    let mut stream = socket.connect(addr).await.expect("connect");
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request += &format!("{name}: {value}\r\n");
    }
    if !body.is_empty() {
        if !headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("content-type")) {
            request += "Content-Type: application/json\r\n";
        }
        request += &format!("Content-Length: {}\r\n", body.len());
    }
    request += "\r\n";
    let mut request = request.into_bytes();
    request.extend_from_slice(body);
    let _ = stream.write_all(&request).await;
    let mut response = Vec::new();
    // A connection turned away may be reset once answered: what was read is the answer.
    let _ = tokio::time::timeout(PATIENCE, stream.read_to_end(&mut response)).await;
    let text = String::from_utf8_lossy(&response);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let head = head.to_ascii_lowercase();
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = if head.contains("transfer-encoding: chunked") { dechunk(body) } else { body.to_string() };
    Answer { status, body: serde_json::from_str(&body).unwrap_or(Value::String(body)), head }
}

/// A header's value in a head as [`exchange`] gives it.
pub fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|line| line.strip_prefix(name)?.strip_prefix(':')).map(str::trim)
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out += &rest[..size];
        body = &rest[size + 2..];
    }
    out
}

/// A client's WebSocket.
pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A WebSocket client that keeps a replica of the meeting with `shared`'s own `apply`, like the
/// web client does.
pub struct Client {
    ws: Ws,
    pub meeting: Option<Meeting>,
    pub epoch: String,
    pub you: Option<Participant>,
    /// Every event applied, in order.
    pub events: Vec<EventRecord>,
    /// Why the server sent the last snapshot, if it sent one on this connection.
    pub snapshot: Option<SnapshotReason>,
    /// Live presence as the server last said it, by participant id (only when the hello asked).
    pub marks: std::collections::BTreeMap<String, shared::live::PresenceMark>,
    /// How many presence messages arrived on this connection.
    pub presence_messages: usize,
    next_id: u64,
}

/// How a connection attempt ended when the server refused it.
#[derive(Debug)]
pub struct Refused {
    pub code: Option<String>,
    pub close: Option<u16>,
}

impl Client {
    /// Opens a WebSocket without saying hello.
    pub async fn raw(server: &Server) -> Ws {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{}/ws", server.addr)).await.expect("ws connect");
        ws
    }

    /// A synced client for each of `names`, a delegate of the state of that name whose id is
    /// `del-<name in lower case>`.
    pub async fn delegates(server: &Server, meeting: &str, names: &[&str]) -> Vec<Client> {
        let mut delegates = Vec::new();
        for name in names {
            let token = server.delegate(meeting, &format!("del-{}", name.to_lowercase()), name);
            delegates.push(Client::connect(server, meeting, Some(&token)).await);
        }
        delegates
    }

    /// Connects, says hello, and reads until `synced`.
    pub async fn connect(server: &Server, meeting: &str, token: Option<&str>) -> Client {
        Client::try_connect(server, meeting, token, None).await.expect("connect")
    }

    /// Connects and resumes from where `previous` left off.
    pub async fn resume(
        server: &Server,
        meeting: &str,
        token: Option<&str>,
        resume: Resume,
    ) -> Result<Client, Refused> {
        Client::try_connect(server, meeting, token, Some(resume)).await
    }

    /// Connects; a refusal comes back as its rejection code and close code.
    pub async fn try_connect(
        server: &Server,
        meeting: &str,
        token: Option<&str>,
        resume: Option<Resume>,
    ) -> Result<Client, Refused> {
        Client::try_connect_with(server, meeting, token, resume, None).await
    }

    /// Reconnects a client that held `replica` (at `replica.seq`, from the log of `epoch`), the way a
    /// web client does after a cut: replayed events are applied to the replica it already had.
    pub async fn reconnect(
        server: &Server,
        meeting: &str,
        token: Option<&str>,
        epoch: &str,
        replica: Meeting,
    ) -> Result<Client, Refused> {
        let resume = Resume { epoch: epoch.to_string(), seq: replica.seq };
        Client::try_connect_with(server, meeting, token, Some(resume), Some(replica)).await
    }

    /// Connects, optionally resuming with an existing replica.
    pub async fn try_connect_with(
        server: &Server,
        meeting: &str,
        token: Option<&str>,
        resume: Option<Resume>,
        replica: Option<Meeting>,
    ) -> Result<Client, Refused> {
        let ws = Client::raw(server).await;
        Client::hello_on(ws, meeting, token, resume, replica).await
    }

    /// Opens a WebSocket from the loopback address `source` (127.0.0.2, 127.0.0.3, …), as a client
    /// on another machine would; the server's refusal of the upgrade comes back as the error.
    pub async fn raw_from(
        server: &Server,
        source: std::net::IpAddr,
    ) -> Result<Ws, tokio_tungstenite::tungstenite::Error> {
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket.bind(SocketAddr::new(source, 0))?;
        let stream = socket.connect(server.addr).await?;
        let url = format!("ws://{}/ws", server.addr);
        let (ws, _) = tokio_tungstenite::client_async(url, MaybeTlsStream::Plain(stream)).await?;
        Ok(ws)
    }

    /// Connects from the loopback address `source`, says hello and reads until `synced`.
    pub async fn connect_from(server: &Server, source: std::net::IpAddr, meeting: &str, token: Option<&str>) -> Client {
        let ws = Client::raw_from(server, source).await.expect("ws connect");
        Client::hello_on(ws, meeting, token, None, None).await.expect("connect")
    }

    /// Connects asking for live presence, reads until `synced` and then the presence snapshot.
    pub async fn watching_presence(server: &Server, meeting: &str, token: &str) -> Client {
        let ws = Client::raw(server).await;
        let mut client = Client::hello_with(ws, meeting, Some(token), None, None, true).await.expect("connect");
        match client.recv().await {
            ServerMessage::Presence { snapshot: true, .. } => client,
            other => panic!("expected the presence snapshot after synced, got {other:?}"),
        }
    }

    /// Reads messages until live presence (`marks`, by participant id) satisfies `done`.
    pub async fn until_marks(
        &mut self,
        mut done: impl FnMut(&std::collections::BTreeMap<String, shared::live::PresenceMark>) -> bool,
    ) {
        while !done(&self.marks) {
            self.recv().await;
        }
    }

    /// Says hello on an open WebSocket and reads until `synced`.
    pub async fn hello_on(
        ws: Ws,
        meeting: &str,
        token: Option<&str>,
        resume: Option<Resume>,
        replica: Option<Meeting>,
    ) -> Result<Client, Refused> {
        Client::hello_with(ws, meeting, token, resume, replica, false).await
    }

    async fn hello_with(
        mut ws: Ws,
        meeting: &str,
        token: Option<&str>,
        resume: Option<Resume>,
        replica: Option<Meeting>,
        presence: bool,
    ) -> Result<Client, Refused> {
        let hello = ClientMessage::Hello {
            protocol: PROTOCOL.into(),
            token: token.map(String::from),
            meeting: MeetingId::parse(meeting).expect("meeting id"),
            resume: resume.clone(),
            presence,
        };
        ws.send(Message::Text(serde_json::to_string(&hello).unwrap().into())).await.expect("send hello");
        let mut client = Client {
            ws,
            meeting: replica,
            epoch: String::new(),
            you: None,
            events: Vec::new(),
            snapshot: None,
            marks: Default::default(),
            presence_messages: 0,
            next_id: 0,
        };
        if let Some(resume) = resume {
            client.epoch = resume.epoch;
        }
        loop {
            match client.next_raw().await {
                Some(Message::Text(text)) => {
                    let message: ServerMessage = serde_json::from_str(&text).expect("server message");
                    match message {
                        ServerMessage::Rejected { code, .. } => {
                            let close = client.close_code().await;
                            let code = serde_json::to_value(code).unwrap().as_str().map(String::from);
                            return Err(Refused { code, close });
                        }
                        ServerMessage::Synced { .. } => {
                            client.absorb(message);
                            return Ok(client);
                        }
                        other => client.absorb(other),
                    }
                }
                Some(Message::Close(frame)) => {
                    return Err(Refused { code: None, close: frame.map(|f: CloseFrame| u16::from(f.code)) })
                }
                Some(_) => continue,
                None => return Err(Refused { code: None, close: None }),
            }
        }
    }

    /// Waits for the close frame and returns its code.
    pub async fn close_code(&mut self) -> Option<u16> {
        loop {
            match self.next_raw().await {
                Some(Message::Close(frame)) => return frame.map(|f| u16::from(f.code)),
                Some(_) => continue,
                None => return None,
            }
        }
    }

    async fn next_raw(&mut self) -> Option<Message> {
        match tokio::time::timeout(PATIENCE, self.ws.next()).await {
            Ok(Some(Ok(message))) => Some(message),
            Ok(_) => None,
            Err(_) => panic!("no message from the server within {PATIENCE:?}"),
        }
    }

    /// The next server message (events are applied to the replica as they pass).
    pub async fn recv(&mut self) -> ServerMessage {
        loop {
            match self.next_raw().await {
                Some(Message::Text(text)) => {
                    let message: ServerMessage = serde_json::from_str(&text).expect("server message");
                    self.absorb(message.clone());
                    return message;
                }
                Some(Message::Close(frame)) => panic!("server closed the connection: {frame:?}"),
                Some(_) => continue,
                None => panic!("connection ended"),
            }
        }
    }

    fn absorb(&mut self, message: ServerMessage) {
        match message {
            ServerMessage::Welcome { epoch, you, .. } => {
                self.epoch = epoch;
                self.you = you;
            }
            ServerMessage::Snapshot { meeting, reason } => {
                self.meeting = Some(*meeting);
                self.snapshot = Some(reason);
            }
            ServerMessage::Event(record) => {
                let meeting = self.meeting.as_mut().expect("an event before any snapshot");
                assert_eq!(record.seq, meeting.seq.next(), "gap or duplicate in the event stream");
                meeting.apply(&record);
                self.events.push(record);
            }
            ServerMessage::Presence { snapshot, marks } => {
                self.presence_messages += 1;
                if snapshot {
                    self.marks.clear();
                }
                self.marks.extend(marks.into_iter().map(|mark| (mark.participant.to_string(), mark)));
            }
            _ => {}
        }
    }

    /// The replica.
    pub fn state(&self) -> &Meeting {
        self.meeting.as_ref().expect("no snapshot yet")
    }

    /// Where to resume from.
    pub fn resume_point(&self) -> Resume {
        Resume { epoch: self.epoch.clone(), seq: self.state().seq }
    }

    /// A fresh command id.
    pub fn next_id(&mut self) -> CommandId {
        // Unique across every client of the test process: two clients of one person (a reconnect)
        // must not reuse an id, or the server rightly answers the second as a retry of the first.
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        self.next_id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        CommandId::parse(format!("c{}-{}", self.next_id, std::process::id())).unwrap()
    }

    /// Sends a command with an id of the caller's choosing, without waiting.
    pub async fn send(&mut self, id: &CommandId, command: &Command) {
        let message = ClientMessage::Command { id: id.clone(), command: command.clone() };
        self.send_text(&serde_json::to_string(&message).unwrap()).await;
    }

    /// Sends a raw text frame.
    pub async fn send_text(&mut self, text: &str) {
        self.ws.send(Message::Text(text.to_string().into())).await.expect("send");
    }

    /// Sends a raw message of any kind.
    pub async fn send_message(&mut self, message: Message) -> Result<(), tokio_tungstenite::tungstenite::Error> {
        self.ws.send(message).await
    }

    /// Sends a command and waits for its ack or rejection.
    pub async fn command(&mut self, command: Command) -> Result<Seq, Rejection> {
        let id = self.next_id();
        self.command_with_id(&id, &command).await
    }

    /// Sends a command with a given id and waits for its answer.
    pub async fn command_with_id(&mut self, id: &CommandId, command: &Command) -> Result<Seq, Rejection> {
        self.send(id, command).await;
        self.answer(id).await
    }

    /// Reads until the answer to command `id`.
    pub async fn answer(&mut self, id: &CommandId) -> Result<Seq, Rejection> {
        loop {
            match self.recv().await {
                ServerMessage::Ack { id: acked, seq } if &acked == id => return Ok(seq),
                ServerMessage::Rejected { id: Some(rejected), code, message } if &rejected == id => {
                    return Err(Rejection { code, message })
                }
                _ => continue,
            }
        }
    }

    /// Sends a command with a given id and waits for its answer, or `None` when the connection ends
    /// first (a killed server): then the command may or may not have been applied.
    pub async fn command_unless_gone(&mut self, id: &CommandId, command: &Command) -> Option<Result<Seq, Rejection>> {
        let message = ClientMessage::Command { id: id.clone(), command: command.clone() };
        self.send_message(serde_json::to_string(&message).expect("commands serialize").into()).await.ok()?;
        loop {
            match self.try_recv().await? {
                ServerMessage::Ack { id: acked, seq } if &acked == id => return Some(Ok(seq)),
                ServerMessage::Rejected { id: Some(rejected), code, message } if &rejected == id => {
                    return Some(Err(Rejection { code, message }))
                }
                _ => continue,
            }
        }
    }

    /// Reads until the replica reaches `seq`.
    pub async fn until(&mut self, seq: Seq) {
        while self.state().seq < seq {
            self.recv().await;
        }
    }

    /// Drops the socket without a close handshake, as a lost network would.
    pub fn cut(self) {
        drop(self.ws);
    }
}

/// A participant as JSON (for `add_speaker` and the like).
pub fn participant(
    id: &str,
    name: &str,
    role: &str,
    delegation: Option<&str>,
    organisation: Option<&str>,
) -> Participant {
    serde_json::from_value(
        json!({"id": id, "name": name, "role": role, "delegation": delegation, "organisation": organisation}),
    )
    .expect("participant")
}

/// A command from its JSON, as a client in another language would write it.
pub fn command(value: Value) -> Command {
    serde_json::from_value(value).expect("command JSON")
}

// ---- Additions for the feature tests: tokens by role, the API's view of a meeting, raw sockets.

impl Server {
    /// A chair's token for `meeting`.
    pub fn chair(&self, meeting: &str) -> String {
        self.token("chair", "chair-1", "Madam Chair", &[], ("meeting", meeting))
    }

    /// A member-state delegate's token for `meeting`.
    pub fn delegate(&self, meeting: &str, id: &str, delegation: &str) -> String {
        self.token(
            "delegate",
            id,
            &format!("Delegate of {delegation}"),
            &[("delegation", delegation)],
            ("meeting", meeting),
        )
    }

    /// A representative's token for `organisation`, accredited to `meeting`'s process (applied and
    /// approved here when it is not yet), minted with `rostrum token --accredited`, as the
    /// secretariat would for a walk-in representative.
    pub async fn stakeholder(&self, meeting: &str, id: &str, organisation: &str) -> String {
        self.representative_for(meeting, id, &format!("Speaker for {organisation}"), organisation).await
    }

    /// [`Server::stakeholder`] with the person's name.
    pub async fn representative_for(&self, meeting: &str, id: &str, name: &str, organisation: &str) -> String {
        let accredited = self.accreditation_of(meeting, organisation).await;
        self.token("stakeholder", id, name, &[("accredited", accredited.as_str())], ("ttl-hours", "24"))
    }

    /// The id of `organisation` accredited to `meeting`'s process: found, or applied for (creating
    /// the process when the server has none) and approved.
    pub async fn accreditation_of(&self, meeting: &str, organisation: &str) -> String {
        let sec = self.secretariat();
        let (status, info) = self.http("GET", &format!("/api/meetings/{meeting}"), Some(&sec), None).await;
        assert_eq!(status, 200, "GET /api/meetings/{meeting}: {info}");
        let process = info["info"]["process"].as_str().expect("the meeting's process").to_string();
        let (status, known) =
            self.http("GET", &format!("/api/processes/{process}/applications?limit=200"), Some(&sec), None).await;
        if status == 404 {
            self.process(&process, "2099-12-31").await;
        }
        let listed = known["items"]
            .as_array()
            .and_then(|all| all.iter().find(|o| o["application"]["name"] == organisation && o["status"] == "approved"));
        match listed {
            Some(found) => found["id"].as_str().expect("organisation id").to_string(),
            None => self.accredited(&process, organisation).await.id,
        }
    }

    /// The meeting's committed state as the API returns it, parsed with `shared`.
    pub async fn state(&self, meeting: &str, secretariat: &str) -> Meeting {
        let (status, body) = self.http("GET", &format!("/api/meetings/{meeting}"), Some(secretariat), None).await;
        assert_eq!(status, 200, "GET /api/meetings/{meeting}: {body}");
        serde_json::from_value(body).expect("the API returns a meeting")
    }

    /// The deployment's token secret (`DATA/secret.key`, hex), to sign tokens the server did not mint.
    pub fn secret(&self) -> Vec<u8> {
        let text = std::fs::read_to_string(self.data.join("secret.key")).expect("secret.key");
        hex::decode(text.trim()).expect("hex")
    }
}

impl Client {
    /// The next server message, or `None` once the connection has ended (a killed server, a close).
    pub async fn try_recv(&mut self) -> Option<ServerMessage> {
        loop {
            match self.next_raw().await {
                Some(Message::Text(text)) => {
                    let message: ServerMessage = serde_json::from_str(&text).expect("server message");
                    self.absorb(message.clone());
                    return Some(message);
                }
                Some(Message::Close(_)) | None => return None,
                Some(_) => continue,
            }
        }
    }

    /// Reads until a rejection that answers no command (a refused message rather than a command).
    pub async fn message_rejection(&mut self) -> Rejection {
        loop {
            if let ServerMessage::Rejected { id: None, code, message } = self.recv().await {
                return Rejection { code, message };
            }
        }
    }

    /// Proves the connection still works without changing anything: `set_presence` with no waiting
    /// entry is acknowledged at the current sequence number and makes no event.
    pub async fn still_works(&mut self) -> Seq {
        let noop = command(json!({"type": "set_presence", "presence": "remote"}));
        self.command(noop).await.expect("a no-op command is acknowledged")
    }

    /// The socket, for a test that drives it by hand from here on.
    pub fn into_ws(self) -> Ws {
        self.ws
    }

    /// The socket itself, to write what no well-behaved client would.
    pub fn ws_mut(&mut self) -> &mut Ws {
        &mut self.ws
    }

    /// Proves an observer's connection still works: a command is answered (refused: observers
    /// only watch) and nothing changes.
    pub async fn still_works_as_observer(&mut self) {
        let noop = command(json!({"type": "set_presence", "presence": "remote"}));
        self.command(noop).await.expect_err("observers send no commands");
    }

    /// What the server sends next on this connection, if anything arrives within `wait`.
    pub async fn next_within(&mut self, wait: Duration) -> Option<Message> {
        match tokio::time::timeout(wait, self.ws.next()).await {
            Ok(Some(Ok(message))) => Some(message),
            _ => None,
        }
    }
}

/// Reads a raw socket until the server's refusal: the `rejected` code, then the close code.
pub async fn refusal(ws: &mut Ws) -> Refused {
    let mut code = None;
    loop {
        match tokio::time::timeout(PATIENCE, ws.next()).await.expect("no answer from the server") {
            Some(Ok(Message::Text(text))) => {
                if let Ok(ServerMessage::Rejected { code: c, .. }) = serde_json::from_str(&text) {
                    code = serde_json::to_value(c).unwrap().as_str().map(String::from);
                }
            }
            Some(Ok(Message::Close(frame))) => return Refused { code, close: frame.map(|f| u16::from(f.code)) },
            Some(Ok(_)) => continue,
            Some(Err(_)) | None => return Refused { code, close: None },
        }
    }
}

/// `request_floor` in the active segment.
pub fn request(kind: &str, presence: &str, language: &str) -> Command {
    command(json!({"type": "request_floor", "kind": kind, "presence": presence, "language": language}))
}

impl Server {
    /// The server process's resident memory, in KiB (Linux: `/proc/PID/status`).
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).expect("/proc/PID/status");
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).expect("VmRSS");
        line.split_whitespace().nth(1).and_then(|kib| kib.parse().ok()).expect("VmRSS in kB")
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        match &self.child {
            Runner::Child(child) => child.id(),
            Runner::InProcess { .. } => std::process::id(),
        }
    }

    /// CPU time the server process has used so far (Linux: `/proc/PID/stat`, in clock ticks of 10 ms).
    pub fn cpu_time(&self) -> Duration {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).expect("/proc/PID/stat");
        // Fields after the command name, which is in parentheses and may hold spaces.
        let fields: Vec<&str> = stat.rsplit_once(')').expect("stat format").1.split_whitespace().collect();
        let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
        Duration::from_millis(ticks * 10)
    }
}

// ---- Additions for the accreditation tests: raw-bytes HTTP, meetings of a process, and the
// ---- application → approval → representative path.

/// An HTTP answer whose body is kept as bytes (uploads and downloads).
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    /// The status line and headers, as sent.
    pub head: String,
    pub body: Vec<u8>,
}

impl RawResponse {
    /// The body parsed as JSON (or the text as a string).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&self.body).into()))
    }

    /// A header's value (name case-insensitive).
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_string())
        })
    }
}

/// A bare HTTP/1.1 request with a raw-bytes body over a fresh connection. The server may answer
/// before reading the whole body (an oversized upload): write errors are ignored and whatever
/// answer arrived is returned.
pub async fn http_bytes(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &[u8],
    content_type: Option<&str>,
) -> RawResponse {
    let bearer = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = [("Content-Type", content_type), ("Authorization", bearer.as_deref())]
        .into_iter()
        .filter_map(|(name, value)| Some((name, value?)))
        .collect();
    http_raw(None, addr, method, path, &headers, body).await
}

/// [`http_bytes`] with any headers, and from the local address `from` when given (127.0.0.2, say:
/// another client, as the server sees it, of a server on 127.0.0.1).
pub async fn http_raw(
    from: Option<std::net::IpAddr>,
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> RawResponse {
    let mut stream = match from {
        None => TcpStream::connect(addr).await.expect("connect"),
        Some(ip) => {
            let socket = tokio::net::TcpSocket::new_v4().expect("socket");
            socket.bind(SocketAddr::new(ip, 0)).expect("bind the local address");
            socket.connect(addr).await.expect("connect")
        }
    };
    let mut head =
        format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (name, value) in headers {
        head += &format!("{name}: {value}\r\n");
    }
    head += "\r\n";
    let (mut reader, mut writer) = stream.split();
    let write = async {
        if writer.write_all(head.as_bytes()).await.is_ok() {
            let _ = writer.write_all(body).await;
        }
    };
    let mut response = Vec::new();
    let read = async {
        let _ = reader.read_to_end(&mut response).await;
    };
    tokio::time::timeout(PATIENCE, async { tokio::join!(write, read) }).await.expect("http timeout");
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("an http response");
    let head = String::from_utf8_lossy(&response[..split]).to_string();
    let mut body = response[split + 4..].to_vec();
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("status");
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        body = dechunk_bytes(&body);
    }
    RawResponse { status, head, body }
}

fn dechunk_bytes(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = body.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&body[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let rest = &body[end + 2..];
        out.extend_from_slice(&rest[..size]);
        body = &rest[(size + 2).min(rest.len())..];
    }
    out
}

/// A filled-in application form for `name`; without ECOSOC status it describes its activities.
pub fn application(name: &str, ecosoc: bool) -> Value {
    let mut form = json!({
        "name": name,
        "website": "https://example.org",
        "country": "Kenya",
        "contact_name": "Amina Wanjiru",
        "contact_email": "amina@example.org",
        "constituency": "ngo",
        "ecosoc": ecosoc,
    });
    if !ecosoc {
        form["activities"] = json!("Research and advocacy on cyber norms and human rights since 2012.");
    }
    form
}

/// An organisation that applied: its id and its own token (audience `rostrum.organisation`).
#[derive(Debug, Clone)]
pub struct Applicant {
    pub id: String,
    pub token: String,
}

/// A representative registered by an organisation: participant id and personal token.
#[derive(Debug, Clone)]
pub struct Representative {
    pub id: String,
    pub token: String,
    pub link: String,
}

/// Ten delegations as a secretariat's spreadsheet lists them (semicolons, as French and Spanish
/// exports write them): states written the ways spreadsheets write them, an observer State, an
/// intergovernmental organisation, and representatives for some.
pub const TEN_DELEGATIONS: &str = "Delegation;Representative
Chile;Ana Rojas
Kenya;Peter Otieno
Turkey;Ayşe Demir
\"Korea, Republic of\";
Viet Nam;
Brazil;Lucas Almeida
Norway;
Fiji;Sera Tui
Holy See;
European Union;Maria Schmidt
";

impl Server {
    /// Creates a meeting of `process` with the given segments, activating the first. Returns the
    /// secretariat token used.
    pub async fn meeting_in(&self, id: &str, process: &str, access: &str, segments: &[Value]) -> String {
        let sec = self.secretariat();
        let new = NewMeeting {
            id: MeetingId::parse(id).expect("meeting id"),
            title: format!("Meeting {id}"),
            process: ProcessId::parse(process).expect("process id"),
            access: serde_json::from_value(json!(access)).expect("open or closed"),
            time_zone: None,
            starts_at: None,
            room: None,
        };
        let created: MeetingInfo = self.call("POST", "/api/meetings", Some(&sec), &new).await.expect("create meeting");
        assert_eq!(created.id, new.id);
        for spec in segments {
            let (status, body) =
                self.http("POST", &format!("/api/meetings/{id}/segments"), Some(&sec), Some(spec)).await;
            assert_eq!(status, 201, "create segment: {body}");
        }
        if !segments.is_empty() {
            let activate = Command::ActivateSegment { segment: SegmentId(1) };
            let path = format!("/api/meetings/{id}/commands");
            let _: CommandOutcome = self.call("POST", &path, Some(&sec), &activate).await.expect("activate");
        }
        sec
    }

    /// Creates a process taking applications until `deadline` (`YYYY-MM-DD`), as the secretariat.
    pub async fn process(&self, id: &str, deadline: &str) {
        let body = json!({"id": id, "title": format!("Process {id}"), "applications_deadline": deadline});
        let (status, answer) = self.http("POST", "/api/processes", Some(&self.secretariat()), Some(&body)).await;
        assert_eq!(status, 201, "create process: {answer}");
    }

    /// Applies to `process` with `form` on the public form (no token), with a solved proof of work
    /// (`GET /api/challenge`, solved with `shared::proof`).
    pub async fn apply(&self, process: &str, form: &Value) -> (u16, Value) {
        let proof = self.proof("application").await;
        let path = format!("/api/processes/{process}/applications");
        let headers = [("Content-Type", "application/json"), ("Rostrum-Proof", proof.as_str())];
        let answer = http_raw(None, self.addr, "POST", &path, &headers, form.to_string().as_bytes()).await;
        (answer.status, answer.json())
    }

    /// A fresh challenge for `form` (`application` or `statement`), solved: the value of a
    /// `Rostrum-Proof` header.
    pub async fn proof(&self, form: &str) -> String {
        let (status, body) = self.http("GET", &format!("/api/challenge?form={form}"), None, None).await;
        assert_eq!(status, 200, "GET /api/challenge: {body}");
        let answer: shared::proof::ChallengeAnswer = serde_json::from_value(body).expect("a challenge");
        let nonce = shared::proof::solve(&answer.challenge, answer.difficulty);
        shared::proof::Proof { challenge: answer.challenge, nonce }.to_string()
    }

    /// Applies with a valid form for `name`; panics unless the application is taken.
    pub async fn applicant(&self, process: &str, name: &str) -> Applicant {
        let (status, body) = self.apply(process, &application(name, false)).await;
        assert_eq!(status, 201, "apply: {body}");
        Applicant {
            id: body["organisation"]["id"].as_str().expect("organisation id").to_string(),
            token: body["token"].as_str().expect("organisation token").to_string(),
        }
    }

    /// The secretariat's decision on an application.
    pub async fn decide(&self, organisation: &str, decision: &Value) -> (u16, Value) {
        let path = format!("/api/organisations/{organisation}/decision");
        self.http("POST", &path, Some(&self.secretariat()), Some(decision)).await
    }

    /// Applies and has the secretariat approve: an accredited organisation.
    pub async fn accredited(&self, process: &str, name: &str) -> Applicant {
        let applicant = self.applicant(process, name).await;
        let (status, body) = self.decide(&applicant.id, &json!({"decision": "approve"})).await;
        assert_eq!(status, 200, "approve: {body}");
        applicant
    }

    /// The organisation registers a representative; panics unless it is registered.
    pub async fn representative(&self, organisation: &Applicant, name: &str, presence: &str) -> Representative {
        let body = json!({"name": name, "email": "rep@example.org", "presence": presence});
        let (status, answer) =
            self.http("POST", "/api/organisation/representatives", Some(&organisation.token), Some(&body)).await;
        assert_eq!(status, 201, "register representative: {answer}");
        Representative {
            id: answer["id"].as_str().expect("representative id").to_string(),
            token: answer["token"].as_str().expect("representative token").to_string(),
            link: answer["link"].as_str().expect("representative link").to_string(),
        }
    }

    /// A text file `by` (the secretariat) uploaded to `meeting`'s documents: its id.
    pub async fn upload(&self, by: &str, meeting: &str) -> String {
        let path = format!("/api/meetings/{meeting}/documents/upload?title=Draft%20elements");
        let (status, body) =
            http(self.addr, "POST", &path, Some(by), Some("Draft elements of the report"), "text/plain").await;
        assert_eq!(status, 201, "upload: {body}");
        body["id"].as_str().expect("document id").to_string()
    }

    /// The public list of a process's organisations (no token): the items of its first page, of
    /// up to 200.
    pub async fn public_list(&self, process: &str) -> Value {
        let path = format!("/api/processes/{process}/organisations?limit=200");
        let (status, body) = self.http("GET", &path, None, None).await;
        assert_eq!(status, 200, "public list: {body}");
        assert_eq!(body["next"], Value::Null, "one page holds the list: {body}");
        body["items"].clone()
    }
}

impl Server {
    /// Creates a process over the API (deadline `YYYY-MM-DD`) and, in it, a meeting with the given
    /// segments, the first active. Returns the secretariat token used.
    pub async fn process_with_meeting(
        &self,
        process: &str,
        deadline: &str,
        meeting: &str,
        segments: &[Value],
    ) -> String {
        let sec = self.secretariat();
        let body = json!({"id": process, "title": format!("Process {process}"), "applications_deadline": deadline});
        let (status, answer) = self.http("POST", "/api/processes", Some(&sec), Some(&body)).await;
        assert_eq!(status, 201, "create process: {answer}");
        let body = json!({"id": meeting, "title": format!("Meeting {meeting}"), "process": process, "access": "open"});
        let (status, answer) = self.http("POST", "/api/meetings", Some(&sec), Some(&body)).await;
        assert_eq!(status, 201, "create meeting: {answer}");
        for spec in segments {
            let (status, answer) =
                self.http("POST", &format!("/api/meetings/{meeting}/segments"), Some(&sec), Some(spec)).await;
            assert_eq!(status, 201, "create segment: {answer}");
        }
        if !segments.is_empty() {
            let activate = json!({"type": "activate_segment", "segment": 1});
            let (status, answer) =
                self.http("POST", &format!("/api/meetings/{meeting}/commands"), Some(&sec), Some(&activate)).await;
            assert_eq!(status, 201, "activate: {answer}");
        }
        sec
    }
}
