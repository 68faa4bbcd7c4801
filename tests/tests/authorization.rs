//! The holes issue 11 found where rules were decided outside the one policy, each closed: closed
//! meetings on every HTTP path, tokens that stay in their scope and mint nothing wider or longer-lived,
//! experts capped at their inviter, stakeholders who must be accredited to speak. The server runs
//! in the test's process ([`Server::in_process`]).

use base64::Engine;
use rostrum_tests::{request, segment, Client, Server};
use serde_json::{json, Value};
use shared::RejectionCode;

const PROCESS: &str = "oewg";

/// A process with an open meeting `open-1` and a closed one `closed-1`; returns the secretariat's
/// token.
async fn process_with_two_meetings(server: &Server) -> String {
    server.process(PROCESS, "2099-12-31").await;
    server.meeting_in("open-1", PROCESS, "open", &[segment("General debate", "all", 180)]).await;
    server.meeting_in("closed-1", PROCESS, "closed", &[segment("Informal consultations", "member_states", 180)]).await
}

/// The claims of a token, read without checking the signature (the server checks it).
fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).expect("base64");
    serde_json::from_slice(&bytes).expect("JSON claims")
}

fn assert_refused(answer: &(u16, Value), status: u16, code: &str, what: &str) {
    assert_eq!((answer.0, answer.1["code"].as_str()), (status, Some(code)), "{what}: {}", answer.1);
}

#[tokio::test]
async fn a_closed_meeting_s_documents_files_and_record_are_refused_to_everyone_it_does_not_admit() {
    // Arrange
    let server = Server::in_process().await;
    let sec = process_with_two_meetings(&server).await;
    let file = server.upload(&sec, "closed-1").await;
    let organisation = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let representative = server.representative(&organisation, "Kwame Mensah", "remote").await;
    let panellist =
        server.token("panellist", "pan-1", "Invited expert", &[("organisation", "IGF")], ("process", PROCESS));
    let delegate = server.token("delegate", "chile-1", "Ana Rojas", &[("delegation", "Chile")], ("process", PROCESS));

    for (who, token) in
        [("representative", &representative.token), ("organisation", &organisation.token), ("panellist", &panellist)]
    {
        // Act
        let documents = server.http("GET", "/api/meetings/closed-1/documents", Some(token), None).await;
        let download = server.http("GET", &format!("/api/documents/{file}"), Some(token), None).await;
        let record = server.http("GET", "/api/meetings/closed-1/report", Some(token), None).await;

        // Assert
        assert_refused(&documents, 403, "meeting_closed", &format!("{who}: documents"));
        assert_refused(&download, 403, "meeting_closed", &format!("{who}: file"));
        assert_refused(&record, 403, "meeting_closed", &format!("{who}: record"));
    }
    let admitted = server.http("GET", &format!("/api/documents/{file}"), Some(&delegate), None).await;
    assert_eq!(admitted.0, 200, "a member state's delegate reads the closed meeting's file");
}

#[tokio::test]
async fn a_process_report_leaves_out_a_closed_meeting_for_those_it_does_not_admit() {
    // Arrange: someone spoke in the closed meeting.
    let server = Server::in_process().await;
    let sec = process_with_two_meetings(&server).await;
    let speaker = json!({"type": "add_speaker", "kind": "statement", "presence": "in_room", "language": "en",
        "speaker": {"id": "chile-1", "name": "Ana Rojas", "role": "delegate", "delegation": "Chile"}});
    let chair = server.token("chair", "chair-1", "Chair", &[], ("process", PROCESS));
    for (token, command) in
        [(&sec, speaker), (&chair, json!({"type": "give_floor"})), (&chair, json!({"type": "end_floor"}))]
    {
        let answer = server.http("POST", "/api/meetings/closed-1/commands", Some(token), Some(&command)).await;
        assert_eq!(answer.0, 201, "{}", answer.1);
    }
    let organisation = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let representative = server.representative(&organisation, "Kwame Mensah", "remote").await;
    let delegate =
        server.token("delegate", "kenya-1", "Peter Otieno", &[("delegation", "Kenya")], ("process", PROCESS));
    let path = format!("/api/processes/{PROCESS}/report");

    // Act
    let for_the_ngo = server.http("GET", &path, Some(&representative.token), None).await;
    let for_a_state = server.http("GET", &path, Some(&delegate), None).await;

    // Assert
    assert_eq!(for_the_ngo.0, 200, "{}", for_the_ngo.1);
    assert_eq!(for_the_ngo.1["rows"].as_array().map(Vec::len), Some(0), "{}", for_the_ngo.1);
    assert_eq!(for_a_state.1["rows"].as_array().map(Vec::len), Some(1), "{}", for_a_state.1);
}

#[tokio::test]
async fn a_secretariat_token_for_one_meeting_runs_that_meeting_and_nothing_else() {
    // Arrange
    let server = Server::in_process().await;
    process_with_two_meetings(&server).await;
    let scoped = server.token("secretariat", "sec-open", "Meeting officer", &[], ("meeting", "open-1"));
    let close_list = json!({"type": "close_list"});

    // Act
    let elsewhere = server.http("POST", "/api/meetings/closed-1/commands", Some(&scoped), Some(&close_list)).await;
    let own = server.http("POST", "/api/meetings/open-1/commands", Some(&scoped), Some(&close_list)).await;
    let read_elsewhere = server.http("GET", "/api/meetings/closed-1", Some(&scoped), None).await;
    let listed = server.http("GET", "/api/meetings", Some(&scoped), None).await;

    // Assert
    assert_refused(&elsewhere, 403, "forbidden", "close_list on another meeting");
    assert_eq!(own.0, 201, "its own meeting: {}", own.1);
    assert_refused(&read_elsewhere, 403, "forbidden", "another meeting's state");
    let ids: Vec<&str> = listed.1.as_array().unwrap().iter().filter_map(|m| m["id"].as_str()).collect();
    assert_eq!(ids, ["open-1"], "the list shows only what the token reaches");
}

