//! Accreditation's pure core: applying, deciding, objecting, revoking, and the people an accredited
//! party sends, decided on the records as they stand with `now` passed in.

use proptest::prelude::*;
use shared::accreditation::{
    Application, Change, Constituency, Nomination, Nominee, Organisation, Party, Process, Status, Verdict,
};
use shared::{Millis, ParticipantId, Presence, ProcessId, RejectionCode};

const DEADLINE: Millis = Millis(1_000_000);

fn process() -> Process {
    Process {
        id: ProcessId::parse("oewg-ict").unwrap(),
        title: "Open-ended working group".into(),
        applications_deadline: DEADLINE,
    }
}

fn form(name: &str) -> Application {
    Application {
        name: name.into(),
        website: "https://gdrn.example.org".into(),
        country: "Ghana".into(),
        contact_name: "Kwame Mensah".into(),
        contact_email: "kwame@gdrn.example.org".into(),
        constituency: Constituency::Ngo,
        ecosoc: true,
        activities: None,
    }
}

fn pending(name: &str) -> Organisation {
    Organisation::apply(&process(), &[], "org1".into(), form(name), Millis(10)).expect("applied")
}

fn decided(organisation: &Organisation, change: Change) -> Organisation {
    let mut organisation = organisation.clone();
    organisation.apply_change(&change);
    organisation
}

fn approved() -> Organisation {
    let applied = pending("Global Digital Rights Network");
    let change = applied.decide(Verdict::Approve, None, Millis(20)).unwrap();
    decided(&applied, change)
}

#[test]
fn an_application_before_the_deadline_is_pending_from_now() {
    let applied = Organisation::apply(&process(), &[], "org1".into(), form("GDRN"), Millis(42)).unwrap();

    assert_eq!(applied.status, Status::Pending);
    assert_eq!(applied.applied_at, Millis(42));
    assert_eq!((applied.id.as_str(), &applied.process), ("org1", &process().id));
    assert!(applied.objections.is_empty() && applied.decided_at.is_none());
}

#[test]
fn an_application_on_the_last_millisecond_is_taken_and_one_after_it_is_refused() {
    let on_time = Organisation::apply(&process(), &[], "a".into(), form("GDRN"), DEADLINE);
    let late = Organisation::apply(&process(), &[], "a".into(), form("GDRN"), Millis(DEADLINE.0 + 1));

    assert!(on_time.is_ok());
    assert_eq!(late.unwrap_err().code, RejectionCode::DeadlinePassed);
}

#[test]
fn an_invalid_form_is_refused_before_anything_else_is_looked_at() {
    let without_email = Application { contact_email: "nobody".into(), ..form("GDRN") };

    let refused = Organisation::apply(&process(), &[], "a".into(), without_email, Millis(DEADLINE.0 + 1)).unwrap_err();

    assert_eq!(refused.code, RejectionCode::InvalidApplication);
}

#[test]
fn a_second_application_under_the_same_name_as_people_read_it_is_a_duplicate() {
    let first = pending("Global Digital Rights Network");

    for spelling in
        ["global digital rights network", "  Global  digital RIGHTS network ", "ＧＬＯＢＡＬ Digital Rights Network"]
    {
        let again =
            Organisation::apply(&process(), std::slice::from_ref(&first), "b".into(), form(spelling), Millis(11));

        assert_eq!(again.unwrap_err().code, RejectionCode::DuplicateApplication, "{spelling:?}");
    }
    let another = Organisation::apply(&process(), &[first], "c".into(), form("Global Digital Rights"), Millis(11));
    assert!(another.is_ok(), "another name is another organisation");
}

#[test]
fn the_same_name_in_another_process_is_not_a_duplicate() {
    let elsewhere = Organisation { process: ProcessId::parse("other").unwrap(), ..pending("GDRN") };

    let applied = Organisation::apply(&process(), &[elsewhere], "b".into(), form("GDRN"), Millis(11));

    assert!(applied.is_ok());
}

#[test]
fn an_approval_accredits_a_pending_application_without_a_reason() {
    let applied = pending("GDRN");

    let change = applied.decide(Verdict::Approve, None, Millis(20)).unwrap();
    let after = decided(&applied, change.clone());

    assert_eq!(change, Change::Status { from: Status::Pending, to: Status::Approved, reason: None, at: Millis(20) });
    assert_eq!((after.status, after.decided_at), (Status::Approved, Some(Millis(20))));
}

