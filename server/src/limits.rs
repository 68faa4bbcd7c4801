//! What one address or one person may hold and do: connections per remote address and in all
//! (counted at accept, HTTP and WebSocket alike), connections per person (the oldest is closed when
//! a newer one goes over the cap), request budgets per route class per address and per person, and
//! WebSocket messages per second per address, shared by all its connections (on top of each
//! connection's own limit, in `connection::rules`). Every rate is a `governor` keyed limiter.
//!
//! Counts live in `DashMap`s keyed by address and person; an entry goes when its last connection
//! does, so the maps hold only who is connected; the limiters forget quiet keys every minute
//! ([`Gate::forget_quiet`]). Guards are never held across an `.await`.

use std::fmt;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use dashmap::DashMap;
use governor::clock::{Clock, DefaultClock};
use governor::Quota;
use shared::ParticipantId;
use tokio::sync::oneshot;

/// The limits a server enforces; `rostrum serve` flags set them.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Connections (HTTP and WebSocket) open at once from one remote address, never more than half
    /// of [`Limits::max_connections`]. Generous by default: a venue's delegates often share one
    /// public address behind its Wi-Fi.
    pub connections_per_address: usize,
    /// WebSockets open at once for one person (one token `sub`): a phone, a laptop, a few tabs.
    pub connections_per_person: usize,
    /// Messages per second sustained from one address, all its connections together.
    pub address_messages_per_sec: f64,
    /// Messages one address may send at once above the sustained rate.
    pub address_burst: f64,
    /// A connection silent this long (no frame, no pong) is dropped as dead.
    pub idle_timeout: Duration,
    /// The kernel's send buffer per socket (64 KiB unless set; `None` lets the kernel size it,
    /// up to megabytes): bounds what a screen that stopped reading holds outside its queue, so
    /// that it fills its queue and is closed as too slow within seconds.
    pub send_buffer_bytes: Option<u32>,
    /// How long an HTTP connection may take to send a request's headers, counted from when it
    /// opens and again from each answer on a kept-alive connection: a socket that sends nothing
    /// (or stays idle between requests) is closed after it, so idle sockets cannot pile up.
    pub header_timeout: Duration,
    /// Connections open at once in all; lowered at start to stay below the open-file limit.
    pub max_connections: usize,
    /// Request budgets per route class, per address and per person.
    pub rates: RateBudgets,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connections_per_address: 1000,
            connections_per_person: 8,
            address_messages_per_sec: 200.0,
            address_burst: 500.0,
            idle_timeout: Duration::from_secs(60),
            send_buffer_bytes: Some(64 * 1024),
            header_timeout: Duration::from_secs(10),
            max_connections: 50_000,
            rates: RateBudgets::default(),
        }
    }
}

impl Limits {
    /// How long a connection may be silent before the server pings it: three pings per idle
    /// timeout, so one lost pong is not fatal.
    pub fn ping_every(&self) -> Duration {
        self.idle_timeout / 3
    }
}

/// Raises this process's soft limit on open files to its hard limit: every socket is a file, and
/// at the usual soft limit of 1,024 a few idle sockets more would make `accept` fail for everyone.
/// Returns the soft limit before and after (`None`: unlimited), for the log.
pub fn raise_open_files() -> (Option<u64>, Option<u64>) {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    let limit = getrlimit(Resource::Nofile);
    let before = limit.current;
    if let (Some(current), Some(maximum)) = (limit.current, limit.maximum) {
        if current < maximum
            && setrlimit(Resource::Nofile, Rlimit { current: Some(maximum), maximum: Some(maximum) }).is_ok()
        {
            return (before, Some(maximum));
        }
    }
    (before, before)
}

/// The classes of HTTP request, each with its own budget: what a route costs the server and how
/// often a person has reason to call it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::EnumIter, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "snake_case")]
pub enum Route {
    /// `GET /healthz` and `GET /metrics`: an operator's probes and scrapes.
    Health,
    /// The web client's files and screens.
    Files,
    /// Reads of the API with a token.
    Read,
    /// A meeting's state sent to an anonymous observer (a WebSocket `hello` without a token):
    /// counted when the hello is read, since the upgrade does not know whether a token follows.
    Snapshot,
    /// The report and its export, the costliest reads.
    Report,
    /// Changes through the API: commands, decisions, applications, statements, tokens.
    Write,
    /// Uploaded documents and statement files, up to 10 MiB each.
    Upload,
    /// Opening a WebSocket: a hello and the snapshot that answers it.
    Connect,
    /// A conference system relaying its seats' request-to-speak buttons: a whole room may press
    /// at once when a list opens, all through one device token.
    Button,
}