#[tokio::test]
async fn no_token_mints_one_wider_or_longer_lived_than_itself() {
    // Arrange
    let server = Server::in_process().await;
    process_with_two_meetings(&server).await;
    let scoped = server.token("secretariat", "sec-open", "Meeting officer", &[], ("meeting", "open-1"));
    let chair = |scope: Value| {
        let mut body = json!({"role": "chair", "name": "Madam Chair", "ttl_hours": 24});
        body.as_object_mut().unwrap().extend(scope.as_object().unwrap().clone());
        body
    };

    // Act
    let other_meeting =
        server.http("POST", "/api/tokens", Some(&scoped), Some(&chair(json!({"meeting": "closed-1"})))).await;
    let whole_process =
        server.http("POST", "/api/tokens", Some(&scoped), Some(&chair(json!({"process": PROCESS})))).await;
    let unscoped = server
        .http("POST", "/api/tokens", Some(&scoped), Some(&json!({"role": "secretariat", "name": "Another officer"})))
        .await;
    let too_long = server
        .http(
            "POST",
            "/api/tokens",
            Some(&scoped),
            Some(&json!({"role": "chair", "name": "Chair", "meeting": "open-1", "ttl_hours": 8760})),
        )
        .await;
    let within = server.http("POST", "/api/tokens", Some(&scoped), Some(&chair(json!({"meeting": "open-1"})))).await;

    // Assert
    assert_refused(&other_meeting, 403, "forbidden", "another meeting");
    assert_refused(&whole_process, 403, "forbidden", "the whole process");
    assert_refused(&unscoped, 403, "forbidden", "every meeting");
    assert_refused(&too_long, 403, "forbidden", "longer-lived than the minter");
    assert_eq!(within.0, 201, "a chair's token for its own meeting: {}", within.1);
}

#[tokio::test]
async fn an_expert_invited_on_a_one_meeting_one_hour_link_gets_no_more_than_that_link() {
    // Arrange: the delegate's own token opens the open meeting for an hour.
    let server = Server::in_process().await;
    process_with_two_meetings(&server).await;
    let body =
        json!({"role": "delegate", "name": "Ana Rojas", "delegation": "Chile", "meeting": "open-1", "ttl_hours": 1});
    let minted = server.http("POST", "/api/tokens", Some(&server.secretariat()), Some(&body)).await;
    assert_eq!(minted.0, 201, "{}", minted.1);
    let delegate = minted.1["token"].as_str().unwrap().to_string();
    let invitation = json!({"name": "Dr. Lena Weber", "organisation": "ICT4Peace", "email": "lena@example.org"});

    // Act
    let invited = server.http("POST", "/api/delegation/experts", Some(&delegate), Some(&invitation)).await;

    // Assert
    assert_eq!(invited.0, 201, "{}", invited.1);
    let expert = invited.1["token"].as_str().unwrap();
    assert!(claims(expert)["exp"].as_i64() <= claims(&delegate)["exp"].as_i64(), "no longer-lived than the inviter");
    assert_eq!(claims(expert)["scope"], json!({"meeting": "open-1"}), "no wider than the inviter");
    let refused = Client::try_connect(&server, "closed-1", Some(expert), None).await.err().expect("refused");
    assert_eq!((refused.code.as_deref(), refused.close), (Some("forbidden"), Some(4003)));
    Client::connect(&server, "open-1", Some(expert)).await;
}

#[tokio::test]
async fn a_stakeholder_tied_to_no_accredited_organisation_is_refused_the_floor() {
    // Arrange
    let server = Server::in_process().await;
    server.process(PROCESS, "2099-12-31").await;
    let sec = server.meeting_in("open-1", PROCESS, "open", &[segment("Stakeholders", "stakeholders", 120)]).await;
    let token = server.token(
        "stakeholder",
        "walk-in",
        "Sam Lee",
        &[("organisation", "Unaccredited Org")],
        ("meeting", "open-1"),
    );
    let mut walk_in = Client::connect(&server, "open-1", Some(&token)).await;
    let before = server.state("open-1", &sec).await;

    // Act
    let refused = walk_in.command(request("statement", "remote", "en")).await.expect_err("refused");

    // Assert
    assert_eq!(refused.code, RejectionCode::NotAccredited);
    assert_eq!(server.state("open-1", &sec).await, before, "nothing changed");
}

#[tokio::test]
async fn a_representative_token_from_the_command_line_speaks_for_its_organisation_until_the_accreditation_is_revoked() {
    // Arrange
    let server = Server::in_process().await;
    server.process(PROCESS, "2099-12-31").await;
    server.meeting_in("open-1", PROCESS, "open", &[segment("Stakeholders", "stakeholders", 120)]).await;
    let organisation = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let token =
        server.token("stakeholder", "ngo-1", "Kwame Mensah", &[("accredited", &organisation.id)], ("ttl-hours", "24"));
    let mut speaker = Client::connect(&server, "open-1", Some(&token)).await;
    speaker.command(request("statement", "remote", "en")).await.expect("an accredited representative inscribes");

    // Act
    let path = format!("/api/organisations/{}/revoke", organisation.id);
    let revoked = server
        .http("POST", &path, Some(&server.secretariat()), Some(&json!({"reason": "Breach of the code of conduct."})))
        .await;

    // Assert
    assert_eq!(revoked.0, 200, "{}", revoked.1);
    assert_eq!(speaker.close_code().await, Some(4010));
}
