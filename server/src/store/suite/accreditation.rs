//! Processes, organisations and the objections to them, their representatives, delegations'
//! experts and meetings' documents, with the quotas that bound them.

use std::sync::Arc;

use shared::accreditation::quota::{Limit, Quota};
use shared::accreditation::{
    Application, Constituency, Document, DocumentKind, Expert, Objection, Organisation, Process, Representative, Status,
};
use shared::api::{Cursor, PageRequest};
use shared::{MeetingId, Millis, ParticipantId, Presence, ProcessId};

use super::{backends, meeting, Backend, Stores};
use crate::store::{OrganisationQuota, PgStore, StoreError};

/// The process of the suite's meetings ([`meeting`]).
pub(super) const PROCESS: &str = "oewg";

pub(super) fn process_id(id: &str) -> ProcessId {
    ProcessId::parse(id).unwrap()
}

/// Records the process `id`.
pub(super) fn process(store: &dyn Stores, id: &str) -> ProcessId {
    let process = Process { id: process_id(id), title: format!("Process {id}"), applications_deadline: Millis(100) };
    store.create_process(&process).unwrap();
    process.id
}

/// A pending application of the organisation `name` to `process`, made at `at`.
pub(super) fn organisation(id: &str, process: &str, name: &str, at: i64) -> Organisation {
    Organisation {
        id: id.into(),
        process: process_id(process),
        application: Application {
            name: name.into(),
            website: "https://example.org".into(),
            country: "Ghana".into(),
            contact_name: "Kwame Mensah".into(),
            contact_email: "kwame@example.org".into(),
            constituency: Constituency::Ngo,
            ecosoc: true,
            activities: None,
        },
        status: Status::Pending,
        reason: None,
        applied_at: Millis(at),
        decided_at: None,
        objections: Vec::new(),
    }
}

/// Records an application of `name` to the suite's process, made at time 1.
pub(super) fn applied(store: &dyn Stores, id: &str, name: &str) -> Organisation {
    let organisation = organisation(id, PROCESS, name, 1);
    store.add_organisation(&organisation).unwrap();
    organisation
}

pub(super) fn limit(quota: Quota, max: u64) -> Limit {
    Limit { quota, max }
}

/// What `organisation`'s uploads count against: `items` of the kind written, `bytes` in all.
pub(super) fn quota(organisation: &Organisation, items: Limit, bytes: u64) -> OrganisationQuota {
    OrganisationQuota {
        organisation: organisation.id.clone(),
        name: organisation.application.name.clone(),
        process: organisation.process.clone(),
        items,
        bytes: limit(Quota::Bytes, bytes),
    }
}

/// The backend's database as a second node opens it: a store of its own on the same PostgreSQL
/// database. SQLite serves one node, so its second node is the store itself.
pub(super) fn another_node(backend: &Backend) -> Arc<dyn Stores> {
    match database_url(backend) {
        Some(url) => Arc::new(PgStore::open(&url).unwrap()),
        None => backend.store.clone(),
    }
}

/// The URL of the backend's PostgreSQL database; `None` for SQLite.
pub(super) fn database_url(backend: &Backend) -> Option<String> {
    let (admin, name) = backend.database.as_ref()?;
    let server = admin.rsplit_once('/').map_or(admin.as_str(), |(server, _)| server);
    Some(format!("{server}/{name}"))
}

fn objection(delegation: &str, at: i64) -> Objection {
    Objection { delegation: delegation.into(), reason: format!("{delegation} objects"), at: Millis(at) }
}

fn representative(id: &str, organisation: &str, name: &str, at: i64) -> Representative {
    Representative {
        id: ParticipantId::parse(id).unwrap(),
        organisation: organisation.into(),
        name: name.into(),
        email: format!("{id}@example.org"),
        presence: Presence::InRoom,
        created_at: Millis(at),
        revoked_at: None,
    }
}

