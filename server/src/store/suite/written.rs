//! The written input portal: statements and their PDFs, co-signers' answers, states' responses,
//! and an organisation's quotas, which its statements share with its materials.

use shared::accreditation::quota::Quota;
use shared::accreditation::DocumentKind;
use shared::api::{Cursor, PageRequest};
use shared::written::{Attachment, CoSigner, Response, Statement, Submitter, SubmitterKind};
use shared::{Language, MeetingId, Millis, ParticipantId};

use super::accreditation::{another_node, applied, database_url, limit, process, process_id, quota, PROCESS};
use super::{backends, meeting, Backend};
use crate::store::StoreError;

const PDF: &[u8] = b"%PDF-1.4\n\x00\xff\x80 binary\n%%EOF\n";

fn co_signer(name: &str, kind: SubmitterKind) -> CoSigner {
    let organisation = (kind == SubmitterKind::Organisation).then(|| "o1".to_string());
    CoSigner { name: name.into(), kind: Some(kind), organisation, confirmed: false }
}

/// Chile's statement `id` to the suite's process, written in the form at `at`, with two
/// co-signers to confirm.
fn statement(id: &str, meeting: Option<&MeetingId>, at: i64) -> Statement {
    Statement {
        id: id.into(),
        process: process_id(PROCESS),
        meeting: meeting.cloned(),
        agenda_item: Some("Capacity building".into()),
        title: format!("Statement {id}"),
        language: Language::parse("en").unwrap(),
        submitter: Submitter { kind: SubmitterKind::Delegation, name: "Chile".into(), organisation: None },
        co_signers: vec![
            co_signer("Kenya", SubmitterKind::Delegation),
            co_signer("Global Digital Rights Network", SubmitterKind::Organisation),
        ],
        text: Some("We propose a fund.".into()),
        file: None,
        submitted_at: Millis(at),
        responses: Vec::new(),
    }
}

/// The statement sent as a PDF of `size` bytes instead of text.
fn uploaded(statement: Statement, size: usize) -> Statement {
    Statement {
        text: None,
        file: Some(Attachment { content_type: "application/pdf".into(), size: size as u64 }),
        ..statement
    }
}

/// The organisation `o1`'s own statement.
fn from_organisation(id: &str, at: i64) -> Statement {
    let submitter = Submitter {
        kind: SubmitterKind::Organisation,
        name: "Global Digital Rights Network".into(),
        organisation: Some("o1".into()),
    };
    Statement { submitter, co_signers: Vec::new(), ..statement(id, None, at) }
}

fn response(id: &str, delegation: &str, at: i64) -> Response {
    Response {
        id: id.into(),
        delegation: delegation.into(),
        author: format!("Delegate of {delegation}"),
        text: "Taken into account.".into(),
        at: Millis(at),
    }
}

fn chile() -> ParticipantId {
    ParticipantId::parse("del-chile").unwrap()
}

fn ids(statements: &[Statement]) -> Vec<&str> {
    statements.iter().map(|s| s.id.as_str()).collect()
}

/// Makes the backend's database refuse every statement file from now on (`true`), as a full disk
/// would, or take them again (`false`): a trigger, made through a connection beside the store's.
fn refuse_files(backend: &Backend, refuse: bool) {
    match (database_url(backend), &backend._keep) {
        (Some(url), _) => {
            let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            client
                .batch_execute(if refuse {
                    "CREATE FUNCTION no_files() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE 'disk full'; END $$;
                     CREATE TRIGGER no_files BEFORE INSERT ON statement_files FOR EACH ROW EXECUTE FUNCTION no_files();"
                } else {
                    "DROP TRIGGER no_files ON statement_files; DROP FUNCTION no_files();"
                })
                .unwrap();
        }
        (None, Some(dir)) => {
            let conn = rusqlite::Connection::open(dir.path().join("rostrum.db")).unwrap();
            conn.execute_batch(if refuse {
                "CREATE TRIGGER no_files BEFORE INSERT ON statement_files BEGIN SELECT RAISE(ABORT, 'disk full'); END;"
            } else {
                "DROP TRIGGER no_files"
            })
            .unwrap();
        }
        (None, None) => panic!("{}: a backend with no database", backend.name),
    }
}

#[test]
fn a_statement_reads_back_with_its_file_and_its_responses_oldest_first() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        process(store, PROCESS);
        let with_file = uploaded(statement("s1", None, 1), PDF.len());
        store.add_statement(&with_file, &chile(), Some(PDF)).unwrap();
        store.add_statement(&statement("s2", None, 2), &chile(), None).unwrap();

        // Act: two responses in one millisecond keep the order they were stored in.
        for (id, delegation, at) in [("r-late", "Kenya", 20), ("r-early", "France", 10), ("r-tie", "Brazil", 20)] {
            store.add_response("s1", &response(id, delegation, at), &ParticipantId::parse("del-x").unwrap()).unwrap();
        }
        let read = store.statement("s1").unwrap();

        // Assert
        let responses =
            vec![response("r-early", "France", 10), response("r-late", "Kenya", 20), response("r-tie", "Brazil", 20)];
        assert_eq!(read, Some(Statement { responses, ..with_file.clone() }), "{}", backend.name);
        assert_eq!(
            store.statement_file("s1").unwrap(),
            Some((with_file.file.unwrap(), PDF.to_vec())),
            "{}",
            backend.name
        );
        assert_eq!(store.statement("s2").unwrap(), Some(statement("s2", None, 2)), "{}", backend.name);
        assert_eq!(store.statement_file("s2").unwrap(), None, "{}: a statement in text has no file", backend.name);
        assert_eq!(store.statement("s9").unwrap(), None, "{}", backend.name);
    }
}

