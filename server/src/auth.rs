//! Access tokens: JWTs this server issues and verifies itself.
//!
//! HS256 only (the algorithm is pinned, so `alg: none` and algorithm swaps are refused), with
//! required `exp`, `iat`, `aud`, `iss` and `sub`. Tokens name their signing key (`kid`) in a ring
//! of keys that can be rotated with an overlap window ([`keyring`]). The first secret is generated
//! on first start and kept in the data directory (mode 0600), or given by `ROSTRUM_SECRET`. Tokens
//! and secrets are never logged.

pub mod keyring;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::RwLock;
use std::time::{Duration, Instant, SystemTime};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use shared::{MeetingId, Millis, Participant, ParticipantId, ProcessId, Profile, Role};
use tokio::sync::watch;

use self::keyring::KeyFile;

/// Issuer and audience of every Rostrum token.
pub const ISSUER: &str = "rostrum";
/// Audience of the tokens that open meetings (the WebSocket and the participant API).
pub const AUDIENCE: &str = "rostrum.v1";
/// Audience of an organisation's own token: it opens the organisation's page, never a meeting.
pub const ORGANISATION_AUDIENCE: &str = "rostrum.organisation";
/// Audience of a conference system's token: it relays seat buttons, never opens a meeting.
pub const DEVICE_AUDIENCE: &str = "rostrum.device";
/// Every audience the HTTP API accepts, the person's first (its errors say the most).
pub const API_AUDIENCES: [&str; 3] = [AUDIENCE, ORGANISATION_AUDIENCE, DEVICE_AUDIENCE];
/// Seconds of clock skew tolerated on `exp`, `nbf` and `iat`.
const LEEWAY_SECS: u64 = 30;

/// Why a token was refused. The message is safe to show and to log: it never contains the token.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AuthError {
    #[error("the access token has expired; ask the secretariat for a new link")]
    Expired,
    #[error("the access token is not valid (malformed, tampered with, or not issued by this server)")]
    Invalid,
    #[error("the access token was signed with a key that has been retired; ask the secretariat for a new link")]
    Retired,
    #[error("the access token does not give access to this meeting")]
    WrongMeeting,
    #[error("a token is required")]
    Missing,
}

/// Which meetings a token opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Scope {
    /// One meeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<MeetingId>,
    /// Every meeting of a process.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<ProcessId>,
}

impl Scope {
    /// The claims' form of a scope the policy reads.
    pub fn of(scope: &shared::Scope) -> Scope {
        match scope {
            shared::Scope::Meeting { meeting, .. } => Scope { meeting: Some(meeting.clone()), process: None },
            shared::Scope::Process { process } => Scope { meeting: None, process: Some(process.clone()) },
            shared::Scope::Everything => Scope::default(),
        }
    }

    /// The scope as the policy reads it. `process_of` names the process of a meeting this server
    /// runs. Only the secretariat's tokens open everything: any other names what it opens.
    pub fn resolve(
        &self,
        role: Role,
        process_of: impl Fn(&MeetingId) -> Option<ProcessId>,
    ) -> Result<shared::Scope, AuthError> {
        Ok(match (&self.meeting, &self.process) {
            (None, None) if role == Role::Secretariat => shared::Scope::Everything,
            (None, None) => return Err(AuthError::Invalid),
            (Some(meeting), process) => {
                let of = process_of(meeting);
                match process {
                    // A token naming a meeting and its own process opens the whole process.
                    Some(process) if of.as_ref() == Some(process) => {
                        shared::Scope::Process { process: process.clone() }
                    }
                    _ => shared::Scope::Meeting { meeting: meeting.clone(), process: of },
                }
            }
            (None, Some(process)) => shared::Scope::Process { process: process.clone() },
        })
    }
}

