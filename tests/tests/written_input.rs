//! The written input portal over the real HTTP API: accredited organisations and member states'
//! delegations submit statements (text or PDF) to a process, states respond, and anyone reads both
//! without logging in. Whoever may not submit is told why, and a refused submission or upload
//! stores nothing — neither a statement nor a file.

use rostrum_tests::{http_bytes, items, segment, Applicant, RawResponse, Server};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PROCESS: &str = "p1";
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
/// The limit on a statement's PDF.
const TEN_MIB: usize = 10 * 1024 * 1024;

/// A server with process `p1` and its meeting `session-1`.
async fn server_with_process() -> Server {
    let server = Server::start().await;
    server.process_with_meeting(PROCESS, "2099-12-31", "session-1", &[segment("General debate", "all", 180)]).await;
    server
}

fn statements_path() -> String {
    format!("/api/processes/{PROCESS}/statements")
}

/// A statement written in the form.
fn text_statement(title: &str) -> Value {
    json!({"title": title, "language": "en", "agenda_item": "Capacity building", "text": "We propose a fund."})
}

/// The public list of the process's statements, read without a token.
async fn public_list(server: &Server) -> Value {
    let (status, list) = items(server.http("GET", &statements_path(), None, None).await);
    assert_eq!(status, 200, "public list: {list}");
    list
}

async fn submit(server: &Server, token: &str, body: &Value) -> (u16, Value) {
    server.http("POST", &statements_path(), Some(token), Some(body)).await
}

/// Uploads `body` as the statement's file, with the statement's details in `query`.
async fn upload(server: &Server, token: &str, query: &str, body: &[u8], content_type: Option<&str>) -> RawResponse {
    let path = format!("{}?{query}", statements_path());
    http_bytes(server.addr, "POST", &path, Some(token), body, content_type).await
}

/// Rows in the database: (statements, statement files, files whose statement is missing).
fn stored(server: &Server) -> (i64, i64, i64) {
    let db = rusqlite::Connection::open(server.data.join("rostrum.db")).expect("open the server's database");
    let count = |sql: &str| db.query_row(sql, [], |r| r.get::<_, i64>(0)).expect(sql);
    (
        count("SELECT COUNT(*) FROM statements"),
        count("SELECT COUNT(*) FROM statement_files"),
        count("SELECT COUNT(*) FROM statement_files WHERE statement NOT IN (SELECT id FROM statements)"),
    )
}

fn delegate(server: &Server, id: &str, state: &str, process: &str) -> String {
    server.token("delegate", id, &format!("Delegate of {state}"), &[("delegation", state)], ("process", process))
}

fn message(body: &Value) -> &str {
    body["message"].as_str().unwrap_or_else(|| panic!("no message in {body}"))
}

// ---- Submitting and reading.

#[tokio::test]
async fn a_text_statement_by_an_accredited_organisation_is_readable_without_login_in_the_list_and_by_id() {
    // Arrange
    let server = server_with_process().await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let access_now = server.accredited(PROCESS, "Access Now").await;
    let derechos = server.accredited(PROCESS, "Derechos Digitales").await;
    let text = "  We propose a fund.\n\n  Indented second paragraph, kept as written.  ";
    let body = json!({
        "title": "  Input on capacity building ",
        "language": "en",
        "meeting": "session-1",
        "agenda_item": " Capacity building ",
        "co_signers": [" Access Now ", "Derechos Digitales"],
        "text": text,
    });

    // Act
    let (status, submitted) = submit(&server, &org.token, &body).await;
    let list = public_list(&server).await;
    let id = submitted["id"].as_str().expect("an id");
    let (by_id_status, by_id) = server.http("GET", &format!("/api/statements/{id}"), None, None).await;

    // Assert
    assert_eq!(status, 201, "{submitted}");
    assert_eq!(submitted["title"], "Input on capacity building", "trimmed");
    assert_eq!(submitted["agenda_item"], "Capacity building");
    assert_eq!(
        submitted["co_signers"],
        json!([
            {"name": "Access Now", "kind": "organisation", "organisation": access_now.id, "confirmed": false},
            {"name": "Derechos Digitales", "kind": "organisation", "organisation": derechos.id, "confirmed": false},
        ]),
        "accredited organisations, pending until they confirm"
    );
    assert_eq!(submitted["text"], text.trim(), "trimmed, and otherwise exactly as written");
    assert_eq!(submitted["meeting"], "session-1");
    assert_eq!(submitted["process"], PROCESS);
    assert_eq!(
        submitted["submitter"],
        json!({"kind": "organisation", "name": "Global Digital Rights Network", "organisation": org.id})
    );
    assert!(submitted.get("file").is_none(), "{submitted}");
    assert_eq!(submitted["responses"], json!([]));
    assert_eq!(list, json!([submitted.clone()]));
    assert_eq!(by_id_status, 200, "{by_id}");
    assert_eq!(by_id, submitted);
}

