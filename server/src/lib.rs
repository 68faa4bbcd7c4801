//! Rostrum's server: the meeting actors, the SQLite event log, the WebSocket protocol and the HTTP
//! API, wired together by [`start`].

pub mod api;
pub mod at_rest;
pub mod auth;
pub mod clock;
pub mod co_signers;
pub mod connection;
pub mod credentials;
pub mod demo;
pub mod demo_written;
pub mod fingerprint;
pub mod language;
pub mod limits;
pub mod meeting;
pub mod metrics;
pub mod nodes;
pub mod presence;
pub mod registry;
pub mod server;
pub mod settings_file;
pub mod store;
pub mod tls;
pub mod webhooks;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use std::collections::HashSet;

use shared::accreditation::Status;
use shared::policy::{self, Action, Permit};
use shared::{
    Command, Error, ErrorCode, Holder, Participant, ParticipantId, Principal, ProcessId, Profile, Role, Standing,
};
use tokio::sync::{broadcast, watch};

use crate::auth::{Claims, Keys};
use crate::registry::Registry;
use crate::store::{
    AccreditationStore, Change, PgStore, RevokedToken, SqliteStore, Store, StoreError, TokenStore, WebhookStore,
    WrittenStore,
};

/// How a server is set up.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where `rostrum.db`, `secret.key` and the lock live.
    pub data_dir: PathBuf,
    /// Address to listen on; port 0 picks a free one.
    pub addr: SocketAddr,
    /// The PostgreSQL database to keep everything in, shared by several nodes; `None` is the
    /// SQLite file in the data directory.
    pub store: Option<String>,
    /// The built web client (`index.html` and its assets), when there is one.
    pub web_dir: Option<PathBuf>,
    /// Base of the links the server prints and returns, e.g. `http://127.0.0.1:8080`. Defaults to
    /// the address listened on.
    pub public_url: Option<String>,
    /// Origins other than the server's own that may open WebSockets (e.g. a separate front end).
    pub allowed_origins: Vec<String>,
    /// Origins whose pages may frame Rostrum's (a webcast page showing the display); by default
    /// none may.
    pub frame_ancestors: Vec<String>,
    /// Connections and messages per address and per person, and the keepalive timeout.
    pub limits: limits::Limits,
    /// How much one organisation or delegation may hold (`shared::accreditation::quota`).
    pub quotas: shared::accreditation::quota::Quotas,
    /// The public forms' proof of work and their limits per address and per process.
    pub forms: api::forms::FormLimits,
    /// How outgoing webhooks are retried.
    pub webhooks: webhooks::Settings,
    /// The certificate and key to serve HTTPS and WSS with; `None` is plain HTTP (behind a proxy).
    pub tls: Option<tls::TlsFiles>,
}

/// What every request handler and connection shares.
#[derive(Debug)]
pub struct App {
    pub keys: Keys,
    pub registry: Registry,
    pub store: Arc<dyn Store>,
    pub accreditation: Arc<dyn AccreditationStore>,
    /// The written input portal's statements and responses.
    pub written: Arc<dyn WrittenStore>,
    /// Token ids revoked one by one.
    pub tokens: Arc<dyn TokenStore>,
    /// The meetings' outgoing webhooks.
    pub webhooks: webhooks::Outbox,
    /// Every revocation, so that each connection can close itself at once when it is concerned.
    pub revocations: broadcast::Sender<Arc<Revocation>>,
    pub config: Config,
    /// Flips to `true` when the server shuts down.
    pub shutdown: watch::Receiver<bool>,
    pub public_url: String,
    /// Connection and message counts per address and per person.
    pub gate: Arc<limits::Gate>,
    /// Reports built since their meetings' logs last changed.
    pub reports: api::report::ReportCache,
    /// Wakes the watch over revocations before its next poll: another node recorded some.
    pub recheck: tokio::sync::Notify,
    /// What the public forms' challenges are sealed with, the same on every node.
    pub forms_secret: [u8; 32],
    connections: AtomicU64,
    /// WebSockets open now: a graceful shutdown waits for them to close.
    sockets: AtomicUsize,
}

