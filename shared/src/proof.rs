//! Proof of work for the public forms (issue 12): before a form is taken, the sender finds a
//! `nonce` such that SHA-256(`challenge` `:` `nonce`) starts with `difficulty` zero bits — about a
//! second of a phone's time, and as long again for every further application a script sends.
//!
//! The server hands out challenges and seals each with a MAC under its own secret; this module is
//! the part the server, the web client and the tests share: the challenge's text, the
//! `Rostrum-Proof` header, checking the work and finding it. No clock, no randomness and no key
//! here: the server passes `now`, the random salt, and checks the MAC itself.
//!
//! A sealed challenge reads `FORM.EXPIRES_AT.DIFFICULTY.SALT.MAC`, e.g.
//! `application.1795938235.18.9f2c….c0ff…`: the form it is for, its expiry in Unix seconds, the
//! zero bits asked for, 32 hex digits of salt, and the MAC of everything before the last dot.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The request header that carries a proof: `Rostrum-Proof: <challenge>:<nonce>`.
pub const HEADER: &str = "rostrum-proof";

/// Most zero bits a challenge may ask for: 2^32 hashes is hours, not a second.
pub const MAX_DIFFICULTY: u8 = 32;

/// Length of a challenge's salt in hex digits (16 random bytes).
const SALT_HEX: usize = 32;

/// Length of a challenge's MAC in hex digits (HMAC-SHA256).
const MAC_HEX: usize = 64;

/// The public forms a challenge may be for: a proof made for one is refused by the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Form {
    /// `POST /api/processes/{id}/applications`: an organisation applies for accreditation.
    Application,
    /// `POST /api/processes/{id}/statements`: a written statement to the portal.
    Statement,
}

impl Form {
    /// The form's name in challenges and in `GET /api/challenge?form=…`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// `GET /api/challenge?form=…`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeAnswer {
    /// The sealed challenge, opaque to clients: hash it as it is.
    pub challenge: String,
    /// Leading zero bits the hash must have.
    pub difficulty: u8,
    /// When the challenge stops being accepted, in Unix seconds.
    pub expires_at: u64,
}

/// Why a proof is not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// Not `<challenge>:<nonce>` with a challenge of this server's making.
    #[error("The proof is not a challenge of this server followed by `:` and a number.")]
    Malformed,
    /// A challenge for the other form.
    #[error("The proof was made for another form.")]
    WrongForm,
    /// Past its expiry.
    #[error("The challenge has expired.")]
    Expired,
    /// The hash does not start with enough zero bits.
    #[error("The proof's hash does not start with enough zero bits.")]
    NotEnoughWork,
}

/// A challenge's fields, before it is sealed or after it is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// The form it is for.
    pub form: Form,
    /// Its expiry, in Unix seconds.
    pub expires_at: u64,
    /// Leading zero bits asked for.
    pub difficulty: u8,
    /// 32 lowercase hex digits of randomness, so that no two challenges are alike.
    pub salt: String,
}

impl Challenge {
    /// A challenge for `form`, valid until `expires_at` (Unix seconds), asking `difficulty` bits
    /// (at most [`MAX_DIFFICULTY`]), made unique by 16 random `salt` bytes.
    pub fn new(form: Form, expires_at: u64, difficulty: u8, salt: [u8; 16]) -> Self {
        let salt = salt.iter().map(|b| format!("{b:02x}")).collect();
        Challenge { form, expires_at, difficulty: difficulty.min(MAX_DIFFICULTY), salt }
    }

    /// The text the server's MAC covers: `FORM.EXPIRES_AT.DIFFICULTY.SALT`.
    pub fn payload(&self) -> String {
        format!("{}.{}.{}.{}", self.form.as_str(), self.expires_at, self.difficulty, self.salt)
    }

    /// The challenge as clients receive it: the payload, a dot, and `mac` as lowercase hex.
    pub fn seal(&self, mac: &[u8]) -> String {
        let mac: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        format!("{}.{mac}", self.payload())
    }

    /// Reads a sealed challenge back: its fields, the payload its MAC covers, and the MAC's hex.
    pub fn open(sealed: &str) -> Result<Opened<'_>, ProofError> {
        let (payload, mac) = sealed.rsplit_once('.').ok_or(ProofError::Malformed)?;
        let mut parts = payload.split('.');
        let (Some(form), Some(expires_at), Some(difficulty), Some(salt), None) =
            (parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(ProofError::Malformed);
        };
        let lower_hex =
            |s: &str, len: usize| s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !lower_hex(salt, SALT_HEX) || !lower_hex(mac, MAC_HEX) {
            return Err(ProofError::Malformed);
        }
        let challenge = Challenge {
            form: Form::from_str(form).map_err(|_| ProofError::Malformed)?,
            expires_at: expires_at.parse().map_err(|_| ProofError::Malformed)?,
            difficulty: difficulty.parse().ok().filter(|d| *d <= MAX_DIFFICULTY).ok_or(ProofError::Malformed)?,
            salt: salt.to_string(),
        };
        Ok(Opened { challenge, payload, mac })
    }
}

