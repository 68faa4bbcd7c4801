//! Rostrum's browser client. The screens come with the web-client issue; this crate already builds
//! for wasm32 against `shared`, so the protocol types are checked on both sides from the start.

fn main() {
    let hello = shared::protocol::ClientMessage::Hello {
        protocol: shared::protocol::PROTOCOL.into(),
        token: None,
        meeting: shared::MeetingId::parse("demo").expect("valid id"),
        resume: None,
    };
    let _ = serde_json::to_string(&hello);
}