#[test]
fn a_refusal_needs_a_written_reason_and_keeps_it() {
    let applied = pending("GDRN");

    let without = applied.decide(Verdict::Refuse, None, Millis(20)).unwrap_err();
    let blank = applied.decide(Verdict::Refuse, Some("  "), Millis(20)).unwrap_err();
    let hostile = applied.decide(Verdict::Refuse, Some("Bad\u{202E}reason"), Millis(20)).unwrap_err();
    let with = applied.decide(Verdict::Refuse, Some("Not relevant to the process."), Millis(20)).unwrap();

    assert_eq!(
        (without.code, blank.code, hostile.code),
        (RejectionCode::InvalidCommand, RejectionCode::InvalidCommand, RejectionCode::InvalidCommand)
    );
    assert!(without.message.contains("reason"));
    let after = decided(&applied, with);
    assert_eq!((after.status, after.reason.as_deref()), (Status::Refused, Some("Not relevant to the process.")));
}

#[test]
fn a_decided_application_is_not_decided_again() {
    let accredited = approved();

    let again = accredited.decide(Verdict::Approve, None, Millis(30)).unwrap_err();
    let refused = accredited.decide(Verdict::Refuse, Some("Changed our mind."), Millis(30)).unwrap_err();

    assert_eq!((again.code, refused.code), (RejectionCode::AlreadyDecided, RejectionCode::AlreadyDecided));
}

#[test]
fn member_states_object_while_the_application_is_pending_only() {
    let applied = pending("GDRN");

    let objection = applied.object("Fiji", Some("Funded by a party to the dispute."), Millis(15)).unwrap();
    let with_objection = decided(&applied, objection);
    let without_reason = applied.object("Fiji", Some(" "), Millis(15)).unwrap_err();
    let late = approved().object("Fiji", Some("Too late."), Millis(25)).unwrap_err();

    assert_eq!(with_objection.objections.len(), 1);
    assert_eq!(with_objection.objections[0].delegation, "Fiji");
    assert_eq!(with_objection.objections[0].at, Millis(15));
    assert_eq!(with_objection.status, Status::Pending, "an objection decides nothing");
    assert_eq!(without_reason.code, RejectionCode::InvalidCommand);
    assert_eq!(late.code, RejectionCode::AlreadyDecided);
    assert!(late.message.contains("before the decision"));
}

#[test]
fn only_an_accreditation_in_force_is_revoked_and_with_a_reason() {
    let accredited = approved();

    let without = accredited.revoke(None, Millis(40)).unwrap_err();
    let revoked = decided(&accredited, accredited.revoke(Some("Misrepresented its activities."), Millis(40)).unwrap());
    let twice = revoked.revoke(Some("Again."), Millis(50)).unwrap_err();
    let never_approved = pending("GDRN").revoke(Some("Why not."), Millis(50)).unwrap_err();

    assert_eq!(without.code, RejectionCode::InvalidCommand);
    assert_eq!((revoked.status, revoked.decided_at), (Status::Revoked, Some(Millis(40))));
    assert_eq!(revoked.reason.as_deref(), Some("Misrepresented its activities."));
    assert_eq!((twice.code, never_approved.code), (RejectionCode::AlreadyDecided, RejectionCode::AlreadyDecided));
}

fn person(id: &str) -> ParticipantId {
    ParticipantId::parse(id).unwrap()
}

#[test]
fn a_representative_is_named_with_an_email_address_and_belongs_to_its_organisation() {
    let nominated = Nomination::new(" Amina Diallo ", " amina@example.org ").unwrap();

    let representative = nominated.representative("org1", person("r1"), Presence::InRoom, Millis(5));

    assert_eq!((representative.name.as_str(), representative.email.as_str()), ("Amina Diallo", "amina@example.org"));
    assert_eq!(representative.party(), Party::Organisation { organisation: "org1".into() });
    assert_eq!((representative.created_at, representative.revoked_at), (Millis(5), None));
}

#[test]
fn a_nominee_without_a_name_or_a_valid_email_is_refused() {
    assert_eq!(Nomination::new(" ", "a@b.org").unwrap_err().code, RejectionCode::InvalidCommand);
    assert!(Nomination::new("Amina", "amina at example").unwrap_err().message.contains("email"));
}

#[test]
fn an_expert_keeps_the_home_organisation_beside_the_state() {
    let process = process().id;
    let nominated = Nomination::new("Ilona Szabó", "ilona@igarape.org").unwrap();

    let expert = nominated.clone().expert(&process, "Chile", "Instituto Igarapé", person("e1"), Millis(7)).unwrap();
    let homeless = nominated.expert(&process, "Chile", "\u{7}", person("e2"), Millis(7)).unwrap_err();

    assert_eq!((expert.delegation.as_str(), expert.organisation.as_str()), ("Chile", "Instituto Igarapé"));
    assert_eq!(expert.party(), Party::Delegation { process, delegation: "Chile".into() });
    assert_eq!(homeless.code, RejectionCode::InvalidCommand);
}

