//! Stakeholder segments with one speaker per organisation: a second representative of the same
//! organisation, or an organisation that confirmed it co-signs another's joint statement, cannot
//! inscribe; an organisation merely named as a co-signer keeps its turn until it confirms; co-signers
//! are accredited organisations of the process, shown on the entry; without the cap both may
//! inscribe.

use rostrum_tests::{command, request, Client, Server};
use serde_json::{json, Value};
use shared::{CoSigner, Command, EntryId, RejectionCode};

const PROCESS: &str = "p1";

fn stakeholder_segment(one_per_organisation: bool) -> Value {
    json!({
        "title": "Stakeholder segment: capacity building",
        "inscription": "stakeholders",
        "time_limit_secs": 180,
        "one_per_organisation": one_per_organisation,
    })
}

fn joint_statement(co_signers: &[&str]) -> Command {
    command(json!({
        "type": "request_floor",
        "kind": "statement",
        "presence": "remote",
        "language": "en",
        "co_signers": co_signers,
    }))
}

/// A server with process `p1` and an open meeting `session-1` whose active segment is a
/// stakeholder segment, with or without the cap. Returns the server and the secretariat's token.
async fn meeting(one_per_organisation: bool) -> (Server, String) {
    let server = Server::in_process().await;
    server.process(PROCESS, "2099-12-31").await;
    let sec = server.meeting_in("session-1", PROCESS, "open", &[stakeholder_segment(one_per_organisation)]).await;
    (server, sec)
}

#[tokio::test]
async fn a_segment_with_one_speaker_per_organisation_refuses_a_second_representative_of_the_same_organisation() {
    // Arrange
    let (server, sec) = meeting(true).await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let first = server.representative(&org, "Kwame Mensah", "remote").await;
    let second = server.representative(&org, "Efua Owusu", "in_room").await;
    let mut one = Client::connect(&server, "session-1", Some(&first.token)).await;
    let mut two = Client::connect(&server, "session-1", Some(&second.token)).await;
    one.command(request("statement", "remote", "en")).await.expect("the first representative inscribes");
    let before = server.state("session-1", &sec).await;

    // Act
    let refused = two.command(request("statement", "in_room", "en")).await.expect_err("refused");

    // Assert
    assert_eq!(refused.code, RejectionCode::OrganisationAlreadyInscribed);
    assert!(refused.message.contains("Global Digital Rights Network"), "{}", refused.message);
    assert_eq!(server.state("session-1", &sec).await, before, "nothing changed");
}

fn confirm(entry: EntryId) -> Command {
    command(json!({"type": "confirm_co_signing", "entry": entry}))
}

fn decline(entry: EntryId) -> Command {
    command(json!({"type": "decline_co_signing", "entry": entry}))
}

/// The one waiting entry of the active segment.
async fn the_entry(server: &Server, sec: &str) -> shared::Entry {
    let state = server.state("session-1", sec).await;
    let entries = &state.active().unwrap().entries;
    assert_eq!(entries.len(), 1, "{entries:?}");
    entries[0].clone()
}

#[tokio::test]
async fn an_organisation_named_as_a_co_signer_still_inscribes_its_own_representative() {
    // Arrange: the case of issue 11. The Global Digital Rights Network inscribes a joint statement
    // naming Access Now; Access Now's own representative then asks for the floor.
    let (server, sec) = meeting(true).await;
    let gdrn = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let access_now = server.accredited(PROCESS, "Access Now").await;
    let kwame = server.representative(&gdrn, "Kwame Mensah", "remote").await;
    let raman = server.representative(&access_now, "Raman Jit Singh Chima", "remote").await;
    let mut speaker = Client::connect(&server, "session-1", Some(&kwame.token)).await;
    let mut named = Client::connect(&server, "session-1", Some(&raman.token)).await;
    speaker.command(joint_statement(&["access now"])).await.expect("the joint statement is inscribed");
    let joint = the_entry(&server, &sec).await;

    // Act
    let own = named.command(request("statement", "remote", "en")).await;

    // Assert
    assert_eq!(joint.co_signers, [CoSigner::pending("Access Now")], "pending, under its accredited name");
    assert!(own.is_ok(), "a pending co-signer keeps its turn: {own:?}");
    let state = server.state("session-1", &sec).await;
    assert_eq!(state.active().unwrap().entries.len(), 2);
}

