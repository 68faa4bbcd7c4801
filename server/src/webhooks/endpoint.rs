//! One endpoint's delivery task: a replica of its meeting at the endpoint's cursor, advanced event
//! by event from the log; each event the endpoint is sent becomes one message, posted until the
//! receiver answers 2xx, and only then does the cursor move on.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use shared::webhooks::{self, Delivery, EventType, Paused};
use shared::{Event, EventRecord, Meeting, Seq};
use tokio::sync::watch;

use super::signature;
use crate::meeting::MeetingHandle;
use crate::store::{StoreError, StoredDelivery, StoredEvent, StoredMeeting, StoredWebhook};
use crate::{clock, App};

/// Events read from the log at once.
const BATCH: u32 = 100;

/// The longest error text kept in the delivery log.
const MAX_ERROR_CHARS: usize = 300;

/// A message at the head of an endpoint's line: built once, so that every attempt sends the same
/// id and the same bytes.
struct Message {
    seq: Seq,
    id: String,
    kind: EventType,
    body: String,
    /// Attempts made so far (across restarts, from the delivery log).
    attempts: u32,
}

/// What one attempt came to.
struct Attempt {
    delivery: Delivery,
    /// The receiver's `Retry-After`, in seconds, when it gave one.
    retry_after: Option<Duration>,
}

/// An endpoint's place in its meeting's log.
struct Endpoint {
    webhook: StoredWebhook,
    key: Vec<u8>,
    url: reqwest::Url,
    epoch: String,
    /// The meeting as of the last event taken from `pending`.
    replica: Meeting,
    /// Events read from the log and not yet gone through.
    pending: VecDeque<StoredEvent>,
    /// The message being delivered.
    current: Option<Message>,
    /// The last event passed over (not of a type this endpoint is sent) whose place is not saved
    /// yet: saved once a batch is through, since passing over it again after a restart is harmless.
    passed: Option<Seq>,
}

/// Delivers one endpoint's messages until it is deleted or the server shuts down; waits while it
/// is paused.
pub(super) async fn deliver(
    app: Arc<App>,
    client: reqwest::Client,
    mut config: watch::Receiver<Option<StoredWebhook>>,
) {
    let Some(webhook) = config.borrow_and_update().clone() else { return };
    let Some(handle) = app.registry.get(&webhook.meeting) else {
        tracing::warn!(webhook = %webhook.id, meeting = %webhook.meeting, "a webhook of an unknown meeting; not delivering");
        return;
    };
    let id = webhook.id.clone();
    let mut endpoint = match Endpoint::load(&app, webhook, &handle).await {
        Ok(endpoint) => endpoint,
        Err(error) => {
            tracing::error!(webhook = %id, %error, "could not start delivering a webhook");
            return;
        }
    };
    let settings = app.webhooks.settings.clone();
    let mut shutdown = app.shutdown.clone();
    tracing::info!(webhook = %id, meeting = %handle.info.id, cursor = endpoint.replica.seq.0, "webhook delivery started");
    loop {
        let paused = match &*config.borrow_and_update() {
            None => return,
            Some(current) => current.paused.is_some(),
        };
        // Waits for `wait`, a change of the endpoint, or shutdown; false when the task must end.
        macro_rules! wait {
            ($wait:expr) => {
                tokio::select! {
                    _ = tokio::time::sleep($wait) => true,
                    changed = config.changed() => changed.is_ok(),
                    _ = shutdown.changed() => false,
                }
            };
        }
        if paused {
            if !wait!(Duration::from_secs(3600)) {
                return;
            }
            continue;
        }
        match endpoint.next(&app, &handle).await {
            Ok(true) => {}
            Ok(false) => {
                if !wait!(settings.poll) {
                    return;
                }
                continue;
            }
            Err(error) => {
                tracing::error!(webhook = %id, %error, "could not read the meeting's log for a webhook");
                if !wait!(settings.poll * 8) {
                    return;
                }
                continue;
            }
        }
        // The store says last whether the endpoint is still wanted: a pause or a deletion made
        // through the API holds from its answer on, before the supervisor passes it on.
        let (store, key) = (app.webhooks.store.clone(), id.clone());
        match blocking(move || store.webhook(&key)).await {
            Ok(None) => return,
            Ok(Some(now)) if now.paused.is_some() => {
                if !wait!(settings.poll) {
                    return;
                }
                continue;
            }
            Ok(Some(_)) => {}
            Err(error) => {
                tracing::error!(webhook = %id, %error, "could not read a webhook");
                if !wait!(settings.poll * 8) {
                    return;
                }
                continue;
            }
        }
        let attempt = tokio::select! {
            attempt = endpoint.attempt(&client) => attempt,
            _ = shutdown.changed() => return,
        };
        endpoint.record(&app, &attempt.delivery).await;
        let delivery = &attempt.delivery;
        if delivery.ok {
            tracing::debug!(webhook = %id, seq = delivery.seq.0, attempt = delivery.attempt, "webhook delivered");
            endpoint.current = None;
            continue;
        }
        if delivery.status == Some(410) {
            endpoint.gone(&app).await;
        }
        let jitter = rand::random::<f64>();
        let backoff = super::retry_delay(delivery.attempt, settings.backoff_first, settings.backoff_cap, jitter);
        let wait = backoff.max(attempt.retry_after.unwrap_or_default()).min(settings.backoff_cap);
        tracing::info!(
            webhook = %id, seq = delivery.seq.0, attempt = delivery.attempt, status = ?delivery.status,
            error = delivery.error.as_deref().unwrap_or(""), retry_in_ms = wait.as_millis() as u64,
            "webhook not delivered; retrying"
        );
        if !wait!(wait) {
            return;
        }
    }
}

