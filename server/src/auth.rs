//! Access tokens: JWTs this server issues and verifies itself.
//!
//! HS256 only (the algorithm is pinned, so `alg: none` and algorithm swaps are refused), with
//! required `exp`, `iat`, `aud`, `iss` and `sub`. The secret is generated on first start and kept in
//! the data directory (mode 0600), or given by `ROSTRUM_SECRET`. Tokens are never logged.

use std::fs;
use std::io::Write;
use std::path::Path;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use shared::{MeetingId, MeetingInfo, Millis, Participant, ParticipantId, ProcessId, Profile, Role};

/// Issuer and audience of every Rostrum token.
pub const ISSUER: &str = "rostrum";
/// Audience of the tokens that open meetings (the WebSocket and the participant API).
pub const AUDIENCE: &str = "rostrum.v1";
/// Audience of an organisation's own token: it opens the organisation's page, never a meeting.
pub const ORGANISATION_AUDIENCE: &str = "rostrum.organisation";
/// Seconds of clock skew tolerated on `exp`, `nbf` and `iat`.
const LEEWAY_SECS: u64 = 30;

/// Why a token was refused. The message is safe to show and to log: it never contains the token.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AuthError {
    #[error("the access token has expired; ask the secretariat for a new link")]
    Expired,
    #[error("the access token is not valid (malformed, tampered with, or not issued by this server)")]
    Invalid,
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

    /// Whether the token opens this meeting.
    pub fn opens(&self, meeting: &MeetingInfo) -> bool {
        match (&self.scope.meeting, &self.scope.process) {
            (None, None) => self.role == Role::Secretariat,
            (m, p) => m.as_ref() == Some(&meeting.id) || p.as_ref() == Some(&meeting.process),
        }
    }
}

/// What to put in a new token.
#[derive(Debug, Clone)]
pub struct Grant {
    pub participant: Participant,
    pub scope: Scope,
    pub ttl_secs: i64,
}

/// The signing keys of this deployment.
#[derive(Clone)]
pub struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(..)")
    }
}

impl Keys {
    /// Keys from a secret of at least 32 bytes.
    pub fn from_secret(secret: &[u8]) -> anyhow::Result<Self> {
        anyhow::ensure!(secret.len() >= 32, "the token secret must be at least 32 bytes long");
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // Times are checked in `verify` against the caller's `now`, so that one clock rules.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        Ok(Keys { encoding: EncodingKey::from_secret(secret), decoding: DecodingKey::from_secret(secret), validation })
    }

    /// The deployment's keys: `ROSTRUM_SECRET` when set, else `secret.key` in the data directory,
    /// created with 32 random bytes on first use.
    pub fn load_or_create(data_dir: &Path) -> anyhow::Result<Self> {
        if let Ok(secret) = std::env::var("ROSTRUM_SECRET") {
            return Self::from_secret(secret.as_bytes());
        }
        let path = data_dir.join("secret.key");
        if let Ok(hex) = fs::read_to_string(&path) {
            return Self::from_secret(&decode_hex(hex.trim())?);
        }
        let mut secret = [0u8; 32];
        rand::rng().fill_bytes(&mut secret);
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&path)?;
        file.write_all(encode_hex(&secret).as_bytes())?;
        file.sync_all()?;
        tracing::info!(path = %path.display(), "generated a new token secret");
        Self::from_secret(&secret)
    }

    /// Signs a meeting token for `grant`, issued at `now`.
    pub fn mint(&self, grant: &Grant, now: Millis) -> String {
        self.mint_for(grant, now, AUDIENCE, None)
    }

    /// Signs a token for `audience`, naming the organisation `org` when it comes through
    /// accreditation.
    pub fn mint_for(&self, grant: &Grant, now: Millis, audience: &str, org: Option<&str>) -> String {
        let iat = now.0 / 1000;
        let claims = Claims {
            iss: ISSUER.into(),
            aud: audience.into(),
            sub: grant.participant.id.to_string(),
            iat,
            exp: iat + grant.ttl_secs,
            nbf: None,
            jti: random_id(),
            name: grant.participant.name.clone(),
            role: grant.participant.role,
            delegation: grant.participant.delegation.clone(),
            organisation: grant.participant.organisation.clone(),
            scope: grant.scope.clone(),
            org: org.map(String::from),
            profile: Profile { gender: None, ..grant.participant.profile.clone() },
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 signing of plain claims cannot fail")
    }

    /// Checks a token's signature, algorithm, issuer, audience and times.
    pub fn verify(&self, token: &str, now: Millis) -> Result<Claims, AuthError> {
        self.verify_for(token, now, AUDIENCE)
    }

    /// Checks a token meant for `audience`.
    pub fn verify_for(&self, token: &str, now: Millis, audience: &str) -> Result<Claims, AuthError> {
        use jsonwebtoken::errors::ErrorKind;
        let mut validation = self.validation.clone();
        validation.set_audience(&[audience]);
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation).map_err(|e| match e.kind() {
            ErrorKind::ExpiredSignature => AuthError::Expired,
            _ => AuthError::Invalid,
        })?;
        let claims = data.claims;
        let now = now.0 / 1000;
        let leeway = LEEWAY_SECS as i64;
        if claims.exp + leeway < now {
            return Err(AuthError::Expired);
        }
        if claims.iat > now + leeway || claims.nbf.is_some_and(|nbf| nbf > now + leeway) {
            return Err(AuthError::Invalid);
        }
        Ok(claims)
    }
}

/// 16 random bytes as hex: ids for tokens, epochs and participants.
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    encode_hex(&bytes)
}

fn encode_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn decode_hex(text: &str) -> anyhow::Result<Vec<u8>> {
    anyhow::ensure!(text.len().is_multiple_of(2), "secret.key is not hex");
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).map_err(|_| anyhow::anyhow!("secret.key is not hex")))
        .collect()
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
}