fn expert(id: &str, process: &str, delegation: &str, name: &str, at: i64) -> Expert {
    Expert {
        id: ParticipantId::parse(id).unwrap(),
        process: process_id(process),
        delegation: delegation.into(),
        name: name.into(),
        organisation: "University of Nairobi".into(),
        email: format!("{id}@example.org"),
        created_at: Millis(at),
        revoked_at: None,
    }
}

/// A link to a document, put up by `provided_by` at `at`.
fn link(id: &str, meeting: &MeetingId, kind: DocumentKind, provided_by: &str, at: i64) -> Document {
    Document {
        id: id.into(),
        meeting: meeting.clone(),
        title: format!("Document {id}"),
        kind,
        provided_by: provided_by.into(),
        url: Some(format!("https://example.org/{id}")),
        content_type: None,
        size: None,
        added_at: Millis(at),
    }
}

/// An uploaded document of `size` bytes.
fn upload(id: &str, meeting: &MeetingId, kind: DocumentKind, provided_by: &str, size: u64) -> Document {
    Document {
        url: None,
        content_type: Some("application/pdf".into()),
        size: Some(size),
        ..link(id, meeting, kind, provided_by, 1)
    }
}

fn first(limit: u32) -> PageRequest {
    PageRequest { limit, after: None }
}

/// The page after the one whose `next` this is.
fn next(limit: u32, next: &Option<String>) -> PageRequest {
    PageRequest { limit, after: Some(Cursor::parse(next.as_deref().expect("a next page")).unwrap()) }
}

fn ids<T>(items: &[T], id: impl Fn(&T) -> &str) -> Vec<&str> {
    items.iter().map(id).collect()
}

#[test]
fn a_process_reads_back_listed_by_id_and_its_id_cannot_be_taken_twice() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        let b = process(store, "oewg-b");
        process(store, "OEWG-C");
        process(store, "oewg-a");

        // Act
        let again = Process { id: b.clone(), title: "Another".into(), applications_deadline: Millis(5) };
        let taken = store.create_process(&again);

        // Assert
        assert!(matches!(taken, Err(StoreError::Exists(_))), "{}: {taken:?}", backend.name);
        let stored = store.process(&b).unwrap().unwrap();
        assert_eq!(
            (stored.title.as_str(), stored.applications_deadline),
            ("Process oewg-b", Millis(100)),
            "{}",
            backend.name
        );
        assert_eq!(store.process(&process_id("oewg-z")).unwrap(), None, "{}", backend.name);
        let listed: Vec<String> = store.processes().unwrap().into_iter().map(|p| p.id.to_string()).collect();
        assert_eq!(listed, ["OEWG-C", "oewg-a", "oewg-b"], "{}: byte order, capitals first", backend.name);
    }
}

#[test]
fn an_organisation_reads_back_as_it_applied_with_its_objections_oldest_first() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        process(store, PROCESS);
        let mut applied = applied(store, "o1", "Global Digital Rights Network");
        let (late, early) = (objection("Chile", 20), objection("Kenya", 10));

        // Act
        store.add_objection("o1", &late, limit(Quota::Objections, 5)).unwrap();
        store.add_objection("o1", &early, limit(Quota::Objections, 5)).unwrap();
        let read = store.organisation("o1").unwrap();

        // Assert
        applied.objections = vec![early, late];
        assert_eq!(read, Some(applied.clone()), "{}", backend.name);
        assert_eq!(store.organisations(&process_id(PROCESS)).unwrap(), vec![applied], "{}", backend.name);
        assert_eq!(store.organisation("o9").unwrap(), None, "{}", backend.name);
    }
}

