//! Stakeholder segments with one speaker per organisation: a second representative of the same
//! organisation, or an organisation that co-signed another's joint statement, cannot inscribe; the
//! co-signers are shown on the entry; without the cap both may inscribe.

use rostrum_tests::{command, request, Client, Server};
use serde_json::{json, Value};
use shared::{Command, RejectionCode};

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
    let server = Server::start().await;
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

#[tokio::test]
async fn a_segment_with_one_speaker_per_organisation_refuses_an_organisation_that_co_signed_a_joint_statement() {
    // Arrange
    let (server, sec) = meeting(true).await;
    let speaking = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let co_signing = server.accredited(PROCESS, "ICT4Peace Foundation").await;
    let speaker = server.representative(&speaking, "Kwame Mensah", "remote").await;
    let co_signer = server.representative(&co_signing, "Daniel Stauffacher", "remote").await;
    let mut one = Client::connect(&server, "session-1", Some(&speaker.token)).await;
    let mut two = Client::connect(&server, "session-1", Some(&co_signer.token)).await;

    // Act
    let joint = one.command(joint_statement(&["ICT4Peace Foundation", "Access Now"])).await;
    let before = server.state("session-1", &sec).await;
    let refused = two.command(request("statement", "remote", "en")).await;

    // Assert
    assert!(joint.is_ok(), "the joint statement is inscribed: {joint:?}");
    let entry = &before.active().unwrap().entries[0];
    assert_eq!(entry.speaker.organisation.as_deref(), Some("Global Digital Rights Network"));
    assert_eq!(entry.co_signers, vec!["ICT4Peace Foundation".to_string(), "Access Now".to_string()]);
    let refused = refused.expect_err("a co-signer already has its turn");
    assert_eq!(refused.code, RejectionCode::OrganisationAlreadyInscribed);
    assert!(refused.message.contains("ICT4Peace Foundation"), "{}", refused.message);
    assert_eq!(server.state("session-1", &sec).await, before, "nothing changed");
}

#[tokio::test]
async fn without_the_cap_two_representatives_of_one_organisation_both_inscribe() {
    // Arrange
    let (server, sec) = meeting(false).await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
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
    assert_eq!(entries[0].co_signers, vec!["ICT4Peace Foundation".to_string()], "the co-signers are shown");
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
