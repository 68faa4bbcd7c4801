//! The outgoing webhooks' endpoints, their cursors into the meeting's log, and their delivery log.

use shared::api::{Cursor, PageRequest};
use shared::webhooks::{Delivery, EventType, Paused};
use shared::{MeetingId, Millis, Seq};

use super::{backends, Stores};
use crate::store::{StoredDelivery, StoredWebhook};

/// Endpoint `id` of meeting `m1`, added at `created_at`, done with the events up to 3.
fn webhook(id: &str, created_at: i64) -> StoredWebhook {
    StoredWebhook {
        id: id.into(),
        meeting: MeetingId::parse("m1").unwrap(),
        url: "https://bridge.example.org/rostrum".into(),
        description: Some("Zoom bridge".into()),
        list: false,
        secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into(),
        created_at: Millis(created_at),
        created_by: "sec-1".into(),
        paused: None,
        cursor: Seq(3),
        last_delivery: None,
    }
}

/// Attempt number `attempt` of endpoint `wh_1` at the event `seq`: answered `status`, or refused.
fn attempt(seq: u64, attempt: u32, status: Option<u16>) -> StoredDelivery {
    StoredDelivery {
        webhook: "wh_1".into(),
        delivery: Delivery {
            message_id: format!("msg_m1_e_{seq}"),
            kind: EventType::FloorGiven,
            seq: Seq(seq),
            attempt,
            at: Millis(10 + i64::from(attempt)),
            ok: status.is_some_and(|s| (200..300).contains(&s)),
            status,
            error: status.is_none().then(|| "connection refused".into()),
            duration_ms: 4,
        },
    }
}

fn first(limit: u32) -> PageRequest {
    PageRequest { limit, after: None }
}

/// Every page of a paged listing, `limit` at a time, following each page's cursor.
fn every_page<T>(limit: u32, mut page: impl FnMut(&PageRequest) -> (Vec<T>, Option<String>)) -> Vec<Vec<T>> {
    let mut pages = Vec::new();
    let mut request = first(limit);
    loop {
        let (items, next) = page(&request);
        pages.push(items);
        match next {
            Some(next) => request.after = Some(Cursor::parse(&next).unwrap()),
            None => return pages,
        }
    }
}

fn ids(webhooks: &[StoredWebhook]) -> Vec<&str> {
    webhooks.iter().map(|w| w.id.as_str()).collect()
}

fn cursor(store: &dyn Stores, id: &str) -> Seq {
    store.webhook(id).unwrap().unwrap().cursor
}

#[test]
fn a_created_endpoint_reads_back_with_every_field() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        let mut listing = webhook("wh_1", 1);
        listing.list = true;
        let mut bare = webhook("wh_2", 2);
        bare.description = None;

        // Act
        store.create_webhook(&listing).unwrap();
        store.create_webhook(&bare).unwrap();

        // Assert
        assert_eq!(store.webhook("wh_1").unwrap(), Some(listing), "{}", backend.name);
        assert_eq!(store.webhook("wh_2").unwrap(), Some(bare), "{}", backend.name);
        assert_eq!(store.webhook("wh_3").unwrap(), None, "{}", backend.name);
    }
}

#[test]
fn a_meetings_endpoints_come_in_pages_in_the_order_they_were_added() {
    for backend in backends() {
        // Arrange: four to m1, three of them in one millisecond; one to m2, added first.
        let store = backend.store.as_ref();
        let mut other = webhook("wh_0", 1);
        other.meeting = MeetingId::parse("m2").unwrap();
        store.create_webhook(&other).unwrap();
        for (id, created_at) in [("wh_1", 5), ("wh_2", 7), ("wh_3", 7), ("wh_4", 7)] {
            store.create_webhook(&webhook(id, created_at)).unwrap();
        }
        let m1 = MeetingId::parse("m1").unwrap();

        // Act
        let pages = every_page(2, |request| {
            let page = store.webhooks(&m1, request).unwrap();
            (ids(&page.items).into_iter().map(String::from).collect::<Vec<_>>(), page.next)
        });
        let all = store.all_webhooks().unwrap();

        // Assert
        assert_eq!(pages, [["wh_1", "wh_2"], ["wh_3", "wh_4"]], "{}", backend.name);
        assert_eq!(store.count_webhooks(&m1).unwrap(), 4, "{}", backend.name);
        assert_eq!(store.count_webhooks(&other.meeting).unwrap(), 1, "{}", backend.name);
        assert_eq!(ids(&all), ["wh_0", "wh_1", "wh_2", "wh_3", "wh_4"], "{}: every meeting's", backend.name);
    }
}

