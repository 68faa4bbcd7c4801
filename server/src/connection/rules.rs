//! The rules one connection lives by, decided without I/O: how long a client has to say `hello`,
//! how fast it may send, when it is pinged and when it is given up for dead, and when its session
//! ends (eviction, revocation, its token's deadline).
//!
//! Every call takes `now`; nothing here reads a clock, touches a socket or awaits. The driver in
//! `connection.rs` feeds events in with [`Rules::handle_input`] and [`Rules::handle_text`], sleeps
//! until [`Rules::poll_timeout`], calls [`Rules::handle_timeout`] when it wakes, and carries out
//! each [`Output`], as quinn-proto's connections and firezone's relay do. So the rules are tested by
//! handing in instants, with no sockets and no runtime.

use std::cell::Cell;
use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};
use shared::protocol::close;
use shared::ErrorCode;

use crate::auth::Lapse;
use crate::limits::Limits;

/// Time a client has to say `hello`.
pub const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// What a client that said nothing in [`HELLO_TIMEOUT`] is told.
const NO_HELLO: &str = "No hello within 10 seconds.";
/// Sustained messages per second a client may send, and the burst above it.
const RATE_PER_SEC: NonZeroU32 = NonZeroU32::new(20).expect("not zero");
const RATE_BURST: NonZeroU32 = NonZeroU32::new(50).expect("not zero");
/// Messages refused for rate in a row before the connection is closed as a flood.
const FLOOD_STRIKES: u32 = 100;

/// The numbers the rules are made of.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// Messages per second a connection may send, sustained.
    pub rate: NonZeroU32,
    /// Messages it may send at once above the sustained rate.
    pub burst: NonZeroU32,
    /// Messages refused for rate in a row before the connection closes as a flood.
    pub strikes: u32,
    /// Silence after which the peer is pinged, and again as long as it stays silent.
    pub ping_every: Duration,
    /// Silence after which the peer counts as dead.
    pub idle_timeout: Duration,
}

impl Config {
    /// The rules of a server with these limits.
    pub fn new(limits: &Limits) -> Config {
        Config {
            rate: RATE_PER_SEC,
            burst: RATE_BURST,
            strikes: FLOOD_STRIKES,
            ping_every: limits.ping_every(),
            idle_timeout: limits.idle_timeout,
        }
    }
}

/// When a session's token stops opening sessions, by the clock the rules are given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenDeadline {
    pub at: Instant,
    pub cause: Lapse,
}

/// Something that happened to the connection, other than a text message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// `hello` was accepted: the session is open. One opened with a token ends at its deadline.
    Hello { deadline: Option<TokenDeadline> },
    /// A frame that asks nothing of the server (a ping, a pong, a fragment): the peer is alive.
    Frame,
    /// A binary message, which Rostrum does not speak.
    Binary,
    /// The signing keys changed: the session's token now lapses at `deadline`.
    DeadlineMoved { deadline: Option<TokenDeadline> },
    /// The person opened one connection too many, and this one is their oldest.
    Evicted,
    /// The person's access was revoked.
    Revoked { reason: &'static str },
}

/// What the driver is to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Read the text message just handed in and act on it.
    Forward,
    /// Answer the message just handed in with this rejection, and go on.
    Reject { code: ErrorCode, message: &'static str },
    /// Ask the silent peer for a pong.
    Ping,
    /// Close the connection with this code and reason; nothing more is read.
    Close { code: u16, reason: &'static str },
}

/// Where the connection is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Waiting for `hello` until the instant given.
    Hello {
        until: Instant,
    },
    Open,
    Closed,
}

/// governor's clock, showing the `now` of the call being decided: the limiter reads no clock of
/// its own, so the rules stay deterministic.
#[derive(Debug)]
struct Given(Cell<Instant>);

impl Clock for Given {
    type Instant = Instant;

    fn now(&self) -> Instant {
        self.0.get()
    }
}