/// A blocking store call off the async workers.
async fn blocking<T: Send + 'static>(
    call: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(call).await.map_err(|e| StoreError::Io(std::io::Error::other(e)))?
}

impl Endpoint {
    /// The endpoint with its meeting rebuilt from the log up to its cursor.
    async fn load(app: &App, webhook: StoredWebhook, handle: &MeetingHandle) -> Result<Endpoint, StoreError> {
        let corrupt = |reason: &str| StoreError::Corrupt {
            meeting: webhook.meeting.to_string(),
            seq: webhook.cursor.0,
            reason: format!("webhook {}: {reason}", webhook.id),
        };
        let key = signature::key(&webhook.secret).ok_or_else(|| corrupt("its secret is not whsec_ and base64"))?;
        let url = reqwest::Url::parse(&webhook.url).map_err(|_| corrupt("its address is not a URL"))?;
        let stored = StoredMeeting { info: (*handle.info).clone(), epoch: handle.epoch.to_string() };
        let (store, meeting, cursor) = (app.store.clone(), webhook.meeting.clone(), webhook.cursor);
        let replica = blocking(move || {
            let events = store.events(&meeting)?;
            let upto = events.iter().take_while(|e| e.seq <= cursor).count();
            crate::meeting::replay(&stored, &events[..upto])
        })
        .await?;
        Ok(Endpoint {
            epoch: handle.epoch.to_string(),
            webhook,
            key,
            url,
            replica,
            pending: VecDeque::new(),
            current: None,
            passed: None,
        })
    }