/// People or tokens whose access was just withdrawn, and why (the close frame's reason).
#[derive(Debug)]
pub struct Revocation {
    pub people: HashSet<ParticipantId>,
    /// Organisations whose accreditation was revoked (their ids): every token issued through one
    /// of them, however it was minted, stops working.
    pub organisations: HashSet<String>,
    /// Token ids (`jti`): the sessions opened with these tokens, whoever holds them.
    pub tokens: HashSet<String>,
    pub reason: &'static str,
}

impl Revocation {
    /// Whether this revocation ends the access of `principal`.
    pub fn concerns(&self, principal: &Principal) -> bool {
        self.people.contains(&principal.person.id)
            || principal.accredited.as_ref().is_some_and(|org| self.organisations.contains(org))
            || self.tokens.contains(&principal.token)
    }
}

impl App {
    /// A fresh id for a connection, for logs and for the actor's subscriber list.
    pub fn next_connection_id(&self) -> u64 {
        self.connections.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Counts a WebSocket as open until the returned guard is dropped.
    pub(crate) fn socket_opened(&self) -> OpenSocket<'_> {
        self.sockets.fetch_add(1, Ordering::AcqRel);
        OpenSocket(&self.sockets)
    }

    /// WebSockets open now.
    pub fn open_sockets(&self) -> usize {
        self.sockets.load(Ordering::Acquire)
    }

    /// The policy's view of a verified token: its holder, with the process of the meeting it
    /// names looked up here.
    pub fn principal(&self, claims: &Claims) -> Result<Principal, auth::AuthError> {
        claims.principal(|meeting| self.registry.get(meeting).map(|m| m.info.process.clone()))
    }

    /// Whether a principal is still in good standing, from the records: a representative's
    /// organisation still accredited and the representative not withdrawn; an invited expert not
    /// uninvited; a stakeholder tied to an accredited organisation at all. Tokens minted directly
    /// for delegates, chairs and the secretariat stand unless something names them.
    pub async fn standing(&self, principal: &Principal) -> Result<Standing, Error> {
        let store = self.accreditation.clone();
        let person = principal.person.id.clone();
        let accredited = principal.accredited.clone();
        let stakeholder = principal.holder == Holder::Person && principal.role() == Role::Stakeholder;
        let tokens = self.tokens.clone();
        let token = principal.token.clone();
        let checked = tokio::task::spawn_blocking(move || -> Result<Standing, store::StoreError> {
            if tokens.token_revoked(&token)? {
                return Ok(Standing::Revoked);
            }
            if let Some(org) = &accredited {
                match store.organisation(org)?.map(|o| o.status) {
                    Some(Status::Approved) => {}
                    Some(Status::Revoked) => return Ok(Standing::Revoked),
                    Some(Status::Pending | Status::Refused) | None => return Ok(Standing::NotAccredited),
                }
                if store.representative(&person)?.is_some_and(|r| r.revoked_at.is_some()) {
                    return Ok(Standing::Revoked);
                }
            } else if stakeholder {
                return Ok(Standing::NotAccredited);
            }
            if store.expert(&person)?.is_some_and(|e| e.revoked_at.is_some()) {
                return Ok(Standing::Revoked);
            }
            Ok(Standing::Good)
        })
        .await;
        match checked {
            Ok(Ok(standing)) => Ok(standing),
            _ => Err(Error::new(ErrorCode::Unavailable, "Your access could not be checked right now; try again.")),
        }
    }

    /// Asks the policy, with the principal's standing read from the records.
    pub async fn may(&self, principal: Option<&Principal>, action: Action<'_>) -> Result<Permit, Error> {
        let asker = match principal {
            Some(principal) => Some((principal, self.standing(principal).await?)),
            None => None,
        };
        Ok(policy::decide(asker, action)?)
    }