#[test]
fn a_response_to_a_statement_that_does_not_exist_is_refused() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        process(store, PROCESS);

        // Act
        let refused = store.add_response("s9", &response("r1", "Kenya", 1), &chile());

        // Assert
        assert!(refused.is_err(), "{}", backend.name);
    }
}

#[test]
fn statements_are_listed_newest_first_for_a_process_or_one_of_its_meetings() {
    for backend in backends() {
        // Arrange: two statements in one millisecond, and one of another process.
        let store = backend.store.as_ref();
        process(store, PROCESS);
        process(store, "wg-2");
        let m1 = meeting(store, "m1");
        store.add_statement(&statement("s1", None, 10), &chile(), None).unwrap();
        store.add_statement(&statement("s2", Some(&m1), 20), &chile(), None).unwrap();
        store.add_statement(&statement("s3", None, 20), &chile(), None).unwrap();
        store
            .add_statement(&Statement { process: process_id("wg-2"), ..statement("s4", None, 30) }, &chile(), None)
            .unwrap();
        store.add_response("s2", &response("r1", "Kenya", 25), &chile()).unwrap();

        // Act
        let all = store.statements(&process_id(PROCESS), None).unwrap();
        let of_meeting = store.statements(&process_id(PROCESS), Some(&m1)).unwrap();

        // Assert
        assert_eq!(ids(&all), ["s3", "s2", "s1"], "{}: the later stored first within a millisecond", backend.name);
        assert_eq!(ids(&of_meeting), ["s2"], "{}", backend.name);
        assert_eq!(of_meeting[0].responses, [response("r1", "Kenya", 25)], "{}", backend.name);
        assert_eq!(all[1].responses, [response("r1", "Kenya", 25)], "{}", backend.name);
    }
}

#[test]
fn statements_come_in_pages_newest_first_of_the_meetings_the_reader_may_read() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        process(store, PROCESS);
        let (m1, m2) = (meeting(store, "m1"), meeting(store, "m2"));
        for (id, meeting, at) in
            [("s1", None, 10), ("s2", Some(&m1), 20), ("s3", Some(&m2), 20), ("s4", None, 30), ("s5", Some(&m1), 40)]
        {
            store.add_statement(&statement(id, meeting, at), &chile(), None).unwrap();
        }
        store.add_response("s2", &response("r1", "Kenya", 25), &chile()).unwrap();
        let process = process_id(PROCESS);
        let readable = [m1.clone()];

        // Act
        let one = store.statements_page(&process, None, &readable, &PageRequest { limit: 2, after: None }).unwrap();
        let after = Cursor::parse(one.next.as_deref().expect("a next page")).unwrap();
        let two =
            store.statements_page(&process, None, &readable, &PageRequest { limit: 2, after: Some(after) }).unwrap();
        let of_meeting =
            store.statements_page(&process, Some(&m1), &readable, &PageRequest { limit: 9, after: None }).unwrap();
        let of_none = store.statements_page(&process, None, &[], &PageRequest { limit: 9, after: None }).unwrap();

        // Assert
        assert_eq!(ids(&one.items), ["s5", "s4"], "{}", backend.name);
        assert_eq!(ids(&two.items), ["s2", "s1"], "{}: after the last, without m2's", backend.name);
        assert_eq!((two.next, &two.items[0].responses), (None, &vec![response("r1", "Kenya", 25)]), "{}", backend.name);
        assert_eq!(ids(&of_meeting.items), ["s5", "s2"], "{}", backend.name);
        assert_eq!(ids(&of_none.items), ["s4", "s1"], "{}: those tied to no meeting", backend.name);
    }
}

