//! Token verification on arbitrary input, and on a genuine token with the fuzzer's bytes spliced
//! into it: never a panic, and nothing verifies unless it carries exactly the claims the server
//! signed.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rostrum::auth::{Claims, Grant, Keys, Scope};
use shared::{Millis, Participant, Role};

const NOW: Millis = Millis(1_800_000_000_000);

fn keys() -> &'static (Keys, String, Claims) {
    static KEYS: OnceLock<(Keys, String, Claims)> = OnceLock::new();
    KEYS.get_or_init(|| {
        let keys = Keys::from_secret(&[42u8; 32]).expect("keys");
        let participant: Participant = serde_json::from_value(
            serde_json::json!({"id": "del-1", "name": "Ana", "role": "delegate", "delegation": "Chile"}),
        )
        .expect("participant");
        let grant = Grant { participant, scope: Scope::default(), ttl_secs: 3600 };
        let token = keys.mint(&grant, NOW);
        let claims = keys.verify(&token, NOW).expect("a minted token verifies");
        assert_eq!(claims.role, Role::Delegate);
        (keys, token, claims)
    })
}

fuzz_target!(|data: &[u8]| {
    let (keys, token, claims) = keys();
    let Ok(text) = std::str::from_utf8(data) else { return };
    // As it is.
    if let Ok(accepted) = keys.verify(text, NOW) {
        assert_eq!(&accepted, claims, "a token the server never signed was accepted");
    }
    // Spliced into the genuine token at a place the first byte chooses.
    if let Some((&at, rest)) = data.split_first() {
        if let Ok(rest) = std::str::from_utf8(rest) {
            let at = usize::from(at) * token.len() / 256;
            let at = (0..=at).rev().find(|i| token.is_char_boundary(*i)).unwrap_or(0);
            let spliced = format!("{}{}{}", &token[..at], rest, &token[(at + rest.len()).min(token.len())..]);
            if let Ok(accepted) = keys.verify(&spliced, NOW) {
                assert_eq!(&accepted, claims, "a tampered token was accepted with other claims");
            }
        }
    }
});
