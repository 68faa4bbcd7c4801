//! The public forms' guard (issue 12): the application form and written statement submission
//! take a request only with a fresh proof of work (`shared::proof`), and only so many per hour
//! from one address and to one process.
//!
//! Challenges are stateless: each is sealed with HMAC-SHA256 under a secret drawn once and kept in
//! the store (`TokenStore::shared_secret`), so that a challenge fetched from one node is taken by
//! any other and survives a restart. What is kept in memory is the set of challenges already
//! spent, each until its expiry, so that one solution buys one submission from each node. Documented in `docs/api.md`, "Public forms".

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use dashmap::DashMap;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::Deserialize;
use sha2::Sha256;
use shared::proof::{Challenge, ChallengeAnswer, Form, Proof, ProofError};
use shared::{Error, ErrorCode};
use warp::filters::BoxedFilter;
use warp::http::StatusCode;
use warp::reply::Response;
use warp::{Filter, Rejection as WarpRejection, Reply};

use super::{reject, ApiError};

/// The remote address of a request's connection, put in the request's extensions by the accept
/// loop (warp's own `addr::remote` knows only servers it runs itself).
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

/// Spent challenges kept at most: with the default limits a day's legitimate traffic is far
/// below; a flood of solved proofs beyond this is refused rather than let grow the memory.
const MAX_SPENT: usize = 100_000;

/// The name of the secret the challenges are sealed with, in the store's `secrets`.
pub const FORMS_SECRET: &str = "forms";

/// A fresh random secret for `FORMS_SECRET`, for the store to keep if it has none.
pub fn fresh_secret() -> [u8; 32] {
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    secret
}

/// How often expired spent challenges and idle limiter keys are forgotten.
const PURGE_EVERY_SECS: u64 = 60;

/// How much of one form a client may send (`0` turns a limit off).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormQuota {
    /// Submissions per hour from one address (an IPv6 address counts by its /64).
    pub per_address_per_hour: u32,
    /// How many of those may come at once.
    pub address_burst: u32,
    /// Submissions per hour to one process, from every address together.
    pub per_process_per_hour: u32,
}

impl FormQuota {
    /// No limit at all.
    pub const OFF: FormQuota = FormQuota { per_address_per_hour: 0, address_burst: 0, per_process_per_hour: 0 };
}

/// The public forms' settings (`rostrum serve --proof-bits …`, `--applications-per-hour …`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormLimits {
    /// Leading zero bits a proof must have; `0` asks for no proof.
    pub proof_bits: u8,
    /// How long a challenge may be used after it is handed out.
    pub proof_ttl: Duration,
    /// The application form's limits.
    pub applications: FormQuota,
    /// Written statement submission's limits.
    pub statements: FormQuota,
}

impl Default for FormLimits {
    /// 17 bits (about 130,000 hashes: about a second in a phone's browser), challenges good for
    /// ten minutes; 10 applications an hour per address (3 at once) and 200 per process; 30
    /// statements an hour per address (10 at once: a delegation's room shares one address) and
    /// 500 per process.
    fn default() -> Self {
        FormLimits {
            proof_bits: 17,
            proof_ttl: Duration::from_secs(600),
            applications: FormQuota { per_address_per_hour: 10, address_burst: 3, per_process_per_hour: 200 },
            statements: FormQuota { per_address_per_hour: 30, address_burst: 10, per_process_per_hour: 500 },
        }
    }
}

impl FormLimits {
    /// No proof and no limits: for tests and scripts that post many forms.
    pub fn off() -> Self {
        FormLimits {
            proof_bits: 0,
            proof_ttl: Duration::from_secs(600),
            applications: FormQuota::OFF,
            statements: FormQuota::OFF,
        }
    }
}

/// One form's rate limiters.
struct Limiters {
    address: Option<DefaultKeyedRateLimiter<IpAddr>>,
    process: Option<DefaultKeyedRateLimiter<String>>,
}