    /// Makes the next message this endpoint is sent current, reading the log as far as needed:
    /// true when there is one, false when the endpoint is up to date with its meeting.
    async fn next(&mut self, app: &App, handle: &MeetingHandle) -> Result<bool, StoreError> {
        loop {
            if self.current.is_some() {
                return Ok(true);
            }
            if let Some(row) = self.pending.pop_front() {
                let event: Event = serde_json::from_str(&row.body).map_err(|e| StoreError::Corrupt {
                    meeting: self.webhook.meeting.to_string(),
                    seq: row.seq.0,
                    reason: e.to_string(),
                })?;
                let record = EventRecord { seq: row.seq, at: row.at, event };
                match webhooks::advance(&mut self.replica, &record, self.webhook.list) {
                    Some(payload) => {
                        let id = webhooks::message_id(&self.webhook.meeting, &self.epoch, row.seq);
                        let (store, webhook, message) =
                            (app.webhooks.store.clone(), self.webhook.id.clone(), id.clone());
                        let attempts = blocking(move || store.last_attempt(&webhook, &message)).await?;
                        let body = serde_json::to_string(&payload).expect("a payload serializes");
                        self.current = Some(Message { seq: row.seq, id, kind: payload.kind, body, attempts });
                    }
                    None => self.passed = Some(row.seq),
                }
                continue;
            }
            if let Some(seq) = self.passed.take() {
                let (store, webhook) = (app.webhooks.store.clone(), self.webhook.id.clone());
                blocking(move || store.advance_webhook(&webhook, seq)).await?;
            }
            let at = self.replica.seq;
            if handle.head() <= at {
                return Ok(false);
            }
            let (store, meeting) = (app.store.clone(), self.webhook.meeting.clone());
            self.pending = blocking(move || store.events_after(&meeting, at, BATCH)).await?.into();
            if self.pending.is_empty() {
                return Ok(false);
            }
        }
    }

    /// Posts the current message once.
    async fn attempt(&mut self, client: &reqwest::Client) -> Attempt {
        let message = self.current.as_mut().expect("a current message");
        message.attempts += 1;
        let now = clock::now();
        let timestamp = now.0.div_euclid(1000);
        let signature = signature::sign(&self.key, &message.id, timestamp, message.body.as_bytes());
        let started = Instant::now();
        let sent = client
            .post(self.url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("webhook-id", &message.id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(message.body.clone())
            .send()
            .await;
        let (status, error, retry_after) = match sent {
            Ok(response) => {
                let retry_after = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs);
                (Some(response.status().as_u16()), None, retry_after)
            }
            Err(error) => (None, Some(describe(&error)), None),
        };
        let delivery = Delivery {
            message_id: message.id.clone(),
            kind: message.kind,
            seq: message.seq,
            attempt: message.attempts,
            at: now,
            ok: status.is_some_and(|s| (200..300).contains(&s)),
            status,
            error,
            duration_ms: started.elapsed().as_millis() as u64,
        };
        Attempt { delivery, retry_after }
    }

    /// Adds an attempt to the delivery log (and, for a success, moves the cursor). A failure to
    /// record is logged and delivery goes on: at worst the event is sent again after a restart,
    /// under the same id.
    async fn record(&self, app: &App, delivery: &Delivery) {
        let stored = StoredDelivery { webhook: self.webhook.id.clone(), delivery: delivery.clone() };
        let (store, keep) = (app.webhooks.store.clone(), app.webhooks.settings.keep_deliveries);
        if let Err(error) = blocking(move || store.record_delivery(&stored, keep)).await {
            tracing::error!(webhook = %self.webhook.id, %error, "could not record a webhook delivery");
        }
    }

    /// The receiver answered `410 Gone`: it wants no more (Standard Webhooks), so the endpoint is
    /// paused until the secretariat resumes it; the message waits at the head of its line.
    async fn gone(&self, app: &App) {
        let paused = Paused { at: clock::now(), reason: "The receiver answered 410 Gone.".into() };
        let (store, webhook) = (app.webhooks.store.clone(), self.webhook.id.clone());
        match blocking(move || store.set_webhook_paused(&webhook, Some(&paused))).await {
            Ok(_) => {
                tracing::warn!(webhook = %self.webhook.id, "the receiver answered 410 Gone; webhook paused");
                app.webhooks.changed();
            }
            Err(error) => tracing::error!(webhook = %self.webhook.id, %error, "could not pause a webhook"),
        }
    }
}

/// An error of an attempt, for the delivery log: what went wrong, without the address (which may
/// carry a token in its query).
fn describe(error: &reqwest::Error) -> String {
    let mut text = if error.is_timeout() {
        "timed out".to_string()
    } else if error.is_connect() {
        "could not connect".to_string()
    } else {
        "the request failed".to_string()
    };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text.chars().take(MAX_ERROR_CHARS).collect()
}
