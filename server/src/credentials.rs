//! The watch over what the CLI changes beside a running server: once a second the key ring is
//! read again if `keys.json` changed (`rostrum keys rotate`), and every session hears of it through
//! [`crate::auth::Keys::changes`] and recomputes its deadline.

use std::sync::Arc;
use std::time::Duration;

use crate::App;

/// How often the server looks at what the CLI may have changed.
const EVERY: Duration = Duration::from_secs(1);

/// Runs until the server shuts down.
pub async fn watch(app: Arc<App>) {
    let mut shutdown = app.shutdown.clone();
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = shutdown.changed() => return,
        }
        let keys = app.clone();
        // A file's metadata, and its contents when it changed: blocking I/O, off the workers.
        let _ = tokio::task::spawn_blocking(move || keys.keys.reload(true)).await;
    }
}
