//! Revoked token ids, the cursor every node polls them with, and the links the secretariat issued.

use shared::api::{Cursor, PageRequest};
use shared::delegations::DelegationKind;
use shared::{MeetingId, Millis, Participant, ParticipantId, ProcessId};

use super::{backends, Stores};
use crate::store::{RevokedToken, StoredLink};

fn revocation(jti: &str, at: i64, reason: &str) -> RevokedToken {
    RevokedToken { jti: jti.into(), revoked_at: Millis(at), reason: Some(reason.into()) }
}

fn jtis(revoked: &[(i64, RevokedToken)]) -> Vec<&str> {
    revoked.iter().map(|(_, r)| r.jti.as_str()).collect()
}

fn process() -> ProcessId {
    ProcessId::parse("oewg").unwrap()
}

fn m1() -> MeetingId {
    MeetingId::parse("m1").unwrap()
}

/// A link `id` for the delegate `participant`, to meeting `m1` (or the whole process when
/// `meeting` is `None`), issued at `issued_at`.
fn link(id: &str, participant: &str, meeting: Option<MeetingId>, issued_at: i64) -> StoredLink {
    let participant: Participant = serde_json::from_value(serde_json::json!({
        "id": participant, "name": "France", "role": "delegate", "delegation": "France"
    }))
    .unwrap();
    StoredLink {
        id: id.into(),
        process: process(),
        meeting,
        participant,
        kind: Some(DelegationKind::MemberState),
        claims: format!(r#"{{"jti":"{id}"}}"#),
        kid: "k1".into(),
        issued_at: Millis(issued_at),
        expires_at: Millis(issued_at + 1000),
        revoked_at: None,
        replaced_by: None,
    }
}

/// Every page of a scope's current links, `limit` at a time, following each page's cursor.
fn every_page(store: &dyn Stores, meeting: Option<&MeetingId>, limit: u32) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut after = None;
    loop {
        let page = store.links(&process(), meeting, &PageRequest { limit, after }).unwrap();
        pages.push(page.items.into_iter().map(|l| l.id).collect());
        match page.next {
            Some(next) => after = Some(Cursor::parse(&next).unwrap()),
            None => return pages,
        }
    }
}

#[test]
fn a_shared_secret_is_drawn_once_and_every_later_caller_gets_the_first() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        let first = store.shared_secret("forms", &[1; 32]).unwrap();

        // Act
        let again = store.shared_secret("forms", &[2; 32]).unwrap();
        let other = store.shared_secret("other", &[3; 32]).unwrap();

        // Assert
        assert_eq!(first, vec![1; 32], "{}", backend.name);
        assert_eq!(again, first, "{}: the stored one wins", backend.name);
        assert_eq!(other, vec![3; 32], "{}: each name has its own", backend.name);
    }
}

#[test]
fn polling_with_the_last_cursor_returns_only_the_revocations_recorded_since() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        store.revoke_token(&revocation("t1", 1, "lost laptop")).unwrap();
        store.revoke_token(&revocation("t2", 2, "left the delegation")).unwrap();
        let (cursor, _) = store.revoked_tokens_after(0).unwrap().pop().unwrap();

        // Act
        store.revoke_token(&revocation("t3", 3, "lost phone")).unwrap();
        let since = store.revoked_tokens_after(cursor).unwrap();
        let all = store.revoked_tokens_after(0).unwrap();

        // Assert
        assert_eq!(jtis(&since), ["t3"], "{}", backend.name);
        assert_eq!(since[0].1, revocation("t3", 3, "lost phone"), "{}", backend.name);
        assert_eq!(jtis(&all), ["t1", "t2", "t3"], "{}", backend.name);
        assert!(all.windows(2).all(|w| w[0].0 < w[1].0), "{}: cursors grow", backend.name);
        assert!(store.revoked_tokens_after(since[0].0).unwrap().is_empty(), "{}", backend.name);
        assert!(store.token_revoked("t2").unwrap() && !store.token_revoked("t4").unwrap(), "{}", backend.name);
    }
}

#[test]
fn a_second_revocation_of_a_token_keeps_the_first() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        let first = store.revoke_token(&revocation("t1", 1, "lost laptop")).unwrap();

        // Act
        let again = store.revoke_token(&revocation("t1", 2, "lost again")).unwrap();

        // Assert
        assert_eq!(first, revocation("t1", 1, "lost laptop"), "{}", backend.name);
        assert_eq!(again, first, "{}", backend.name);
        assert_eq!(jtis(&store.revoked_tokens_after(0).unwrap()), ["t1"], "{}: recorded once", backend.name);
    }
}