#[test]
fn an_organisation_cannot_apply_twice_to_a_process_under_any_spelling_of_its_name() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        process(store, PROCESS);
        process(store, "wg-2");
        applied(store, "o1", "Global Digital Rights Network");

        // Act
        let respelled = store.add_organisation(&organisation("o2", PROCESS, "  global   DIGITAL rights\tnetwork ", 2));
        let invisible =
            store.add_organisation(&organisation("o3", PROCESS, "Global Digital\u{200b} Rights Network", 2));
        let same_id = store.add_organisation(&organisation("o1", PROCESS, "Another Network", 2));
        let elsewhere = store.add_organisation(&organisation("o4", "wg-2", "GLOBAL DIGITAL RIGHTS NETWORK", 2));

        // Assert
        assert!(
            matches!(&respelled, Err(StoreError::Exists(name)) if name == "global   DIGITAL rights\tnetwork"),
            "{}: {respelled:?}",
            backend.name
        );
        assert!(matches!(invisible, Err(StoreError::Exists(_))), "{}: {invisible:?}", backend.name);
        assert!(matches!(same_id, Err(StoreError::Exists(_))), "{}: {same_id:?}", backend.name);
        assert!(elsewhere.is_ok(), "{}: another process takes the name: {elsewhere:?}", backend.name);
        let names: Vec<String> =
            store.organisations(&process_id(PROCESS)).unwrap().into_iter().map(|o| o.application.name).collect();
        assert_eq!(names, ["Global Digital Rights Network"], "{}", backend.name);
    }
}

#[test]
fn organisations_come_in_pages_in_the_order_they_applied() {
    for backend in backends() {
        // Arrange: three applications in one millisecond, stored out of their names' order.
        let store = backend.store.as_ref();
        process(store, PROCESS);
        for (id, name, at) in
            [("o1", "First", 10), ("o2", "Zeta", 20), ("o3", "Alpha", 20), ("o4", "Mid", 20), ("o5", "Last", 30)]
        {
            store.add_organisation(&organisation(id, PROCESS, name, at)).unwrap();
        }
        store.add_objection("o3", &objection("Chile", 5), limit(Quota::Objections, 5)).unwrap();
        let process = process_id(PROCESS);

        // Act
        let one = store.organisations_page(&process, &first(2)).unwrap();
        let two = store.organisations_page(&process, &next(2, &one.next)).unwrap();
        let three = store.organisations_page(&process, &next(2, &two.next)).unwrap();
        let whole = store.organisations(&process).unwrap();

        // Assert
        assert_eq!(ids(&one.items, |o| &o.id), ["o1", "o2"], "{}", backend.name);
        assert_eq!(ids(&two.items, |o| &o.id), ["o3", "o4"], "{}: the next page starts after the last", backend.name);
        assert_eq!(two.items[0].objections, [objection("Chile", 5)], "{}", backend.name);
        assert_eq!((ids(&three.items, |o| &o.id), three.next), (vec!["o5"], None), "{}", backend.name);
        assert_eq!(
            ids(&whole, |o| &o.id),
            ["o1", "o3", "o4", "o2", "o5"],
            "{}: unpaged, by name within a millisecond",
            backend.name
        );
    }
}

#[test]
fn a_status_changes_only_from_the_statuses_allowed() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        process(store, PROCESS);
        applied(store, "o1", "Global Digital Rights Network");

        // Act
        let approved = store.set_status("o1", &[Status::Pending], Status::Approved, None, Millis(5)).unwrap();
        let refused = store.set_status("o1", &[Status::Pending], Status::Refused, Some("Late."), Millis(6)).unwrap();
        let revoked = store
            .set_status("o1", &[Status::Approved, Status::Refused], Status::Revoked, Some("Misconduct."), Millis(7))
            .unwrap();
        let unknown = store.set_status("o9", &[Status::Pending], Status::Approved, None, Millis(8)).unwrap();

        // Assert
        assert_eq!((approved, refused, revoked, unknown), (true, false, true, false), "{}", backend.name);
        let stored = store.organisation("o1").unwrap().unwrap();
        assert_eq!(
            (stored.status, stored.reason.as_deref(), stored.decided_at),
            (Status::Revoked, Some("Misconduct."), Some(Millis(7))),
            "{}",
            backend.name
        );
    }
}