    /// What the record knows of a token's holder: what the token says, or for an organisation's
    /// representative, the organisation's constituency and country from its accreditation.
    pub async fn profile(&self, principal: &Principal) -> Profile {
        let recorded = Profile { gender: None, ..principal.person.profile.clone() };
        let Some(org) = principal.accredited.clone() else { return recorded };
        let store = self.accreditation.clone();
        match tokio::task::spawn_blocking(move || store.organisation(&org)).await {
            Ok(Ok(Some(found))) => Profile {
                constituency: Some(found.application.constituency),
                country: Some(found.application.country.trim().to_string()),
                gender: None,
            },
            _ => recorded,
        }
    }

    /// Completes a command with what only the accreditation knows, before the meeting decides on
    /// it:
    /// - a speaker the chair names (added to a list, or given the floor as a panellist): when their
    ///   organisation is accredited to the meeting's process, the record takes its constituency
    ///   and country from the accreditation rather than from the chair's screen;
    /// - the co-signers of a joint statement (`request_floor`, `add_speaker`): each must be an
    ///   organisation accredited to the process, and is replaced by its registered name; any other
    ///   name refuses the command with `co_signer_not_accredited`.
    pub async fn complete(&self, process: &ProcessId, mut command: Command) -> Result<Command, Error> {
        let (names_speaker, names_co_signers) = match &command {
            Command::AddSpeaker { speaker, co_signers, .. } => {
                (co_signers::of_an_organisation(speaker), !co_signers.is_empty())
            }
            Command::GiveFloorToPanellist { speaker, .. } => (co_signers::of_an_organisation(speaker), false),
            Command::RequestFloor { co_signers, .. } => (false, !co_signers.is_empty()),
            _ => (false, false),
        };
        if !names_speaker && !names_co_signers {
            return Ok(command);
        }
        let store = self.accreditation.clone();
        let pid = process.clone();
        let accredited = match tokio::task::spawn_blocking(move || store.organisations(&pid)).await {
            Ok(Ok(all)) => all.into_iter().filter(|o| o.status == Status::Approved).collect::<Vec<_>>(),
            // Without the list, a speaker's profile stays as the chair gave it; co-signers cannot
            // be checked, so the command waits for a retry.
            _ if names_co_signers => {
                return Err(Error::new(
                    ErrorCode::Unavailable,
                    "The co-signers could not be checked right now; try again.",
                ))
            }
            _ => return Ok(command),
        };
        match &mut command {
            Command::AddSpeaker { speaker, co_signers, .. } => {
                co_signers::complete_profile(speaker, &accredited);
                co_signers::resolve(co_signers, &accredited).map_err(Error::from)?;
            }
            Command::GiveFloorToPanellist { speaker, .. } => co_signers::complete_profile(speaker, &accredited),
            Command::RequestFloor { co_signers, .. } => {
                co_signers::resolve(co_signers, &accredited).map_err(Error::from)?
            }
            _ => {}
        }
        Ok(command)
    }

    /// Withdraws access at once: every live connection of these people closes with 4010, and their
    /// waiting entries in the process's meetings are removed (each a visible `entry_removed`).
    pub async fn revoke(&self, process: &ProcessId, people: Vec<ParticipantId>, reason: &'static str) {
        self.revoke_all(process, people, None, reason).await
    }