#[tokio::test]
async fn a_co_signer_that_confirms_over_its_socket_has_had_its_turn_and_every_screen_sees_it() {
    // Arrange
    let (server, sec) = meeting(true).await;
    let gdrn = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let access_now = server.accredited(PROCESS, "Access Now").await;
    let kwame = server.representative(&gdrn, "Kwame Mensah", "remote").await;
    let raman = server.representative(&access_now, "Raman Jit Singh Chima", "remote").await;
    let peter = server.representative(&access_now, "Peter Micek", "in_room").await;
    let mut speaker = Client::connect(&server, "session-1", Some(&kwame.token)).await;
    let mut co_signer = Client::connect(&server, "session-1", Some(&raman.token)).await;
    let mut colleague = Client::connect(&server, "session-1", Some(&peter.token)).await;
    speaker.command(joint_statement(&["Access Now"])).await.expect("inscribed");
    let entry = the_entry(&server, &sec).await.id;

    // Act
    let confirmed = co_signer.command(confirm(entry)).await.expect("Access Now confirms");
    speaker.until(confirmed).await;
    let refused = colleague.command(request("statement", "in_room", "en")).await;

    // Assert
    let seen = speaker.state().find_entry(entry).map(|(_, e)| e.co_signers.clone());
    assert_eq!(seen, Some(vec![CoSigner::confirmed("Access Now")]), "the speaker's screen shows it confirmed");
    let refused = refused.expect_err("Access Now already has its turn through the joint statement");
    assert_eq!(refused.code, RejectionCode::OrganisationAlreadyInscribed);
    assert!(refused.message.contains("Access Now"), "{}", refused.message);
}

#[tokio::test]
async fn confirming_is_refused_when_the_organisation_already_waits_to_speak_itself() {
    // Arrange
    let (server, sec) = meeting(true).await;
    let gdrn = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let access_now = server.accredited(PROCESS, "Access Now").await;
    let kwame = server.representative(&gdrn, "Kwame Mensah", "remote").await;
    let raman = server.representative(&access_now, "Raman Jit Singh Chima", "remote").await;
    let mut speaker = Client::connect(&server, "session-1", Some(&kwame.token)).await;
    let mut named = Client::connect(&server, "session-1", Some(&raman.token)).await;
    speaker.command(joint_statement(&["Access Now"])).await.expect("inscribed");
    let entry = the_entry(&server, &sec).await.id;
    named.command(request("statement", "remote", "en")).await.expect("Access Now inscribes itself");
    let before = server.state("session-1", &sec).await;

    // Act
    let refused = named.command(confirm(entry)).await.expect_err("refused");

    // Assert
    assert_eq!(refused.code, RejectionCode::OrganisationAlreadyInscribed);
    assert_eq!(server.state("session-1", &sec).await, before, "still pending");
}