#[test]
fn only_the_party_that_sent_someone_withdraws_them_and_twice_keeps_the_first_time() {
    let representative = Nomination::new("Amina", "amina@example.org").unwrap().representative(
        "org1",
        person("r1"),
        Presence::Remote,
        Millis(5),
    );
    let own = Party::Organisation { organisation: "org1".into() };
    let other = Party::Organisation { organisation: "org2".into() };

    let withdrawn = representative.withdrawn(&own, Millis(9)).unwrap();
    let again = withdrawn.withdrawn(&own, Millis(12)).unwrap();
    let by_another = representative.withdrawn(&other, Millis(9)).unwrap_err();

    assert_eq!(withdrawn.revoked_at, Some(Millis(9)));
    assert_eq!(again.revoked_at, Some(Millis(9)));
    assert_eq!(by_another.code, RejectionCode::UnknownOrganisation);
}

#[test]
fn a_delegation_withdraws_its_own_experts_in_its_own_process_only() {
    let process = process().id;
    let expert = Nomination::new("Ilona", "ilona@igarape.org")
        .unwrap()
        .expert(&process, "Chile", "Instituto Igarapé", person("e1"), Millis(7))
        .unwrap();
    let chile_elsewhere = Party::Delegation { process: ProcessId::parse("other").unwrap(), delegation: "Chile".into() };
    let fiji = Party::Delegation { process: process.clone(), delegation: "Fiji".into() };

    assert!(expert.withdrawn(&Party::Delegation { process, delegation: "Chile".into() }, Millis(8)).is_ok());
    assert_eq!(expert.withdrawn(&chile_elsewhere, Millis(8)).unwrap_err().code, RejectionCode::UnknownOrganisation);
    assert_eq!(expert.withdrawn(&fiji, Millis(8)).unwrap_err().code, RejectionCode::UnknownOrganisation);
}

fn verdict() -> impl Strategy<Value = (Verdict, Option<String>)> {
    prop_oneof![
        Just((Verdict::Approve, None)),
        Just((Verdict::Refuse, None)),
        Just((Verdict::Refuse, Some("Not relevant.".to_string()))),
    ]
}

proptest! {
    /// Whatever the secretariat does, in whatever order, an application is decided at most once,
    /// only an approval is ever revoked, and objections come only before the decision.
    #[test]
    fn an_application_is_decided_once_and_revoked_only_after_approval(
        steps in proptest::collection::vec((0u8..3, verdict()), 1..12)
    ) {
        let mut organisation = pending("GDRN");
        let mut decisions = 0;
        for (i, (step, (verdict, reason))) in steps.into_iter().enumerate() {
            let now = Millis(100 + i as i64);
            let before = organisation.status;
            let decided = match step {
                0 => organisation.decide(verdict, reason.as_deref(), now),
                1 => organisation.revoke(Some("Misrepresented."), now),
                _ => organisation.object("Fiji", Some("An objection."), now),
            };
            if let Ok(change) = decided {
                if let Change::Status { from, to, .. } = &change {
                    prop_assert_eq!(*from, before);
                    prop_assert!(matches!((from, to), (Status::Pending, Status::Approved | Status::Refused) | (Status::Approved, Status::Revoked)));
                    decisions += usize::from(*from == Status::Pending);
                } else {
                    prop_assert_eq!(before, Status::Pending);
                }
                organisation.apply_change(&change);
            } else {
                prop_assert_eq!(organisation.status, before, "a refusal changes nothing");
            }
        }
        prop_assert!(decisions <= 1);
    }
}

#[test]
fn a_process_view_reads_as_the_server_writes_it_with_the_process_flattened() {
    let json = r#"{"id":"p1","title":"T","applications_deadline":5,"applications_open":true,
        "meetings":[{"id":"m1","title":"M","process":"p1","access":"open"}]}"#;

    let view: shared::accreditation::ProcessView = serde_json::from_str(json).unwrap();

    assert!(view.applications_open);
    assert_eq!(view.meetings[0].id.as_str(), "m1");
    let written = serde_json::to_value(&view).unwrap();
    assert_eq!(written["id"], "p1");
    assert_eq!(written["applications_deadline"], 5);
}

#[test]
fn a_decision_and_a_revocation_keep_their_wire_shape() {
    use shared::accreditation::{Decision, Revocation};

    let approve = Decision { decision: Verdict::Approve, reason: None };
    let refuse = Decision { decision: Verdict::Refuse, reason: Some("No.".into()) };

    assert_eq!(serde_json::to_string(&approve).unwrap(), r#"{"decision":"approve"}"#);
    assert_eq!(serde_json::to_string(&refuse).unwrap(), r#"{"decision":"refuse","reason":"No."}"#);
    assert_eq!(serde_json::to_string(&Revocation { reason: Some("Why.".into()) }).unwrap(), r#"{"reason":"Why."}"#);
    assert!(serde_json::from_str::<Decision>(r#"{"decision":"approve","extra":1}"#).is_err(), "unknown fields refused");
}