#[tokio::test]
async fn a_pdf_statement_is_listed_and_its_file_downloads_with_the_exact_bytes_without_login() {
    // Arrange
    let server = server_with_process().await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let access_now = server.accredited(PROCESS, "Access Now").await;
    let query =
        "title=Joint%20submission&language=fr&meeting=session-1&agenda_item=Norms&co_signers=Access%20Now,%20chile,";

    // Act
    let uploaded = upload(&server, &org.token, query, PDF, Some("application/pdf")).await;
    let statement = uploaded.json();
    let id = statement["id"].as_str().expect("an id").to_string();
    let file = http_bytes(server.addr, "GET", &format!("/api/statements/{id}/file"), None, b"", None).await;

    // Assert
    assert_eq!(uploaded.status, 201, "{statement}");
    assert_eq!(statement["title"], "Joint submission");
    assert_eq!(statement["language"], "fr");
    assert_eq!(statement["agenda_item"], "Norms");
    assert_eq!(
        statement["co_signers"],
        json!([
            {"name": "Access Now", "kind": "organisation", "organisation": access_now.id, "confirmed": false},
            {"name": "Chile", "kind": "delegation", "confirmed": false},
        ]),
        "an organisation and a member state, by the names they are known under"
    );
    assert_eq!(statement["file"], json!({"content_type": "application/pdf", "size": PDF.len()}));
    assert!(statement.get("text").is_none(), "{statement}");
    assert_eq!(public_list(&server).await, json!([statement]));
    assert_eq!(file.status, 200, "{}", file.head);
    assert_eq!(file.body, PDF, "the very bytes uploaded");
    assert_eq!(file.header("content-type").as_deref(), Some("application/pdf"));
    assert_eq!(file.header("content-disposition"), Some(format!("inline; filename=\"{id}.pdf\"")));
    assert_eq!(file.header("x-content-type-options").as_deref(), Some("nosniff"));
    assert_eq!(stored(&server), (1, 1, 0));
}

#[tokio::test]
async fn a_representative_in_good_standing_submits_for_the_organisation() {
    // Arrange
    let server = server_with_process().await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let rep = server.representative(&org, "Kwame Mensah", "remote").await;

    // Act
    let (status, submitted) = submit(&server, &rep.token, &text_statement("Our input")).await;

    // Assert
    assert_eq!(status, 201, "{submitted}");
    assert_eq!(submitted["submitter"]["kind"], "organisation");
    assert_eq!(submitted["submitter"]["name"], "Global Digital Rights Network", "the organisation, not the person");
    assert_eq!(submitted["submitter"]["organisation"], org.id.as_str());
}

#[tokio::test]
async fn a_member_states_delegation_submits_a_statement_in_the_states_name() {
    // Arrange
    let server = server_with_process().await;
    let by_process = delegate(&server, "del-chile", "Chile", PROCESS);
    let by_meeting =
        server.token("delegate", "del-fiji", "Delegate of Fiji", &[("delegation", "Fiji")], ("meeting", "session-1"));

    // Act
    let (status, submitted) = submit(&server, &by_process, &text_statement("Chile's views")).await;
    let uploaded =
        upload(&server, &by_meeting, "title=Fiji%27s%20views&language=en", PDF, Some("application/pdf")).await;

    // Assert
    assert_eq!(status, 201, "{submitted}");
    assert_eq!(submitted["submitter"], json!({"kind": "delegation", "name": "Chile"}));
    assert_eq!(uploaded.status, 201, "a token for a meeting of the process opens it too: {}", uploaded.json());
    assert_eq!(uploaded.json()["submitter"], json!({"kind": "delegation", "name": "Fiji"}));
    let titles: Vec<Value> =
        public_list(&server).await.as_array().unwrap().iter().map(|s| s["title"].clone()).collect();
    assert_eq!(titles, [json!("Fiji's views"), json!("Chile's views")], "newest first");
}

#[tokio::test]
async fn a_states_responses_appear_beside_the_statement_publicly_oldest_first() {
    // Arrange
    let server = server_with_process().await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let (_, statement) = submit(&server, &org.token, &text_statement("Our input")).await;
    let id = statement["id"].as_str().unwrap().to_string();
    let chile = delegate(&server, "del-chile", "Chile", PROCESS);
    let kenya = delegate(&server, "del-kenya", "Kenya", PROCESS);
    let path = format!("/api/statements/{id}/responses");

    // Act
    let first = json!({"text": "  We took it up in paragraph 12 of our proposal.  "});
    let (status, response) = server.http("POST", &path, Some(&chile), Some(&first)).await;
    let (second, _) = server.http("POST", &path, Some(&kenya), Some(&json!({"text": "Noted with thanks."}))).await;
    let (third, _) = server.http("POST", &path, Some(&chile), Some(&json!({"text": "Update: adopted."}))).await;
    let (_, by_id) = server.http("GET", &format!("/api/statements/{id}"), None, None).await;
    let list = public_list(&server).await;

    // Assert
    assert_eq!(status, 201, "{response}");
    assert_eq!(response["delegation"], "Chile");
    assert_eq!(response["author"], "Delegate of Chile");
    assert_eq!(response["text"], "We took it up in paragraph 12 of our proposal.");
    assert_eq!((second, third), (201, 201), "a delegation may respond more than once");
    let responses = by_id["responses"].as_array().expect("responses");
    let said: Vec<(&str, &str)> =
        responses.iter().map(|r| (r["delegation"].as_str().unwrap(), r["text"].as_str().unwrap())).collect();
    assert_eq!(
        said,
        [
            ("Chile", "We took it up in paragraph 12 of our proposal."),
            ("Kenya", "Noted with thanks."),
            ("Chile", "Update: adopted.")
        ]
    );
    assert_eq!(responses[0], response);
    assert_eq!(list[0]["responses"], by_id["responses"], "the list shows them beside the statement too");
}

