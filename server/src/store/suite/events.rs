//! The event log, its meetings and their snapshots.

use shared::{CommandId, MeetingId, Millis, ParticipantId, Seq};

use super::{backends, meeting, wait, Stores};
use crate::store::{Append, StoreError, StoredEvent, StoredSnapshot};

fn event(seq: u64) -> StoredEvent {
    StoredEvent {
        seq: Seq(seq),
        at: Millis(seq as i64),
        actor: Some(ParticipantId::parse("del-1").unwrap()),
        command: Some(CommandId::parse(format!("c-{seq}")).unwrap()),
        body: r#"{"type":"floor_resumed"}"#.into(),
        fingerprint: None,
    }
}

/// Meeting `m1` with events 1 to `events`, the event `n` at time `n`.
fn with_events(store: &dyn Stores, events: u64) -> MeetingId {
    let id = meeting(store, "m1");
    wait(store.append(Append { meeting: id.clone(), events: (1..=events).map(event).collect() })).unwrap();
    id
}

fn snapshot(seq: u64, shape: &str) -> StoredSnapshot {
    StoredSnapshot { seq: Seq(seq), shape: shape.into(), state: format!("{{\"at\":{seq}}}") }
}

fn seqs(events: &[StoredEvent]) -> Vec<u64> {
    events.iter().map(|e| e.seq.0).collect()
}

#[test]
fn appended_events_read_back_in_order_with_every_field() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        let id = meeting(store, "m1");
        let mut second = event(2);
        second.actor = None;
        second.command = None;
        second.fingerprint = Some(crate::fingerprint::Fingerprint::of(&shared::Command::ResumeFloor));

        // Act
        wait(store.append(Append { meeting: id.clone(), events: vec![event(1), second.clone()] })).unwrap();
        wait(store.flush()).unwrap();
        let events = store.events(&id).unwrap();

        // Assert
        assert_eq!(seqs(&events), [1, 2], "{}", backend.name);
        assert_eq!(events[0].command, event(1).command, "{}", backend.name);
        assert_eq!(events[0].actor, event(1).actor, "{}", backend.name);
        assert_eq!((events[1].actor.clone(), events[1].command.clone()), (None, None), "{}", backend.name);
        assert_eq!(events[1].fingerprint, second.fingerprint, "{}", backend.name);
        assert_eq!(events[1].body, second.body, "{}", backend.name);
    }
}

#[test]
fn an_append_reusing_a_sequence_number_fails_whole_and_writes_nothing() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        let id = with_events(store, 3);

        // Act
        let refused = wait(store.append(Append { meeting: id.clone(), events: vec![event(4), event(3)] }));
        let next = wait(store.append(Append { meeting: id.clone(), events: vec![event(4)] }));

        // Assert
        assert!(refused.is_err(), "{}", backend.name);
        assert!(next.is_ok(), "{}: the refused append left nothing behind", backend.name);
        assert_eq!(seqs(&store.events(&id).unwrap()), [1, 2, 3, 4], "{}", backend.name);
    }
}

#[test]
fn a_refused_append_does_not_fail_the_appends_committed_beside_it() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        let first = with_events(store, 2);
        let second = meeting(store, "m2");

        // Act: submitted together, so committed in one batch where the backend batches.
        let taken = store.append(Append { meeting: first.clone(), events: vec![event(2)] });
        let fine = store.append(Append { meeting: second.clone(), events: vec![event(1)] });
        let (taken, fine) = wait(async { (taken.await, fine.await) });

        // Assert
        assert!(taken.is_err(), "{}", backend.name);
        assert!(fine.is_ok(), "{}: {fine:?}", backend.name);
        assert_eq!(seqs(&store.events(&second).unwrap()), [1], "{}", backend.name);
    }
}

#[test]
fn creating_a_taken_meeting_id_says_so() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        meeting(store, "m1");
        let stored = store.meetings().unwrap().remove(0);

        // Act
        let again = wait(store.create_meeting(stored, Millis(2)));

        // Assert
        assert!(matches!(again, Err(StoreError::MeetingExists(_))), "{}: {again:?}", backend.name);
        assert_eq!(store.meetings().unwrap().len(), 1, "{}", backend.name);
    }
}

#[test]
fn events_after_a_sequence_number_come_in_pages() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        let id = with_events(store, 10);

        // Act
        let page = store.events_after(&id, Seq(4), 3).unwrap();
        let rest = store.events_after(&id, Seq(7), 100).unwrap();

        // Assert
        assert_eq!(seqs(&page), [5, 6, 7], "{}", backend.name);
        assert_eq!(seqs(&rest), [8, 9, 10], "{}", backend.name);
    }
}

#[test]
fn recovering_reads_the_snapshot_the_events_after_it_and_the_tail_asked_for() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        let id = with_events(store, 100);
        wait(store.save_snapshot(&id, snapshot(90, "a"))).unwrap();

        // Act
        let recovery = store.recover(&id, "a", 20).unwrap();

        // Assert
        assert_eq!(recovery.snapshot.map(|s| s.seq), Some(Seq(90)), "{}", backend.name);
        assert_eq!(recovery.first_at, Some(Millis(1)), "{}", backend.name);
        assert_eq!(seqs(&recovery.events), (81..=100).collect::<Vec<_>>(), "{}: the last 20", backend.name);
    }
}

#[test]
fn a_snapshot_of_another_shape_is_not_handed_back_and_every_event_is() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        let id = with_events(store, 30);
        wait(store.save_snapshot(&id, snapshot(25, "old"))).unwrap();

        // Act
        let recovery = store.recover(&id, "new", 5).unwrap();

        // Assert
        assert!(recovery.snapshot.is_none(), "{}", backend.name);
        assert_eq!(recovery.events.len(), 30, "{}", backend.name);
    }
}

#[test]
fn an_older_snapshot_never_replaces_a_newer_one() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        let id = with_events(store, 30);
        wait(store.save_snapshot(&id, snapshot(20, "a"))).unwrap();

        // Act
        wait(store.save_snapshot(&id, snapshot(10, "a"))).unwrap();
        wait(store.save_snapshot(&id, snapshot(25, "a"))).unwrap();
        let after = store.recover(&id, "a", 0).unwrap();

        // Assert
        assert_eq!(after.snapshot.map(|s| s.seq), Some(Seq(25)), "{}", backend.name);
        assert_eq!(after.events.first().map(|e| e.seq), Some(Seq(26)), "{}", backend.name);
    }
}
