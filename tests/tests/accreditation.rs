//! Accreditation over the real HTTP API and WebSockets: an organisation applies once per process,
//! the secretariat decides, the organisation registers representatives who speak in every meeting of
//! the process; refusals, objections and revocations are visible and take effect at once; every bad
//! input gets a clear error and changes nothing; documents are attached, uploaded and downloaded.

use rostrum_tests::{application, http_bytes, items, request, segment, Client, Server};
use serde_json::{json, Value};
use shared::{Event, Presence, Role};

const PROCESS: &str = "p1";

/// A server with process `p1` taking applications until 2099.
async fn server_with_process() -> Server {
    let server = Server::in_process().await;
    server.process(PROCESS, "2099-12-31").await;
    server
}

fn stakeholder_segment() -> Value {
    segment("Stakeholder segment", "stakeholders", 180)
}

/// The public list's entry for `id`.
fn listed<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array().expect("a list").iter().find(|o| o["id"] == id).unwrap_or_else(|| panic!("{id} not in {list}"))
}

// ---- Applying, deciding, speaking.

#[tokio::test]
async fn an_accredited_representative_speaks_in_two_meetings_of_the_process_without_applying_again() {
    // Arrange
    let server = server_with_process().await;
    let sec = server.meeting_in("session-1", PROCESS, "open", &[stakeholder_segment()]).await;
    server.meeting_in("session-2", PROCESS, "open", &[stakeholder_segment()]).await;
    let (status, applied) = server.apply(PROCESS, &application("Global Digital Rights Network", false)).await;
    assert_eq!(status, 201, "{applied}");
    assert_eq!(applied["organisation"]["status"], "pending");
    let org_id = applied["organisation"]["id"].as_str().unwrap().to_string();
    let org_token = applied["token"].as_str().unwrap().to_string();
    let (status, decided) = server.decide(&org_id, &json!({"decision": "approve"})).await;
    assert_eq!(status, 200, "{decided}");
    let body = json!({"name": "Kwame Mensah", "email": "kwame@gdrn.example.org", "presence": "remote"});
    let (status, registered) =
        server.http("POST", "/api/organisation/representatives", Some(&org_token), Some(&body)).await;
    assert_eq!(status, 201, "{registered}");
    let rep_token = registered["token"].as_str().expect("a personal token");
    assert!(registered["link"].as_str().is_some_and(|l| l.contains(rep_token)), "the link carries the token");

    // Act
    let mut in_room = Client::connect(&server, "session-1", Some(rep_token)).await;
    let first = in_room.command(request("statement", "in_room", "en")).await;
    let mut remote = Client::connect(&server, "session-2", Some(rep_token)).await;
    let second = remote.command(request("statement", "remote", "fr")).await;

    // Assert
    assert!(first.is_ok(), "inscribed in the first meeting: {first:?}");
    assert!(second.is_ok(), "inscribed in the second meeting with the same link: {second:?}");
    let (state_one, state_two) = (server.state("session-1", &sec).await, server.state("session-2", &sec).await);
    let one = &state_one.active().unwrap().entries[0];
    let two = &state_two.active().unwrap().entries[0];
    for (entry, presence) in [(one, Presence::InRoom), (two, Presence::Remote)] {
        assert_eq!(entry.speaker.id.as_str(), registered["id"].as_str().unwrap());
        assert_eq!(entry.speaker.role, Role::Stakeholder);
        assert_eq!(entry.speaker.organisation.as_deref(), Some("Global Digital Rights Network"));
        assert_eq!(entry.presence, presence);
    }
    assert_eq!(server.public_list(PROCESS).await.as_array().unwrap().len(), 1, "applied once only");
}

#[tokio::test]
async fn a_refused_applications_reason_is_visible_to_the_organisation_and_in_the_public_list() {
    // Arrange
    let server = server_with_process().await;
    let applicant = server.applicant(PROCESS, "Cyber Futures Forum").await;
    let reason = "The organisation's activities are not related to the work of the process.";

    // Act
    let (status, decided) = server.decide(&applicant.id, &json!({"decision": "refuse", "reason": reason})).await;

    // Assert
    assert_eq!(status, 200, "{decided}");
    let (status, page) = server.http("GET", "/api/organisation", Some(&applicant.token), None).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["organisation"]["status"], "refused");
    assert_eq!(page["organisation"]["reason"], reason);
    let list = server.public_list(PROCESS).await;
    let public = listed(&list, &applicant.id);
    assert_eq!(public["status"], "refused");
    assert_eq!(public["reason"], reason);
    assert!(public.get("contact_email").is_none() && !list.to_string().contains("amina@example.org"), "{list}");
}

#[tokio::test]
async fn a_refusal_without_a_reason_is_a_bad_request_and_changes_nothing() {
    // Arrange
    let server = server_with_process().await;
    let applicant = server.applicant(PROCESS, "Cyber Futures Forum").await;
    let before = server.public_list(PROCESS).await;

    // Act
    let (missing, missing_body) = server.decide(&applicant.id, &json!({"decision": "refuse"})).await;
    let (blank, _) = server.decide(&applicant.id, &json!({"decision": "refuse", "reason": "   "})).await;

    // Assert
    assert_eq!(missing, 400, "{missing_body}");
    assert_eq!(missing_body["code"], "invalid_command");
    assert!(missing_body["message"].as_str().unwrap().contains("reason"), "{missing_body}");
    assert_eq!(blank, 400);
    assert_eq!(server.public_list(PROCESS).await, before);
    assert_eq!(listed(&before, &applicant.id)["status"], "pending");
}

