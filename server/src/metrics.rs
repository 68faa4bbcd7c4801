//! What `GET /metrics` reports, in the Prometheus text format (0.0.4): connections by role, events,
//! the store's commit batches and their latency, fan-out latency, connections closed as too slow,
//! and refusals by code. `docs/operations.md` lists every series with what it means.
//!
//! One set of metrics per process, as Prometheus clients keep them: the places that count (a
//! meeting's actor, the store's writer thread, a connection's task) share nothing else, and
//! passing a handle through all of them would cost more than it tells. Recording is an atomic
//! add, or a read lock and an atomic add for the labelled series; nothing here allocates once a
//! label has been seen.

use std::sync::LazyLock;
use std::time::Duration;

use prometheus_client::encoding::prometheus_text;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use shared::{ErrorCode, Role};

/// The `Content-Type` of the answer.
pub const CONTENT_TYPE: &str = prometheus_text::CONTENT_TYPE;

/// A single label, as Prometheus writes it: `name="value"`.
type Label = [(&'static str, &'static str); 1];

/// Where a refusal went out.
#[derive(Debug, Clone, Copy)]
pub enum Via {
    /// A `rejected` frame, or a WebSocket handshake answered with an error.
    WebSocket,
    /// An HTTP error body.
    Http,
}

/// Every series, registered once.
pub struct Metrics {
    registry: Registry,
    connections: Family<Label, Gauge>,
    events: Counter,
    commit_batch: Histogram,
    commit_seconds: Histogram,
    fanout_seconds: Histogram,
    slow_closes: Counter,
    rejections: Family<[(&'static str, &'static str); 2], Counter>,
}

static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);

/// The process's metrics.
pub fn metrics() -> &'static Metrics {
    &METRICS
}

impl Metrics {
    fn new() -> Metrics {
        let connections = Family::<Label, Gauge>::default();
        let events = Counter::default();
        // 1, 2, 4 … 1024 writes in one transaction (the store folds at most 1024).
        let commit_batch = Histogram::new(exponential_buckets(1.0, 2.0, 11));
        // 100 µs … about 3.3 s: one fsync on a fast disk up to a disk in trouble.
        let commit_seconds = Histogram::new(exponential_buckets(0.000_1, 2.0, 16));
        // 10 µs … about 0.33 s: handing a frame to every screen of one meeting.
        let fanout_seconds = Histogram::new(exponential_buckets(0.000_01, 2.0, 16));
        let slow_closes = Counter::default();
        let rejections = Family::default();
        let mut registry = Registry::with_prefix("rostrum");
        registry.register(
            "connections",
            "WebSocket connections that said hello, by role (anonymous: no token)",
            connections.clone(),
        );
        registry.register("events", "Events made durable and sent to the meetings' screens", events.clone());
        registry.register(
            "commit_batch_size",
            "Writes folded into one transaction by the store's writer",
            commit_batch.clone(),
        );
        registry.register(
            "commit_duration_seconds",
            "Time the store's writer took to commit one transaction, fsync included",
            commit_seconds.clone(),
        );
        registry.register(
            "fanout_duration_seconds",
            "Time a meeting took to hand one committed batch of events to every connected screen",
            fanout_seconds.clone(),
        );
        registry.register(
            "slow_consumer_closes",
            "Connections closed because their queue of frames was full (close code 4008)",
            slow_closes.clone(),
        );
        registry.register(
            "rejections",
            "Refusals sent, by stable code and by transport (websocket or http)",
            rejections.clone(),
        );
        Metrics { registry, connections, events, commit_batch, commit_seconds, fanout_seconds, slow_closes, rejections }
    }

    /// The text Prometheus scrapes.
    pub fn render(&self) -> String {
        let mut text = String::new();
        prometheus_text::encode(&mut text, &self.registry).expect("writing to a String cannot fail");
        text
    }

    /// A connection of `role` (`None`: a screen without a token, such as a room display) joined a meeting; it counts
    /// until the returned guard is dropped.
    pub fn connected(&'static self, role: Option<Role>) -> Connected {
        self.connections.get_or_create(&role_label(role)).inc();
        Connected { role }
    }

    /// `count` events were made durable.
    pub fn events(&self, count: usize) {
        self.events.inc_by(count as u64);
    }

    /// The store's writer committed `writes` in one transaction, in `took`.
    pub fn committed(&self, writes: usize, took: Duration) {
        self.commit_batch.observe(writes as f64);
        self.commit_seconds.observe(took.as_secs_f64());
    }

    /// A meeting handed a batch of events to every screen in `took`.
    pub fn fanned_out(&self, took: Duration) {
        self.fanout_seconds.observe(took.as_secs_f64());
    }

    /// A connection was closed as too slow.
    pub fn closed_as_slow(&self) {
        self.slow_closes.inc();
    }

    /// A refusal with `code` went out.
    pub fn rejected(&self, code: ErrorCode, via: Via) {
        let via = match via {
            Via::WebSocket => "websocket",
            Via::Http => "http",
        };
        self.rejections.get_or_create(&[("code", code.into()), ("via", via)]).inc();
    }
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

fn role_label(role: Option<Role>) -> Label {
    [("role", role.map_or("anonymous", <&str>::from))]
}

/// A connection counted in `rostrum_connections` until dropped. It keeps only the role (a byte):
/// every idle screen's task holds one.
#[derive(Debug)]
pub struct Connected {
    role: Option<Role>,
}

impl Drop for Connected {
    fn drop(&mut self) {
        metrics().connections.get_or_create(&role_label(self.role)).dec();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str, series: &str) -> Option<f64> {
        text.lines().find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
    }

    #[test]
    fn a_connection_counts_under_its_role_until_it_ends() {
        let before = value(&metrics().render(), r#"rostrum_connections{role="interpreter"}"#).unwrap_or(0.0);
        let connected = metrics().connected(Some(Role::Interpreter));
        let during = value(&metrics().render(), r#"rostrum_connections{role="interpreter"}"#);
        drop(connected);
        let after = value(&metrics().render(), r#"rostrum_connections{role="interpreter"}"#);
        assert_eq!((during, after), (Some(before + 1.0), Some(before)));
    }

    #[test]
    fn refusals_are_counted_by_their_wire_code_and_transport() {
        metrics().rejected(ErrorCode::MeetingClosed, Via::Http);
        let text = metrics().render();
        assert!(value(&text, r#"rostrum_rejections_total{code="meeting_closed",via="http"}"#).unwrap() >= 1.0);
        assert!(text.contains("# TYPE rostrum_rejections_total counter"), "{text}");
    }

    #[test]
    fn commits_are_counted_in_buckets_of_size_and_time() {
        metrics().committed(3, Duration::from_millis(2));
        let text = metrics().render();
        assert!(value(&text, r#"rostrum_commit_batch_size_bucket{le="4"}"#).unwrap_or_else(|| panic!("{text}")) >= 1.0);
        assert!(value(&text, "rostrum_commit_duration_seconds_count").unwrap() >= 1.0, "{text}");
    }
}