#[tokio::test]
async fn the_list_filtered_by_meeting_shows_only_that_meetings_statements() {
    // Arrange
    let server = server_with_process().await;
    server.meeting_in("session-2", PROCESS, "open", &[]).await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let mut first = text_statement("For the first session");
    first["meeting"] = json!("session-1");
    let mut second = text_statement("For the second session");
    second["meeting"] = json!("session-2");
    for body in [&first, &second, &text_statement("For the process")] {
        assert_eq!(submit(&server, &org.token, body).await.0, 201);
    }

    // Act
    let (status, filtered) =
        items(server.http("GET", &format!("{}?meeting=session-2", statements_path()), None, None).await);
    let (unknown, unknown_body) = server.http("GET", &format!("{}?meeting=nope", statements_path()), None, None).await;

    // Assert
    assert_eq!(status, 200, "{filtered}");
    let titles: Vec<&str> = filtered.as_array().unwrap().iter().map(|s| s["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["For the second session"]);
    assert_eq!(public_list(&server).await.as_array().map(Vec::len), Some(3));
    assert_eq!(unknown, 404, "{unknown_body}");
    assert_eq!(unknown_body["code"], "unknown_meeting");
}

// ---- Who may submit and respond.

#[tokio::test]
async fn organisations_not_accredited_to_the_process_are_refused_with_a_clear_error_and_nothing_is_stored() {
    // Arrange
    let server = server_with_process().await;
    let sec = server.secretariat();
    server.process("p2", "2099-12-31").await;
    let pending = server.applicant(PROCESS, "Cyber Futures Forum").await;
    let refused = server.applicant(PROCESS, "Digital Peace Lab").await;
    let reason = json!({"decision": "refuse", "reason": "Not related to the work of the process."});
    assert_eq!(server.decide(&refused.id, &reason).await.0, 200);
    let revoked = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let revoked_rep = server.representative(&revoked, "Kwame Mensah", "remote").await;
    let path = format!("/api/organisations/{}/revoke", revoked.id);
    let (status, _) = server.http("POST", &path, Some(&sec), Some(&json!({"reason": "Misrepresentation."}))).await;
    assert_eq!(status, 200);
    let elsewhere = server.accredited("p2", "ICT4Peace").await;
    let cases: [(&str, &Applicant, &str, &str); 4] = [
        ("pending", &pending, "not_accredited", "pending"),
        ("refused", &refused, "not_accredited", "refused"),
        ("revoked", &revoked, "revoked", "withdrawn"),
        ("another process", &elsewhere, "forbidden", "another process"),
    ];

    for (case, org, code, says) in cases {
        // Act
        let (status, body) = submit(&server, &org.token, &text_statement("Our input")).await;
        let uploaded = upload(&server, &org.token, "title=Paper&language=en", PDF, Some("application/pdf")).await;

        // Assert
        assert_eq!(status, 403, "{case}: {body}");
        assert_eq!(body["code"], code, "{case}");
        assert!(message(&body).contains(says), "{case}: the message says why: {body}");
        assert_eq!((uploaded.status, uploaded.json()["code"].clone()), (403, json!(code)), "{case}");
    }
    let (status, body) = submit(&server, &revoked_rep.token, &text_statement("Our input")).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("revoked")), "{body}");
    assert_eq!(public_list(&server).await, json!([]));
    assert_eq!(stored(&server), (0, 0, 0));
}

#[tokio::test]
async fn observers_chairs_experts_and_stakeholders_without_an_organisation_may_not_submit() {
    // Arrange
    let server = server_with_process().await;
    let scope = ("process", PROCESS);
    let observer = server.token("observer", "obs-1", "Room display", &[], scope);
    let chair = server.token("chair", "chair-1", "H.E. Ms. Chair", &[], scope);
    let stakeholder = server.token("stakeholder", "ngo-1", "Speaker", &[("organisation", "ICT4Peace")], scope);
    let expert = server.token(
        "expert",
        "exp-1",
        "Lucía Pérez",
        &[("delegation", "Chile"), ("organisation", "Derechos Digitales")],
        scope,
    );
    let other_process = delegate(&server, "del-peru", "Peru", "p2");

    for (who, token) in [("observer", &observer), ("chair", &chair), ("stakeholder", &stakeholder), ("expert", &expert)]
    {
        // Act
        let (status, body) = submit(&server, token, &text_statement("Our input")).await;

        // Assert
        assert_eq!(status, 403, "{who}: {body}");
        assert_eq!(body["code"], "not_allowed", "{who}");
        assert_eq!(
            message(&body),
            "Only organisations accredited to this process and member states' delegations submit written statements."
        );
    }
    let (status, body) = submit(&server, &other_process, &text_statement("Our input")).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")), "a delegate of another process: {body}");
    assert!(message(&body).contains("another process"), "{body}");
    let (status, body) = server.http("POST", &statements_path(), None, Some(&text_statement("Our input"))).await;
    assert_eq!((status, body["code"].as_str()), (401, Some("unauthorized")), "no token: {body}");
    assert_eq!(public_list(&server).await, json!([]));
}

