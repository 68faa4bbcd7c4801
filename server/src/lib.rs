//! Rostrum's server: the meeting actors, the SQLite event log, the WebSocket protocol and the HTTP
//! API, wired together by [`start`].

pub mod api;
pub mod auth;
pub mod clock;
pub mod connection;
pub mod demo;
pub mod meeting;
pub mod registry;
pub mod server;
pub mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::sync::watch;

use crate::auth::Keys;
use crate::registry::Registry;
use crate::store::{SqliteStore, Store};

/// How a server is set up.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where `rostrum.db`, `secret.key` and the lock live.
    pub data_dir: PathBuf,
    /// Address to listen on; port 0 picks a free one.
    pub addr: SocketAddr,
    /// The built web client (`index.html` and its assets), when there is one.
    pub web_dir: Option<PathBuf>,
    /// Base of the links the server prints and returns, e.g. `http://127.0.0.1:8080`. Defaults to
    /// the address listened on.
    pub public_url: Option<String>,
    /// Origins other than the server's own that may open WebSockets (e.g. a separate front end).
    pub allowed_origins: Vec<String>,
}

/// What every request handler and connection shares.
#[derive(Debug)]
pub struct App {
    pub keys: Keys,
    pub registry: Registry,
    pub store: Arc<dyn Store>,
    pub config: Config,
    /// Flips to `true` when the server shuts down.
    pub shutdown: watch::Receiver<bool>,
    pub public_url: String,
    connections: AtomicU64,
}

impl App {
    /// A fresh id for a connection, for logs and for the actor's subscriber list.
    pub fn next_connection_id(&self) -> u64 {
        self.connections.fetch_add(1, Ordering::Relaxed) + 1
    }
}

/// Holds the data directory for one server process: a second server on the same directory would
/// interleave two writers' sequence numbers.
#[derive(Debug)]
pub struct DataDir {
    pub path: PathBuf,
    _lock: std::fs::File,
}

impl DataDir {
    /// Creates the directory if needed and takes its lock, or says who holds it.
    pub fn lock(path: PathBuf) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&path)
            .map_err(|e| anyhow::anyhow!("cannot create the data directory {}: {e}", path.display()))?;
        let lock =
            std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(path.join("rostrum.lock"))?;
        match lock.try_lock() {
            Ok(()) => Ok(DataDir { path, _lock: lock }),
            Err(_) => anyhow::bail!(
                "another Rostrum process is using the data directory {}; stop it first, or use --data with another directory",
                path.display()
            ),
        }
    }
}

/// A running server.
#[derive(Debug)]
pub struct Running {
    pub addr: SocketAddr,
    pub app: Arc<App>,
    shutdown: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Running {
    /// Stops accepting, closes every connection with "going away", and waits for the listener.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        let _ = self.task.await;
    }

    /// Waits until the server stops by itself (it does not, short of an error).
    pub async fn wait(&mut self) {
        let _ = (&mut self.task).await;
    }
}

/// Opens the store, rebuilds every meeting from its log, and starts listening.
pub async fn start(config: Config, data: &DataDir) -> anyhow::Result<Running> {
    let keys = Keys::load_or_create(&data.path)?;
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&data.path)?);
    let registry = {
        let store = store.clone();
        tokio::task::spawn_blocking(move || Registry::load(store)).await??
    };
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.addr))?;
    let addr = listener.local_addr()?;
    let (shutdown_tx, shutdown) = watch::channel(false);
    let public_url =
        config.public_url.clone().unwrap_or_else(|| format!("http://{addr}")).trim_end_matches('/').to_string();
    let app = Arc::new(App { keys, registry, store, config, shutdown, public_url, connections: AtomicU64::new(0) });
    let task = tokio::spawn(server::accept_loop(listener, app.clone()));
    Ok(Running { addr, app, shutdown: shutdown_tx, task })
}