impl Route {
    /// The class of a request, from its method and path.
    pub fn of(method: &str, path: &str) -> Route {
        let path = path.trim_end_matches('/');
        if path == "/healthz" || path == "/metrics" {
            return Route::Health;
        }
        if path == "/ws" {
            return Route::Connect;
        }
        if !path.starts_with("/api/") {
            return Route::Files;
        }
        let reading = matches!(method, "GET" | "HEAD");
        if !reading && (path.ends_with("/device/requests") || path.ends_with("/device/withdrawals")) {
            return Route::Button;
        }
        if reading && path.ends_with("/report") {
            return Route::Report;
        }
        if reading {
            return Route::Read;
        }
        let upload =
            path.ends_with("/upload") || (path.starts_with("/api/processes/") && path.ends_with("/statements"));
        if upload {
            Route::Upload
        } else {
            Route::Write
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

const ROUTES: usize = 9;

/// So many requests per `per`, and `burst` at once above that pace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub count: u32,
    pub per: Duration,
    pub burst: u32,
}

impl Budget {
    const fn per_second(count: u32, burst: u32) -> Budget {
        Budget { count, per: Duration::from_secs(1), burst }
    }

    const fn per_minute(count: u32, burst: u32) -> Budget {
        Budget { count, per: Duration::from_secs(60), burst }
    }

    fn quota(&self) -> Option<Quota> {
        let every = self.per.checked_div(self.count.max(1))?;
        Some(Quota::with_period(every)?.allow_burst(NonZeroU32::new(self.burst.max(1))?))
    }
}

impl fmt::Display for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.per.as_secs() {
            1 => "s",
            60 => "min",
            _ => "h",
        };
        write!(f, "{}/{unit}:{}", self.count, self.burst)
    }
}

/// `50/s:200`, `30/min:10`, `100/h:20`: a count per second, minute or hour, and the burst.
impl FromStr for Budget {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let bad = || format!("{text:?} is not a budget such as 50/s:200 (50 a second, bursts of 200) or 30/min:10");
        let (pace, burst) = text.split_once(':').ok_or_else(bad)?;
        let (count, unit) = pace.split_once('/').ok_or_else(bad)?;
        let per = match unit {
            "s" => Duration::from_secs(1),
            "min" => Duration::from_secs(60),
            "h" => Duration::from_secs(3600),
            _ => return Err(bad()),
        };
        let count: u32 = count.trim().parse().map_err(|_| bad())?;
        let burst: u32 = burst.trim().parse().map_err(|_| bad())?;
        if count == 0 || burst == 0 {
            return Err(bad());
        }
        Ok(Budget { count, per, burst })
    }
}

/// One route class's budget: `read=50/s:200`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteBudget(pub Route, pub Budget);

impl FromStr for RouteBudget {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (route, budget) =
            text.split_once('=').ok_or_else(|| format!("{text:?} is not ROUTE=BUDGET, such as read=50/s:200"))?;
        let route = route.trim().parse::<Route>().map_err(|_| {
            let names: Vec<&str> = <Route as strum::IntoEnumIterator>::iter().map(<&str>::from).collect();
            format!("{route:?} is not a route class; the classes are {}", names.join(", "))
        })?;
        Ok(RouteBudget(route, budget.parse()?))
    }
}

/// The budget of every route class per address and per person; `None` is no limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateBudgets {
    pub address: [Option<Budget>; ROUTES],
    pub person: [Option<Budget>; ROUTES],
}

impl Default for RateBudgets {
    /// Per address, generous enough for a venue whose delegates share one public address; per
    /// person, what one chair, delegate or secretariat script has reason to do.
    fn default() -> Self {
        let mut budgets = RateBudgets::unlimited();
        for (route, address, person) in [
            (Route::Health, Budget::per_second(20, 50), None),
            (Route::Files, Budget::per_second(50, 300), None),
            (Route::Read, Budget::per_second(100, 400), Some(Budget::per_second(20, 100))),
            (Route::Snapshot, Budget::per_second(10, 200), None),
            (Route::Report, Budget::per_second(5, 20), Some(Budget::per_second(2, 10))),
            (Route::Write, Budget::per_second(50, 200), Some(Budget::per_second(20, 100))),
            (Route::Upload, Budget::per_minute(60, 20), Some(Budget::per_minute(30, 10))),
            (Route::Connect, Budget::per_second(20, 300), None),
            (Route::Button, Budget::per_second(50, 400), Some(Budget::per_second(50, 400))),
        ] {
            budgets.address[route.index()] = Some(address);
            budgets.person[route.index()] = person;
        }
        budgets
    }
}