    /// [`App::revoke`], and every token issued through the organisation `(id, name)`: its waiting
    /// entries are removed too, whoever holds them.
    pub async fn revoke_all(
        &self,
        process: &ProcessId,
        people: Vec<ParticipantId>,
        organisation: Option<(&str, &str)>,
        reason: &'static str,
    ) {
        let revocation = Arc::new(Revocation {
            people: people.into_iter().collect(),
            organisations: organisation.iter().map(|(id, _)| id.to_string()).collect(),
            tokens: HashSet::new(),
            reason,
        });
        let name = organisation.map(|(_, name)| name.to_string());
        let _ = self.revocations.send(revocation.clone());
        self.record_for_other_nodes(&revocation).await;
        let system = Participant {
            id: ParticipantId::parse("system:accreditation").expect("valid id"),
            name: "Secretariat (accreditation)".into(),
            role: Role::Secretariat,
            delegation: None,
            organisation: None,
            profile: Default::default(),
        };
        for info in self.registry.list().iter().filter(|m| &m.process == process) {
            let Some(handle) = self.registry.get(&info.id) else { continue };
            let Some(state) = handle.snapshot().await else { continue };
            let of_the_organisation = |speaker: &Participant| {
                speaker.role == Role::Stakeholder && name.is_some() && speaker.organisation == name
            };
            let entries = state
                .segments
                .iter()
                .flat_map(|s| &s.entries)
                .filter(|e| revocation.people.contains(&e.speaker.id) || of_the_organisation(&e.speaker));
            for entry in entries {
                if let Err(rejection) =
                    handle.run(system.clone(), Command::RemoveEntry { entry: entry.id, reason: None }).await
                {
                    tracing::debug!(meeting = %info.id, code = ?rejection.code, "entry of a revoked person already gone");
                }
            }
        }
    }
}

/// How people and organisations whose access was withdrawn are recorded beside the revoked token
/// ids (`person:<id>`, `organisation:<id>`), so that every node closes their sessions: the other
/// nodes read them where they read revoked tokens (`credentials::watch`).
const REVOKED_PERSON: &str = "person:";
const REVOKED_ORGANISATION: &str = "organisation:";

/// The reasons a revocation closes sessions with, as recorded for the other nodes.
const REVOCATION_REASONS: [&str; 4] = [
    "accreditation revoked",
    "access revoked by the organisation",
    "invitation withdrawn by the delegation",
    "token revoked",
];

impl App {
    /// Closes at once, with 4010, every live session opened with one of these tokens (by id), just
    /// revoked here, and wakes the other nodes to read the revocations.
    pub fn revoke_tokens(&self, tokens: impl IntoIterator<Item = String>) {
        let tokens: HashSet<String> = tokens.into_iter().collect();
        if !tokens.is_empty() {
            let _ = self.revocations.send(Arc::new(Revocation {
                people: HashSet::new(),
                organisations: HashSet::new(),
                tokens,
                reason: "token revoked",
            }));
            let store = self.store.clone();
            // The client blocks (PostgreSQL's); the wake-up is only a hint, nobody waits for it.
            tokio::task::spawn_blocking(move || store.announce(Change::Revoked));
        }
    }

    /// Closes at once, with 4010, every live session opened with one of these revoked tokens, or
    /// of the people and organisations recorded among them (by another node).
    pub fn revoke_recorded(&self, revoked: impl IntoIterator<Item = RevokedToken>) {
        let mut revocation = Revocation {
            people: HashSet::new(),
            organisations: HashSet::new(),
            tokens: HashSet::new(),
            reason: "token revoked",
        };
        for token in revoked {
            if let Some(person) = token.jti.strip_prefix(REVOKED_PERSON) {
                revocation.people.extend(ParticipantId::parse(person).ok());
            } else if let Some(organisation) = token.jti.strip_prefix(REVOKED_ORGANISATION) {
                revocation.organisations.insert(organisation.to_string());
            } else {
                revocation.tokens.insert(token.jti);
                continue;
            }
            let reason = token.reason.as_deref().unwrap_or_default();
            revocation.reason = REVOCATION_REASONS.iter().find(|r| **r == reason).copied().unwrap_or("access revoked");
        }
        if !(revocation.people.is_empty() && revocation.organisations.is_empty() && revocation.tokens.is_empty()) {
            let _ = self.revocations.send(Arc::new(revocation));
        }
    }