#[tokio::test]
async fn only_a_representative_of_the_named_organisation_confirms_or_declines() {
    // Arrange
    let (server, sec) = meeting(true).await;
    let gdrn = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let access_now = server.accredited(PROCESS, "Access Now").await;
    let ict4peace = server.accredited(PROCESS, "ICT4Peace Foundation").await;
    let kwame = server.representative(&gdrn, "Kwame Mensah", "remote").await;
    let raman = server.representative(&access_now, "Raman Jit Singh Chima", "remote").await;
    let daniel = server.representative(&ict4peace, "Daniel Stauffacher", "remote").await;
    let mut speaker = Client::connect(&server, "session-1", Some(&kwame.token)).await;
    let mut named = Client::connect(&server, "session-1", Some(&raman.token)).await;
    let mut other = Client::connect(&server, "session-1", Some(&daniel.token)).await;
    let mut chair = Client::connect(&server, "session-1", Some(&server.chair("session-1"))).await;
    speaker.command(joint_statement(&["Access Now"])).await.expect("inscribed");
    let entry = the_entry(&server, &sec).await.id;
    let before = server.state("session-1", &sec).await;

    // Act
    let by_another = other.command(confirm(entry)).await;
    let by_the_speaker = speaker.command(confirm(entry)).await;
    let by_the_chair = chair.command(confirm(entry)).await;
    let unchanged = server.state("session-1", &sec).await;
    let declined = named.command(decline(entry)).await;

    // Assert
    for refused in [by_another, by_the_speaker, by_the_chair] {
        assert_eq!(refused.expect_err("refused").code, RejectionCode::NotAllowed);
    }
    assert_eq!(unchanged, before, "nothing changed");
    assert!(declined.is_ok(), "{declined:?}");
    assert!(the_entry(&server, &sec).await.co_signers.is_empty(), "Access Now is taken off the joint statement");
}

#[tokio::test]
async fn a_co_signer_not_accredited_to_the_process_is_refused_and_nothing_changes() {
    // Arrange
    let (server, sec) = meeting(true).await;
    let gdrn = server.accredited(PROCESS, "Global Digital Rights Network").await;
    server.applicant(PROCESS, "Article 19").await; // applied, not yet accredited
    let kwame = server.representative(&gdrn, "Kwame Mensah", "remote").await;
    let mut speaker = Client::connect(&server, "session-1", Some(&kwame.token)).await;
    let before = server.state("session-1", &sec).await;

    // Act
    let unknown = speaker.command(joint_statement(&["Access Now"])).await;
    let pending = speaker.command(joint_statement(&["Article 19"])).await;
    let hostile = speaker.command(joint_statement(&["Access\u{202E}Now"])).await;

    // Assert
    let unknown = unknown.expect_err("refused");
    assert_eq!(unknown.code, RejectionCode::CoSignerNotAccredited);
    assert!(unknown.message.contains("Access Now"), "the name is said: {}", unknown.message);
    assert_eq!(pending.expect_err("refused").code, RejectionCode::CoSignerNotAccredited);
    assert_eq!(hostile.expect_err("refused").code, RejectionCode::InvalidCommand, "named as hostile, not unknown");
    assert_eq!(server.state("session-1", &sec).await, before);
}

#[tokio::test]
async fn the_chair_adding_a_joint_statement_over_http_names_only_accredited_co_signers() {
    // Arrange
    let (server, sec) = meeting(true).await;
    server.accredited(PROCESS, "Global Digital Rights Network").await;
    server.accredited(PROCESS, "Access Now").await;
    let add = |co_signers: &[&str]| {
        json!({"type": "add_speaker", "kind": "statement", "presence": "in_room", "language": "en",
               "speaker": {"id": "walk-in-1", "name": "Efua Owusu", "role": "stakeholder",
                           "organisation": "Global Digital Rights Network"},
               "co_signers": co_signers})
    };

    // Act
    let (refused, refused_body) =
        server.http("POST", "/api/meetings/session-1/commands", Some(&sec), Some(&add(&["Derechos Digitales"]))).await;
    let (added, added_body) =
        server.http("POST", "/api/meetings/session-1/commands", Some(&sec), Some(&add(&["ACCESS NOW"]))).await;

    // Assert
    assert_eq!(refused, 409, "{refused_body}");
    assert_eq!(refused_body["code"], "co_signer_not_accredited");
    assert_eq!(added, 201, "{added_body}");
    assert_eq!(the_entry(&server, &sec).await.co_signers, [CoSigner::pending("Access Now")]);
}