#[test]
fn refusing_pending_applications_returns_those_it_could_not_refuse_in_the_order_given() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        process(store, PROCESS);
        process(store, "wg-2");
        applied(store, "o1", "First Network");
        applied(store, "o2", "Second Network");
        applied(store, "o3", "Approved Network");
        store.set_status("o3", &[Status::Pending], Status::Approved, None, Millis(2)).unwrap();
        store.add_organisation(&organisation("o4", "wg-2", "Elsewhere Network", 1)).unwrap();
        let ids: Vec<String> = ["o1", "o3", "o9", "o4", "o2", "o1"].map(String::from).into();

        // Act
        let skipped = store.refuse_pending(&process_id(PROCESS), &ids, "Out of scope.", Millis(9)).unwrap();

        // Assert
        assert_eq!(
            skipped,
            ["o3", "o9", "o4", "o1"],
            "{}: decided, unknown, of another process, already refused",
            backend.name
        );
        let status = |id: &str| store.organisation(id).unwrap().map(|o| (o.status, o.reason, o.decided_at));
        let refused = Some((Status::Refused, Some("Out of scope.".to_string()), Some(Millis(9))));
        assert_eq!((status("o1"), status("o2")), (refused.clone(), refused), "{}", backend.name);
        assert_eq!(status("o3").map(|s| s.0), Some(Status::Approved), "{}", backend.name);
        assert_eq!(status("o4").map(|s| s.0), Some(Status::Pending), "{}", backend.name);
    }
}

#[test]
fn a_delegation_lodges_objections_up_to_its_quota_in_each_process() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        process(store, PROCESS);
        process(store, "wg-2");
        applied(store, "o1", "First Network");
        applied(store, "o2", "Second Network");
        store.add_organisation(&organisation("o3", "wg-2", "Elsewhere Network", 1)).unwrap();
        let two = limit(Quota::Objections, 2);
        store.add_objection("o1", &objection("Chile", 1), two).unwrap();
        store.add_objection("o2", &objection("Chile", 2), two).unwrap();

        // Act
        let third = store.add_objection("o1", &objection("Chile", 3), two);
        let other_delegation = store.add_objection("o1", &objection("Kenya", 4), two);
        let other_process = store.add_objection("o3", &objection("Chile", 5), two);

        // Assert
        assert!(matches!(third, Err(StoreError::Quota(l)) if l == two), "{}: {third:?}", backend.name);
        assert!(other_delegation.is_ok(), "{}: {other_delegation:?}", backend.name);
        assert!(other_process.is_ok(), "{}: {other_process:?}", backend.name);
        let lodged = store.organisation("o1").unwrap().unwrap().objections;
        assert_eq!(
            lodged,
            [objection("Chile", 1), objection("Kenya", 4)],
            "{}: the refused one is not stored",
            backend.name
        );
    }
}

#[test]
fn revoking_a_representative_frees_its_place_in_the_quota() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        process(store, PROCESS);
        applied(store, "o1", "Global Digital Rights Network");
        let two = limit(Quota::Representatives, 2);
        store.add_representative(&representative("rep-1", "o1", "alice", 5), two).unwrap();
        store.add_representative(&representative("rep-2", "o1", "Bob", 5), two).unwrap();

        // Act
        let over = store.add_representative(&representative("rep-3", "o1", "Carol", 6), two);
        let revoked = store.revoke_representative(&ParticipantId::parse("rep-1").unwrap(), Millis(9)).unwrap();
        let again = store.revoke_representative(&ParticipantId::parse("rep-1").unwrap(), Millis(10)).unwrap();
        let unknown = store.revoke_representative(&ParticipantId::parse("rep-9").unwrap(), Millis(10)).unwrap();
        let freed = store.add_representative(&representative("rep-3", "o1", "Carol", 6), two);

        // Assert
        assert!(matches!(over, Err(StoreError::Quota(l)) if l == two), "{}: {over:?}", backend.name);
        assert_eq!((revoked, again, unknown), (true, false, false), "{}", backend.name);
        assert!(freed.is_ok(), "{}: {freed:?}", backend.name);
        let revoked_one = Representative { revoked_at: Some(Millis(9)), ..representative("rep-1", "o1", "alice", 5) };
        let listed = store.representatives("o1").unwrap();
        assert_eq!(
            listed,
            [representative("rep-2", "o1", "Bob", 5), revoked_one.clone(), representative("rep-3", "o1", "Carol", 6)],
            "{}: by time, then by name byte by byte",
            backend.name
        );
        assert_eq!(store.representative(&revoked_one.id).unwrap(), Some(revoked_one), "{}", backend.name);
        assert_eq!(store.representative(&ParticipantId::parse("rep-9").unwrap()).unwrap(), None, "{}", backend.name);
    }
}

