//! The watch over what the CLI changes beside a running server, once a second: the key ring is
//! read again if `keys.json` changed (`rostrum keys rotate`), and every session hears of it through
//! [`crate::auth::Keys::changes`] and recomputes its deadline; token ids revoked in the database
//! (`rostrum token revoke`) close the sessions opened with them.

use std::sync::Arc;
use std::time::Duration;

use crate::store::StoreError;
use crate::App;

/// How often the server looks at what the CLI may have changed.
const EVERY: Duration = Duration::from_secs(1);

/// Where the revoked tokens stand before the server accepts its first connection: the
/// revocations recorded until then concern no session.
pub fn start_cursor(app: &App) -> Result<i64, StoreError> {
    Ok(app.tokens.revoked_tokens_after(0)?.last().map_or(0, |(cursor, _)| *cursor))
}

/// Runs until the server shuts down; announces the revocations recorded after `cursor`.
pub async fn watch(app: Arc<App>, mut cursor: i64) {
    let mut shutdown = app.shutdown.clone();
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = app.recheck.notified() => {}
            _ = shutdown.changed() => return,
        }
        let polling = app.clone();
        // A file's metadata (and its contents when it changed) and a query: blocking, off the workers.
        let revoked = tokio::task::spawn_blocking(move || {
            polling.keys.reload(true);
            polling.tokens.revoked_tokens_after(cursor)
        })
        .await;
        match revoked {
            Ok(Ok(revoked)) => {
                let Some((last, _)) = revoked.last() else { continue };
                cursor = *last;
                tracing::info!(tokens = revoked.len(), "tokens revoked; closing their sessions");
                app.revoke_recorded(revoked.into_iter().map(|(_, r)| r));
            }
            Ok(Err(error)) => tracing::error!(%error, "could not read the revoked tokens"),
            Err(error) => tracing::error!(%error, "could not read the revoked tokens"),
        }
    }
}