    /// Records a revocation of people and organisations where the other nodes read revoked
    /// tokens, and wakes them. This node has closed their sessions already; reading it back it
    /// finds them closed.
    async fn record_for_other_nodes(&self, revocation: &Revocation) {
        let at = clock::now();
        let rows: Vec<RevokedToken> = (revocation.people.iter().map(|p| format!("{REVOKED_PERSON}{p}")))
            .chain(revocation.organisations.iter().map(|o| format!("{REVOKED_ORGANISATION}{o}")))
            .map(|jti| RevokedToken { jti, revoked_at: at, reason: Some(revocation.reason.to_string()) })
            .collect();
        let (tokens, store) = (self.tokens.clone(), self.store.clone());
        let recorded = tokio::task::spawn_blocking(move || -> Result<(), StoreError> {
            for row in &rows {
                tokens.revoke_token(row)?;
            }
            store.announce(Change::Revoked);
            Ok(())
        })
        .await;
        match recorded {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::error!(%error, "could not record a revocation for the other nodes"),
            Err(error) => tracing::error!(%error, "could not record a revocation for the other nodes"),
        }
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
        // A file system that keeps its own modes (a mounted share, say) should not keep the
        // meeting from starting: say so loudly instead.
        match at_rest::tighten(&path) {
            Ok(0) => {}
            Ok(changed) => {
                tracing::warn!(data = %path.display(), changed, "the data directory was readable by others; it is now private (0700, files 0600)")
            }
            Err(error) => {
                tracing::warn!(data = %path.display(), %error, "could not make the data directory private (0700, files 0600); check its permissions")
            }
        }
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

/// A WebSocket counted in [`App::open_sockets`] while it lives.
pub(crate) struct OpenSocket<'a>(&'a AtomicUsize);

impl Drop for OpenSocket<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// How long a graceful shutdown waits for the WebSockets to take their close frames and go: each
/// is given one second to send its close and one to linger, so this is ample.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// A running server.
#[derive(Debug)]
pub struct Running {
    pub addr: SocketAddr,
    pub app: Arc<App>,
    shutdown: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Running {
    /// Shuts down gracefully: stops accepting, closes every WebSocket with 1012 (restarting:
    /// reconnect, to this server once it is back or to another node), waits for them to go (at
    /// most [`SHUTDOWN_GRACE`]), then waits until every write the meetings submitted is durable.
    /// What was acknowledged was durable already; this lets what was in flight finish too.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        let _ = self.task.await;
        let started = tokio::time::Instant::now();
        while self.app.open_sockets() > 0 && started.elapsed() < SHUTDOWN_GRACE {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let left = self.app.open_sockets();
        if let Err(error) = self.app.store.flush().await {
            tracing::error!(%error, "the store could not be flushed at shutdown");
        }
        tracing::info!(
            sockets_left = left,
            took_ms = started.elapsed().as_millis() as u64,
            "stopped: sockets closed, store flushed"
        );
    }

    /// Waits until the server stops by itself (it does not, short of an error).
    pub async fn wait(&mut self) {
        let _ = (&mut self.task).await;
    }
}

/// Connections the kernel holds for `accept` (it caps this at `net.core.somaxconn`).
const ACCEPT_BACKLOG: u32 = 4096;

/// Listens with a deep accept queue. After a restart or a network cut every screen reconnects at
/// once; with the standard library's backlog of 128 the kernel drops the overflow, and those
/// clients retry only a second later (`make bench`'s reconnect storm took 1.1 s for 1,000
/// screens instead of 0.1 s). Accepted sockets inherit the listener's send buffer size.
fn listen(addr: SocketAddr, send_buffer_bytes: Option<u32>) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() { tokio::net::TcpSocket::new_v4()? } else { tokio::net::TcpSocket::new_v6()? };
    // As `TcpListener::bind` does: a restarted server may take its address back at once.
    socket.set_reuseaddr(true)?;
    if let Some(bytes) = send_buffer_bytes {
        socket.set_send_buffer_size(bytes)?;
    }
    socket.bind(addr)?;
    socket.listen(ACCEPT_BACKLOG)
}

/// One backend behind each store trait.
#[allow(clippy::type_complexity)]
fn stores<S: Store + AccreditationStore + WrittenStore + TokenStore + WebhookStore>(
    backend: Arc<S>,
) -> (Arc<dyn Store>, Arc<dyn AccreditationStore>, Arc<dyn WrittenStore>, Arc<dyn TokenStore>, Arc<dyn WebhookStore>) {
    (backend.clone(), backend.clone(), backend.clone(), backend.clone(), backend)
}

/// Opens the store, rebuilds every meeting from its log, and starts listening.
pub async fn start(config: Config, data: &DataDir) -> anyhow::Result<Running> {
    let keys = Keys::load_or_create(&data.path)?;
    let (store, accreditation, written, tokens, webhook_store) = match &config.store {
        None => stores(Arc::new(SqliteStore::open(&data.path)?)),
        Some(url) => {
            let url = url.clone();
            // The PostgreSQL client blocks: connected off the async workers.
            let postgres = tokio::task::spawn_blocking(move || PgStore::open(&url)).await?.map_err(|error| {
                anyhow::anyhow!(
                    "cannot open the PostgreSQL store {}: {error}",
                    store::postgres::redacted(config.store.as_deref().unwrap_or_default())
                )
            })?;
            tracing::info!(database = %store::postgres::redacted(config.store.as_deref().unwrap_or_default()), "store: PostgreSQL");
            stores(Arc::new(postgres))
        }
    };
    // Several nodes: listening to the others before the meetings are read, so that nothing they
    // append after the read goes unheard.
    let changes = store.changes();
    let registry = {
        let store = store.clone();
        tokio::task::spawn_blocking(move || Registry::load(store)).await??
    };
    let tls = config.tls.as_ref().map(tls::acceptor).transpose()?;
    let listener = listen(config.addr, config.limits.send_buffer_bytes)
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.addr))?;
    let addr = listener.local_addr()?;
    let (shutdown_tx, shutdown) = watch::channel(false);
    let scheme = if tls.is_some() { "https" } else { "http" };
    let public_url =
        config.public_url.clone().unwrap_or_else(|| format!("{scheme}://{addr}")).trim_end_matches('/').to_string();
    let (revocations, _) = broadcast::channel(64);
    let gate = Arc::new(limits::Gate::new(config.limits.clone()));
    tracing::info!(
        max_connections = gate.max_connections(),
        per_address = gate.connections_per_address(),
        rates = %config.limits.rates.describe(),
        "connection caps and request budgets"
    );
    let forms_secret = {
        let tokens = tokens.clone();
        tokio::task::spawn_blocking(move || -> anyhow::Result<[u8; 32]> {
            let fresh = api::forms::fresh_secret();
            let stored = tokens.shared_secret(api::forms::FORMS_SECRET, &fresh)?;
            stored.try_into().map_err(|_| anyhow::anyhow!("the stored forms secret is not 32 bytes long"))
        })
        .await??
    };
    let app = Arc::new(App {
        forms_secret,
        keys,
        registry,
        store,
        accreditation,
        written,
        tokens,
        webhooks: webhooks::Outbox::new(webhook_store, config.webhooks.clone()),
        revocations,
        config,
        shutdown,
        public_url,
        gate,
        reports: Default::default(),
        recheck: tokio::sync::Notify::new(),
        connections: AtomicU64::new(0),
        sockets: AtomicUsize::new(0),
    });
    let cursor = {
        let app = app.clone();
        tokio::task::spawn_blocking(move || credentials::start_cursor(&app)).await??
    };
    tokio::spawn(credentials::watch(app.clone(), cursor));
    if let Some(changes) = changes {
        tokio::spawn(nodes::follow(app.clone(), changes));
    }
    tokio::spawn(webhooks::run(app.clone()));
    let task = tokio::spawn(server::accept_loop(listener, app.clone(), tls));
    Ok(Running { addr, app, shutdown: shutdown_tx, task })
}