/// The claims of a Rostrum access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// The participant id.
    pub sub: String,
    /// Issued at, seconds since the epoch.
    pub iat: i64,
    /// Expires at, seconds since the epoch.
    pub exp: i64,
    /// Not valid before, seconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    /// Token id, for the record and for revocation.
    pub jti: String,
    pub name: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// Which meetings the token opens. Empty only for the secretariat, who may enter every meeting.
    #[serde(default)]
    pub scope: Scope,
    /// The accredited organisation the person represents (its id), when the token was issued
    /// through accreditation: the server checks that the accreditation still stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    /// The constituency and country the secretariat recorded for the person, for the parity
    /// figures. Never a gender: that is only ever the speaker's own declaration.
    #[serde(default, skip_serializing_if = "Profile::is_empty")]
    pub profile: Profile,
    /// The id of the key the token verified with (`k0` for a token without one), filled by
    /// [`Keys::verify_for`]: a session ends when that key retires. Not a claim.
    #[serde(skip)]
    pub kid: String,
}

impl Claims {
    /// The person the token describes.
    pub fn participant(&self) -> Result<Participant, AuthError> {
        Ok(Participant {
            id: ParticipantId::parse(self.sub.clone()).map_err(|_| AuthError::Invalid)?,
            name: self.name.clone(),
            role: self.role,
            delegation: self.delegation.clone(),
            organisation: self.organisation.clone(),
            profile: Profile { gender: None, ..self.profile.clone() },
        })
    }

    /// The verified holder of the token, as the policy reads them. `process_of` names the process
    /// of a meeting this server runs, so that a one-meeting token knows its process.
    pub fn principal(
        &self,
        process_of: impl Fn(&MeetingId) -> Option<ProcessId>,
    ) -> Result<shared::Principal, AuthError> {
        let scope = self.scope.resolve(self.role, process_of)?;
        let holder = match self.aud.as_str() {
            ORGANISATION_AUDIENCE => {
                // An organisation's own token always names the organisation it is.
                if self.org.is_none() {
                    return Err(AuthError::Invalid);
                }
                shared::Holder::Organisation
            }
            // A device speaks for no organisation.
            DEVICE_AUDIENCE if self.org.is_some() => return Err(AuthError::Invalid),
            DEVICE_AUDIENCE => shared::Holder::Device,
            _ => shared::Holder::Person,
        };
        Ok(shared::Principal {
            person: self.participant()?,
            holder,
            accredited: self.org.clone(),
            scope,
            key: self.kid.clone(),
            token: self.jti.clone(),
            expires_at: Millis(self.exp.saturating_mul(1000)),
        })
    }
}

/// What to put in a new token.
#[derive(Debug, Clone)]
pub struct Grant {
    pub participant: Participant,
    pub scope: Scope,
    pub ttl_secs: i64,
}

/// One key of the ring, ready to sign or verify.
struct Key {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    /// Seconds since the epoch from which the key verifies nothing.
    retires_at: Option<i64>,
}

/// When a session opened with a token must end, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    /// The first moment at which [`Keys::verify`] refuses the token.
    pub at: Millis,
    pub cause: Lapse,
}

/// Why a token that verified stops verifying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lapse {
    /// Its `exp` passed, with the clock skew verification allows.
    Expired,
    /// The key that signed it retired.
    KeyRetired,
}

impl Deadline {
    /// The deadline of a token expiring at `exp` (seconds), signed by a key that retires at
    /// `retires_at` (seconds, `None`: not retiring): the earlier of the two moments `verify`
    /// starts refusing it. It refuses an expired token once the whole second `exp + leeway` has
    /// passed, and a retired key's from the second it retires.
    pub fn of(exp: i64, retires_at: Option<i64>) -> Deadline {
        let expires = exp.saturating_add(LEEWAY_SECS as i64 + 1).saturating_mul(1000);
        match retires_at.map(|at| at.saturating_mul(1000)) {
            Some(retires) if retires < expires => Deadline { at: Millis(retires), cause: Lapse::KeyRetired },
            _ => Deadline { at: Millis(expires), cause: Lapse::Expired },
        }
    }
}

/// The keys in force, and where they came from.
struct Ring {
    /// Oldest first; the newest that has not retired signs.
    keys: Vec<Key>,
    /// `keys.json` and its modification time when loaded, to pick up a rotation without a restart.
    source: Option<(PathBuf, Option<SystemTime>)>,
    /// When the file was last looked at.
    checked: Instant,
}