impl RateBudgets {
    /// No limit on any route: for benchmarks and tests that drive the API flat out.
    pub fn unlimited() -> Self {
        RateBudgets { address: [None; ROUTES], person: [None; ROUTES] }
    }

    /// These budgets with `address` and `person` in place of their classes' own.
    pub fn with(mut self, address: &[RouteBudget], person: &[RouteBudget]) -> Self {
        for RouteBudget(route, budget) in address {
            self.address[route.index()] = Some(*budget);
        }
        for RouteBudget(route, budget) in person {
            self.person[route.index()] = Some(*budget);
        }
        self
    }

    /// The budgets in one line, for the log.
    pub fn describe(&self) -> String {
        <Route as strum::IntoEnumIterator>::iter()
            .map(|route| {
                let show = |b: Option<Budget>| b.map_or("unlimited".to_string(), |b| b.to_string());
                let name: &str = route.into();
                format!(
                    "{name}={} (per person {})",
                    show(self.address[route.index()]),
                    show(self.person[route.index()])
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Too many requests: how long until the next one would be let through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlowDown {
    pub route: Route,
    pub retry_after: Duration,
    /// Whether the person's budget ran out rather than the address's.
    pub person: bool,
}

impl SlowDown {
    /// Whole seconds for `Retry-After`, never 0.
    pub fn retry_after_secs(&self) -> u64 {
        self.retry_after.as_secs() + u64::from(self.retry_after.subsec_nanos() > 0)
    }
}

/// The live limiters behind [`RateBudgets`].
#[derive(Debug)]
pub struct Rates {
    address: Vec<Option<Keyed<IpAddr>>>,
    person: Vec<Option<Keyed<ParticipantId>>>,
    clock: DefaultClock,
}

impl Rates {
    pub fn new(budgets: &RateBudgets) -> Self {
        fn limiters<K: std::hash::Hash + Eq + Clone>(budgets: &[Option<Budget>]) -> Vec<Option<Keyed<K>>> {
            budgets.iter().map(|b| b.and_then(|b| b.quota()).map(Keyed::keyed)).collect()
        }
        Rates { address: limiters(&budgets.address), person: limiters(&budgets.person), clock: DefaultClock::default() }
    }

    /// Counts one request of `route` from `ip`.
    pub fn check_address(&self, route: Route, ip: IpAddr) -> Result<(), SlowDown> {
        match &self.address[route.index()] {
            Some(limiter) => limiter.check_key(&ip).map_err(|not_until| SlowDown {
                route,
                retry_after: not_until.wait_time_from(self.clock.now()),
                person: false,
            }),
            None => Ok(()),
        }
    }

    /// Counts one request of `route` by `person`.
    pub fn check_person(&self, route: Route, person: &ParticipantId) -> Result<(), SlowDown> {
        match &self.person[route.index()] {
            Some(limiter) => limiter.check_key(person).map_err(|not_until| SlowDown {
                route,
                retry_after: not_until.wait_time_from(self.clock.now()),
                person: true,
            }),
            None => Ok(()),
        }
    }

    fn forget_quiet(&self) {
        for limiter in self.address.iter().flatten() {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        for limiter in self.person.iter().flatten() {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

/// A keyed GCRA limiter (the `governor` crate) on the monotonic clock.
type Keyed<K> = governor::DefaultKeyedRateLimiter<K>;

/// The live counts behind [`Limits`].
#[derive(Debug)]
pub struct Gate {
    limits: Limits,
    /// Connections open from each address, HTTP and WebSocket alike.
    addresses: DashMap<IpAddr, usize>,
    /// Connections open in all.
    open: AtomicUsize,
    /// The most connections open at once, kept below the open-file limit.
    max_connections: usize,
    /// Each address's WebSocket messages, all its connections together.
    messages: Keyed<IpAddr>,
    /// Requests per route class, per address and per person.
    pub rates: Rates,
    /// Each person's connections, oldest first, with the way to close each.
    people: DashMap<ParticipantId, Vec<(u64, oneshot::Sender<()>)>>,
}

impl Default for Gate {
    fn default() -> Self {
        Gate::new(Limits::default())
    }
}

/// Why a new connection was not let in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Its address holds as many connections as one address may.
    Address,
    /// The server holds as many connections as it may.
    Full,
}

/// One connection's place in its address's count and the server's; gives it back when the last
/// clone is dropped. A WebSocket keeps the place of the HTTP connection it was upgraded from.
#[derive(Debug, Clone)]
pub struct AddressSlot(Arc<Slot>);

#[derive(Debug)]
struct Slot {
    gate: Arc<Gate>,
    ip: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let dashmap::Entry::Occupied(mut entry) = self.gate.addresses.entry(self.ip) {
            *entry.get_mut() -= 1;
            if *entry.get() == 0 {
                entry.remove();
            }
        }
        self.gate.open.fetch_sub(1, Ordering::Relaxed);
    }
}

impl AddressSlot {
    /// Whether the address may send one more WebSocket message now.
    pub fn take(&self) -> bool {
        self.0.gate.messages.check_key(&self.0.ip).is_ok()
    }

    /// The remote address.
    pub fn ip(&self) -> IpAddr {
        self.0.ip
    }
}

/// One connection's place among its person's; gives it back when dropped.
#[derive(Debug)]
pub struct PersonSlot {
    gate: Arc<Gate>,
    person: ParticipantId,
    conn: u64,
}

impl Drop for PersonSlot {
    fn drop(&mut self) {
        if let dashmap::Entry::Occupied(mut entry) = self.gate.people.entry(self.person.clone()) {
            entry.get_mut().retain(|(conn, _)| *conn != self.conn);
            if entry.get().is_empty() {
                entry.remove();
            }
        }
    }
}

/// Open files kept for what is not a connection: the database and its journal, backups,
/// uploads being written, the log.
const FILES_KEPT_BACK: u64 = 64;

impl Gate {
    pub fn new(limits: Limits) -> Self {
        let open_files = rustix::process::getrlimit(rustix::process::Resource::Nofile).current;
        Gate::with_open_files(limits, open_files)
    }

    /// A gate for a process that may open `open_files` files (`None`: no limit).
    fn with_open_files(limits: Limits, open_files: Option<u64>) -> Self {
        let below_files = open_files.map_or(usize::MAX, |n| n.saturating_sub(FILES_KEPT_BACK).max(1) as usize);
        let max_connections = limits.max_connections.min(below_files);
        let per_sec =
            NonZeroU32::new(limits.address_messages_per_sec.max(1.0).round() as u32).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(limits.address_burst.max(1.0).round() as u32).unwrap_or(NonZeroU32::MIN);
        Gate {
            messages: Keyed::keyed(Quota::per_second(per_sec).allow_burst(burst)),
            rates: Rates::new(&limits.rates),
            limits,
            addresses: DashMap::new(),
            open: AtomicUsize::new(0),
            max_connections,
            people: DashMap::new(),
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The most connections this server holds at once.
    pub fn max_connections(&self) -> usize {
        self.max_connections
    }

    /// The most connections one address holds at once: the configured cap, and never more than
    /// half the server's, so that one address can never fill it.
    pub fn connections_per_address(&self) -> usize {
        self.limits.connections_per_address.min(self.max_connections / 2).max(1)
    }

    /// A place for one more connection from `ip`, or why there is none.
    pub fn admit(self: &Arc<Self>, ip: IpAddr) -> Result<AddressSlot, Refused> {
        let per_address = self.connections_per_address();
        let mut count = self.addresses.entry(ip).or_insert(0);
        if *count >= per_address {
            return Err(Refused::Address);
        }
        if self.open.fetch_add(1, Ordering::Relaxed) >= self.max_connections {
            self.open.fetch_sub(1, Ordering::Relaxed);
            return Err(Refused::Full);
        }
        *count += 1;
        drop(count);
        Ok(AddressSlot(Arc::new(Slot { gate: self.clone(), ip })))
    }

    /// Connections open now.
    pub fn open_connections(&self) -> usize {
        self.open.load(Ordering::Relaxed)
    }

    /// Counts connection `conn` for `person`. When that makes one too many, the person's oldest
    /// connection is told to close: a person who reconnects from a new network while the old
    /// socket is not yet known dead must get in, and the cap still holds.
    pub fn admit_person(self: &Arc<Self>, person: &ParticipantId, conn: u64) -> (PersonSlot, oneshot::Receiver<()>) {
        let (evict, evicted) = oneshot::channel();
        let mut entry = self.people.entry(person.clone()).or_default();
        entry.push((conn, evict));
        while entry.len() > self.limits.connections_per_person {
            let (_, oldest) = entry.remove(0);
            let _ = oldest.send(());
        }
        (PersonSlot { gate: self.clone(), person: person.clone(), conn }, evicted)
    }

    /// Forgets the rate state of addresses and people not heard from lately: each limiter keeps
    /// a small entry per key, and an attacker with many addresses must not grow them for ever.
    pub fn forget_quiet(&self) {
        self.messages.retain_recent();
        self.messages.shrink_to_fit();
        self.rates.forget_quiet();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_soft_open_file_limit_is_raised_to_the_hard_one() {
        use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
        // Arrange: a soft limit below the hard one (one file less: the other tests keep theirs)
        let hard = getrlimit(Resource::Nofile).maximum;
        if let Some(hard) = hard.filter(|h| *h > 1) {
            setrlimit(Resource::Nofile, Rlimit { current: Some(hard - 1), maximum: Some(hard) }).unwrap();
        }

        // Act
        let (_, now) = raise_open_files();

        // Assert

        let limit = getrlimit(Resource::Nofile);
        assert_eq!(limit.current, now);
        assert_eq!(limit.current, limit.maximum.or(limit.current));
    }

    fn gate(per_address: usize, per_person: usize) -> Arc<Gate> {
        Arc::new(Gate::new(Limits {
            connections_per_address: per_address,
            connections_per_person: per_person,
            ..Limits::default()
        }))
    }

    #[test]
    fn an_address_at_its_cap_gets_no_slot_until_one_is_given_back() {
        let gate = gate(2, 8);
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let (a, b) = (gate.admit(ip).unwrap(), gate.admit(ip).unwrap());
        assert_eq!(gate.admit(ip).err(), Some(Refused::Address));
        assert!(gate.admit("127.0.0.2".parse().unwrap()).is_ok(), "another address is counted apart");
        drop(a);
        assert!(gate.admit(ip).is_ok());
        drop(b);
    }

    #[test]
    fn a_slot_shared_by_an_upgraded_connection_is_given_back_when_both_are_gone() {
        let gate = gate(1, 8);
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let http = gate.admit(ip).unwrap();
        let websocket = http.clone();
        drop(http);
        assert_eq!(gate.admit(ip).err(), Some(Refused::Address), "the WebSocket still holds the place");
        drop(websocket);
        assert!(gate.admit(ip).is_ok());
        assert_eq!(gate.open_connections(), 0);
    }

    #[test]
    fn the_server_holds_no_more_connections_than_its_open_file_limit_allows() {
        // Arrange: 100 files, of which 64 are kept back: 36 connections, 18 per address
        let gate = Arc::new(Gate::with_open_files(Limits::default(), Some(100)));
        let addresses: Vec<IpAddr> = (1..=3).map(|n| format!("127.0.0.{n}").parse().unwrap()).collect();

        // Act
        let mut held = Vec::new();
        let mut refusals = Vec::new();
        for ip in &addresses {
            for _ in 0..20 {
                match gate.admit(*ip) {
                    Ok(slot) => held.push(slot),
                    Err(refused) => refusals.push(refused),
                }
            }
        }

        // Assert
        assert_eq!((gate.max_connections(), gate.connections_per_address()), (36, 18));
        assert_eq!(held.len(), 36);
        assert_eq!(refusals.iter().filter(|r| **r == Refused::Address).count(), 4);
        assert_eq!(refusals.iter().filter(|r| **r == Refused::Full).count(), 20);
    }

    #[test]
    fn a_person_over_the_cap_loses_their_oldest_connection() {
        let gate = gate(10, 2);
        let person = ParticipantId::parse("del-1").unwrap();
        let (_one, mut first) = gate.admit_person(&person, 1);
        let (_two, mut second) = gate.admit_person(&person, 2);
        let (_three, mut third) = gate.admit_person(&person, 3);
        assert!(first.try_recv().is_ok(), "the oldest is told to close");
        assert!(second.try_recv().is_err() && third.try_recv().is_err());
    }

    #[test]
    fn a_closed_connection_no_longer_counts_for_its_person() {
        let gate = gate(10, 1);
        let person = ParticipantId::parse("del-1").unwrap();
        let (one, _first) = gate.admit_person(&person, 1);
        drop(one);
        let (_two, mut second) = gate.admit_person(&person, 2);
        assert!(second.try_recv().is_err());
        assert!(gate.people.get(&person).is_some_and(|p| p.len() == 1));
    }

    #[test]
    fn an_address_may_send_its_burst_of_messages_then_is_refused() {
        let gate =
            Arc::new(Gate::new(Limits { address_messages_per_sec: 1.0, address_burst: 3.0, ..Limits::default() }));
        let slot = gate.admit("127.0.0.1".parse().unwrap()).unwrap();
        assert!((0..3).all(|_| slot.take()));
        assert!(!slot.take());
    }

    #[test]
    fn requests_are_classed_by_what_they_cost() {
        let cases = [
            ("GET", "/healthz", Route::Health),
            ("GET", "/metrics", Route::Health),
            ("GET", "/chair", Route::Files),
            ("GET", "/rostrum_web_bg.wasm", Route::Files),
            ("GET", "/ws", Route::Connect),
            ("GET", "/api/meetings/m1", Route::Read),
            ("GET", "/api/meetings", Route::Read),
            ("GET", "/api/meetings/m1/report", Route::Report),
            ("GET", "/api/processes/p1/report", Route::Report),
            ("POST", "/api/meetings/m1/commands", Route::Write),
            ("POST", "/api/processes/p1/applications", Route::Write),
            ("POST", "/api/meetings/m1/documents/upload", Route::Upload),
            ("POST", "/api/processes/p1/statements", Route::Upload),
            ("GET", "/api/meetings/m1/webhooks", Route::Read),
            ("GET", "/api/webhooks/wh_1/deliveries", Route::Read),
            ("POST", "/api/meetings/m1/webhooks", Route::Write),
            ("POST", "/api/webhooks/wh_1/pause", Route::Write),
            ("DELETE", "/api/webhooks/wh_1", Route::Write),
            ("POST", "/api/meetings/m1/device/requests", Route::Button),
            ("POST", "/api/meetings/m1/device/withdrawals", Route::Button),
            ("GET", "/api/meetings/m1/device/requests", Route::Read),
        ];
        for (method, path, route) in cases {
            assert_eq!(Route::of(method, path), route, "{method} {path}");
        }
    }

    #[test]
    fn a_budget_reads_as_it_is_written_and_bad_ones_say_what_is_expected() {
        assert_eq!("50/s:200".parse::<Budget>(), Ok(Budget::per_second(50, 200)));
        assert_eq!("30/min:10".parse::<Budget>().map(|b| b.to_string()), Ok("30/min:10".into()));
        assert_eq!("read=5/h:2".parse::<RouteBudget>().map(|r| r.0), Ok(Route::Read));
        for bad in ["50", "50/s", "0/s:1", "5/day:1", "x/s:1"] {
            assert!(bad.parse::<Budget>().unwrap_err().contains("such as"), "{bad}");
        }
        assert!("reads=5/s:1".parse::<RouteBudget>().unwrap_err().contains("health, files, read"));
    }

    #[test]
    fn an_address_over_a_routes_budget_is_told_when_to_come_back_and_others_are_not_slowed() {
        // Arrange
        let mut budgets = RateBudgets::unlimited();
        budgets.address[Route::Report.index()] = Some(Budget::per_minute(6, 2));
        let rates = Rates::new(&budgets);
        let (one, two): (IpAddr, IpAddr) = ("127.0.0.1".parse().unwrap(), "127.0.0.2".parse().unwrap());

        // Act
        let first = (rates.check_address(Route::Report, one), rates.check_address(Route::Report, one));
        let third = rates.check_address(Route::Report, one);

        // Assert
        assert_eq!(first, (Ok(()), Ok(())));
        let slow = third.unwrap_err();
        assert!((9..=10).contains(&slow.retry_after_secs()), "{slow:?}");
        assert!(rates.check_address(Route::Report, two).is_ok());
        assert!(rates.check_address(Route::Read, one).is_ok(), "an unlimited class is never refused");
    }

    #[test]
    fn a_persons_budget_is_their_own() {
        let mut budgets = RateBudgets::unlimited();
        budgets.person[Route::Write.index()] = Some(Budget::per_minute(1, 1));
        let rates = Rates::new(&budgets);
        let (chair, delegate) = (ParticipantId::parse("chair").unwrap(), ParticipantId::parse("del-1").unwrap());
        assert!(rates.check_person(Route::Write, &chair).is_ok());
        assert!(rates.check_person(Route::Write, &chair).is_err_and(|s| s.person));
        assert!(rates.check_person(Route::Write, &delegate).is_ok());
    }
}