#[test]
fn withdrawing_an_expert_frees_its_place_in_the_delegations_quota_in_the_process() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        let one = limit(Quota::Experts, 1);
        store.add_expert(&expert("ex-1", PROCESS, "Chile", "Ana", 1), one).unwrap();

        // Act
        let over = store.add_expert(&expert("ex-2", PROCESS, "Chile", "Beto", 2), one);
        let other_delegation = store.add_expert(&expert("ex-3", PROCESS, "Kenya", "Wanjiru", 2), one);
        let other_process = store.add_expert(&expert("ex-4", "wg-2", "Chile", "Carla", 2), one);
        let withdrawn = store.revoke_expert(&ParticipantId::parse("ex-1").unwrap(), Millis(3)).unwrap();
        let again = store.revoke_expert(&ParticipantId::parse("ex-1").unwrap(), Millis(4)).unwrap();
        let freed = store.add_expert(&expert("ex-2", PROCESS, "Chile", "Beto", 5), one);

        // Assert
        assert!(matches!(over, Err(StoreError::Quota(l)) if l == one), "{}: {over:?}", backend.name);
        assert!(
            other_delegation.is_ok() && other_process.is_ok(),
            "{}: {other_delegation:?} {other_process:?}",
            backend.name
        );
        assert_eq!((withdrawn, again), (true, false), "{}", backend.name);
        assert!(freed.is_ok(), "{}: {freed:?}", backend.name);
        let withdrawn_one = Expert { revoked_at: Some(Millis(3)), ..expert("ex-1", PROCESS, "Chile", "Ana", 1) };
        let listed = store.experts(&process_id(PROCESS), "Chile").unwrap();
        assert_eq!(listed, [withdrawn_one.clone(), expert("ex-2", PROCESS, "Chile", "Beto", 5)], "{}", backend.name);
        assert_eq!(store.expert(&withdrawn_one.id).unwrap(), Some(withdrawn_one), "{}", backend.name);
        assert_eq!(store.expert(&ParticipantId::parse("ex-9").unwrap()).unwrap(), None, "{}", backend.name);
    }
}

#[test]
fn documents_come_in_pages_in_the_order_they_were_added() {
    for backend in backends() {
        // Arrange: three documents in one millisecond, and one of another meeting.
        let store = backend.store.as_ref();
        let m1 = meeting(store, "m1");
        let m2 = meeting(store, "m2");
        for (id, at) in [("d-1", 10), ("d-z", 20), ("d-a", 20), ("d-m", 20), ("d-5", 30)] {
            store.add_document(&link(id, &m1, DocumentKind::Official, "Secretariat", at), None, None).unwrap();
        }
        store.add_document(&link("d-other", &m2, DocumentKind::Official, "Secretariat", 15), None, None).unwrap();

        // Act
        let one = store.documents(&m1, &first(3)).unwrap();
        let two = store.documents(&m1, &next(3, &one.next)).unwrap();

        // Assert
        assert_eq!(one.items[0], link("d-1", &m1, DocumentKind::Official, "Secretariat", 10), "{}", backend.name);
        assert_eq!(ids(&one.items, |d| &d.id), ["d-1", "d-z", "d-a"], "{}", backend.name);
        assert_eq!(ids(&two.items, |d| &d.id), ["d-m", "d-5"], "{}: the next page starts after the last", backend.name);
        assert_eq!(two.next, None, "{}", backend.name);
    }
}

