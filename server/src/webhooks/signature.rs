//! Standard Webhooks' symmetric signatures (<https://www.standardwebhooks.com>): a secret shown as
//! `whsec_<base64>`, and `v1,<base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))>` where the key
//! is the secret's decoded bytes.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

/// The prefix Standard Webhooks gives symmetric secrets.
const PREFIX: &str = "whsec_";

/// Random bytes in a new secret: more than the specification's 24 at the least.
const SECRET_BYTES: usize = 32;

/// A fresh secret, `whsec_…`.
pub fn new_secret() -> String {
    let mut bytes = [0u8; SECRET_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    format!("{PREFIX}{}", STANDARD.encode(bytes))
}

/// The key a secret stands for; `None` when it is not one (the store only holds secrets made by
/// [`new_secret`]).
pub fn key(secret: &str) -> Option<Vec<u8>> {
    STANDARD.decode(secret.strip_prefix(PREFIX).unwrap_or(secret)).ok()
}

/// The `webhook-signature` header of message `id` sent at `timestamp` (Unix seconds) with `body`.
pub fn sign(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_matches_the_standard_webhooks_published_vector() {
        // The `sign` test of the specification's reference libraries
        // (standard-webhooks/standard-webhooks, libraries/python/tests/test_webhooks.py).
        let key = key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();

        let signature = sign(&key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, br#"{"test": 2432232314}"#);

        assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn a_new_secret_is_prefixed_and_decodes_to_32_random_bytes() {
        let (one, two) = (new_secret(), new_secret());
        assert!(one.starts_with("whsec_"));
        assert_eq!(key(&one).map(|k| k.len()), Some(32));
        assert_ne!(one, two);
    }
}