#[tokio::test]
async fn without_the_cap_two_representatives_of_one_organisation_both_inscribe() {
    // Arrange
    let (server, sec) = meeting(false).await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    server.accredited(PROCESS, "ICT4Peace Foundation").await;
    let first = server.representative(&org, "Kwame Mensah", "remote").await;
    let second = server.representative(&org, "Efua Owusu", "in_room").await;
    let mut one = Client::connect(&server, "session-1", Some(&first.token)).await;
    let mut two = Client::connect(&server, "session-1", Some(&second.token)).await;

    // Act
    let a = one.command(joint_statement(&["ICT4Peace Foundation"])).await;
    let b = two.command(request("statement", "in_room", "en")).await;

    // Assert
    assert!(a.is_ok(), "{a:?}");
    assert!(b.is_ok(), "{b:?}");
    let state = server.state("session-1", &sec).await;
    let entries = &state.active().unwrap().entries;
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].co_signers, [CoSigner::pending("ICT4Peace Foundation")], "the co-signers are shown");
    assert!(entries.iter().all(|e| e.speaker.organisation.as_deref() == Some("Global Digital Rights Network")));
}

#[tokio::test]
async fn an_organisation_that_has_already_spoken_in_the_segment_cannot_inscribe_again() {
    // Arrange
    let (server, sec) = meeting(true).await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let first = server.representative(&org, "Kwame Mensah", "remote").await;
    let second = server.representative(&org, "Efua Owusu", "in_room").await;
    let mut chair = Client::connect(&server, "session-1", Some(&server.chair("session-1"))).await;
    let mut one = Client::connect(&server, "session-1", Some(&first.token)).await;
    let mut two = Client::connect(&server, "session-1", Some(&second.token)).await;
    one.command(request("statement", "remote", "en")).await.expect("inscribed");
    chair.command(command(json!({"type": "give_floor"}))).await.expect("the floor is given");
    chair.command(command(json!({"type": "end_floor"}))).await.expect("the statement ends");
    let before = server.state("session-1", &sec).await;
    assert!(before.floor.is_none() && before.active().unwrap().entries.is_empty(), "the organisation has spoken");

    // Act
    let refused = two.command(request("statement", "in_room", "en")).await.expect_err("refused");

    // Assert
    assert_eq!(refused.code, RejectionCode::OrganisationAlreadyInscribed);
    assert_eq!(server.state("session-1", &sec).await, before);
}

#[tokio::test]
async fn co_signers_are_matched_whatever_the_case_of_their_names() {
    // Arrange
    let (server, sec) = meeting(true).await;
    let speaking = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let co_signing = server.accredited(PROCESS, "ICT4Peace Foundation").await;
    let speaker = server.representative(&speaking, "Kwame Mensah", "remote").await;
    let co_signer = server.representative(&co_signing, "Daniel Stauffacher", "remote").await;
    let mut one = Client::connect(&server, "session-1", Some(&co_signer.token)).await;
    let mut two = Client::connect(&server, "session-1", Some(&speaker.token)).await;
    one.command(request("statement", "remote", "en")).await.expect("inscribed on its own");
    let before = server.state("session-1", &sec).await;

    // Act
    let refused = two.command(joint_statement(&["ict4peace FOUNDATION "])).await.expect_err("refused");

    // Assert
    assert_eq!(refused.code, RejectionCode::OrganisationAlreadyInscribed);
    assert_eq!(server.state("session-1", &sec).await, before);
}

#[tokio::test]
async fn a_withdrawn_request_frees_the_organisations_turn() {
    // Arrange
    let (server, sec) = meeting(true).await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let first = server.representative(&org, "Kwame Mensah", "remote").await;
    let second = server.representative(&org, "Efua Owusu", "in_room").await;
    let mut one = Client::connect(&server, "session-1", Some(&first.token)).await;
    let mut two = Client::connect(&server, "session-1", Some(&second.token)).await;
    one.command(request("statement", "remote", "en")).await.expect("inscribed");

    // Act
    one.command(command(json!({"type": "withdraw"}))).await.expect("withdrawn");
    let inscribed = two.command(request("statement", "in_room", "en")).await;

    // Assert
    assert!(inscribed.is_ok(), "{inscribed:?}");
    let state = server.state("session-1", &sec).await;
    let entries = &state.active().unwrap().entries;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].speaker.id.as_str(), second.id);
}