#[tokio::test]
async fn only_a_delegate_of_the_process_responds_to_a_statement() {
    // Arrange
    let server = server_with_process().await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let rep = server.representative(&org, "Kwame Mensah", "remote").await;
    let (_, statement) = submit(&server, &org.token, &text_statement("Our input")).await;
    let path = format!("/api/statements/{}/responses", statement["id"].as_str().unwrap());
    let observer = server.token("observer", "obs-1", "Room display", &[], ("process", PROCESS));
    let other_process = delegate(&server, "del-peru", "Peru", "p2");
    let chile = delegate(&server, "del-chile", "Chile", PROCESS);
    let response = json!({"text": "Noted."});

    for (who, token) in [("organisation", &org.token), ("representative", &rep.token), ("observer", &observer)] {
        // Act
        let (status, body) = server.http("POST", &path, Some(token), Some(&response)).await;

        // Assert
        assert_eq!(status, 403, "{who}: {body}");
        assert_eq!(body["code"], "not_allowed", "{who}");
        assert_eq!(message(&body), "Only member states' delegations respond to statements.");
    }
    let (status, body) = server.http("POST", &path, Some(&other_process), Some(&response)).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")), "another process: {body}");
    let (status, body) = server.http("POST", &path, None, Some(&response)).await;
    assert_eq!(status, 401, "{body}");
    let (status, body) = server.http("POST", &path, Some(&chile), Some(&json!({"text": "   "}))).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("invalid_command")), "an empty response: {body}");
    assert_eq!(public_list(&server).await[0]["responses"], json!([]), "no response was stored");
}

// ---- Bad input.

#[tokio::test]
async fn uploads_of_the_wrong_type_fake_pdfs_and_empty_files_are_refused_and_store_nothing() {
    // Arrange
    let server = server_with_process().await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let query = "title=Paper&language=en";
    let json_as_text = text_statement("Our input").to_string();

    // Act
    let text = upload(&server, &org.token, query, b"Plain words.", Some("text/plain")).await;
    let fake = upload(&server, &org.token, query, b"<html>not a pdf</html>", Some("application/pdf")).await;
    let empty = upload(&server, &org.token, query, b"", Some("application/pdf")).await;
    let untyped = upload(&server, &org.token, query, PDF, None).await;
    let mislabelled = upload(&server, &org.token, "", json_as_text.as_bytes(), Some("text/plain")).await;

    // Assert
    for (case, answer) in [("text/plain", &text), ("no type", &untyped), ("JSON sent as text/plain", &mislabelled)] {
        assert_eq!(answer.status, 415, "{case}: {}", answer.json());
        assert_eq!(answer.json()["code"], "unsupported_media_type", "{case}");
        assert!(message(&answer.json()).contains("application/pdf"), "{case}: {}", answer.json());
    }
    assert_eq!(fake.status, 415, "{}", fake.json());
    assert_eq!(message(&fake.json()), "The file is not a PDF.");
    assert_eq!(empty.status, 415, "{}", empty.json());
    assert!(message(&empty.json()).contains("empty"), "{}", empty.json());
    assert_eq!(public_list(&server).await, json!([]));
    assert_eq!(stored(&server), (0, 0, 0), "no statement and no orphan file");
}

#[tokio::test]
async fn an_upload_over_ten_mebibytes_is_refused_with_413_and_stores_nothing() {
    // Arrange
    let server = server_with_process().await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let mut oversized = PDF.to_vec();
    oversized.resize(TEN_MIB + 1, b' ');
    let mut just_fits = PDF.to_vec();
    just_fits.resize(TEN_MIB, b' ');

    // Act
    let declared = upload(&server, &org.token, "title=Big&language=en", &oversized, Some("application/pdf")).await;
    let chunked = upload_chunked(&server, &org.token, "title=Big&language=en", &oversized).await;
    let before = (public_list(&server).await, stored(&server));
    let fits = upload(&server, &org.token, "title=Fits&language=en", &just_fits, Some("application/pdf")).await;

    // Assert
    assert_eq!(declared.status, 413, "{}", declared.json());
    assert_eq!(declared.json()["code"], "too_large");
    assert!(message(&declared.json()).contains("10 MiB"), "{}", declared.json());
    assert_eq!(chunked.status, 413, "a body without Content-Length is cut at the limit too: {}", chunked.json());
    assert_eq!(chunked.json()["code"], "too_large");
    assert_eq!(before, (json!([]), (0, 0, 0)), "nothing was stored");
    assert_eq!(fits.status, 201, "exactly 10 MiB is taken: {}", fits.json());
    assert_eq!(fits.json()["file"]["size"], TEN_MIB);
}

#[tokio::test]
async fn a_statement_of_fifty_thousand_characters_in_russian_is_taken_as_json_and_a_longer_body_is_too_large() {
    // Arrange
    let server = server_with_process().await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let mut longest = text_statement("Заявление");
    longest["language"] = json!("ru");
    longest["text"] = json!("ж".repeat(50_000));
    let mut too_long = longest.clone();
    too_long["text"] = json!("ж".repeat(140_000));

    // Act
    let (taken, taken_body) = submit(&server, &org.token, &longest).await;
    let (refused, refused_body) = submit(&server, &org.token, &too_long).await;

    // Assert
    assert!(longest.to_string().len() > 64 * 1024, "more than the API's usual JSON limit");
    assert_eq!(taken, 201, "{}", taken_body["message"]);
    assert_eq!(taken_body["text"].as_str().map(|t| t.chars().count()), Some(50_000));
    assert_eq!(refused, 413, "{refused_body}");
    assert_eq!(refused_body["code"], "too_large");
    assert!(message(&refused_body).contains("PDF"), "the message says what to do instead: {refused_body}");
    assert_eq!(public_list(&server).await.as_array().map(Vec::len), Some(1));
}