#[tokio::test]
async fn a_non_ecosoc_application_without_activities_is_refused_by_the_form_and_nothing_is_stored() {
    // Arrange
    let server = server_with_process().await;
    let mut form = application("Digital Peace Lab", false);
    form.as_object_mut().unwrap().remove("activities");
    let mut too_short = application("Digital Peace Lab", false);
    too_short["activities"] = json!("Stuff.");

    // Act
    let (status, body) = server.apply(PROCESS, &form).await;
    let (short_status, short_body) = server.apply(PROCESS, &too_short).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["code"], "invalid_application");
    assert!(body["message"].as_str().unwrap().contains("activities"), "the message names the field: {body}");
    assert_eq!((short_status, short_body["code"].as_str()), (400, Some("invalid_application")));
    assert_eq!(server.public_list(PROCESS).await, json!([]), "nothing was stored");
    let (ecosoc, _) = server.apply(PROCESS, &application("Digital Peace Lab", true)).await;
    assert_eq!(ecosoc, 201, "with ECOSOC status no description is needed, and the name is still free");
}

// ---- Closed meetings and experts.

#[tokio::test]
async fn an_accredited_representative_cannot_enter_a_closed_meeting_of_the_process() {
    // Arrange
    let server = server_with_process().await;
    let sec = server.meeting_in("closed-1", PROCESS, "closed", &[segment("Consultations", "all", 180)]).await;
    let before = server.state("closed-1", &sec).await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let rep = server.representative(&org, "Kwame Mensah", "in_room").await;

    // Act
    let refused = Client::try_connect(&server, "closed-1", Some(&rep.token), None).await.err().expect("refused");

    // Assert
    assert_eq!(refused.code.as_deref(), Some("meeting_closed"));
    assert_eq!(refused.close, Some(4003));
    assert_eq!(server.state("closed-1", &sec).await, before);
}

#[tokio::test]
async fn an_expert_invited_by_a_delegation_enters_a_closed_meeting_and_speaks_for_the_state() {
    // Arrange
    let server = server_with_process().await;
    let sec =
        server.meeting_in("closed-1", PROCESS, "closed", &[segment("General debate", "member_states", 180)]).await;
    let delegate =
        server.token("delegate", "del-chile", "Delegate of Chile", &[("delegation", "Chile")], ("process", PROCESS));
    let invitation =
        json!({"name": "Dr. Ana Souza", "organisation": "Instituto Igarapé", "email": "ana@igarape.example.org"});
    let (status, invited) = server.http("POST", "/api/delegation/experts", Some(&delegate), Some(&invitation)).await;
    assert_eq!(status, 201, "{invited}");
    let expert_token = invited["token"].as_str().expect("the expert's personal token");

    // Act
    let mut expert = Client::connect(&server, "closed-1", Some(expert_token)).await;
    let inscribed = expert.command(request("statement", "in_room", "es")).await;

    // Assert
    assert!(inscribed.is_ok(), "{inscribed:?}");
    assert_eq!(expert.you.as_ref().map(|p| p.role), Some(Role::Expert));
    let state = server.state("closed-1", &sec).await;
    let entry = &state.active().unwrap().entries[0];
    assert_eq!(entry.speaker.id.as_str(), invited["id"].as_str().unwrap());
    assert_eq!(entry.speaker.delegation.as_deref(), Some("Chile"));
    assert_eq!(entry.speaker.on_behalf_of(), Some("Chile"), "the expert speaks for the state");
    assert_eq!(entry.speaker.organisation.as_deref(), Some("Instituto Igarapé"), "the record keeps both");
}

// ---- Revocation.

#[tokio::test]
async fn revoking_an_accreditation_during_a_meeting_closes_the_socket_and_removes_the_entry() {
    // Arrange
    let server = server_with_process().await;
    let sec = server.meeting_in("session-1", PROCESS, "open", &[stakeholder_segment()]).await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let rep = server.representative(&org, "Kwame Mensah", "remote").await;
    let mut chair = Client::connect(&server, "session-1", Some(&server.chair("session-1"))).await;
    let mut speaker = Client::connect(&server, "session-1", Some(&rep.token)).await;
    let seq = speaker.command(request("statement", "remote", "en")).await.expect("inscribed");
    chair.until(seq).await;
    let entry = chair.state().active().unwrap().entries[0].id;

    // Act
    let reason = json!({"reason": "The organisation misrepresented its activities."});
    let (status, revoked) =
        server.http("POST", &format!("/api/organisations/{}/revoke", org.id), Some(&sec), Some(&reason)).await;

    // Assert
    assert_eq!(status, 200, "{revoked}");
    assert_eq!(revoked["status"], "revoked");
    assert_eq!(speaker.close_code().await, Some(4010), "the representative's socket closes, saying why");
    while !chair.events.iter().any(|r| matches!(&r.event, Event::EntryRemoved { entry: e, .. } if *e == entry)) {
        chair.recv().await;
    }
    assert!(chair.state().active().unwrap().entries.is_empty());
    assert!(server.state("session-1", &sec).await.active().unwrap().entries.is_empty());
    let again = Client::try_connect(&server, "session-1", Some(&rep.token), None).await.err().expect("refused");
    assert_eq!((again.code.as_deref(), again.close), (Some("revoked"), Some(4010)));
    let list = server.public_list(PROCESS).await;
    assert_eq!(listed(&list, &org.id)["status"], "revoked");
    assert_eq!(listed(&list, &org.id)["reason"], "The organisation misrepresented its activities.");
}

