//! Outgoing webhooks (issue 16, "the bridge"): floor events posted to the secretariat's endpoints,
//! signed as Standard Webhooks says, at least once and in order per endpoint.
//!
//! The outbox is the meeting's event log: an event is durable before anyone sees it, and each
//! endpoint keeps a durable cursor into its meeting's log that moves only after its receiver
//! answered 2xx (`docs/design.md`, "The webhooks' outbox is the event log"). One task per endpoint
//! ([`endpoint`]) reads the log after its cursor when the meeting's head moves past it, and retries
//! the event at the head of its line with exponential backoff until it is delivered, for as long
//! as it takes: a later event never overtakes an earlier one. A supervisor ([`run`]) starts and
//! stops those tasks as the API adds, pauses, resumes and deletes endpoints.

mod endpoint;
pub mod signature;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Notify};

use crate::store::{StoredWebhook, WebhookStore};
use crate::App;

/// How the deliverer behaves; `rostrum serve --webhook-backoff-ms` and `--webhook-backoff-cap-ms`
/// set the retries.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The wait before the first retry; each retry waits twice as long as the one before (with
    /// jitter), up to [`Settings::backoff_cap`].
    pub backoff_first: Duration,
    /// The longest wait between two attempts.
    pub backoff_cap: Duration,
    /// How often an idle endpoint looks at its meeting's head.
    pub poll: Duration,
    /// How long one attempt may take, connecting and answering included.
    pub timeout: Duration,
    /// Attempts kept in each endpoint's delivery log.
    pub keep_deliveries: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            backoff_first: Duration::from_secs(1),
            backoff_cap: Duration::from_secs(300),
            poll: Duration::from_millis(250),
            timeout: Duration::from_secs(10),
            keep_deliveries: 1000,
        }
    }
}

/// The endpoints' store and the deliverer's settings, shared by the API and the deliverer.
#[derive(Debug)]
pub struct Outbox {
    pub store: Arc<dyn WebhookStore>,
    pub settings: Settings,
    changed: Notify,
}

impl Outbox {
    pub fn new(store: Arc<dyn WebhookStore>, settings: Settings) -> Self {
        Outbox { store, settings, changed: Notify::new() }
    }

    /// Tells the deliverer that an endpoint was added, paused, resumed or deleted.
    pub fn changed(&self) {
        self.changed.notify_one();
    }
}

/// The wait before attempt `attempt + 1` after `attempt` failed: `first`, doubled for each attempt
/// before, capped at `cap`, then spread over its upper half by `jitter` (in `[0, 1)`) so that
/// endpoints failing together do not retry in lockstep.
pub fn retry_delay(attempt: u32, first: Duration, cap: Duration, jitter: f64) -> Duration {
    let exponent = attempt.saturating_sub(1).min(30);
    let full = first.saturating_mul(1u32 << exponent).min(cap);
    full.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
}

/// Runs until the server shuts down: one delivery task per endpoint, started, paused, resumed and
/// stopped as the endpoints change.
pub async fn run(app: Arc<App>) {
    let settings = &app.webhooks.settings;
    let client = reqwest::Client::builder()
        .timeout(settings.timeout)
        // Standard Webhooks: a redirect is a failure; the secretariat updates the address.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Rostrum-Webhooks/", env!("CARGO_PKG_VERSION")))
        .build();
    let client = match client {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "could not set up the webhooks' HTTP client; no webhook will be delivered");
            return;
        }
    };
    // Each task's endpoint as last read (`None`: deleted): the task waits on it while paused.
    let mut tasks: HashMap<String, watch::Sender<Option<StoredWebhook>>> = HashMap::new();
    let mut shutdown = app.shutdown.clone();
    loop {
        let store = app.webhooks.store.clone();
        match tokio::task::spawn_blocking(move || store.all_webhooks()).await {
            Ok(Ok(all)) => {
                tasks.retain(|id, task| {
                    let kept = all.iter().any(|w| &w.id == id);
                    if !kept {
                        task.send_replace(None);
                    }
                    kept
                });
                for webhook in all {
                    match tasks.get(&webhook.id) {
                        Some(task) => {
                            task.send_if_modified(|seen| {
                                let flipped =
                                    seen.as_ref().is_some_and(|s| s.paused.is_some() != webhook.paused.is_some());
                                if flipped {
                                    *seen = Some(webhook.clone());
                                }
                                flipped
                            });
                        }
                        None => {
                            let (task, endpoint) = watch::channel(Some(webhook.clone()));
                            tasks.insert(webhook.id.clone(), task);
                            tokio::spawn(endpoint::deliver(app.clone(), client.clone(), endpoint));
                        }
                    }
                }
            }
            Ok(Err(error)) => tracing::error!(%error, "could not read the webhooks; trying again shortly"),
            Err(error) => tracing::error!(%error, "could not read the webhooks; trying again shortly"),
        }
        tokio::select! {
            _ = app.webhooks.changed.notified() => {}
            // A safety net: what the API changed is seen at once, and anything else within a minute.
            _ = tokio::time::sleep(Duration::from_secs(60)) => {}
            _ = shutdown.changed() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn the_wait_doubles_from_the_first_and_stops_at_the_cap() {
        let cap = Duration::from_secs(300);
        let waits: Vec<u64> = (1..=10).map(|n| retry_delay(n, SECOND, cap, 1.0).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300]);
        assert_eq!(retry_delay(u32::MAX, SECOND, cap, 1.0).as_secs(), 300, "a long outage stays capped");
    }

    #[test]
    fn jitter_spreads_a_wait_over_its_upper_half() {
        let cap = Duration::from_secs(300);
        assert_eq!(retry_delay(3, SECOND, cap, 0.0), Duration::from_secs(2));
        assert_eq!(retry_delay(3, SECOND, cap, 0.5), Duration::from_secs(3));
    }
}