#[test]
fn an_uploaded_document_reads_back_with_its_bytes_and_a_link_has_none() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        let m1 = meeting(store, "m1");
        let bytes = b"%PDF-1.4\n\x00\xff\x80 binary".to_vec();
        let uploaded = upload("d-1", &m1, DocumentKind::Official, "Secretariat", bytes.len() as u64);

        // Act
        store.add_document(&uploaded, Some(bytes.as_slice()), None).unwrap();
        store.add_document(&link("d-2", &m1, DocumentKind::Official, "Secretariat", 2), None, None).unwrap();

        // Assert
        assert_eq!(store.document_file("d-1").unwrap(), Some((uploaded, bytes)), "{}", backend.name);
        assert_eq!(store.document_file("d-2").unwrap(), None, "{}: a link has no file", backend.name);
        assert_eq!(store.document_file("d-9").unwrap(), None, "{}", backend.name);
    }
}

#[test]
fn an_organisations_materials_stop_at_the_quota_of_items_and_of_bytes() {
    for backend in backends() {
        // Arrange: two materials and ten bytes at most.
        let store = backend.store.as_ref();
        process(store, PROCESS);
        let m1 = meeting(store, "m1");
        let network = applied(store, "o1", "Global Digital Rights Network");
        let name = network.application.name.as_str();
        let quota = quota(&network, limit(Quota::Materials, 2), 10);
        let material = |id: &str, size: usize| upload(id, &m1, DocumentKind::Material, name, size as u64);
        store.add_document(&material("d-1", 6), Some(&[1; 6][..]), Some(&quota)).unwrap();

        // Act
        let too_big = store.add_document(&material("d-2", 5), Some(&[2; 5][..]), Some(&quota));
        let fits = store.add_document(&material("d-2", 4), Some(&[2; 4][..]), Some(&quota));
        let too_many = store.add_document(&link("d-3", &m1, DocumentKind::Material, name, 3), None, Some(&quota));
        let official = store.add_document(
            &upload("d-4", &m1, DocumentKind::Official, "Secretariat", 50),
            Some(&[4; 50][..]),
            None,
        );

        // Assert
        assert!(matches!(too_big, Err(StoreError::Quota(l)) if l == quota.bytes), "{}: {too_big:?}", backend.name);
        assert!(fits.is_ok(), "{}: {fits:?}", backend.name);
        assert!(matches!(too_many, Err(StoreError::Quota(l)) if l == quota.items), "{}: {too_many:?}", backend.name);
        assert!(official.is_ok(), "{}: the secretariat's documents count against no quota", backend.name);
        let stored = store.documents(&m1, &first(10)).unwrap().items;
        assert_eq!(ids(&stored, |d| &d.id), ["d-1", "d-2", "d-4"], "{}", backend.name);
    }
}

#[test]
fn two_nodes_adding_representatives_at_once_never_pass_the_quota_together() {
    for backend in backends() {
        // Arrange
        let store = backend.store.clone();
        process(store.as_ref(), PROCESS);
        applied(store.as_ref(), "o1", "Global Digital Rights Network");
        let nodes = [store.clone(), another_node(&backend)];
        let three = limit(Quota::Representatives, 3);

        // Act: twelve at once, half on each node.
        let added: Vec<Result<(), StoreError>> = std::thread::scope(|scope| {
            let adding: Vec<_> = (0..12)
                .map(|n| {
                    let node = nodes[n % 2].clone();
                    scope.spawn(move || {
                        node.add_representative(&representative(&format!("rep-{n}"), "o1", "Rep", 1), three)
                    })
                })
                .collect();
            adding.into_iter().map(|a| a.join().unwrap()).collect()
        });

        // Assert
        let refused = added.iter().filter(|a| matches!(a, Err(StoreError::Quota(_)))).count();
        assert_eq!((added.len() - refused, refused), (3, 9), "{}: {added:?}", backend.name);
        assert_eq!(store.representatives("o1").unwrap().len(), 3, "{}", backend.name);
    }
}