/// Uploads `body` as a PDF with `Transfer-Encoding: chunked` (no Content-Length), in 64 KiB chunks.
/// The server may answer before the end: write errors are ignored.
async fn upload_chunked(server: &Server, token: &str, query: &str, body: &[u8]) -> RawResponse {
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.expect("connect");
    let head = format!(
        "POST {}?{query} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/pdf\r\nTransfer-Encoding: chunked\r\nAuthorization: Bearer {token}\r\n\r\n",
        statements_path(),
        server.addr
    );
    let (mut reader, mut writer) = stream.split();
    let write = async {
        let mut framed = head.into_bytes();
        for chunk in body.chunks(64 * 1024) {
            framed.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
            framed.extend_from_slice(chunk);
            framed.extend_from_slice(b"\r\n");
        }
        framed.extend_from_slice(b"0\r\n\r\n");
        let _ = writer.write_all(&framed).await;
    };
    let mut response = Vec::new();
    let read = async {
        let _ = reader.read_to_end(&mut response).await;
    };
    tokio::time::timeout(rostrum_tests::PATIENCE, async { tokio::join!(write, read) }).await.expect("http timeout");
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("an http response");
    let head = String::from_utf8_lossy(&response[..split]).to_string();
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("status");
    RawResponse { status, head, body: response[split + 4..].to_vec() }
}

#[tokio::test]
async fn a_meeting_of_another_process_is_refused_and_nothing_is_stored() {
    // Arrange
    let server = server_with_process().await;
    server.process_with_meeting("p2", "2099-12-31", "other-1", &[]).await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let mut body = text_statement("Our input");
    body["meeting"] = json!("other-1");

    // Act
    let (status, answer) = submit(&server, &org.token, &body).await;
    let uploaded =
        upload(&server, &org.token, "title=Paper&language=en&meeting=other-1", PDF, Some("application/pdf")).await;

    // Assert
    assert_eq!(status, 404, "{answer}");
    assert_eq!(answer["code"], "unknown_meeting");
    assert!(message(&answer).contains("other-1") && message(&answer).contains(PROCESS), "{answer}");
    assert_eq!(uploaded.status, 404, "{}", uploaded.json());
    assert_eq!(public_list(&server).await, json!([]));
    assert_eq!(stored(&server), (0, 0, 0));
}

#[tokio::test]
async fn an_incomplete_statement_is_a_bad_request_that_says_what_is_missing_and_stores_nothing() {
    // Arrange
    let server = server_with_process().await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let untitled = text_statement("  ");
    let mut no_text = text_statement("Our input");
    no_text.as_object_mut().unwrap().remove("text");
    let mut unknown_field = text_statement("Our input");
    unknown_field["author"] = json!("Someone");
    let mut bad_language = text_statement("Our input");
    bad_language["language"] = json!("english!");

    // Act
    let answers = [
        ("no title", submit(&server, &org.token, &untitled).await),
        ("no text", submit(&server, &org.token, &no_text).await),
        ("an unknown field", submit(&server, &org.token, &unknown_field).await),
        ("a bad language", submit(&server, &org.token, &bad_language).await),
    ];
    let no_title_upload = upload(&server, &org.token, "language=en", PDF, Some("application/pdf")).await;
    let no_language_upload = upload(&server, &org.token, "title=Paper", PDF, Some("application/pdf")).await;

    // Assert
    for (case, (status, body)) in &answers {
        assert_eq!(*status, 400, "{case}: {body}");
    }
    let [(_, (_, no_title)), (_, (_, no_text)), ..] = &answers;
    assert!(message(no_title).contains("title"), "{no_title}");
    assert!(message(no_text).contains("text"), "{no_text}");
    assert_eq!(no_title_upload.status, 400, "{}", no_title_upload.json());
    assert!(message(&no_title_upload.json()).contains("title"));
    assert_eq!(no_language_upload.status, 400, "{}", no_language_upload.json());
    assert!(message(&no_language_upload.json()).contains("language"));
    assert_eq!(public_list(&server).await, json!([]));
    assert_eq!(stored(&server), (0, 0, 0));
}