#[tokio::test]
async fn revoking_one_representative_closes_only_that_persons_socket_and_entry() {
    // Arrange
    let server = server_with_process().await;
    let sec = server.meeting_in("session-1", PROCESS, "open", &[stakeholder_segment()]).await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let leaving = server.representative(&org, "Kwame Mensah", "remote").await;
    let staying = server.representative(&org, "Efua Owusu", "in_room").await;
    let mut chair = Client::connect(&server, "session-1", Some(&server.chair("session-1"))).await;
    let mut one = Client::connect(&server, "session-1", Some(&leaving.token)).await;
    let mut two = Client::connect(&server, "session-1", Some(&staying.token)).await;
    one.command(request("statement", "remote", "en")).await.expect("inscribed");
    let seq = two.command(request("statement", "in_room", "en")).await.expect("inscribed");
    chair.until(seq).await;
    let entry = chair.state().active().unwrap().entries[0].id;

    // Act
    let path = format!("/api/organisation/representatives/{}/revoke", leaving.id);
    let (status, revoked) = server.http("POST", &path, Some(&org.token), None).await;

    // Assert
    assert_eq!(status, 200, "{revoked}");
    assert!(revoked["revoked_at"].is_number(), "{revoked}");
    assert_eq!(one.close_code().await, Some(4010));
    while !chair.events.iter().any(|r| matches!(&r.event, Event::EntryRemoved { entry: e, .. } if *e == entry)) {
        chair.recv().await;
    }
    let entries = &server.state("session-1", &sec).await.active().unwrap().entries.clone();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].speaker.id.as_str(), staying.id, "the other representative keeps their place");
    two.still_works().await;
    let again = Client::try_connect(&server, "session-1", Some(&leaving.token), None).await.err().expect("refused");
    assert_eq!((again.code.as_deref(), again.close), (Some("revoked"), Some(4010)));
    assert!(Client::try_connect(&server, "session-1", Some(&staying.token), None).await.is_ok());
}

// ---- Objections.

#[tokio::test]
async fn member_states_objections_are_public_and_taken_only_before_the_decision() {
    // Arrange
    let server = server_with_process().await;
    let applicant = server.applicant(PROCESS, "Cyber Futures Forum").await;
    let delegate =
        server.token("delegate", "del-fiji", "Delegate of Fiji", &[("delegation", "Fiji")], ("process", PROCESS));
    let stakeholder = server.token(
        "stakeholder",
        "ngo-1",
        "Speaker for ICT4Peace",
        &[("organisation", "ICT4Peace")],
        ("process", PROCESS),
    );
    let path = format!("/api/organisations/{}/objections", applicant.id);
    let objection = json!({"reason": "The organisation is funded by a party to the dispute."});

    // Act
    let (lodged, lodged_body) = server.http("POST", &path, Some(&delegate), Some(&objection)).await;
    let (by_stakeholder, stakeholder_body) = server.http("POST", &path, Some(&stakeholder), Some(&objection)).await;
    let after_first = server.public_list(PROCESS).await;
    server.decide(&applicant.id, &json!({"decision": "approve"})).await;
    let (late, late_body) = server.http("POST", &path, Some(&delegate), Some(&objection)).await;

    // Assert
    assert_eq!(lodged, 201, "{lodged_body}");
    let objections = &listed(&after_first, &applicant.id)["objections"];
    assert_eq!(objections.as_array().map(Vec::len), Some(1), "{after_first}");
    assert_eq!(objections[0]["delegation"], "Fiji");
    assert_eq!(objections[0]["reason"], "The organisation is funded by a party to the dispute.");
    assert_eq!(by_stakeholder, 403, "{stakeholder_body}");
    assert_eq!(stakeholder_body["code"], "not_allowed");
    assert_eq!(late, 409, "{late_body}");
    assert!(late_body["message"].as_str().unwrap().contains("before the decision"), "{late_body}");
    let list = server.public_list(PROCESS).await;
    assert_eq!(listed(&list, &applicant.id)["objections"].as_array().map(Vec::len), Some(1), "{list}");
}

// ---- Bad input changes nothing.

#[tokio::test]
async fn an_application_with_missing_fields_or_wrong_types_is_a_bad_request_and_stores_nothing() {
    // Arrange
    let server = server_with_process().await;
    let mut missing = application("Digital Peace Lab", true);
    missing.as_object_mut().unwrap().remove("contact_email");
    let mut wrong_type = application("Digital Peace Lab", true);
    wrong_type["ecosoc"] = json!("yes");
    let mut bad_constituency = application("Digital Peace Lab", true);
    bad_constituency["constituency"] = json!("government");
    let mut blank_name = application("   ", true);
    blank_name["name"] = json!("   ");
    let mut bad_email = application("Digital Peace Lab", true);
    bad_email["contact_email"] = json!("amina at example");

    // Act
    let mut answers = Vec::new();
    for form in [&missing, &wrong_type, &bad_constituency, &blank_name, &bad_email] {
        answers.push(server.apply(PROCESS, form).await);
    }
    let (not_json, not_json_body) = rostrum_tests::http(
        server.addr,
        "POST",
        &format!("/api/processes/{PROCESS}/applications"),
        None,
        Some("{\"name\": "),
        "application/json",
    )
    .await;

    // Assert
    for (status, body) in &answers {
        assert_eq!(*status, 400, "{body}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "a clear message: {body}");
    }
    assert!(answers[0].1["message"].as_str().unwrap().contains("contact_email"), "{}", answers[0].1);
    assert!(
        answers[1].1["message"].as_str().unwrap().contains("ecosoc")
            || answers[1].1["message"].as_str().unwrap().contains("bool"),
        "{}",
        answers[1].1
    );
    assert!(answers[3].1["message"].as_str().unwrap().contains("name"), "{}", answers[3].1);
    assert!(answers[4].1["message"].as_str().unwrap().contains("email"), "{}", answers[4].1);
    assert_eq!(not_json, 400, "{not_json_body}");
    assert_eq!(server.public_list(PROCESS).await, json!([]));
}

#[tokio::test]
async fn a_second_application_under_the_same_name_in_any_case_is_a_duplicate() {
    // Arrange
    let server = server_with_process().await;
    server.applicant(PROCESS, "Global Digital Rights Network").await;
    let before = server.public_list(PROCESS).await;

    // Act
    let (same, same_body) = server.apply(PROCESS, &application("Global Digital Rights Network", false)).await;
    let (cased, cased_body) = server.apply(PROCESS, &application("GLOBAL digital rights network", true)).await;

    // Assert
    assert_eq!(same, 409, "{same_body}");
    assert_eq!(same_body["code"], "duplicate_application");
    assert_eq!(cased, 409, "{cased_body}");
    assert_eq!(cased_body["code"], "duplicate_application");
    assert!(cased_body["message"].as_str().unwrap().contains("already applied"), "{cased_body}");
    assert_eq!(server.public_list(PROCESS).await, before);
}

#[tokio::test]
async fn an_application_after_the_deadline_is_refused_and_stores_nothing() {
    // Arrange
    let server = Server::in_process().await;
    server.process("p-old", "2000-01-01").await;
    let (_, process) = server.http("GET", "/api/processes/p-old", None, None).await;
    assert_eq!(process["applications_open"], false, "{process}");

    // Act
    let (status, body) = server.apply("p-old", &application("Global Digital Rights Network", false)).await;

    // Assert
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["code"], "deadline_passed");
    assert!(body["message"].as_str().unwrap().contains("closed"), "{body}");
    assert_eq!(server.public_list("p-old").await, json!([]));
}