impl Limiters {
    fn new(quota: FormQuota) -> Self {
        let per_hour = |n: u32, burst: u32| {
            let n = NonZeroU32::new(n)?;
            let burst = NonZeroU32::new(burst).unwrap_or(n);
            Some(Quota::per_hour(n).allow_burst(burst))
        };
        Limiters {
            address: per_hour(quota.per_address_per_hour, quota.address_burst).map(RateLimiter::keyed),
            process: per_hour(quota.per_process_per_hour, quota.per_process_per_hour).map(RateLimiter::keyed),
        }
    }
}

/// What the public forms share: the challenges' secret, the spent ones, and the limiters.
pub struct Forms {
    limits: FormLimits,
    secret: [u8; 32],
    /// Spent challenges (their MAC) and their expiry in Unix seconds.
    spent: DashMap<String, u64>,
    last_purge: AtomicU64,
    applications: Limiters,
    statements: Limiters,
}

impl std::fmt::Debug for Forms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Forms").field("limits", &self.limits).field("spent", &self.spent.len()).finish_non_exhaustive()
    }
}

/// An over-the-limit refusal, answered as 429 `rate_limited` with `Retry-After`.
#[derive(Debug)]
pub struct Limited {
    error: Error,
    retry_after_secs: u64,
}

impl warp::reject::Reject for Limited {}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

fn refused(code: ErrorCode, message: impl Into<String>) -> WarpRejection {
    reject(ApiError::new(code, message))
}

/// The key an address is counted under: an IPv4 address, or an IPv6 address's /64 (one
/// subscriber's usual allocation, which a script could otherwise walk through).
fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                IpAddr::V6(segments.into())
            }
        },
        v4 => v4,
    }
}

impl Forms {
    /// The forms' state, sealing challenges with `secret` (`FORMS_SECRET` in the store).
    pub fn new(limits: FormLimits, secret: [u8; 32]) -> Self {
        Forms {
            limits,
            secret,
            spent: DashMap::new(),
            last_purge: AtomicU64::new(now_secs()),
            applications: Limiters::new(limits.applications),
            statements: Limiters::new(limits.statements),
        }
    }

    fn mac(&self) -> Hmac<Sha256> {
        Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC takes a key of any length")
    }

    /// A fresh challenge for `form`, sealed, valid from `now` (Unix seconds) for the configured
    /// time.
    pub fn challenge(&self, form: Form, now: u64) -> ChallengeAnswer {
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        let expires_at = now + self.limits.proof_ttl.as_secs();
        let challenge = Challenge::new(form, expires_at, self.limits.proof_bits, salt);
        let mac = self.mac().chain_update(challenge.payload()).finalize().into_bytes();
        ChallengeAnswer { challenge: challenge.seal(&mac), difficulty: challenge.difficulty, expires_at }
    }