/// One connection's rules: timers, rate and the ways its session ends.
#[derive(Debug)]
pub struct Rules {
    config: Config,
    phase: Phase,
    /// When the peer was last heard from.
    heard: Instant,
    /// When the peer is next pinged if it stays silent.
    next_ping: Instant,
    token: Option<TokenDeadline>,
    /// Messages refused for rate in a row.
    strikes: u32,
    limiter: RateLimiter<NotKeyed, InMemoryState, Given, NoOpMiddleware<Instant>>,
}

impl Rules {
    /// The rules of a connection upgraded at `now`, waiting for its `hello`.
    pub fn new(now: Instant, config: Config) -> Rules {
        let quota = Quota::per_second(config.rate).allow_burst(config.burst);
        Rules {
            config,
            phase: Phase::Hello { until: now + HELLO_TIMEOUT },
            heard: now,
            next_ping: now + config.ping_every,
            token: None,
            strikes: 0,
            limiter: RateLimiter::direct_with_clock(quota, Given(Cell::new(now))),
        }
    }

    /// Takes in an event at `now`; returns what to do about it, if anything.
    pub fn handle_input(&mut self, now: Instant, input: Input) -> Option<Output> {
        if self.phase == Phase::Closed {
            return None;
        }
        match input {
            Input::Hello { deadline } => {
                self.phase = Phase::Open;
                self.token = deadline;
                self.hear(now);
            }
            Input::DeadlineMoved { deadline } => self.token = deadline,
            Input::Frame | Input::Binary => self.hear(now),
            Input::Evicted | Input::Revoked { .. } => {}
        }
        // Past the deadline nothing more counts: a message that comes after it is never acted on,
        // even when it is read before the timer fires.
        if let Some(lapse) = self.lapsed(now) {
            return Some(lapse);
        }
        match input {
            Input::Hello { .. } | Input::DeadlineMoved { .. } | Input::Frame => None,
            Input::Binary => Some(Output::Reject {
                code: ErrorCode::BadMessage,
                message: "Rostrum speaks JSON in text frames, not binary frames.",
            }),
            Input::Evicted => {
                tracing::info!("one connection too many for this person; closing the oldest");
                Some(self.close(close::TOO_MANY_CONNECTIONS, "replaced by a newer connection"))
            }
            Input::Revoked { reason } => {
                tracing::info!(reason, "access revoked; closing");
                Some(self.close(close::REVOKED, reason))
            }
        }
    }

    /// Takes in a text message at `now`. `address` asks the limiter its remote address shares with
    /// its other connections; it is asked only when the connection's own limit lets the message
    /// through, so that a connection over its own limit does not spend its address's allowance.
    pub fn handle_text(&mut self, now: Instant, address: impl FnOnce() -> bool) -> Option<Output> {
        if self.phase == Phase::Closed {
            return None;
        }
        self.hear(now);
        if let Some(lapse) = self.lapsed(now) {
            return Some(lapse);
        }
        self.limiter.clock().0.set(now);
        // Both limits are asked, so that a flood spread over many connections of one address is
        // held back by the address's limit even when each connection stays under its own.
        if self.limiter.check().is_ok() && address() {
            self.strikes = 0;
            return Some(Output::Forward);
        }
        self.strikes += 1;
        if self.strikes >= self.config.strikes {
            tracing::warn!("message flood; closing");
            return Some(self.close(close::RATE_LIMITED, "too many messages"));
        }
        Some(Output::Reject { code: ErrorCode::RateLimited, message: "Too many messages; slow down." })
    }

    /// The next instant at which [`Rules::handle_timeout`] has something to do; `None` once the
    /// connection is closed.
    pub fn poll_timeout(&self) -> Option<Instant> {
        match self.phase {
            Phase::Hello { until } => Some(until),
            Phase::Open => {
                let idle = self.heard + self.config.idle_timeout;
                let earliest = self.next_ping.min(idle);
                Some(self.token.map_or(earliest, |token| earliest.min(token.at)))
            }
            Phase::Closed => None,
        }
    }