#[test]
fn an_organisations_statements_stop_at_their_quota_and_at_the_bytes_its_materials_share() {
    for backend in backends() {
        // Arrange: one statement and ten bytes at most, six of them taken by a material.
        let store = backend.store.as_ref();
        process(store, PROCESS);
        let m1 = meeting(store, "m1");
        let network = applied(store, "o1", "Global Digital Rights Network");
        let quota = quota(&network, limit(Quota::Statements, 1), 10);
        let material = shared::accreditation::Document {
            id: "d-1".into(),
            meeting: m1,
            title: "Our paper".into(),
            kind: DocumentKind::Material,
            provided_by: network.application.name.clone(),
            url: None,
            content_type: Some("application/pdf".into()),
            size: Some(6),
            added_at: Millis(1),
        };
        let materials = crate::store::OrganisationQuota { items: limit(Quota::Materials, 5), ..quota.clone() };
        store.add_document(&material, Some(&[1; 6][..]), Some(&materials)).unwrap();
        let by = ParticipantId::parse("org-o1").unwrap();

        // Act
        let too_big =
            store.submit_statement(&uploaded(from_organisation("s1", 2), 5), &by, Some(&[2; 5][..]), Some(&quota));
        let fits =
            store.submit_statement(&uploaded(from_organisation("s1", 2), 4), &by, Some(&[2; 4][..]), Some(&quota));
        let too_many = store.submit_statement(&from_organisation("s2", 3), &by, None, Some(&quota));
        let too_big_material = store.add_document(
            &shared::accreditation::Document { id: "d-2".into(), size: Some(1), ..material },
            Some(&[3][..]),
            Some(&materials),
        );

        // Assert
        assert!(matches!(too_big, Err(StoreError::Quota(l)) if l == quota.bytes), "{}: {too_big:?}", backend.name);
        assert!(fits.is_ok(), "{}: {fits:?}", backend.name);
        assert!(matches!(too_many, Err(StoreError::Quota(l)) if l == quota.items), "{}: {too_many:?}", backend.name);
        assert!(
            matches!(too_big_material, Err(StoreError::Quota(l)) if l == quota.bytes),
            "{}: {too_big_material:?}",
            backend.name
        );
        assert_eq!(ids(&store.statements(&process_id(PROCESS), None).unwrap()), ["s1"], "{}", backend.name);
        assert_eq!(store.statement_file("s1").unwrap().map(|(_, bytes)| bytes), Some(vec![2; 4]), "{}", backend.name);
    }
}

#[test]
fn a_co_signer_confirms_or_declines_and_one_not_named_changes_nothing() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        process(store, PROCESS);
        store.add_statement(&statement("s1", None, 1), &chile(), None).unwrap();

        // Act
        let confirmed = store.answer_co_signer("s1", "Kenya", true).unwrap();
        let declined = store.answer_co_signer("s1", "Global Digital Rights Network", false).unwrap();
        let not_named = store.answer_co_signer("s1", "France", true).unwrap();
        let no_statement = store.answer_co_signer("s9", "Kenya", true).unwrap();

        // Assert
        assert_eq!((confirmed, declined, not_named, no_statement), (true, true, false, false), "{}", backend.name);
        let kenya = CoSigner { confirmed: true, ..co_signer("Kenya", SubmitterKind::Delegation) };
        assert_eq!(store.statement("s1").unwrap().unwrap().co_signers, [kenya], "{}", backend.name);
    }
}

#[test]
fn co_signers_answering_at_once_on_two_nodes_all_count() {
    for backend in backends() {
        // Arrange
        let store = backend.store.clone();
        process(store.as_ref(), PROCESS);
        let names: Vec<String> = (0..8).map(|n| format!("State {n}")).collect();
        let co_signers = names.iter().map(|name| co_signer(name, SubmitterKind::Delegation)).collect();
        store.add_statement(&Statement { co_signers, ..statement("s1", None, 1) }, &chile(), None).unwrap();
        let nodes = [store.clone(), another_node(&backend)];

        // Act: each confirms on one node or the other, all at once.
        let answered: Vec<bool> = std::thread::scope(|scope| {
            let answering: Vec<_> = names
                .iter()
                .enumerate()
                .map(|(n, name)| {
                    let node = nodes[n % 2].clone();
                    scope.spawn(move || node.answer_co_signer("s1", name, true).unwrap())
                })
                .collect();
            answering.into_iter().map(|a| a.join().unwrap()).collect()
        });

        // Assert
        assert!(answered.iter().all(|a| *a), "{}", backend.name);
        let stored = store.statement("s1").unwrap().unwrap().co_signers;
        assert!(stored.iter().all(|c| c.confirmed), "{}: no answer lost: {stored:?}", backend.name);
    }
}

#[test]
fn a_statement_whose_file_cannot_be_stored_is_not_stored_either() {
    for backend in backends() {
        // Arrange
        let store = backend.store.as_ref();
        process(store, PROCESS);
        let with_file = uploaded(statement("s1", None, 1), PDF.len());
        refuse_files(&backend, true);

        // Act
        let failed = store.add_statement(&with_file, &chile(), Some(PDF));
        refuse_files(&backend, false);
        let retried = store.add_statement(&with_file, &chile(), Some(PDF));

        // Assert
        assert!(failed.is_err(), "{}", backend.name);
        assert!(
            retried.is_ok(),
            "{}: the failed attempt left no row behind to collide with: {retried:?}",
            backend.name
        );
        assert_eq!(store.statements(&process_id(PROCESS), None).unwrap(), vec![with_file], "{}", backend.name);
        assert_eq!(store.statement_file("s1").unwrap().map(|(_, bytes)| bytes), Some(PDF.to_vec()), "{}", backend.name);
    }
}