    /// Takes a proof for `form` sent in the header (or refuses it), and marks it spent: its MAC,
    /// its form, its expiry at `now`, its work, and that it was not spent before — in that order.
    pub fn take_proof(&self, form: Form, header: Option<&str>, now: u64) -> Result<(), WarpRejection> {
        if self.limits.proof_bits == 0 {
            return Ok(());
        }
        let invalid = |e: ProofError| {
            refused(
                ErrorCode::ProofInvalid,
                format!("{e} Fetch a new one from GET /api/challenge?form={} and solve it.", form.as_str()),
            )
        };
        let Some(header) = header else {
            return Err(refused(
                ErrorCode::ProofRequired,
                format!(
                    "This form needs a proof of work: fetch a challenge from GET /api/challenge?form={}, solve it, and send it as Rostrum-Proof: <challenge>:<nonce>.",
                    form.as_str()
                ),
            ));
        };
        let proof = Proof::parse(header).map_err(invalid)?;
        let opened = Challenge::open(&proof.challenge).map_err(invalid)?;
        let mac = hex::decode(opened.mac).map_err(|_| invalid(ProofError::Malformed))?;
        self.mac().chain_update(opened.payload).verify_slice(&mac).map_err(|_| invalid(ProofError::Malformed))?;
        match proof.check(&opened, form, now) {
            Ok(()) => {}
            Err(ProofError::Expired) => {
                return Err(refused(
                    ErrorCode::ProofExpired,
                    format!(
                        "The challenge has expired: fetch a new one from GET /api/challenge?form={}.",
                        form.as_str()
                    ),
                ))
            }
            Err(other) => return Err(invalid(other)),
        }
        self.purge(now);
        if self.spent.len() >= MAX_SPENT {
            tracing::warn!(spent = self.spent.len(), "too many solved challenges in flight; refusing more");
            return Err(self.limited("Too many submissions right now; try again in a minute.", PURGE_EVERY_SECS));
        }
        if self.spent.insert(opened.mac.to_string(), opened.challenge.expires_at).is_some() {
            return Err(refused(
                ErrorCode::ProofReused,
                "This proof was used already: each submission needs a challenge of its own.",
            ));
        }
        Ok(())
    }

    /// Counts one submission of `form` from `ip` to `process`, or refuses it when the address or
    /// the process has had its share.
    pub fn admit(&self, form: Form, ip: Option<IpAddr>, process: &str) -> Result<(), WarpRejection> {
        let limiters = match form {
            Form::Application => &self.applications,
            Form::Statement => &self.statements,
        };
        let what = match form {
            Form::Application => "applications",
            Form::Statement => "statements",
        };
        let clock = DefaultClock::default();
        if let (Some(limiter), Some(ip)) = (&limiters.address, ip) {
            if let Err(not_until) = limiter.check_key(&address_key(ip)) {
                let wait = not_until.wait_time_from(clock.now());
                tracing::info!(%ip, form = form.as_str(), "public form refused: address over its limit");
                return Err(
                    self.limited(&format!("Too many {what} from your address; try again later."), ceil_secs(wait))
                );
            }
        }
        if let Some(limiter) = &limiters.process {
            if let Err(not_until) = limiter.check_key(&process.to_string()) {
                let wait = not_until.wait_time_from(clock.now());
                tracing::warn!(process, form = form.as_str(), "public form refused: process over its limit");
                return Err(self.limited(
                    &format!("The process has taken as many {what} as it may this hour; try again later."),
                    ceil_secs(wait),
                ));
            }
        }
        Ok(())
    }

    fn limited(&self, message: &str, retry_after_secs: u64) -> WarpRejection {
        warp::reject::custom(Limited { error: Error::new(ErrorCode::RateLimited, message), retry_after_secs })
    }

    /// Forgets expired spent challenges and idle limiter keys, at most once a minute.
    fn purge(&self, now: u64) {
        let last = self.last_purge.load(Ordering::Relaxed);
        if now < last + PURGE_EVERY_SECS
            || self.last_purge.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_err()
        {
            return;
        }
        self.spent.retain(|_, expires_at| *expires_at >= now);
        for limiters in [&self.applications, &self.statements] {
            if let Some(limiter) = &limiters.address {
                limiter.retain_recent();
            }
            if let Some(limiter) = &limiters.process {
                limiter.retain_recent();
            }
        }
    }
}