#[tokio::test]
async fn decisions_and_revocations_without_the_secretariats_rights_are_refused_and_change_nothing() {
    // Arrange
    let server = server_with_process().await;
    let pending = server.applicant(PROCESS, "Cyber Futures Forum").await;
    let approved = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let delegate =
        server.token("delegate", "del-chile", "Delegate of Chile", &[("delegation", "Chile")], ("process", PROCESS));
    let before = server.public_list(PROCESS).await;
    let approve = json!({"decision": "approve"});
    let decision = format!("/api/organisations/{}/decision", pending.id);
    let revoke = format!("/api/organisations/{}/revoke", approved.id);
    let reason = json!({"reason": "No reason at all."});

    // Act
    let by_delegate = server.http("POST", &decision, Some(&delegate), Some(&approve)).await;
    let anonymous = server.http("POST", &decision, None, Some(&approve)).await;
    let by_itself = server.http("POST", &decision, Some(&pending.token), Some(&approve)).await;
    let revoke_by_delegate = server.http("POST", &revoke, Some(&delegate), Some(&reason)).await;
    let revoke_anonymous = server.http("POST", &revoke, None, Some(&reason)).await;
    let new_process = json!({"id": "p2", "title": "Another", "applications_deadline": "2099-12-31"});
    let process_by_delegate = server.http("POST", "/api/processes", Some(&delegate), Some(&new_process)).await;
    let applications =
        server.http("GET", &format!("/api/processes/{PROCESS}/applications"), Some(&delegate), None).await;

    // Assert
    assert_eq!(by_delegate.0, 403, "{}", by_delegate.1);
    assert_eq!(by_delegate.1["code"], "forbidden");
    assert_eq!(anonymous.0, 401, "{}", anonymous.1);
    assert_eq!(anonymous.1["code"], "unauthorized");
    assert_eq!(by_itself.0, 403, "an organisation's token is not the secretariat's: {}", by_itself.1);
    assert_eq!(revoke_by_delegate.0, 403, "{}", revoke_by_delegate.1);
    assert_eq!(revoke_anonymous.0, 401, "{}", revoke_anonymous.1);
    assert_eq!(process_by_delegate.0, 403, "{}", process_by_delegate.1);
    assert_eq!(applications.0, 403, "contact details are for the secretariat: {}", applications.1);
    assert_eq!(server.public_list(PROCESS).await, before);
    let (status, _) = server.http("GET", "/api/processes/p2", None, None).await;
    assert_ne!(status, 200, "no process was created");
}

#[tokio::test]
async fn an_organisations_own_token_does_not_open_a_meeting() {
    // Arrange
    let server = server_with_process().await;
    server.meeting_in("session-1", PROCESS, "open", &[stakeholder_segment()]).await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;

    // Act
    let refused = Client::try_connect(&server, "session-1", Some(&org.token), None).await.err().expect("refused");

    // Assert
    assert_eq!(refused.code.as_deref(), Some("bad_token"));
    assert_eq!(refused.close, Some(4001), "wrong audience");
}

#[tokio::test]
async fn representatives_cannot_be_registered_before_approval_or_with_bad_details() {
    // Arrange
    let server = server_with_process().await;
    let pending = server.applicant(PROCESS, "Cyber Futures Forum").await;
    let approved = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let person = json!({"name": "Kwame Mensah", "email": "kwame@example.org", "presence": "remote"});
    let path = "/api/organisation/representatives";

    // Act
    let early = server.http("POST", path, Some(&pending.token), Some(&person)).await;
    let no_email = server
        .http("POST", path, Some(&approved.token), Some(&json!({"name": "Kwame Mensah", "presence": "remote"})))
        .await;
    let bad_presence = server
        .http(
            "POST",
            path,
            Some(&approved.token),
            Some(&json!({"name": "Kwame Mensah", "email": "kwame@example.org", "presence": "on_the_moon"})),
        )
        .await;
    let bad_email = server
        .http(
            "POST",
            path,
            Some(&approved.token),
            Some(&json!({"name": "Kwame Mensah", "email": "kwame", "presence": "remote"})),
        )
        .await;
    let anonymous = server.http("POST", path, None, Some(&person)).await;

    // Assert
    assert_eq!(early.0, 403, "{}", early.1);
    assert_eq!(early.1["code"], "not_accredited");
    assert_eq!(no_email.0, 400, "{}", no_email.1);
    assert_eq!(bad_presence.0, 400, "{}", bad_presence.1);
    assert_eq!(bad_email.0, 400, "{}", bad_email.1);
    assert!(bad_email.1["message"].as_str().unwrap().contains("email"), "{}", bad_email.1);
    assert_eq!(anonymous.0, 401, "{}", anonymous.1);
    for org in [&pending, &approved] {
        let (status, page) = server.http("GET", "/api/organisation", Some(&org.token), None).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["representatives"], json!([]), "nobody was registered: {page}");
    }
}

