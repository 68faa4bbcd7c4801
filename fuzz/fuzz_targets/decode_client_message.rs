//! Whatever a client sends, decoding it as a `ClientMessage` either fails cleanly or yields a
//! message that encodes and decodes to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shared::protocol::ClientMessage;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(message) = serde_json::from_str::<ClientMessage>(text) {
        let encoded = serde_json::to_string(&message).expect("a decoded message encodes");
        let again: ClientMessage = serde_json::from_str(&encoded).expect("an encoded message decodes");
        assert_eq!(again, message);
    }
});