#[test]
fn a_recorded_link_reads_back_as_issued_and_is_the_current_one() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        let to_meeting = link("l1", "del-fr", Some(m1()), 10);
        let mut to_process = link("l2", "del-fr", None, 10);
        to_process.kind = None;
        let france = to_meeting.participant.id.clone();

        // Act
        store.record_link(&to_meeting).unwrap();
        store.record_link(&to_process).unwrap();

        // Assert
        assert_eq!(store.link("l1").unwrap(), Some(to_meeting.clone()), "{}", backend.name);
        assert_eq!(store.link("l2").unwrap(), Some(to_process.clone()), "{}", backend.name);
        assert_eq!(store.link("l3").unwrap(), None, "{}", backend.name);
        assert_eq!(store.current_link(&process(), Some(&m1()), &france).unwrap(), Some(to_meeting), "{}", backend.name);
        assert_eq!(store.current_link(&process(), None, &france).unwrap(), Some(to_process), "{}", backend.name);
        let nobody = ParticipantId::parse("del-de").unwrap();
        assert_eq!(store.current_link(&process(), None, &nobody).unwrap(), None, "{}", backend.name);
    }
}

#[test]
fn a_scopes_links_come_in_pages_in_the_order_they_were_issued() {
    for backend in backends() {
        // Arrange: five to m1, three of them in one millisecond; one to the whole process.
        let store = backend.store.as_ref();
        for (i, issued_at) in [(1, 10), (2, 20), (3, 20), (4, 20), (5, 30)] {
            store.record_link(&link(&format!("l{i}"), &format!("del-{i}"), Some(m1()), issued_at)).unwrap();
        }
        store.record_link(&link("l6", "del-6", None, 5)).unwrap();

        // Act
        let pages = every_page(store, Some(&m1()), 2);
        let whole_process = every_page(store, None, 2);

        // Assert
        assert_eq!(pages, [vec!["l1", "l2"], vec!["l3", "l4"], vec!["l5"]], "{}", backend.name);
        assert_eq!(whole_process, [vec!["l6"]], "{}", backend.name);
    }
}

#[test]
fn a_second_current_link_for_one_participant_in_one_scope_is_refused() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        store.record_link(&link("l1", "del-fr", Some(m1()), 10)).unwrap();

        // Act
        let twice = store.record_link(&link("l2", "del-fr", Some(m1()), 20));
        let elsewhere = store.record_link(&link("l3", "del-fr", None, 20));

        // Assert
        assert!(twice.is_err(), "{}", backend.name);
        assert!(elsewhere.is_ok(), "{}: {elsewhere:?}", backend.name);
        assert_eq!(store.link("l2").unwrap(), None, "{}", backend.name);
    }
}

#[test]
fn replacing_a_link_revokes_the_old_one_and_the_new_one_takes_its_place() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        let old = link("l1", "del-fr", Some(m1()), 10);
        store.record_link(&old).unwrap();
        let new = link("l2", "del-fr", Some(m1()), 20);

        // Act
        store.replace_link("l1", &new, &revocation("l1", 15, "re-issued")).unwrap();

        // Assert
        let replaced = store.link("l1").unwrap().unwrap();
        assert_eq!(
            (replaced.revoked_at, replaced.replaced_by),
            (Some(Millis(15)), Some("l2".into())),
            "{}",
            backend.name
        );
        assert!(store.token_revoked("l1").unwrap(), "{}", backend.name);
        assert_eq!(jtis(&store.revoked_tokens_after(0).unwrap()), ["l1"], "{}", backend.name);
        let current = store.current_link(&process(), Some(&m1()), &old.participant.id).unwrap();
        assert_eq!(current, Some(new), "{}", backend.name);
        assert_eq!(
            every_page(store, Some(&m1()), 10),
            [vec!["l2"]],
            "{}: the replaced one is not listed",
            backend.name
        );
    }
}

#[test]
fn revoking_a_link_revokes_its_token_and_a_second_revocation_keeps_the_first() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        store.record_link(&link("l1", "del-fr", Some(m1()), 10)).unwrap();

        // Act
        let first = store.revoke_link(&revocation("l1", 15, "left the delegation")).unwrap();
        let again = store.revoke_link(&revocation("l1", 16, "again")).unwrap();

        // Assert
        assert_eq!(first, revocation("l1", 15, "left the delegation"), "{}", backend.name);
        assert_eq!(again, first, "{}", backend.name);
        assert_eq!(store.link("l1").unwrap().unwrap().revoked_at, Some(Millis(15)), "{}", backend.name);
        assert_eq!(jtis(&store.revoked_tokens_after(0).unwrap()), ["l1"], "{}", backend.name);
        assert_eq!(every_page(store, Some(&m1()), 10), [vec!["l1"]], "{}: listed, as revoked", backend.name);
    }
}

#[test]
fn a_link_whose_token_was_revoked_by_id_alone_reads_as_revoked() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        store.record_link(&link("l1", "del-fr", Some(m1()), 10)).unwrap();

        // Act: as `rostrum token revoke` does, knowing nothing of links.
        store.revoke_token(&revocation("l1", 12, "lost laptop")).unwrap();

        // Assert
        assert_eq!(store.link("l1").unwrap().unwrap().revoked_at, Some(Millis(12)), "{}", backend.name);
        let listed = store.links(&process(), Some(&m1()), &PageRequest { limit: 10, after: None }).unwrap();
        assert_eq!(listed.items[0].revoked_at, Some(Millis(12)), "{}", backend.name);
    }
}