// ---- Documents.

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

#[tokio::test]
async fn the_secretariats_documents_are_listed_and_downloaded_by_an_accredited_representative() {
    // Arrange
    let server = server_with_process().await;
    let sec = server.meeting_in("session-1", PROCESS, "open", &[stakeholder_segment()]).await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let rep = server.representative(&org, "Kwame Mensah", "remote").await;

    // Act
    let link = json!({"title": "Provisional agenda", "url": "https://documents.un.example.org/A/AC.292/2025/1"});
    let (linked, linked_body) = server.http("POST", "/api/meetings/session-1/documents", Some(&sec), Some(&link)).await;
    let uploaded = http_bytes(
        server.addr,
        "POST",
        "/api/meetings/session-1/documents/upload?title=Chair%27s%20summary",
        Some(&sec),
        PDF,
        Some("application/pdf"),
    )
    .await;
    let (listed_status, listed) =
        items(server.http("GET", "/api/meetings/session-1/documents", Some(&rep.token), None).await);
    let pdf_id = uploaded.json()["id"].as_str().expect("document id").to_string();
    let download =
        http_bytes(server.addr, "GET", &format!("/api/documents/{pdf_id}"), Some(&rep.token), b"", None).await;

    // Assert
    assert_eq!(linked, 201, "{linked_body}");
    assert_eq!(linked_body["kind"], "official");
    assert_eq!(linked_body["provided_by"], "Secretariat");
    assert_eq!(uploaded.status, 201, "{}", uploaded.json());
    assert_eq!(uploaded.json()["content_type"], "application/pdf");
    assert_eq!(uploaded.json()["size"], PDF.len());
    assert_eq!(listed_status, 200, "{listed}");
    let titles: Vec<&str> = listed.as_array().unwrap().iter().filter_map(|d| d["title"].as_str()).collect();
    assert!(titles.contains(&"Provisional agenda") && titles.contains(&"Chair's summary"), "{listed}");
    assert_eq!(download.status, 200, "{:?}", download.json());
    assert_eq!(download.header("content-type").as_deref(), Some("application/pdf"));
    assert_eq!(download.body, PDF, "the very bytes uploaded");
}

#[tokio::test]
async fn an_accredited_organisation_uploads_material_for_delegations() {
    // Arrange
    let server = server_with_process().await;
    server.meeting_in("session-1", PROCESS, "open", &[stakeholder_segment()]).await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let pending = server.applicant(PROCESS, "Cyber Futures Forum").await;
    let delegate = server.delegate("session-1", "del-chile", "Chile");
    let path = "/api/meetings/session-1/documents/upload?title=Position%20paper";

    // Act
    let uploaded = http_bytes(server.addr, "POST", path, Some(&org.token), PDF, Some("application/pdf")).await;
    let by_pending = http_bytes(server.addr, "POST", path, Some(&pending.token), PDF, Some("application/pdf")).await;
    let (status, listed) = items(server.http("GET", "/api/meetings/session-1/documents", Some(&delegate), None).await);

    // Assert
    assert_eq!(uploaded.status, 201, "{}", uploaded.json());
    assert_eq!(uploaded.json()["kind"], "material");
    assert_eq!(uploaded.json()["provided_by"], "Global Digital Rights Network");
    assert_eq!(by_pending.status, 403, "{}", by_pending.json());
    assert_eq!(by_pending.json()["code"], "not_accredited");
    assert_eq!(status, 200, "{listed}");
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "only the accredited organisation's material: {listed}");
    assert_eq!(listed[0]["provided_by"], "Global Digital Rights Network");
}

#[tokio::test]
async fn a_fake_pdf_a_disallowed_type_and_an_oversized_upload_are_refused_and_store_nothing() {
    // Arrange
    let server = server_with_process().await;
    let sec = server.meeting_in("session-1", PROCESS, "open", &[stakeholder_segment()]).await;
    let path = "/api/meetings/session-1/documents/upload?title=Report";
    let mut oversized = PDF.to_vec();
    oversized.resize(10 * 1024 * 1024 + 1, b' ');

    // Act
    let fake =
        http_bytes(server.addr, "POST", path, Some(&sec), b"MZ\x90\x00 not a pdf", Some("application/pdf")).await;
    let exe =
        http_bytes(server.addr, "POST", path, Some(&sec), b"MZ\x90\x00\x03", Some("application/x-msdownload")).await;
    let big = http_bytes(server.addr, "POST", path, Some(&sec), &oversized, Some("application/pdf")).await;
    let empty = http_bytes(server.addr, "POST", path, Some(&sec), b"", Some("application/pdf")).await;

    // Assert
    assert_eq!(fake.status, 415, "{}", fake.json());
    assert!(fake.json()["message"].as_str().unwrap().contains("PDF"), "{}", fake.json());
    assert_eq!(exe.status, 415, "{}", exe.json());
    assert_eq!(exe.json()["code"], "unsupported_media_type");
    assert_eq!(big.status, 413, "{}", big.json());
    assert!(big.json()["message"].as_str().is_some_and(|m| !m.is_empty()), "{}", big.json());
    assert_eq!(empty.status, 400, "{}", empty.json());
    let (status, listed) = items(server.http("GET", "/api/meetings/session-1/documents", Some(&sec), None).await);
    assert_eq!(status, 200, "{listed}");
    assert_eq!(listed, json!([]), "nothing was stored");
}