/// A sealed challenge read back, its MAC not yet checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened<'a> {
    /// The challenge's fields.
    pub challenge: Challenge,
    /// What the MAC covers.
    pub payload: &'a str,
    /// The MAC, 64 lowercase hex digits.
    pub mac: &'a str,
}

/// A solved challenge as a form sends it, in the [`HEADER`] header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proof {
    /// The sealed challenge, as the server gave it.
    pub challenge: String,
    /// The number that makes the hash start with enough zero bits.
    pub nonce: u64,
}

impl Proof {
    /// Reads a header value `<challenge>:<nonce>`.
    pub fn parse(header: &str) -> Result<Proof, ProofError> {
        let (challenge, nonce) = header.trim().rsplit_once(':').ok_or(ProofError::Malformed)?;
        let nonce = nonce.parse().map_err(|_| ProofError::Malformed)?;
        Ok(Proof { challenge: challenge.to_string(), nonce })
    }

    /// Checks what needs no key, once the server has checked the MAC of `opened` (this proof's
    /// challenge): that it is for `form`, not past its expiry at `now` (Unix seconds), and that
    /// the work was done.
    pub fn check(&self, opened: &Opened<'_>, form: Form, now: u64) -> Result<(), ProofError> {
        let challenge = &opened.challenge;
        if challenge.form != form {
            return Err(ProofError::WrongForm);
        }
        if now > challenge.expires_at {
            return Err(ProofError::Expired);
        }
        if !meets(&self.challenge, self.nonce, challenge.difficulty) {
            return Err(ProofError::NotEnoughWork);
        }
        Ok(())
    }
}

impl fmt::Display for Proof {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.challenge, self.nonce)
    }
}

/// The hash a proof is judged by: SHA-256 of `challenge`, `:`, and `nonce` in decimal.
pub fn hash(challenge: &str, nonce: u64) -> [u8; 32] {
    Sha256::new_with_prefix(challenge).chain_update(b":").chain_update(nonce.to_string()).finalize().into()
}

/// How many zero bits `hash` starts with.
pub fn leading_zero_bits(hash: &[u8]) -> u32 {
    let mut bits = 0;
    for byte in hash {
        bits += byte.leading_zeros();
        if *byte != 0 {
            break;
        }
    }
    bits
}

/// Whether `nonce` solves `challenge` at `difficulty` bits.
pub fn meets(challenge: &str, nonce: u64, difficulty: u8) -> bool {
    leading_zero_bits(&hash(challenge, nonce)) >= u32::from(difficulty)
}

/// The first nonce in `from..from + count` that solves `challenge`, if any: a slice of the search,
/// so that a browser can look in chunks and let the page breathe in between.
pub fn solve_some(challenge: &str, difficulty: u8, from: u64, count: u64) -> Option<u64> {
    // The challenge's part of the hash is computed once; each try only adds its own digits.
    let prefix = Sha256::new_with_prefix(challenge).chain_update(b":");
    let mut digits = [0u8; 20];
    (from..from.saturating_add(count)).find(|nonce| {
        let text = decimal(*nonce, &mut digits);
        let hash: [u8; 32] = prefix.clone().chain_update(text).finalize().into();
        leading_zero_bits(&hash) >= u32::from(difficulty)
    })
}

/// A nonce that solves `challenge` at `difficulty` bits: 2^difficulty tries on average.
pub fn solve(challenge: &str, difficulty: u8) -> u64 {
    let mut from = 0;
    loop {
        if let Some(nonce) = solve_some(challenge, difficulty, from, 1 << 16) {
            return nonce;
        }
        from += 1 << 16;
    }
}

