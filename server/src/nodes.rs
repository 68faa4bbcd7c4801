//! Several nodes on one database: what a node does when another one changed something. The store
//! hears the other nodes' wake-ups ([`Change`]); this follows them: a meeting reads the events
//! another node appended and fans them out to its own screens, a meeting created elsewhere gets
//! its actor here, and revocations are read at once instead of at the next poll.
//!
//! A wake-up is only a hint. The tables are the truth, and a wake-up that was lost costs only time:
//! a meeting that missed one reads the log at its next append (its sequence number is taken), and
//! the revocations are polled every second anyway.

use std::sync::Arc;

use tokio::sync::broadcast::{self, error::RecvError};

use crate::store::Change;
use crate::App;

/// Runs until the server shuts down.
pub async fn follow(app: Arc<App>, mut changes: broadcast::Receiver<Change>) {
    let mut shutdown = app.shutdown.clone();
    loop {
        let change = tokio::select! {
            change = changes.recv() => change,
            _ = shutdown.changed() => return,
        };
        match change {
            Ok(Change::Events { meeting, seq }) => match app.registry.get(&meeting) {
                Some(handle) => handle.wake(seq),
                // Created on another node, whose wake-up for it may come after this one.
                None => app.registry.refresh().await,
            },
            Ok(Change::Meeting(_)) => app.registry.refresh().await,
            Ok(Change::Revoked) => app.recheck.notify_one(),
            Ok(Change::Missed) | Err(RecvError::Lagged(_)) => {
                tracing::info!("wake-ups from the other nodes may have been missed; every meeting reads its log");
                app.registry.refresh().await;
                app.registry.wake_all();
                app.recheck.notify_one();
            }
            Err(RecvError::Closed) => return,
        }
    }
}