#[tokio::test]
async fn an_oversized_upload_is_told_the_upload_limit() {
    // Arrange
    let server = server_with_process().await;
    let sec = server.meeting_in("session-1", PROCESS, "open", &[stakeholder_segment()]).await;
    let mut oversized = PDF.to_vec();
    oversized.resize(10 * 1024 * 1024 + 1, b' ');

    // Act
    let big = http_bytes(
        server.addr,
        "POST",
        "/api/meetings/session-1/documents/upload?title=Report",
        Some(&sec),
        &oversized,
        Some("application/pdf"),
    )
    .await;

    // Assert
    assert_eq!(big.status, 413, "{}", big.json());
    assert!(big.json()["message"].as_str().unwrap().contains("10 MiB"), "a clear error: {}", big.json());
}

#[tokio::test]
async fn a_revoked_representative_can_no_longer_read_the_documents() {
    // Arrange
    let server = server_with_process().await;
    let sec = server.meeting_in("session-1", PROCESS, "open", &[stakeholder_segment()]).await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let rep = server.representative(&org, "Kwame Mensah", "remote").await;
    let link = json!({"title": "Provisional agenda", "url": "https://documents.un.example.org/agenda"});
    server.http("POST", "/api/meetings/session-1/documents", Some(&sec), Some(&link)).await;

    // Act
    let path = format!("/api/organisation/representatives/{}/revoke", rep.id);
    let (status, _) = server.http("POST", &path, Some(&org.token), None).await;
    let (listed, body) = items(server.http("GET", "/api/meetings/session-1/documents", Some(&rep.token), None).await);

    // Assert
    assert_eq!(status, 200);
    assert_eq!(listed, 403, "{body}");
    assert_eq!(body["code"], "revoked");
}

#[tokio::test]
async fn a_revoked_representative_can_no_longer_provide_materials() {
    // Arrange
    let server = server_with_process().await;
    let sec = server.meeting_in("session-1", PROCESS, "open", &[stakeholder_segment()]).await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let rep = server.representative(&org, "Kwame Mensah", "remote").await;
    let path = format!("/api/organisation/representatives/{}/revoke", rep.id);
    server.http("POST", &path, Some(&org.token), None).await;

    // Act
    let material = json!({"title": "Our input", "url": "https://gdrn.example.org/input"});
    let (status, body) =
        server.http("POST", "/api/meetings/session-1/documents", Some(&rep.token), Some(&material)).await;

    // Assert
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["code"], "revoked");
    let (_, listed) = items(server.http("GET", "/api/meetings/session-1/documents", Some(&sec), None).await);
    assert_eq!(listed.as_array().map(Vec::len), Some(0), "nothing stored: {listed}");
}

#[tokio::test]
async fn an_upload_without_a_title_is_a_bad_request_and_stores_nothing() {
    // Arrange
    let server = server_with_process().await;
    let sec = server.meeting_in("session-1", PROCESS, "open", &[stakeholder_segment()]).await;

    // Act
    let path = "/api/meetings/session-1/documents/upload";
    let untitled = http_bytes(server.addr, "POST", path, Some(&sec), PDF, Some("application/pdf")).await;

    // Assert
    assert_eq!(untitled.status, 400, "{}", untitled.json());
    assert!(untitled.json()["message"].as_str().unwrap().contains("title"), "{}", untitled.json());
    let (_, listed) = items(server.http("GET", "/api/meetings/session-1/documents", Some(&sec), None).await);
    assert_eq!(listed, json!([]), "nothing was stored");
}

#[tokio::test]
async fn an_upload_without_a_content_type_is_a_bad_request_and_stores_nothing() {
    // Arrange
    let server = server_with_process().await;
    let sec = server.meeting_in("session-1", PROCESS, "open", &[stakeholder_segment()]).await;

    // Act
    let path = "/api/meetings/session-1/documents/upload?title=Report";
    let untyped = http_bytes(server.addr, "POST", path, Some(&sec), PDF, None).await;

    // Assert
    assert!([400, 415].contains(&untyped.status), "{} {}", untyped.status, untyped.json());
    let (_, listed) = items(server.http("GET", "/api/meetings/session-1/documents", Some(&sec), None).await);
    assert_eq!(listed, json!([]), "nothing was stored");
}

#[tokio::test]
async fn a_revoked_organisation_can_no_longer_register_representatives_or_provide_material() {
    // Arrange
    let server = server_with_process().await;
    let sec = server.meeting_in("session-1", PROCESS, "open", &[stakeholder_segment()]).await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let reason = json!({"reason": "The organisation misrepresented its activities."});
    let (status, _) =
        server.http("POST", &format!("/api/organisations/{}/revoke", org.id), Some(&sec), Some(&reason)).await;
    assert_eq!(status, 200);
    let person = json!({"name": "Kwame Mensah", "email": "kwame@example.org", "presence": "remote"});

    // Act
    let (registered, registered_body) =
        server.http("POST", "/api/organisation/representatives", Some(&org.token), Some(&person)).await;
    let upload = http_bytes(
        server.addr,
        "POST",
        "/api/meetings/session-1/documents/upload?title=Position%20paper",
        Some(&org.token),
        PDF,
        Some("application/pdf"),
    )
    .await;
    let (again, again_body) =
        server.http("POST", &format!("/api/organisations/{}/revoke", org.id), Some(&sec), Some(&reason)).await;

    // Assert
    assert_eq!(registered, 403, "{registered_body}");
    assert_eq!(registered_body["code"], "revoked");
    assert_eq!(upload.status, 403, "{}", upload.json());
    assert_eq!(again, 409, "revoked once only: {again_body}");
    let (_, page) = server.http("GET", "/api/organisation", Some(&org.token), None).await;
    assert_eq!(page["representatives"], json!([]));
    let (_, listed) = items(server.http("GET", "/api/meetings/session-1/documents", Some(&sec), None).await);
    assert_eq!(listed, json!([]));
}