impl Ring {
    fn from_file(file: &KeyFile) -> anyhow::Result<Ring> {
        let keys = file
            .keys
            .iter()
            .map(|k| {
                let secret = decode_secret(&k.secret)?;
                anyhow::ensure!(secret.len() >= 32, "the token secret {} is shorter than 32 bytes", k.kid);
                Ok(Key {
                    kid: k.kid.clone(),
                    encoding: EncodingKey::from_secret(&secret),
                    decoding: DecodingKey::from_secret(&secret),
                    retires_at: k.retires_at,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        anyhow::ensure!(!keys.is_empty(), "the key ring is empty");
        Ok(Ring { keys, source: None, checked: Instant::now() })
    }

    /// The key that signs at `now`: the newest not yet retired (the newest of all if every key has
    /// retired, which `rotate` never leaves behind).
    fn signing(&self, now_secs: i64) -> &Key {
        self.keys
            .iter()
            .rev()
            .find(|k| k.retires_at.is_none_or(|at| at > now_secs))
            .unwrap_or(&self.keys[self.keys.len() - 1])
    }
}

fn sign(claims: &Claims, key: &Key) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(key.kid.clone());
    jsonwebtoken::encode(&header, claims, &key.encoding).expect("HS256 signing of plain claims cannot fail")
}

/// How often the server looks at `keys.json` for a rotation.
const RELOAD_EVERY: Duration = Duration::from_secs(1);

/// The signing keys of this deployment: a ring of keys with ids (see [`keyring`]).
pub struct Keys {
    ring: RwLock<Ring>,
    validation: Validation,
    /// Counts the reloads of the ring, so that sessions recompute their deadlines.
    changes: watch::Sender<u64>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(..)")
    }
}

impl Keys {
    /// A ring of one key, `k0`, from a secret of at least 32 bytes.
    pub fn from_secret(secret: &[u8]) -> anyhow::Result<Self> {
        anyhow::ensure!(secret.len() >= 32, "the token secret must be at least 32 bytes long");
        let file = KeyFile {
            keys: vec![keyring::StoredKey {
                kid: keyring::LEGACY_KID.into(),
                secret: hex::encode(secret),
                created_at: 0,
                retires_at: None,
            }],
        };
        Self::from_file(&file)
    }

    /// Keys from a key ring.
    pub fn from_file(file: &KeyFile) -> anyhow::Result<Self> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // Times are checked in `verify` against the caller's `now`, so that one clock rules.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        Ok(Keys { ring: RwLock::new(Ring::from_file(file)?), validation, changes: watch::Sender::new(0) })
    }

    /// The deployment's keys: `ROSTRUM_SECRET` when set (one key, `k0`), else the ring in the data
    /// directory (`keys.json`, or `secret.key` created with 32 random bytes on first use). A ring
    /// read from `keys.json` is read again when the file changes, so a rotation needs no restart.
    pub fn load_or_create(data_dir: &Path) -> anyhow::Result<Self> {
        if let Ok(secret) = std::env::var("ROSTRUM_SECRET") {
            return Self::from_secret(secret.as_bytes());
        }
        let file = KeyFile::load_or_create(data_dir, crate::clock::now().0 / 1000)?;
        let keys = Self::from_file(&file)?;
        let path = data_dir.join(keyring::KEYS_FILE);
        let modified = fs::metadata(&path).and_then(|m| m.modified()).ok();
        keys.ring.write().unwrap_or_else(|e| e.into_inner()).source = Some((path, modified));
        Ok(keys)
    }

    /// Reads `keys.json` again when it changed since it was last read (at most once a second).
    fn refresh(&self) {
        self.reload(false)
    }

    /// Reads `keys.json` again when it changed since it was last read: at once when `now`, else
    /// at most once a second. Every session hears of a change through [`Keys::changes`].
    pub fn reload(&self, now: bool) {
        {
            let ring = self.ring.read().unwrap_or_else(|e| e.into_inner());
            if ring.source.is_none() || (!now && ring.checked.elapsed() < RELOAD_EVERY) {
                return;
            }
        }
        let mut ring = self.ring.write().unwrap_or_else(|e| e.into_inner());
        ring.checked = Instant::now();
        let Some((path, seen)) = ring.source.clone() else { return };
        let modified = fs::metadata(&path).and_then(|m| m.modified()).ok();
        if modified.is_none() || modified == seen {
            return;
        }
        let loaded = fs::read_to_string(&path)
            .map_err(anyhow::Error::from)
            .and_then(|text| Ok(serde_json::from_str::<KeyFile>(&text)?))
            .and_then(|file| Ring::from_file(&file));
        match loaded {
            Ok(mut fresh) => {
                tracing::info!(keys = fresh.keys.len(), "token keys reloaded");
                fresh.source = Some((path, modified));
                *ring = fresh;
                drop(ring);
                self.changes.send_modify(|reloads| *reloads += 1);
            }
            // Keep the keys in force; try again when the file changes again.
            Err(error) => {
                tracing::error!(%error, "could not reload the token keys; keeping the ones in force");
                ring.source = Some((path, modified));
            }
        }
    }

    /// Changes whenever the ring is reloaded: a session's deadline may have moved.
    pub fn changes(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// When the key `kid` retires (seconds since the epoch); `None` while it is in force with no
    /// retirement set. A key the ring no longer holds counts as retired since the epoch.
    pub fn retires_at(&self, kid: &str) -> Option<i64> {
        let ring = self.ring.read().unwrap_or_else(|e| e.into_inner());
        match ring.keys.iter().find(|k| k.kid == kid) {
            Some(key) => key.retires_at,
            None => Some(0),
        }
    }

    /// When a session opened with these (verified) claims must end, by the ring in force.
    pub fn deadline(&self, claims: &Claims) -> Deadline {
        Deadline::of(claims.exp, self.retires_at(&claims.kid))
    }
    /// When a session of this principal must end: its token's expiry or its key's retirement.
    pub fn deadline_of(&self, principal: &shared::Principal) -> Deadline {
        Deadline::of(principal.expires_at.0 / 1000, self.retires_at(&principal.key))
    }

    /// Signs a meeting token for `grant`, issued at `now`.
    pub fn mint(&self, grant: &Grant, now: Millis) -> String {
        self.mint_for(grant, now, AUDIENCE, None)
    }

    /// Signs a token for `audience`, naming the organisation `org` when it comes through
    /// accreditation.
    pub fn mint_for(&self, grant: &Grant, now: Millis, audience: &str, org: Option<&str>) -> String {
        self.mint_claims(grant, now, audience, org).2
    }

    /// Signs a meeting token for `grant` and returns its claims and the key that signed it too, so
    /// that the same token can be signed again later ([`Keys::sign_again`]) without keeping it.
    pub fn mint_claims(
        &self,
        grant: &Grant,
        now: Millis,
        audience: &str,
        org: Option<&str>,
    ) -> (Claims, String, String) {
        let iat = now.0 / 1000;
        let claims = Claims {
            iss: ISSUER.into(),
            aud: audience.into(),
            sub: grant.participant.id.to_string(),
            iat,
            exp: iat.saturating_add(grant.ttl_secs),
            nbf: None,
            jti: random_id(),
            name: grant.participant.name.clone(),
            role: grant.participant.role,
            delegation: grant.participant.delegation.clone(),
            organisation: grant.participant.organisation.clone(),
            scope: grant.scope.clone(),
            org: org.map(String::from),
            profile: Profile { gender: None, ..grant.participant.profile.clone() },
            kid: String::new(),
        };
        self.refresh();
        let ring = self.ring.read().unwrap_or_else(|e| e.into_inner());
        let key = ring.signing(iat);
        let token = sign(&claims, key);
        (claims, key.kid.clone(), token)
    }

    /// The token with these claims as key `kid` signed it: the same characters as when it was
    /// minted (HS256 is deterministic). `None` once that key has retired or left the ring, when
    /// the token no longer works anyway.
    pub fn sign_again(&self, claims: &Claims, kid: &str, now: Millis) -> Option<String> {
        self.refresh();
        let ring = self.ring.read().unwrap_or_else(|e| e.into_inner());
        let key = ring.keys.iter().find(|k| k.kid == kid)?;
        if key.retires_at.is_some_and(|at| at <= now.0 / 1000) {
            return None;
        }
        Some(sign(claims, key))
    }

    /// Checks a token's signature, algorithm, issuer, audience and times.
    pub fn verify(&self, token: &str, now: Millis) -> Result<Claims, AuthError> {
        self.verify_for(token, now, AUDIENCE)
    }

    /// Checks a token meant for `audience`: its key id must name a key of the ring that has not
    /// retired (no key id: the legacy key `k0`).
    pub fn verify_for(&self, token: &str, now: Millis, audience: &str) -> Result<Claims, AuthError> {
        use jsonwebtoken::errors::ErrorKind;
        let now = now.0 / 1000;
        let header = jsonwebtoken::decode_header(token).map_err(|_| AuthError::Invalid)?;
        let kid = header.kid.as_deref().unwrap_or(keyring::LEGACY_KID);
        let mut validation = self.validation.clone();
        validation.set_audience(&[audience]);
        self.refresh();
        let data = {
            let ring = self.ring.read().unwrap_or_else(|e| e.into_inner());
            let key = ring.keys.iter().find(|k| k.kid == kid).ok_or(AuthError::Invalid)?;
            if key.retires_at.is_some_and(|at| at <= now) {
                return Err(AuthError::Retired);
            }
            jsonwebtoken::decode::<Claims>(token, &key.decoding, &validation).map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => AuthError::Expired,
                _ => AuthError::Invalid,
            })?
        };
        let mut claims = data.claims;
        claims.kid = kid.to_string();
        let leeway = LEEWAY_SECS as i64;
        if claims.exp.saturating_add(leeway) < now {
            return Err(AuthError::Expired);
        }
        if claims.iat > now.saturating_add(leeway) || claims.nbf.is_some_and(|nbf| nbf > now.saturating_add(leeway)) {
            return Err(AuthError::Invalid);
        }
        Ok(claims)
    }
}