    /// Acts on the timers due at `now`: a ping, or a close for a missing `hello`, a dead peer or a
    /// lapsed token.
    pub fn handle_timeout(&mut self, now: Instant) -> Option<Output> {
        match self.phase {
            Phase::Hello { until } if now >= until => Some(self.close(close::PROTOCOL_ERROR, NO_HELLO)),
            Phase::Hello { .. } | Phase::Closed => None,
            Phase::Open => {
                if let Some(lapse) = self.lapsed(now) {
                    return Some(lapse);
                }
                if now >= self.heard + self.config.idle_timeout {
                    tracing::info!("no traffic within the idle timeout; dropping the connection");
                    return Some(self.close(close::GOING_AWAY, "idle timeout"));
                }
                if now >= self.next_ping {
                    // Again a whole period later, however late this call came.
                    self.next_ping = now + self.config.ping_every;
                    return Some(Output::Ping);
                }
                None
            }
        }
    }

    /// The peer was heard from at `now`.
    fn hear(&mut self, now: Instant) {
        self.heard = now;
        self.next_ping = now + self.config.ping_every;
    }

    /// The close of a session whose token no longer holds at `now`.
    fn lapsed(&mut self, now: Instant) -> Option<Output> {
        let token = self.token.filter(|token| now >= token.at)?;
        tracing::info!(cause = ?token.cause, "the session's token no longer holds; closing");
        Some(match token.cause {
            Lapse::Expired => self.close(close::TOKEN_EXPIRED, "access token expired"),
            Lapse::KeyRetired => self.close(close::KEY_RETIRED, "access token's signing key retired"),
        })
    }

