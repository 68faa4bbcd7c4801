//! The server's clock, the one place that reads the time for the meeting state machine.

use std::time::{SystemTime, UNIX_EPOCH};

use shared::Millis;

/// Milliseconds since the Unix epoch.
pub fn now() -> Millis {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    Millis(since.as_millis() as i64)
}