fn ceil_secs(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

/// The guard in front of a public form at `/api/processes/{process}/…`: a proof first, then the
/// limits, before the body is read or a token looked at.
pub fn guard(forms: Arc<Forms>, form: Form) -> BoxedFilter<()> {
    warp::path::full()
        .and(warp::header::optional::<String>(shared::proof::HEADER))
        .and(warp::ext::optional::<Peer>())
        .and_then(move |path: warp::path::FullPath, proof: Option<String>, peer: Option<Peer>| {
            let forms = forms.clone();
            async move {
                forms.take_proof(form, proof.as_deref(), now_secs())?;
                let process = path.as_str().split('/').nth(3).unwrap_or_default();
                forms.admit(form, peer.map(|p| p.0.ip()), process)
            }
        })
        .untuple_one()
        .boxed()
}

/// Answers a [`Limited`] refusal as 429 `rate_limited` with `Retry-After`; passes any other on.
pub async fn retry_after(rejection: WarpRejection) -> Result<Response, WarpRejection> {
    let Some(limited) = rejection.find::<Limited>() else { return Err(rejection) };
    let body = warp::reply::with_status(warp::reply::json(&limited.error), StatusCode::TOO_MANY_REQUESTS);
    Ok(warp::reply::with_header(body, "retry-after", limited.retry_after_secs.max(1).to_string()).into_response())
}

#[derive(Deserialize)]
struct ChallengeQuery {
    form: Option<String>,
}

/// `GET /api/challenge?form=application|statement`.
pub fn routes(forms: Arc<Forms>) -> BoxedFilter<(Response,)> {
    warp::path!("api" / "challenge")
        .and(warp::get())
        .and(warp::query::<ChallengeQuery>().or(warp::any().map(|| ChallengeQuery { form: None })).unify())
        .and_then(move |query: ChallengeQuery| {
            let forms = forms.clone();
            async move {
                let form = query.form.as_deref().and_then(|f| f.parse::<Form>().ok()).ok_or_else(|| {
                    refused(
                        ErrorCode::BadRequest,
                        "Say which form the challenge is for: ?form=application or ?form=statement.",
                    )
                })?;
                let answer = forms.challenge(form, now_secs());
                Ok::<_, WarpRejection>(
                    warp::reply::with_header(warp::reply::json(&answer), "cache-control", "no-store").into_response(),
                )
            }
        })
        .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(bits: u8) -> Forms {
        Forms::new(FormLimits { proof_bits: bits, ..FormLimits::off() }, fresh_secret())
    }

    /// A challenge of `forms` for `form` at `now`, solved: a header's value, and its expiry.
    fn solved(forms: &Forms, form: Form, now: u64) -> (String, u64) {
        let answer = forms.challenge(form, now);
        let nonce = shared::proof::solve(&answer.challenge, answer.difficulty);
        (Proof { nonce, challenge: answer.challenge }.to_string(), answer.expires_at)
    }

    fn code(rejection: WarpRejection) -> ErrorCode {
        rejection.find::<ApiError>().expect("an API error").code()
    }

    #[test]
    fn a_solved_challenge_is_taken_once() {
        let forms = forms(6);
        let (header, _) = solved(&forms, Form::Application, 1000);

        let first = forms.take_proof(Form::Application, Some(&header), 1000);
        let second = forms.take_proof(Form::Application, Some(&header), 1000);

        assert!(first.is_ok());
        assert_eq!(code(second.unwrap_err()), ErrorCode::ProofReused);
    }

    #[test]
    fn a_challenge_of_another_server_is_invalid() {
        let (ours, theirs) = (forms(4), forms(4));
        let (header, _) = solved(&theirs, Form::Statement, 1000);

        let taken = ours.take_proof(Form::Statement, Some(&header), 1000);

        assert_eq!(code(taken.unwrap_err()), ErrorCode::ProofInvalid);
    }

    #[test]
    fn an_expired_challenge_is_refused_as_expired() {
        let forms = forms(4);
        let (header, expires_at) = solved(&forms, Form::Application, 1000);

        let taken = forms.take_proof(Form::Application, Some(&header), expires_at + 1);

        assert_eq!(code(taken.unwrap_err()), ErrorCode::ProofExpired);
    }

    #[test]
    fn an_ipv6_address_counts_by_its_64() {
        let one: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let same_subnet: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();

        assert_eq!(address_key(one), address_key(same_subnet));
        assert_eq!(address_key(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
    }
}