#[tokio::test]
async fn an_unknown_statement_or_process_is_not_found() {
    // Arrange
    let server = server_with_process().await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let (_, text_only) = submit(&server, &org.token, &text_statement("Our input")).await;
    let chile = delegate(&server, "del-chile", "Chile", PROCESS);

    // Act
    let (statement, statement_body) = server.http("GET", "/api/statements/0123456789abcdef", None, None).await;
    let (file, file_body) = server.http("GET", "/api/statements/0123456789abcdef/file", None, None).await;
    let no_file_path = format!("/api/statements/{}/file", text_only["id"].as_str().unwrap());
    let (no_file, no_file_body) = server.http("GET", &no_file_path, None, None).await;
    let respond_path = "/api/statements/0123456789abcdef/responses";
    let (response, response_body) =
        server.http("POST", respond_path, Some(&chile), Some(&json!({"text": "Noted."}))).await;
    let (list, list_body) = server.http("GET", "/api/processes/nope/statements", None, None).await;
    let (submitted, submitted_body) =
        server.http("POST", "/api/processes/nope/statements", Some(&org.token), Some(&text_statement("x"))).await;

    // Assert
    assert_eq!((statement, statement_body["code"].as_str()), (404, Some("unknown_statement")), "{statement_body}");
    assert_eq!((file, file_body["code"].as_str()), (404, Some("unknown_statement")), "{file_body}");
    assert_eq!(no_file, 404, "a statement written in the form has no file: {no_file_body}");
    assert_eq!((response, response_body["code"].as_str()), (404, Some("unknown_statement")), "{response_body}");
    assert_eq!((list, list_body["code"].as_str()), (404, Some("unknown_process")), "{list_body}");
    assert_eq!((submitted, submitted_body["code"].as_str()), (404, Some("unknown_process")), "{submitted_body}");
}

// ---- Durability and the demo.

#[tokio::test]
async fn statements_files_and_responses_survive_a_restart_of_the_server() {
    // Arrange
    let data = tempfile::tempdir().unwrap();
    let mut server = Server::start_in(data.path()).await;
    server.process_with_meeting(PROCESS, "2099-12-31", "session-1", &[]).await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let (_, text) = submit(&server, &org.token, &text_statement("Our input")).await;
    let uploaded = upload(&server, &org.token, "title=Paper&language=en", PDF, Some("application/pdf")).await;
    let pdf_id = uploaded.json()["id"].as_str().unwrap().to_string();
    let chile = delegate(&server, "del-chile", "Chile", PROCESS);
    let path = format!("/api/statements/{}/responses", text["id"].as_str().unwrap());
    let (status, _) = server.http("POST", &path, Some(&chile), Some(&json!({"text": "Noted."}))).await;
    assert_eq!(status, 201);
    let before = public_list(&server).await;
    server.kill9();

    // Act
    let server = Server::start_in(data.path()).await;
    let after = public_list(&server).await;
    let file = http_bytes(server.addr, "GET", &format!("/api/statements/{pdf_id}/file"), None, b"", None).await;

    // Assert
    assert_eq!(after, before);
    assert_eq!(after.as_array().map(Vec::len), Some(2));
    assert_eq!(after[1]["responses"][0]["text"], "Noted.");
    assert_eq!(file.body, PDF);
}

