//! What one address or one person may hold: connections per remote address (refused at the
//! upgrade beyond the cap), connections per person (the oldest is closed when a newer one goes over
//! the cap), and messages per second per address, shared by all its connections (on top of each
//! connection's own limit).
//!
//! Counts live in `DashMap`s keyed by address and person; an entry goes when its last connection
//! does, so the maps hold only who is connected. Guards are never held across an `.await`.

use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dashmap::DashMap;
use shared::ParticipantId;
use tokio::sync::oneshot;

/// The limits a server enforces; `rostrum serve` flags set them.
#[derive(Debug, Clone)]
pub struct Limits {
    /// WebSockets open at once from one remote address. Generous by default: a venue's delegates
    /// often share one public address behind its Wi-Fi.
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

/// A token bucket: `rate` per second sustained, `burst` at once.
#[derive(Debug)]
pub struct TokenBucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    pub fn new(rate: f64, burst: f64) -> Self {
        TokenBucket { rate, burst, tokens: burst, last: Instant::now() }
    }

    /// Takes one token if there is one.
    pub fn take(&mut self) -> bool {
        let now = Instant::now();
        self.tokens = (self.tokens + now.duration_since(self.last).as_secs_f64() * self.rate).min(self.burst);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[derive(Debug)]
struct Address {
    connections: usize,
    bucket: Arc<Mutex<TokenBucket>>,
}

/// The live counts behind [`Limits`].
#[derive(Debug, Default)]
pub struct Gate {
    limits: Limits,
    addresses: DashMap<IpAddr, Address>,
    /// Each person's connections, oldest first, with the way to close each.
    people: DashMap<ParticipantId, Vec<(u64, oneshot::Sender<()>)>>,
}

/// One connection's place in its address's count; gives it back when dropped.
#[derive(Debug)]
pub struct AddressSlot {
    gate: Arc<Gate>,
    ip: IpAddr,
    /// The address's shared message bucket.
    pub bucket: Arc<Mutex<TokenBucket>>,
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        if let dashmap::Entry::Occupied(mut entry) = self.gate.addresses.entry(self.ip) {
            entry.get_mut().connections -= 1;
            if entry.get().connections == 0 {
                entry.remove();
            }
        }
    }
}

impl AddressSlot {
    /// Whether the address may send one more message now.
    pub fn take(&self) -> bool {
        self.bucket.lock().unwrap_or_else(|e| e.into_inner()).take()
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

impl Gate {
    pub fn new(limits: Limits) -> Self {
        Gate { limits, addresses: DashMap::new(), people: DashMap::new() }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// A slot for one more connection from `ip`, or `None` when the address is at its cap.
    pub fn admit_address(self: &Arc<Self>, ip: IpAddr) -> Option<AddressSlot> {
        let mut entry = self.addresses.entry(ip).or_insert_with(|| Address {
            connections: 0,
            bucket: Arc::new(Mutex::new(TokenBucket::new(
                self.limits.address_messages_per_sec,
                self.limits.address_burst,
            ))),
        });
        if entry.connections >= self.limits.connections_per_address {
            return None;
        }
        entry.connections += 1;
        let bucket = entry.bucket.clone();
        Some(AddressSlot { gate: self.clone(), ip, bucket })
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
        let (a, b) = (gate.admit_address(ip).unwrap(), gate.admit_address(ip).unwrap());
        assert!(gate.admit_address(ip).is_none());
        assert!(gate.admit_address("127.0.0.2".parse().unwrap()).is_some(), "another address is counted apart");
        drop(a);
        assert!(gate.admit_address(ip).is_some());
        drop(b);
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
    fn a_bucket_allows_its_burst_then_refuses() {
        let mut bucket = TokenBucket::new(0.001, 3.0);
        assert!((0..3).all(|_| bucket.take()));
        assert!(!bucket.take());
    }
}