/// The id (`jti`) a token names, read **without verifying** the token: to print the id of a token
/// just minted, or to revoke a token pasted whole. Never a reason to trust anything else in it.
pub fn token_id(token: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Id {
        jti: String,
    }
    let id = jsonwebtoken::dangerous::insecure_decode::<Id>(token).ok()?.claims.jti;
    parse_token_id(&id)
}

/// A token id as given to revoke it: 1 to 128 letters, digits, `-`, `_`, `.` or `:`.
pub fn parse_token_id(text: &str) -> Option<String> {
    let valid = (1..=128).contains(&text.len())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
    valid.then(|| text.to_string())
}

/// 16 random bytes as hex: ids for tokens, epochs and participants.
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A stored signing secret (hex) as bytes.
pub(crate) fn decode_secret(text: &str) -> anyhow::Result<Vec<u8>> {
    hex::decode(text).map_err(|_| anyhow::anyhow!("the token secret is not hex"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(role: Role) -> Grant {
        Grant {
            participant: Participant {
                id: ParticipantId::parse("p1").unwrap(),
                name: "Ana".into(),
                role,
                delegation: Some("Chile".into()),
                organisation: None,
                profile: Default::default(),
            },
            scope: Scope { meeting: Some(MeetingId::parse("m1").unwrap()), process: None },
            ttl_secs: 3600,
        }
    }

    #[test]
    fn a_minted_token_verifies_and_names_the_person() {
        let keys = Keys::from_secret(&[7u8; 32]).unwrap();
        let token = keys.mint(&grant(Role::Delegate), Millis(1_700_000_000_000));
        let claims = keys.verify(&token, Millis(1_700_000_001_000)).unwrap();
        assert_eq!(claims.participant().unwrap().delegation.as_deref(), Some("Chile"));
    }

    #[test]
    fn an_expired_token_is_refused_as_expired() {
        let keys = Keys::from_secret(&[7u8; 32]).unwrap();
        let token = keys.mint(&grant(Role::Delegate), Millis(1_000_000_000_000));
        assert_eq!(keys.verify(&token, Millis(1_000_000_000_000 + 3_700_000)), Err(AuthError::Expired));
    }

    #[test]
    fn a_token_expiring_at_the_end_of_time_verifies_without_overflow() {
        let keys = Keys::from_secret(&[7u8; 32]).unwrap();
        let mut forever = grant(Role::Observer);
        forever.ttl_secs = i64::MAX;
        let token = keys.mint(&forever, Millis(1_700_000_000_000));
        let claims = keys.verify(&token, Millis(1_700_000_001_000)).unwrap();
        assert_eq!(claims.exp, i64::MAX);
    }

    #[test]
    fn a_token_signed_with_another_secret_is_refused() {
        let ours = Keys::from_secret(&[7u8; 32]).unwrap();
        let theirs = Keys::from_secret(&[8u8; 32]).unwrap();
        let token = theirs.mint(&grant(Role::Chair), crate::clock::now());
        assert_eq!(ours.verify(&token, crate::clock::now()), Err(AuthError::Invalid));
    }

    #[test]
    fn a_token_with_alg_none_is_refused() {
        let keys = Keys::from_secret(&[7u8; 32]).unwrap();
        let token = keys.mint(&grant(Role::Chair), crate::clock::now());
        let payload = token.split('.').nth(1).unwrap();
        let forged = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{payload}.");
        assert_eq!(keys.verify(&forged, crate::clock::now()), Err(AuthError::Invalid));
    }

    fn ring(overlap_secs: i64, rotate_at: i64) -> (KeyFile, KeyFile) {
        let before = KeyFile {
            keys: vec![keyring::StoredKey {
                kid: "k0".into(),
                secret: "07".repeat(32),
                created_at: 0,
                retires_at: None,
            }],
        };
        let mut after = before.clone();
        after.rotate(rotate_at, overlap_secs);
        (before, after)
    }

    #[test]
    fn after_a_rotation_new_tokens_name_the_new_key_and_old_ones_work_until_the_old_key_retires() {
        let start = 1_800_000_000;
        let (before, after) = ring(3600, start);
        let old = Keys::from_file(&before).unwrap().mint(&grant(Role::Delegate), Millis(start * 1000));
        let rotated = Keys::from_file(&after).unwrap();
        let new = rotated.mint(&grant(Role::Delegate), Millis(start * 1000));
        assert_eq!(jsonwebtoken::decode_header(&new).unwrap().kid.as_deref(), Some("k1"));
        assert!(rotated.verify(&old, Millis((start + 3599) * 1000)).is_ok(), "within the overlap");
        assert_eq!(rotated.verify(&old, Millis((start + 3600) * 1000)), Err(AuthError::Retired));
        assert!(rotated.verify(&new, Millis((start + 3600) * 1000)).is_ok());
    }

    #[test]
    fn a_token_without_a_key_id_is_taken_as_the_legacy_key_s_until_it_retires() {
        let start = 1_800_000_000;
        let (_, after) = ring(60, start);
        // A token from before key ids: the same claims under a header without `kid`.
        let token = Keys::from_secret(&[7u8; 32]).unwrap().mint(&grant(Role::Chair), Millis(start * 1000));
        let data = jsonwebtoken::dangerous::insecure_decode::<Claims>(&token).unwrap().claims;
        let legacy =
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &data, &EncodingKey::from_secret(&[7u8; 32])).unwrap();
        assert_eq!(jsonwebtoken::decode_header(&legacy).unwrap().kid, None);
        let rotated = Keys::from_file(&after).unwrap();
        assert!(rotated.verify(&legacy, Millis(start * 1000)).is_ok());
        assert_eq!(rotated.verify(&legacy, Millis((start + 60) * 1000)), Err(AuthError::Retired));
    }

    #[test]
    fn a_session_s_deadline_is_the_first_moment_its_token_is_refused_for_expiry() {
        let start = 1_800_000_000;
        let keys = Keys::from_secret(&[7u8; 32]).unwrap();
        let token = keys.mint(&grant(Role::Delegate), Millis(start * 1000));
        let claims = keys.verify(&token, Millis(start * 1000)).unwrap();

        let deadline = keys.deadline(&claims);

        assert_eq!(deadline.cause, Lapse::Expired);
        assert!(keys.verify(&token, Millis(deadline.at.0 - 1)).is_ok());
        assert_eq!(keys.verify(&token, deadline.at), Err(AuthError::Expired));
    }

    #[test]
    fn a_session_s_deadline_is_its_key_s_retirement_when_that_comes_first() {
        let start = 1_800_000_000;
        let (before, after) = ring(600, start);
        let token = Keys::from_file(&before).unwrap().mint(&grant(Role::Chair), Millis(start * 1000));
        let rotated = Keys::from_file(&after).unwrap();
        let claims = rotated.verify(&token, Millis(start * 1000)).unwrap();

        let deadline = rotated.deadline(&claims);

        assert_eq!((claims.kid.as_str(), deadline.cause), ("k0", Lapse::KeyRetired));
        assert!(rotated.verify(&token, Millis(deadline.at.0 - 1)).is_ok());
        assert_eq!(rotated.verify(&token, deadline.at), Err(AuthError::Retired));
    }

    #[test]
    fn a_deadline_takes_the_earlier_lapse_and_never_overflows() {
        let expiry = Deadline::of(1_000, None);
        assert_eq!(expiry, Deadline { at: Millis(1_031_000), cause: Lapse::Expired });
        assert_eq!(Deadline::of(1_000, Some(2_000)), expiry, "the key retires after the token expires");
        assert_eq!(Deadline::of(1_000, Some(900)), Deadline { at: Millis(900_000), cause: Lapse::KeyRetired });
        assert_eq!(Deadline::of(i64::MAX, Some(i64::MAX)).at, Millis(i64::MAX));
    }

    #[test]
    fn a_key_the_ring_no_longer_holds_counts_as_retired() {
        let keys = Keys::from_secret(&[7u8; 32]).unwrap();
        assert_eq!((keys.retires_at("k0"), keys.retires_at("k9")), (None, Some(0)));
    }

    #[test]
    fn a_token_s_id_is_read_from_the_token_and_ids_are_checked() {
        let keys = Keys::from_secret(&[7u8; 32]).unwrap();
        let token = keys.mint(&grant(Role::Chair), crate::clock::now());
        let claims = keys.verify(&token, crate::clock::now()).unwrap();
        assert_eq!(token_id(&token), Some(claims.jti.clone()));
        assert_eq!(token_id(&claims.jti), None, "an id is not a token");
        assert_eq!(parse_token_id(&claims.jti), Some(claims.jti));
        assert_eq!(parse_token_id("two words"), None);
        assert_eq!(parse_token_id(""), None);
    }

    #[test]
    fn a_token_naming_an_unknown_key_is_refused() {
        let keys = Keys::from_secret(&[7u8; 32]).unwrap();
        let token = keys.mint(&grant(Role::Chair), crate::clock::now());
        let data = jsonwebtoken::dangerous::insecure_decode::<Claims>(&token).unwrap().claims;
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some("k9".into());
        let forged = jsonwebtoken::encode(&header, &data, &EncodingKey::from_secret(&[7u8; 32])).unwrap();
        assert_eq!(keys.verify(&forged, crate::clock::now()), Err(AuthError::Invalid));
    }

    #[test]
    fn a_secret_that_is_not_hex_is_refused_with_a_sentence() {
        assert_eq!(decode_secret("0aFf").unwrap(), vec![0x0a, 0xff]);
        for bad in ["abc", "zz", "+f", "é1"] {
            assert_eq!(decode_secret(bad).unwrap_err().to_string(), "the token secret is not hex", "{bad}");
        }
        let ids = (random_id(), random_id());
        assert!(
            ids.0 != ids.1
                && ids.0.len() == 32
                && ids.0.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
    }
}