#[tokio::test]
async fn the_demo_has_a_statement_with_a_states_response_and_starting_it_again_adds_none() {
    // Arrange
    let data = tempfile::tempdir().unwrap();
    let mut server = Server::start_with(data.path(), &["--demo"]).await;
    let (_, before) = items(server.http("GET", "/api/processes/oewg-demo/statements", None, None).await);
    server.kill9();

    // Act
    let server = Server::start_with(data.path(), &["--demo"]).await;
    let (status, after) = items(server.http("GET", "/api/processes/oewg-demo/statements", None, None).await);

    // Assert
    assert_eq!(status, 200, "{after}");
    assert_eq!(after, before);
    let statements = after.as_array().expect("a list");
    assert_eq!(statements.len(), 1, "{after}");
    let statement = &statements[0];
    assert_eq!(statement["submitter"]["name"], "Global Digital Rights Network");
    assert_eq!(statement["agenda_item"], "Capacity building");
    assert_eq!(statement["co_signers"].as_array().map(Vec::len), Some(1));
    assert!(statement["text"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(statement["responses"].as_array().map(Vec::len), Some(1));
    assert_eq!(statement["responses"][0]["delegation"], "Chile");
    let organisations = server.public_list("oewg-demo").await;
    let organisation = &organisations.as_array().unwrap()[0];
    assert_eq!(organisation["id"], statement["submitter"]["organisation"]);
    assert_eq!(organisation["status"], "approved", "the demo's organisation is accredited");
}

#[tokio::test]
async fn the_portal_and_a_statements_page_are_screens_of_the_web_client() {
    // Arrange
    let data = tempfile::tempdir().unwrap();
    let web = tempfile::tempdir().unwrap();
    std::fs::write(web.path().join("index.html"), "<!doctype html><title>Rostrum client</title>").unwrap();
    let server = Server::start_with(data.path(), &["--web-dir", web.path().to_str().unwrap()]).await;

    // Act
    let portal = http_bytes(server.addr, "GET", "/portal?process=p1", None, b"", None).await;
    let statement = http_bytes(server.addr, "GET", "/statement?id=0123456789abcdef", None, b"", None).await;

    // Assert
    for (screen, page) in [("portal", portal), ("statement", statement)] {
        assert_eq!(page.status, 200, "{screen}: {}", page.head);
        assert!(String::from_utf8_lossy(&page.body).contains("Rostrum client"), "{screen}");
    }
}

// ---- Co-signers confirm.

async fn joint_statement(server: &Server, token: &str, co_signers: &[&str]) -> Value {
    let mut body = text_statement("Joint input on capacity building");
    body["co_signers"] = json!(co_signers);
    let (status, submitted) = submit(server, token, &body).await;
    assert_eq!(status, 201, "{submitted}");
    submitted
}

async fn answer(server: &Server, statement: &Value, answer: &str, token: Option<&str>) -> (u16, Value) {
    let id = statement["id"].as_str().expect("an id");
    server.http("POST", &format!("/api/statements/{id}/co-signers/{answer}"), token, None).await
}

/// Each co-signer's name and whether it confirmed, as the public reads them.
async fn confirmations(server: &Server, statement: &Value) -> Vec<(String, bool)> {
    let id = statement["id"].as_str().expect("an id");
    let (_, read) = server.http("GET", &format!("/api/statements/{id}"), None, None).await;
    let co_signers = read["co_signers"].as_array().cloned().unwrap_or_default();
    co_signers.iter().map(|c| (c["name"].as_str().unwrap().to_string(), c["confirmed"] == true)).collect()
}

#[tokio::test]
async fn a_co_signer_neither_accredited_nor_a_member_state_is_refused_and_nothing_is_stored() {
    // Arrange
    let server = server_with_process().await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    server.applicant(PROCESS, "Article 19").await; // applied, not yet accredited
    let chile = delegate(&server, "del-chile", "Chile", PROCESS);

    // Act
    let mut refused = Vec::new();
    for co_signers in [vec!["Access Now"], vec!["Article 19"], vec!["Atlantis"]] {
        let mut body = text_statement("Joint input");
        body["co_signers"] = json!(co_signers);
        refused.push(submit(&server, &org.token, &body).await);
    }
    let mut own = text_statement("Chile with Chile");
    own["co_signers"] = json!(["Chile"]);
    let (itself, itself_body) = submit(&server, &chile, &own).await;

    // Assert
    for ((status, body), name) in refused.iter().zip(["Access Now", "Article 19", "Atlantis"]) {
        assert_eq!(*status, 409, "{body}");
        assert_eq!(body["code"], "co_signer_not_accredited", "{body}");
        assert!(message(body).contains(name), "the co-signer is named: {body}");
    }
    assert_eq!(itself, 400, "the submitter does not co-sign its own statement: {itself_body}");
    assert_eq!(stored(&server), (0, 0, 0));
}

#[tokio::test]
async fn named_co_signers_confirm_by_the_organisations_page_a_representative_or_the_states_delegate() {
    // Arrange
    let server = server_with_process().await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let access_now = server.accredited(PROCESS, "Access Now").await;
    let derechos = server.accredited(PROCESS, "Derechos Digitales").await;
    let representative = server.representative(&derechos, "Lucía Pérez", "remote").await;
    let kenya = delegate(&server, "del-kenya", "Kenya", PROCESS);
    let statement = joint_statement(&server, &org.token, &["Access Now", "Derechos Digitales", "kenya"]).await;
    let pending = confirmations(&server, &statement).await;

    // Act
    let by_page = answer(&server, &statement, "confirm", Some(&access_now.token)).await;
    let by_representative = answer(&server, &statement, "confirm", Some(&representative.token)).await;
    let by_delegate = answer(&server, &statement, "confirm", Some(&kenya)).await;
    let again = answer(&server, &statement, "confirm", Some(&kenya)).await;

    // Assert
    assert!(pending.iter().all(|(_, confirmed)| !confirmed), "pending at first: {pending:?}");
    for (status, body) in [&by_page, &by_representative, &by_delegate, &again] {
        assert_eq!(*status, 200, "{body}");
    }
    assert_eq!(
        confirmations(&server, &statement).await,
        [("Access Now".into(), true), ("Derechos Digitales".into(), true), ("Kenya".into(), true)]
    );
    assert_eq!(by_delegate.1["co_signers"][2], json!({"name": "Kenya", "kind": "delegation", "confirmed": true}));
}

#[tokio::test]
async fn a_co_signer_that_declines_is_taken_off_the_statement() {
    // Arrange
    let server = server_with_process().await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let access_now = server.accredited(PROCESS, "Access Now").await;
    let statement = joint_statement(&server, &org.token, &["Access Now", "Chile"]).await;

    // Act
    let (status, body) = answer(&server, &statement, "decline", Some(&access_now.token)).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(confirmations(&server, &statement).await, [("Chile".into(), false)]);
}

#[tokio::test]
async fn only_a_named_co_signer_confirms_or_declines() {
    // Arrange
    let server = server_with_process().await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    server.accredited(PROCESS, "Access Now").await;
    let ict4peace = server.accredited(PROCESS, "ICT4Peace Foundation").await;
    let norway = delegate(&server, "del-norway", "Norway", PROCESS);
    let elsewhere = delegate(&server, "del-chile-2", "Chile", "p2");
    let statement = joint_statement(&server, &org.token, &["Access Now", "Chile"]).await;

    // Act
    let by_another_organisation = answer(&server, &statement, "confirm", Some(&ict4peace.token)).await;
    let by_the_submitter = answer(&server, &statement, "confirm", Some(&org.token)).await;
    let by_another_state = answer(&server, &statement, "decline", Some(&norway)).await;
    let from_another_process = answer(&server, &statement, "confirm", Some(&elsewhere)).await;
    let anonymous = answer(&server, &statement, "confirm", None).await;
    let unknown = server.http("POST", "/api/statements/0123456789abcdef/co-signers/confirm", Some(&norway), None).await;

    // Assert
    for (status, body) in [&by_another_organisation, &by_the_submitter, &by_another_state] {
        assert_eq!(*status, 403, "{body}");
        assert_eq!(body["code"], "not_allowed", "{body}");
    }
    assert_eq!(from_another_process.0, 403, "{}", from_another_process.1);
    assert_eq!(from_another_process.1["code"], "forbidden", "{}", from_another_process.1);
    assert_eq!(anonymous.0, 401, "{}", anonymous.1);
    assert_eq!(unknown.0, 404, "{}", unknown.1);
    assert_eq!(confirmations(&server, &statement).await, [("Access Now".into(), false), ("Chile".into(), false)]);
}

#[tokio::test]
async fn co_signers_stored_before_confirmation_existed_read_as_confirmed_after_a_restart() {
    // Arrange: a statement as an earlier version stored it, its co-signers bare names.
    let mut first = server_with_process().await;
    let org = first.accredited(PROCESS, "Global Digital Rights Network").await;
    let statement = joint_statement(&first, &org.token, &[]).await;
    let id = statement["id"].as_str().unwrap().to_string();
    first.kill9();
    {
        let db = rusqlite::Connection::open(first.data.join("rostrum.db")).unwrap();
        db.execute("UPDATE statements SET co_signers = '[\"Access Now\"]' WHERE id = ?1", [&id]).unwrap();
    }

    // Act
    let server = Server::start_in(&first.data).await;
    let (status, read) = server.http("GET", &format!("/api/statements/{id}"), None, None).await;

    // Assert
    assert_eq!(status, 200, "{read}");
    assert_eq!(read["co_signers"], json!([{"name": "Access Now", "confirmed": true}]));
    let db = rusqlite::Connection::open(server.data.join("rostrum.db")).unwrap();
    let stored: String = db.query_row("SELECT co_signers FROM statements", [], |r| r.get(0)).unwrap();
    assert_eq!(stored, r#"[{"name":"Access Now","confirmed":true}]"#, "the row itself is brought up to date");
}

// ---- Closed meetings.

#[tokio::test]
async fn a_statement_to_a_closed_meeting_goes_only_to_those_the_meeting_admits() {
    // Arrange
    let server = server_with_process().await;
    server.meeting_in("closed-1", PROCESS, "closed", &[]).await;
    let chile = delegate(&server, "del-chile", "Chile", PROCESS);
    let fiji = delegate(&server, "del-fiji", "Fiji", PROCESS);
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let rep = server.representative(&org, "Kwame Mensah", "remote").await;
    let closed_text =
        json!({"title": "Closed input", "language": "en", "meeting": "closed-1", "text": "In confidence."});
    let (status, closed) = submit(&server, &chile, &closed_text).await;
    assert_eq!(status, 201, "{closed}");
    let uploaded =
        upload(&server, &chile, "title=Closed%20file&language=en&meeting=closed-1", PDF, Some("application/pdf")).await;
    assert_eq!(uploaded.status, 201, "{}", uploaded.json());
    let closed_file = uploaded.json();
    let (status, open) = submit(&server, &chile, &text_statement("Open input")).await;
    assert_eq!(status, 201, "{open}");
    let closed_id = closed["id"].as_str().unwrap();
    let file_id = closed_file["id"].as_str().unwrap();
    let path = statements_path();

    // Act
    let anonymous_list = public_list(&server).await;
    let anonymous_filtered = items(server.http("GET", &format!("{path}?meeting=closed-1"), None, None).await);
    let (_, representative_list) = items(server.http("GET", &path, Some(&rep.token), None).await);
    let (_, organisation_list) = items(server.http("GET", &path, Some(&org.token), None).await);
    let (_, delegate_list) = items(server.http("GET", &path, Some(&fiji), None).await);
    let anonymous_one = server.http("GET", &format!("/api/statements/{closed_id}"), None, None).await;
    let representative_one = server.http("GET", &format!("/api/statements/{closed_id}"), Some(&rep.token), None).await;
    let delegate_one = server.http("GET", &format!("/api/statements/{closed_id}"), Some(&fiji), None).await;
    let file = format!("/api/statements/{file_id}/file");
    let anonymous_file = http_bytes(server.addr, "GET", &file, None, b"", None).await;
    let representative_file = http_bytes(server.addr, "GET", &file, Some(&rep.token), b"", None).await;
    let delegate_file = http_bytes(server.addr, "GET", &file, Some(&fiji), b"", None).await;

    // Assert
    assert_eq!(anonymous_list, json!([open]), "only the open meeting's statement is public");
    assert_eq!(anonymous_filtered, (200, json!([])));
    assert_eq!(representative_list, json!([open]), "a stakeholder is not admitted to a closed meeting");
    assert_eq!(organisation_list, json!([open]), "nor is an organisation's own token");
    assert_eq!(delegate_list, json!([open, closed_file, closed]), "a member state's delegate reads them all");
    assert_eq!((anonymous_one.0, anonymous_one.1["code"].as_str()), (401, Some("unauthorized")));
    assert_eq!((representative_one.0, representative_one.1["code"].as_str()), (403, Some("meeting_closed")));
    assert_eq!(delegate_one, (200, closed.clone()));
    assert_eq!(anonymous_file.status, 401);
    assert_eq!(representative_file.status, 403);
    assert!(!representative_file.body.starts_with(b"%PDF"), "no byte of the file");
    assert_eq!((delegate_file.status, delegate_file.body.as_slice()), (200, PDF));
}