#[tokio::test]
async fn a_representatives_link_does_not_open_a_meeting_of_another_process() {
    // Arrange
    let server = server_with_process().await;
    server.process("p2", "2099-12-31").await;
    server.meeting_in("other-1", "p2", "open", &[stakeholder_segment()]).await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let rep = server.representative(&org, "Kwame Mensah", "remote").await;

    // Act
    let refused = Client::try_connect(&server, "other-1", Some(&rep.token), None).await.err().expect("refused");

    // Assert
    assert_eq!((refused.code.as_deref(), refused.close), (Some("forbidden"), Some(4003)));
}

#[tokio::test]
async fn a_delegation_withdrawing_its_invitation_closes_the_experts_socket_and_link() {
    // Arrange
    let server = server_with_process().await;
    let sec =
        server.meeting_in("closed-1", PROCESS, "closed", &[segment("General debate", "member_states", 180)]).await;
    let delegate =
        server.token("delegate", "del-chile", "Delegate of Chile", &[("delegation", "Chile")], ("process", PROCESS));
    let invitation =
        json!({"name": "Dr. Ana Souza", "organisation": "Instituto Igarapé", "email": "ana@igarape.example.org"});
    let (status, invited) = server.http("POST", "/api/delegation/experts", Some(&delegate), Some(&invitation)).await;
    assert_eq!(status, 201, "{invited}");
    let (id, token) = (invited["id"].as_str().unwrap(), invited["token"].as_str().unwrap());
    let mut expert = Client::connect(&server, "closed-1", Some(token)).await;
    expert.command(request("statement", "in_room", "es")).await.expect("inscribed");

    // Act
    let path = format!("/api/delegation/experts/{id}/revoke");
    let (status, withdrawn) = server.http("POST", &path, Some(&delegate), None).await;

    // Assert
    assert_eq!(status, 200, "{withdrawn}");
    assert_eq!(expert.close_code().await, Some(4010));
    assert!(server.state("closed-1", &sec).await.active().unwrap().entries.is_empty());
    let again = Client::try_connect(&server, "closed-1", Some(token), None).await.err().expect("refused");
    assert_eq!((again.code.as_deref(), again.close), (Some("revoked"), Some(4010)));
}

#[tokio::test]
async fn a_duplicate_application_is_recognised_whatever_the_case_of_accented_letters() {
    // Arrange
    let server = server_with_process().await;
    server.applicant(PROCESS, "Asociación Ñandú por los Derechos Digitales").await;
    let before = server.public_list(PROCESS).await;

    // Act
    let (status, body) =
        server.apply(PROCESS, &application("ASOCIACIÓN ÑANDÚ POR LOS DERECHOS DIGITALES", false)).await;

    // Assert
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["code"], "duplicate_application");
    assert_eq!(server.public_list(PROCESS).await, before);
}

#[tokio::test]
async fn a_revoked_organisation_still_sees_why_on_its_own_page() {
    // Arrange
    let server = server_with_process().await;
    let sec = server.secretariat();
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let rep = server.representative(&org, "Kwame Mensah", "remote").await;
    let reason = "The organisation misrepresented its activities.";

    // Act
    let path = format!("/api/organisations/{}/revoke", org.id);
    let (status, _) = server.http("POST", &path, Some(&sec), Some(&json!({"reason": reason}))).await;
    let (page_status, page) = server.http("GET", "/api/organisation", Some(&org.token), None).await;

    // Assert
    assert_eq!(status, 200);
    assert_eq!(page_status, 200, "{page}");
    assert_eq!(page["organisation"]["status"], "revoked");
    assert_eq!(page["organisation"]["reason"], reason);
    let representatives = page["representatives"].as_array().expect("representatives");
    assert_eq!(representatives.len(), 1);
    assert_eq!(representatives[0]["id"], rep.id.as_str());
    assert!(representatives[0].get("token").is_none(), "no working link is shown any more: {page}");
}

#[tokio::test]
async fn an_unknown_process_or_organisation_is_not_found() {
    // Arrange
    let server = server_with_process().await;

    // Act
    let list = server.http("GET", "/api/processes/nope/organisations", None, None).await;
    let applied = server.apply("nope", &application("Global Digital Rights Network", true)).await;
    let decided = server.decide("0123456789abcdef", &json!({"decision": "approve"})).await;

    // Assert
    assert_eq!(list.0, 404, "{}", list.1);
    assert_eq!(list.1["code"], "unknown_process");
    assert_eq!(applied.0, 404, "{}", applied.1);
    assert_eq!(decided.0, 404, "{}", decided.1);
    assert_eq!(decided.1["code"], "unknown_organisation");
}

#[tokio::test]
async fn a_representative_of_another_process_cannot_read_a_meetings_documents() {
    // Arrange
    let server = server_with_process().await;
    server.process("p2", "2099-12-31").await;
    let sec = server.meeting_in("session-1", PROCESS, "open", &[stakeholder_segment()]).await;
    let elsewhere = server.accredited("p2", "Global Digital Rights Network").await;
    let outsider = server.representative(&elsewhere, "Kwame Mensah", "remote").await;
    let path = "/api/meetings/session-1/documents/upload?title=Report";
    let uploaded = http_bytes(server.addr, "POST", path, Some(&sec), PDF, Some("application/pdf")).await;
    assert_eq!(uploaded.status, 201);
    let id = uploaded.json()["id"].as_str().unwrap().to_string();

    // Act
    let (listed, listed_body) =
        items(server.http("GET", "/api/meetings/session-1/documents", Some(&outsider.token), None).await);
    let download =
        http_bytes(server.addr, "GET", &format!("/api/documents/{id}"), Some(&outsider.token), b"", None).await;
    let material = http_bytes(server.addr, "POST", path, Some(&elsewhere.token), PDF, Some("application/pdf")).await;
    let anonymous = http_bytes(server.addr, "GET", &format!("/api/documents/{id}"), None, b"", None).await;

    // Assert
    assert_eq!(listed, 403, "{listed_body}");
    assert_eq!(download.status, 403, "{:?}", download.json());
    assert_ne!(download.body, PDF);
    assert_eq!(material.status, 403, "{}", material.json());
    assert_eq!(material.json()["code"], "forbidden", "a representative of another process");
    assert_eq!(anonymous.status, 401, "{}", anonymous.json());
}