/// `n` in decimal, written into `buffer` without allocating.
fn decimal(mut n: u64, buffer: &mut [u8; 20]) -> &[u8] {
    let mut at = buffer.len();
    loop {
        at -= 1;
        buffer[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buffer[at..];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const MAC: [u8; 32] = [0xab; 32];

    fn sealed(form: Form, expires_at: u64, difficulty: u8) -> String {
        Challenge::new(form, expires_at, difficulty, [7; 16]).seal(&MAC)
    }

    #[test]
    fn a_sealed_challenge_opens_to_its_fields_and_the_payload_its_mac_covers() {
        let challenge = Challenge::new(Form::Statement, 1_800_000_000, 18, [0x0f; 16]);

        let text = challenge.seal(&MAC);
        let opened = Challenge::open(&text).expect("opens");

        assert_eq!(opened.challenge, challenge);
        assert_eq!(opened.payload, format!("statement.1800000000.18.{}", "0f".repeat(16)));
        assert_eq!(opened.mac, "ab".repeat(32));
    }

    #[test]
    fn text_that_is_not_a_sealed_challenge_is_malformed() {
        let good = sealed(Form::Application, 10, 4);
        let cases = [
            String::new(),
            "application.10.4".to_string(),
            good.replace("application", "petition"),
            good.replace(".4.", ".33."),
            good.to_uppercase(),
            format!("x.{good}"),
            good[..good.len() - 2].to_string(),
        ];

        for case in cases {
            assert_eq!(Challenge::open(&case).unwrap_err(), ProofError::Malformed, "{case:?}");
        }
    }

    #[test]
    fn a_proof_travels_as_its_challenge_a_colon_and_its_nonce() {
        let proof = Proof { challenge: sealed(Form::Application, 10, 4), nonce: 42 };

        let header = proof.to_string();

        assert!(header.ends_with(":42"));
        assert_eq!(Proof::parse(&header), Ok(proof));
        assert_eq!(Proof::parse("no-nonce"), Err(ProofError::Malformed));
        assert_eq!(Proof::parse("challenge:-1"), Err(ProofError::Malformed));
    }

    #[test]
    fn leading_zero_bits_counts_across_bytes() {
        assert_eq!(leading_zero_bits(&[0xff]), 0);
        assert_eq!(leading_zero_bits(&[0x00, 0x01]), 15);
        assert_eq!(leading_zero_bits(&[0x00, 0x00, 0x80, 0x00]), 16);
        assert_eq!(leading_zero_bits(&[0x00; 4]), 32);
    }

    #[test]
    fn a_solved_challenge_is_checked_for_its_form_its_expiry_and_its_work() {
        let text = sealed(Form::Application, 100, 8);
        let opened = Challenge::open(&text).unwrap();
        let proof = Proof { challenge: text.clone(), nonce: solve(&text, 8) };

        assert_eq!(proof.check(&opened, Form::Application, 100), Ok(()));
        assert_eq!(proof.check(&opened, Form::Statement, 100), Err(ProofError::WrongForm));
        assert_eq!(proof.check(&opened, Form::Application, 101), Err(ProofError::Expired));
        let lazy = (0..).find(|n| !meets(&text, *n, 8)).unwrap();
        let unsolved = Proof { nonce: lazy, ..proof };
        assert_eq!(unsolved.check(&opened, Form::Application, 100), Err(ProofError::NotEnoughWork));
    }

    #[test]
    fn the_solver_looks_in_slices_and_finds_the_first_solution() {
        let text = sealed(Form::Statement, 100, 6);
        let first = solve(&text, 6);

        assert_eq!(solve_some(&text, 6, 0, first), None);
        assert_eq!(solve_some(&text, 6, 0, first + 1), Some(first));
        assert_eq!(solve_some(&text, 6, first, 1), Some(first));
    }

    #[test]
    fn decimal_digits_are_those_of_to_string() {
        let mut buffer = [0; 20];
        for n in [0, 7, 10, 12_345, u64::MAX] {
            assert_eq!(decimal(n, &mut buffer), n.to_string().as_bytes());
        }
    }

    proptest! {
        #[test]
        fn a_solved_nonce_always_verifies(salt in any::<[u8; 16]>(), difficulty in 0u8..=10) {
            let text = Challenge::new(Form::Application, 1, difficulty, salt).seal(&MAC);

            let nonce = solve(&text, difficulty);

            prop_assert!(meets(&text, nonce, difficulty));
        }

        #[test]
        fn a_changed_nonce_or_challenge_rarely_verifies(salt in any::<[u8; 16]>(), other in any::<[u8; 16]>()) {
            prop_assume!(salt != other);
            let text = Challenge::new(Form::Application, 1, 8, salt).seal(&MAC);
            let nonce = solve(&text, 8);
            let changed = Challenge::new(Form::Application, 1, 8, other).seal(&MAC);

            // One in 256 passes by chance at 8 bits: about one in each 256 tries, never a run.
            let other_nonces = (1..=256).filter(|step| meets(&text, nonce.wrapping_add(*step), 8)).count();
            let other_challenges = (0..256).filter(|step| meets(&changed, nonce.wrapping_add(*step), 8)).count();

            prop_assert!(other_nonces <= 8, "{other_nonces} of 256 changed nonces verified");
            prop_assert!(other_challenges <= 8, "{other_challenges} of 256 nonces verified another challenge");
        }
    }
}
