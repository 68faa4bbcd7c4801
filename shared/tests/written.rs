//! Written input's pure core: a submission with its co-signers resolved, a state's response, and
//! a co-signer's answer, decided on the records as they stand with `now` passed in.

use shared::accreditation::{Application, Constituency, Organisation, Process, Status};
use shared::written::{
    Answer, Answerer, Attachment, NewResponse, NewStatement, Statement, Submission, Submitter, SubmitterKind,
};
use shared::{Language, Millis, ProcessId, RejectionCode};

fn process() -> ProcessId {
    ProcessId::parse("p1").unwrap()
}

fn organisation(id: &str, name: &str, status: Status) -> Organisation {
    let process = Process { id: process(), title: "P".into(), applications_deadline: Millis(i64::MAX) };
    let form = Application {
        name: name.into(),
        website: "https://example.org".into(),
        country: "Ghana".into(),
        contact_name: "Kwame".into(),
        contact_email: "kwame@example.org".into(),
        constituency: Constituency::Ngo,
        ecosoc: true,
        activities: None,
    };
    Organisation { status, ..Organisation::apply(&process, &[], id.into(), form, Millis(1)).unwrap() }
}

fn organisations() -> Vec<Organisation> {
    vec![
        organisation("gdrn", "Global Digital Rights Network", Status::Approved),
        organisation("an", "Access Now", Status::Approved),
        organisation("wait", "Pending Institute", Status::Pending),
    ]
}

fn gdrn() -> Submitter {
    Submitter {
        kind: SubmitterKind::Organisation,
        name: "Global Digital Rights Network".into(),
        organisation: Some("gdrn".into()),
    }
}

fn new_statement(co_signers: &[&str]) -> NewStatement {
    NewStatement {
        meeting: None,
        agenda_item: Some(" Capacity building ".into()),
        title: "  Our input ".into(),
        language: Language::parse("en").unwrap(),
        co_signers: co_signers.iter().map(|c| c.to_string()).collect(),
        text: Some("  We propose a fund.  ".into()),
    }
}

fn submit(submitter: Submitter, new: NewStatement) -> Result<Statement, shared::Rejection> {
    let organisations = organisations();
    let submission = Submission { process: &process(), submitter, new, file: None, organisations: &organisations };
    Statement::submit("s1".into(), submission, Millis(50))
}

#[test]
fn a_submitted_statement_is_trimmed_stamped_now_and_has_no_response_yet() {
    let statement = submit(gdrn(), new_statement(&[])).unwrap();

    assert_eq!((statement.title.as_str(), statement.agenda_item.as_deref()), ("Our input", Some("Capacity building")));
    assert_eq!(statement.text.as_deref(), Some("We propose a fund."));
    assert_eq!((statement.submitted_at, statement.process.clone()), (Millis(50), process()));
    assert!(statement.responses.is_empty() && statement.co_signers.is_empty());
}

#[test]
fn a_statement_with_a_pdf_has_no_text_and_one_without_needs_one() {
    let organisations = organisations();
    let pdf = Attachment { content_type: "application/pdf".into(), size: 9 };
    let with_file = Submission {
        process: &process(),
        submitter: gdrn(),
        new: NewStatement { text: None, ..new_statement(&[]) },
        file: Some(pdf.clone()),
        organisations: &organisations,
    };
    let both = Submission { new: new_statement(&[]), ..with_file.clone() };

    assert_eq!(Statement::submit("s".into(), with_file, Millis(1)).unwrap().file, Some(pdf));
    assert_eq!(Statement::submit("s".into(), both, Millis(1)).unwrap_err().code, RejectionCode::InvalidCommand);
}

#[test]
fn co_signers_are_accredited_organisations_or_member_states_under_their_own_names_and_pending() {
    let statement = submit(gdrn(), new_statement(&["access now", "chile"])).unwrap();

    let names: Vec<_> = statement.co_signers.iter().map(|c| (c.name.as_str(), c.kind, c.confirmed)).collect();
    assert_eq!(
        names,
        [("Access Now", Some(SubmitterKind::Organisation), false), ("Chile", Some(SubmitterKind::Delegation), false)]
    );
    assert_eq!(statement.co_signers[0].organisation.as_deref(), Some("an"));
}

#[test]
fn a_pending_organisation_or_an_unknown_name_does_not_co_sign() {
    let pending = submit(gdrn(), new_statement(&["Pending Institute"])).unwrap_err();
    let unknown = submit(gdrn(), new_statement(&["Nobody At All"])).unwrap_err();

    assert_eq!(
        (pending.code, unknown.code),
        (RejectionCode::CoSignerNotAccredited, RejectionCode::CoSignerNotAccredited)
    );
}

#[test]
fn the_submitter_does_not_co_sign_and_nobody_is_named_twice() {
    let itself = submit(gdrn(), new_statement(&["GLOBAL DIGITAL RIGHTS NETWORK"])).unwrap_err();
    let twice = submit(gdrn(), new_statement(&["Access Now", "access  now"])).unwrap_err();
    let chile = Submitter { kind: SubmitterKind::Delegation, name: "chile".into(), organisation: None };
    let state_itself = submit(chile, new_statement(&["Chile"])).unwrap_err();

    assert!(itself.message.contains("does not co-sign"), "{itself:?}");
    assert!(twice.message.contains("twice"), "{twice:?}");
    assert_eq!(state_itself.code, RejectionCode::InvalidCommand);
}

#[test]
fn a_response_is_written_for_the_state_by_its_delegate_now() {
    let statement = submit(gdrn(), new_statement(&[])).unwrap();

    let response = statement
        .respond(
            "Chile",
            "Delegate of Chile",
            &NewResponse { text: " Taken up in paragraph 12. ".into() },
            "r1".into(),
            Millis(60),
        )
        .unwrap();
    let blank = statement.respond("Chile", "D", &NewResponse { text: " ".into() }, "r2".into(), Millis(60));

    assert_eq!((response.delegation.as_str(), response.author.as_str()), ("Chile", "Delegate of Chile"));
    assert_eq!((response.text.as_str(), response.at), ("Taken up in paragraph 12.", Millis(60)));
    assert_eq!(blank.unwrap_err().code, RejectionCode::InvalidCommand);
}

#[test]
fn a_named_co_signer_confirms_and_another_declines_and_is_taken_off() {
    let mut statement = submit(gdrn(), new_statement(&["Access Now", "Chile"])).unwrap();
    let access_now = Answerer::organisation(Some(&organisations()[1]), &process()).unwrap();

    let confirmed = statement.answer(&access_now, Answer::Confirm).unwrap();
    statement.apply_answer(&confirmed);
    let declined = statement.answer(&Answerer::state("chile"), Answer::Decline).unwrap();
    statement.apply_answer(&declined);

    assert_eq!(statement.co_signers.len(), 1);
    assert_eq!((statement.co_signers[0].name.as_str(), statement.co_signers[0].confirmed), ("Access Now", true));
}

#[test]
fn only_a_named_and_accredited_co_signer_answers() {
    let statement = submit(gdrn(), new_statement(&["Access Now"])).unwrap();
    let pending = Answerer::organisation(Some(&organisations()[2]), &process()).unwrap_err();
    let nobody = Answerer::organisation(None, &process()).unwrap_err();
    let fiji = statement.answer(&Answerer::state("Fiji"), Answer::Confirm).unwrap_err();

    assert_eq!((pending.code, nobody.code), (RejectionCode::NotAccredited, RejectionCode::NotAccredited));
    assert_eq!(fiji.code, RejectionCode::NotAllowed);
    assert!(fiji.message.contains("Fiji"));
}