    fn close(&mut self, code: u16, reason: &'static str) -> Output {
        self.phase = Phase::Closed;
        Output::Close { code, reason }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    fn millis(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// The server's default limits: a ping after 20 seconds of silence, dropped after 60.
    fn config() -> Config {
        Config::new(&Limits::default())
    }

    /// Rules whose `hello` was accepted at `t0`, with no token deadline.
    fn open(t0: Instant) -> Rules {
        open_until(t0, None)
    }

    fn open_until(t0: Instant, deadline: Option<TokenDeadline>) -> Rules {
        let mut rules = Rules::new(t0, config());
        assert_eq!(rules.handle_input(t0, Input::Hello { deadline }), None);
        rules
    }

    fn expiring(at: Instant) -> Option<TokenDeadline> {
        Some(TokenDeadline { at, cause: Lapse::Expired })
    }

    /// Sends `n` text messages at `now` that the address lets through; what the rules said to each.
    fn texts(rules: &mut Rules, now: Instant, n: usize) -> Vec<Option<Output>> {
        (0..n).map(|_| rules.handle_text(now, || true)).collect()
    }

    fn close(code: u16, reason: &'static str) -> Option<Output> {
        Some(Output::Close { code, reason })
    }

    const RATE_LIMITED: Option<Output> =
        Some(Output::Reject { code: ErrorCode::RateLimited, message: "Too many messages; slow down." });

    #[test]
    fn a_client_that_says_nothing_for_ten_seconds_is_closed_for_want_of_hello() {
        // Arrange
        let t0 = Instant::now();
        let mut rules = Rules::new(t0, config());

        // Act
        let early = rules.handle_timeout(t0 + secs(10) - millis(1));
        let due = rules.handle_timeout(t0 + secs(10));

        // Assert
        assert_eq!(early, None);
        assert_eq!(due, close(close::PROTOCOL_ERROR, "No hello within 10 seconds."));
        assert_eq!(rules.poll_timeout(), None, "a closed connection has no timers");
    }

    #[test]
    fn a_client_that_says_hello_in_time_is_not_closed_at_the_hello_timeout() {
        // Arrange
        let t0 = Instant::now();
        let mut rules = Rules::new(t0, config());

        // Act
        let hello = rules.handle_input(t0 + secs(9), Input::Hello { deadline: None });
        let at_hello_timeout = rules.handle_timeout(t0 + secs(10));

        // Assert
        assert_eq!(hello, None);
        assert_eq!(at_hello_timeout, None);
        assert_eq!(rules.poll_timeout(), Some(t0 + secs(29)), "the first ping, 20 seconds after hello");
    }

    #[test]
    fn a_quiet_connection_is_pinged_every_twenty_seconds_then_dropped_at_sixty() {
        // Arrange
        let t0 = Instant::now();
        let mut rules = open(t0);

        // Act
        let mut seen = Vec::new();
        while let Some(at) = rules.poll_timeout() {
            seen.push((at - t0, rules.handle_timeout(at)));
        }

        // Assert
        assert_eq!(
            seen,
            [
                (secs(20), Some(Output::Ping)),
                (secs(40), Some(Output::Ping)),
                (secs(60), close(close::GOING_AWAY, "idle timeout")),
            ]
        );
    }

    #[test]
    fn a_pong_keeps_a_quiet_connection_alive_for_another_idle_timeout() {
        // Arrange
        let t0 = Instant::now();
        let mut rules = open(t0);
        assert_eq!(rules.handle_timeout(t0 + secs(20)), Some(Output::Ping));

        // Act
        let pong = rules.handle_input(t0 + secs(50), Input::Frame);

        // Assert
        assert_eq!(pong, None);
        assert_eq!(rules.handle_timeout(t0 + secs(60)), None, "not dropped at the first idle timeout");
        assert_eq!(rules.poll_timeout(), Some(t0 + secs(70)), "pinged 20 seconds after the pong");
    }

    #[test]
    fn any_message_resets_the_silence_a_ping_waits_for() {
        // Arrange
        let t0 = Instant::now();
        let mut rules = open(t0);

        // Act
        let text = rules.handle_text(t0 + secs(15), || true);
        let binary = rules.handle_input(t0 + secs(16), Input::Binary);

        // Assert
        assert_eq!(text, Some(Output::Forward));
        assert_eq!(
            binary,
            Some(Output::Reject {
                code: ErrorCode::BadMessage,
                message: "Rostrum speaks JSON in text frames, not binary frames."
            })
        );
        assert_eq!(rules.handle_timeout(t0 + secs(20)), None);
        assert_eq!(rules.poll_timeout(), Some(t0 + secs(36)));
    }

    #[test]
    fn a_burst_of_fifty_passes_and_the_fifty_first_is_refused_for_rate() {
        // Arrange
        let t0 = Instant::now();
        let mut rules = open(t0);

        // Act
        let burst = texts(&mut rules, t0, 50);
        let next = rules.handle_text(t0, || true);

        // Assert
        assert!(burst.iter().all(|output| *output == Some(Output::Forward)), "{burst:?}");
        assert_eq!(next, RATE_LIMITED);
    }

    #[test]
    fn after_a_burst_one_message_passes_every_fiftieth_of_a_second() {
        // Arrange
        let t0 = Instant::now();
        let mut rules = open(t0);
        texts(&mut rules, t0, 50);

        // Act
        let too_soon = rules.handle_text(t0 + millis(49), || true);
        let in_time = rules.handle_text(t0 + millis(50), || true);
        let again = rules.handle_text(t0 + millis(50), || true);

        // Assert
        assert_eq!(too_soon, RATE_LIMITED);
        assert_eq!(in_time, Some(Output::Forward));
        assert_eq!(again, RATE_LIMITED);
    }

    #[test]
    fn a_hundred_refusals_in_a_row_close_the_connection_as_a_flood() {
        // Arrange
        let t0 = Instant::now();
        let mut rules = open(t0);
        texts(&mut rules, t0, 50);

        // Act
        let refused = texts(&mut rules, t0, 99);
        let hundredth = rules.handle_text(t0, || true);

        // Assert
        assert!(refused.iter().all(|output| *output == RATE_LIMITED), "{refused:?}");
        assert_eq!(hundredth, close(close::RATE_LIMITED, "too many messages"));
        assert_eq!(rules.handle_text(t0 + secs(10), || true), None, "nothing is read after the close");
    }

    #[test]
    fn a_message_let_through_starts_the_strikes_again() {
        // Arrange
        let t0 = Instant::now();
        let mut rules = open(t0);
        texts(&mut rules, t0, 50 + 99);

        // Act
        let through = rules.handle_text(t0 + millis(50), || true);
        let refused = texts(&mut rules, t0 + millis(50), 99);

        // Assert
        assert_eq!(through, Some(Output::Forward));
        assert!(refused.iter().all(|output| *output == RATE_LIMITED), "still open: {refused:?}");
    }

    #[test]
    fn a_message_the_address_refuses_counts_as_a_strike() {
        // Arrange
        let t0 = Instant::now();
        let mut rules = open(t0);

        // Act
        let first = rules.handle_text(t0, || false);
        let refused = (1..99).map(|i| rules.handle_text(t0 + millis(50 * i), || false)).collect::<Vec<_>>();
        let hundredth = rules.handle_text(t0 + secs(5), || false);

        // Assert
        assert_eq!(first, RATE_LIMITED);
        assert!(refused.iter().all(|output| *output == RATE_LIMITED), "{refused:?}");
        assert_eq!(hundredth, close(close::RATE_LIMITED, "too many messages"));
    }

    #[test]
    fn the_address_is_not_asked_about_a_message_the_connection_refuses() {
        // Arrange
        let t0 = Instant::now();
        let mut rules = open(t0);
        texts(&mut rules, t0, 50);
        let mut asked = false;

        // Act
        let refused = rules.handle_text(t0, || {
            asked = true;
            true
        });

        // Assert
        assert_eq!(refused, RATE_LIMITED);
        assert!(!asked, "the address's allowance was left for its other connections");
    }

    #[test]
    fn an_evicted_connection_closes_as_one_too_many() {
        // Arrange
        let t0 = Instant::now();
        let mut rules = open(t0);

        // Act
        let evicted = rules.handle_input(t0 + secs(1), Input::Evicted);

        // Assert
        assert_eq!(evicted, close(close::TOO_MANY_CONNECTIONS, "replaced by a newer connection"));
        assert_eq!(rules.poll_timeout(), None);
    }

    #[test]
    fn a_revocation_closes_the_connection_with_its_reason() {
        // Arrange
        let t0 = Instant::now();
        let mut rules = open(t0);

        // Act
        let revoked = rules.handle_input(t0 + secs(1), Input::Revoked { reason: "accreditation revoked" });

        // Assert
        assert_eq!(revoked, close(close::REVOKED, "accreditation revoked"));
    }

    #[test]
    fn a_session_closes_when_its_token_expires() {
        // Arrange
        let t0 = Instant::now();
        let mut rules = open_until(t0, expiring(t0 + secs(5)));

        // Act
        let due = rules.poll_timeout();
        let expired = rules.handle_timeout(t0 + secs(5));

        // Assert
        assert_eq!(due, Some(t0 + secs(5)), "the deadline comes before the first ping");
        assert_eq!(expired, close(close::TOKEN_EXPIRED, "access token expired"));
    }

    #[test]
    fn a_message_read_after_the_deadline_is_never_forwarded() {
        // Arrange
        let t0 = Instant::now();
        let mut rules = open_until(t0, expiring(t0 + secs(5)));

        // Act: read before the timer fired
        let late = rules.handle_text(t0 + secs(5), || true);

        // Assert
        assert_eq!(late, close(close::TOKEN_EXPIRED, "access token expired"));
    }

    #[test]
    fn a_ping_due_before_the_deadline_comes_first() {
        // Arrange
        let t0 = Instant::now();
        let mut rules = open_until(t0, expiring(t0 + secs(30)));

        // Act
        let first = rules.poll_timeout();
        let ping = rules.handle_timeout(t0 + secs(20));
        let second = rules.poll_timeout();

        // Assert
        assert_eq!(first, Some(t0 + secs(20)));
        assert_eq!(ping, Some(Output::Ping));
        assert_eq!(second, Some(t0 + secs(30)));
    }

    #[test]
    fn a_key_retired_before_the_token_expires_moves_the_deadline_forward() {
        // Arrange
        let t0 = Instant::now();
        let mut rules = open_until(t0, expiring(t0 + secs(3600)));
        let retired = Some(TokenDeadline { at: t0 + secs(5), cause: Lapse::KeyRetired });

        // Act
        let moved = rules.handle_input(t0 + secs(1), Input::DeadlineMoved { deadline: retired });
        let due = rules.poll_timeout();
        let closed = rules.handle_timeout(t0 + secs(5));

        // Assert
        assert_eq!(moved, None);
        assert_eq!(due, Some(t0 + secs(5)));
        assert_eq!(closed, close(close::KEY_RETIRED, "access token's signing key retired"));
    }

    #[test]
    fn a_deadline_moved_later_is_not_kept_at_the_old_one() {
        // Arrange
        let t0 = Instant::now();
        let mut rules = open_until(t0, Some(TokenDeadline { at: t0 + secs(5), cause: Lapse::KeyRetired }));

        // Act: the retirement was called off
        rules.handle_input(t0 + secs(1), Input::DeadlineMoved { deadline: expiring(t0 + secs(3600)) });
        let at_old_deadline = rules.handle_timeout(t0 + secs(5));

        // Assert
        assert_eq!(at_old_deadline, None);
        assert_eq!(rules.poll_timeout(), Some(t0 + secs(20)), "the next ping");
    }

    #[test]
    fn a_deadline_already_past_closes_the_session_at_once() {
        // Arrange
        let t0 = Instant::now();
        let mut rules = Rules::new(t0, config());

        // Act
        let hello = rules.handle_input(t0 + secs(1), Input::Hello { deadline: expiring(t0) });

        // Assert
        assert_eq!(hello, close(close::TOKEN_EXPIRED, "access token expired"));
    }

    /// A small deterministic generator for the property below (xorshift64).
    struct Dice(u64);

    impl Dice {
        fn roll(&mut self, sides: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % sides
        }
    }

    #[test]
    fn whatever_happens_timers_lie_ahead_the_rate_holds_and_a_close_is_final() {
        for seed in 1..=300u64 {
            // Arrange
            let mut dice = Dice(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let t0 = Instant::now();
            let deadline = expiring(t0 + millis(dice.roll(120_000)));
            let mut rules = open_until(t0, deadline);
            let (mut now, mut forwarded, mut closed) = (t0, 0u32, false);

            for _ in 0..2_000 {
                // Act: one event, a little later than the last
                let longest = if dice.roll(200) == 0 { 30_000 } else { 20 };
                now += millis(dice.roll(longest));
                let output = match dice.roll(6) {
                    0..=2 => rules.handle_text(now, || dice.roll(10) != 0),
                    3 => rules.handle_input(now, Input::Frame),
                    4 => {
                        now = now.max(rules.poll_timeout().unwrap_or(now));
                        let output = rules.handle_timeout(now);
                        // Assert: every timer due was handled
                        if let Some(next) = rules.poll_timeout() {
                            assert!(next > now, "seed {seed}: a timer left in the past");
                        }
                        output
                    }
                    _ => rules.handle_input(now, Input::Binary),
                };

                // Assert
                assert!(!closed || output.is_none(), "seed {seed}: {output:?} after the close");
                closed |= matches!(output, Some(Output::Close { .. }));
                forwarded += u32::from(output == Some(Output::Forward));
                let allowed = 50.0 + 20.0 * (now - t0).as_secs_f64();
                assert!(f64::from(forwarded) <= allowed, "seed {seed}: {forwarded} forwarded, {allowed} allowed");
                if let Some(deadline) = deadline.filter(|d| now >= d.at) {
                    assert!(closed, "seed {seed}: open at {:?}, past the deadline", deadline.at - t0);
                }
            }
        }
    }
}