#[test]
fn a_paused_endpoint_keeps_why_until_it_is_resumed() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        store.create_webhook(&webhook("wh_1", 1)).unwrap();
        let paused = Paused { at: Millis(20), reason: "410 Gone".into() };

        // Act
        let pausing = store.set_webhook_paused("wh_1", Some(&paused)).unwrap();
        let while_paused = store.webhook("wh_1").unwrap().unwrap().paused;
        let resuming = store.set_webhook_paused("wh_1", None).unwrap();

        // Assert
        assert!(pausing && resuming, "{}", backend.name);
        assert_eq!(while_paused, Some(paused.clone()), "{}", backend.name);
        assert_eq!(store.webhook("wh_1").unwrap().unwrap().paused, None, "{}", backend.name);
        assert!(!store.set_webhook_paused("wh_9", Some(&paused)).unwrap(), "{}: no such endpoint", backend.name);
    }
}

#[test]
fn an_endpoints_cursor_moves_forward_and_never_back() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        store.create_webhook(&webhook("wh_1", 1)).unwrap();

        // Act
        store.advance_webhook("wh_1", Seq(7)).unwrap();
        let forward = cursor(store, "wh_1");
        store.advance_webhook("wh_1", Seq(5)).unwrap();
        store.record_delivery(&attempt(6, 1, Some(200)), 10).unwrap();

        // Assert
        assert_eq!(forward, Seq(7), "{}", backend.name);
        assert_eq!(
            cursor(store, "wh_1"),
            Seq(7),
            "{}: neither advancing nor an older success moves it back",
            backend.name
        );
    }
}

#[test]
fn a_failed_attempt_leaves_the_cursor_where_it_was() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        store.create_webhook(&webhook("wh_1", 1)).unwrap();

        // Act
        store.record_delivery(&attempt(4, 1, None), 10).unwrap();
        store.record_delivery(&attempt(4, 2, Some(500)), 10).unwrap();

        // Assert
        let found = store.webhook("wh_1").unwrap().unwrap();
        assert_eq!(found.cursor, Seq(3), "{}", backend.name);
        assert_eq!(found.last_delivery, Some(attempt(4, 2, Some(500)).delivery), "{}", backend.name);
    }
}

#[test]
fn a_successful_attempt_moves_the_cursor_and_the_log_keeps_only_the_newest() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        store.create_webhook(&webhook("wh_1", 1)).unwrap();

        // Act
        store.record_delivery(&attempt(4, 1, None), 2).unwrap();
        store.record_delivery(&attempt(4, 2, Some(503)), 2).unwrap();
        store.record_delivery(&attempt(4, 3, Some(204)), 2).unwrap();

        // Assert
        let found = store.webhook("wh_1").unwrap().unwrap();
        assert_eq!(found.cursor, Seq(4), "{}", backend.name);
        assert_eq!(found.last_delivery.map(|d| (d.attempt, d.ok)), Some((3, true)), "{}", backend.name);
        let page = store.deliveries("wh_1", &first(10)).unwrap();
        let attempts: Vec<u32> = page.items.iter().map(|d| d.attempt).collect();
        assert_eq!(attempts, [3, 2], "{}: newest first, two kept", backend.name);
        assert_eq!(store.last_attempt("wh_1", "msg_m1_e_4").unwrap(), 3, "{}", backend.name);
    }
}

#[test]
fn an_endpoints_attempts_come_in_pages_newest_first() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        store.create_webhook(&webhook("wh_1", 1)).unwrap();
        for (seq, number) in [(4, 1), (4, 2), (5, 1), (5, 2), (6, 1)] {
            store.record_delivery(&attempt(seq, number, Some(503)), 10).unwrap();
        }

        // Act
        let pages = every_page(2, |request| {
            let page = store.deliveries("wh_1", request).unwrap();
            (page.items.into_iter().map(|d| (d.seq.0, d.attempt)).collect::<Vec<_>>(), page.next)
        });

        // Assert
        assert_eq!(pages, [vec![(6, 1), (5, 2)], vec![(5, 1), (4, 2)], vec![(4, 1)]], "{}", backend.name);
        assert_eq!(
            store.deliveries("wh_1", &first(10)).unwrap().items[0],
            attempt(6, 1, Some(503)).delivery,
            "{}",
            backend.name
        );
        assert_eq!(store.last_attempt("wh_1", "msg_m1_e_5").unwrap(), 2, "{}", backend.name);
        assert_eq!(store.last_attempt("wh_1", "msg_m1_e_7").unwrap(), 0, "{}: none yet", backend.name);
    }
}

#[test]
fn a_deleted_endpoint_takes_its_log_with_it() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        store.create_webhook(&webhook("wh_1", 1)).unwrap();
        store.record_delivery(&attempt(4, 1, Some(200)), 10).unwrap();

        // Act
        let deleted = store.delete_webhook("wh_1").unwrap();

        // Assert
        assert!(deleted, "{}", backend.name);
        assert!(store.webhook("wh_1").unwrap().is_none(), "{}", backend.name);
        assert!(!store.delete_webhook("wh_1").unwrap(), "{}: no such endpoint now", backend.name);
        assert!(store.deliveries("wh_1", &first(10)).unwrap().items.is_empty(), "{}", backend.name);
        assert_eq!(store.last_attempt("wh_1", "msg_m1_e_4").unwrap(), 0, "{}", backend.name);
    }
}