#[tokio::test]
async fn a_decision_is_taken_once_and_only_an_accredited_organisation_can_be_revoked() {
    // Arrange
    let server = server_with_process().await;
    let sec = server.secretariat();
    let approved = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let pending = server.applicant(PROCESS, "Cyber Futures Forum").await;
    let before = server.public_list(PROCESS).await;

    // Act
    let refuse_now = json!({"decision": "refuse", "reason": "Changed our mind."});
    let (again, again_body) = server.decide(&approved.id, &refuse_now).await;
    let (unknown_verdict, unknown_body) = server.decide(&pending.id, &json!({"decision": "maybe"})).await;
    let reason = json!({"reason": "Not yet accredited."});
    let path = format!("/api/organisations/{}/revoke", pending.id);
    let (revoke_pending, revoke_body) = server.http("POST", &path, Some(&sec), Some(&reason)).await;
    let path = format!("/api/organisations/{}/revoke", approved.id);
    let (no_reason, no_reason_body) = server.http("POST", &path, Some(&sec), Some(&json!({}))).await;

    // Assert
    assert_eq!(again, 409, "{again_body}");
    assert!(again_body["message"].as_str().unwrap().contains("already decided"), "{again_body}");
    assert_eq!(unknown_verdict, 400, "{unknown_body}");
    assert_eq!(revoke_pending, 409, "{revoke_body}");
    assert_eq!(no_reason, 400, "a revocation needs a reason: {no_reason_body}");
    assert_eq!(server.public_list(PROCESS).await, before, "nothing changed");
}

#[tokio::test]
async fn an_objection_needs_a_reason_and_a_delegate_of_the_process() {
    // Arrange
    let server = server_with_process().await;
    let applicant = server.applicant(PROCESS, "Cyber Futures Forum").await;
    let delegate =
        server.token("delegate", "del-fiji", "Delegate of Fiji", &[("delegation", "Fiji")], ("process", PROCESS));
    let elsewhere =
        server.token("delegate", "del-peru", "Delegate of Peru", &[("delegation", "Peru")], ("process", "p2"));
    let path = format!("/api/organisations/{}/objections", applicant.id);
    let before = server.public_list(PROCESS).await;

    // Act
    let (blank, blank_body) = server.http("POST", &path, Some(&delegate), Some(&json!({"reason": "  "}))).await;
    let (missing, missing_body) = server.http("POST", &path, Some(&delegate), Some(&json!({}))).await;
    let reason = json!({"reason": "A reason."});
    let (other_process, other_body) = server.http("POST", &path, Some(&elsewhere), Some(&reason)).await;
    let (by_itself, itself_body) = server.http("POST", &path, Some(&applicant.token), Some(&reason)).await;
    let (anonymous, anonymous_body) = server.http("POST", &path, None, Some(&reason)).await;

    // Assert
    assert_eq!(blank, 400, "{blank_body}");
    assert!(blank_body["message"].as_str().unwrap().contains("reason"), "{blank_body}");
    assert_eq!(missing, 400, "{missing_body}");
    assert_eq!(other_process, 403, "{other_body}");
    assert_eq!(by_itself, 403, "an organisation's token is not a delegate's: {itself_body}");
    assert_eq!(anonymous, 401, "{anonymous_body}");
    assert_eq!(server.public_list(PROCESS).await, before, "no objection was recorded");
}

#[tokio::test]
async fn a_representatives_link_does_not_open_the_organisations_page() {
    // Arrange
    let server = server_with_process().await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let rep = server.representative(&org, "Kwame Mensah", "remote").await;
    let person = json!({"name": "Someone Else", "email": "else@example.org", "presence": "remote"});

    // Act
    let (page, page_body) = server.http("GET", "/api/organisation", Some(&rep.token), None).await;
    let (register, register_body) =
        server.http("POST", "/api/organisation/representatives", Some(&rep.token), Some(&person)).await;

    // Assert
    assert_eq!(page, 403, "{page_body}");
    assert_eq!(register, 403, "{register_body}");
    let (_, own) = server.http("GET", "/api/organisation", Some(&org.token), None).await;
    assert_eq!(own["representatives"].as_array().map(Vec::len), Some(1), "{own}");
}

#[tokio::test]
async fn a_process_is_created_once_with_a_valid_deadline() {
    // Arrange
    let server = server_with_process().await;
    let sec = server.secretariat();

    // Act
    let duplicate = json!({"id": PROCESS, "title": "Again", "applications_deadline": "2099-12-31"});
    let (again, again_body) = server.http("POST", "/api/processes", Some(&sec), Some(&duplicate)).await;
    let impossible = json!({"id": "p2", "title": "Process 2", "applications_deadline": "2027-02-30"});
    let (bad_date, bad_date_body) = server.http("POST", "/api/processes", Some(&sec), Some(&impossible)).await;
    let untitled = json!({"id": "p3", "applications_deadline": "2027-03-01"});
    let (no_title, no_title_body) = server.http("POST", "/api/processes", Some(&sec), Some(&untitled)).await;

    // Assert
    assert_eq!(again, 409, "{again_body}");
    assert_eq!(again_body["code"], "process_exists");
    assert_eq!(bad_date, 400, "{bad_date_body}");
    assert!(bad_date_body["message"].as_str().unwrap().contains("applications_deadline"), "{bad_date_body}");
    assert_eq!(no_title, 400, "{no_title_body}");
    let (_, processes) = server.http("GET", "/api/processes", None, None).await;
    assert_eq!(processes.as_array().map(Vec::len), Some(1), "{processes}");
    assert_eq!(processes[0]["title"], "Process p1");
}
