//! Names take nothing hostile, and organisations compare as people read them (issue 11): an
//! application that differs from an existing one only by an invisible character, case or width is
//! a duplicate; a name with a control or bidirectional-override character is refused with 400 and
//! stores nothing; a database whose keys were folded the old way is brought up to date on start.

use rostrum_tests::{application, Server};
use serde_json::{json, Value};

const PROCESS: &str = "p1";

async fn server_with_process() -> Server {
    let server = Server::start().await;
    server.process(PROCESS, "2099-12-31").await;
    server
}

fn names(list: &Value) -> Vec<String> {
    list.as_array().expect("a list").iter().map(|o| o["name"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn an_application_differing_only_by_an_invisible_character_case_or_width_is_a_duplicate() {
    // Arrange
    let server = server_with_process().await;
    server.applicant(PROCESS, "Global Digital Rights Network").await;
    let before = server.public_list(PROCESS).await;

    // Act
    let mut answers = Vec::new();
    for twin in [
        // A left-to-right mark is allowed in a name (Arabic and Hebrew text need it) but changes
        // nothing a reader sees.
        "Global Digital Rights Network\u{200E}",
        "GLOBAL digital  rights network",
        "Ｇｌｏｂａｌ Ｄｉｇｉｔａｌ Ｒｉｇｈｔｓ Ｎｅｔｗｏｒｋ",
    ] {
        answers.push(server.apply(PROCESS, &application(twin, true)).await);
    }

    // Assert
    for (status, body) in &answers {
        assert_eq!(*status, 409, "{body}");
        assert_eq!(body["code"], "duplicate_application", "{body}");
    }
    assert_eq!(server.public_list(PROCESS).await, before, "still one organisation");
}

#[tokio::test]
async fn an_application_with_a_zero_width_space_in_its_name_is_refused_and_the_character_named() {
    // Arrange
    let server = server_with_process().await;
    server.applicant(PROCESS, "Global Digital Rights Network").await;
    let before = server.public_list(PROCESS).await;

    // Act
    let (status, body) = server.apply(PROCESS, &application("Global Digital Rights Network\u{200B}", true)).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["code"], "invalid_application");
    assert!(body["message"].as_str().unwrap().contains("U+200B"), "{body}");
    assert_eq!(server.public_list(PROCESS).await, before);
}

#[tokio::test]
async fn a_token_request_whose_name_carries_a_control_or_bidi_override_character_is_refused() {
    // Arrange
    let server = Server::start().await;
    let sec = server.secretariat();
    server.meeting("session-1", "open", &[]).await;

    // Act
    let mut answers = Vec::new();
    for name in ["Amina\u{1B}[2J Yusuf", "Amina \u{202E}fusuY", "Amina\0"] {
        let body = json!({"name": name, "role": "delegate", "delegation": "Kenya", "meeting": "session-1"});
        answers.push(server.http("POST", "/api/tokens", Some(&sec), Some(&body)).await);
    }
    let body = json!({"name": "Amina Yusuf", "role": "stakeholder", "organisation": "Access\u{2066}Now", "meeting": "session-1"});
    answers.push(server.http("POST", "/api/tokens", Some(&sec), Some(&body)).await);

    // Assert
    for ((status, body), character) in answers.iter().zip(["U+001B", "U+202E", "U+0000", "U+2066"]) {
        assert_eq!(*status, 400, "{body}");
        assert!(body["token"].is_null(), "no token minted: {body}");
        assert!(body["message"].as_str().unwrap().contains(character), "{body}");
    }
}

#[tokio::test]
async fn a_representative_whose_name_carries_a_control_character_is_refused_and_not_stored() {
    // Arrange
    let server = server_with_process().await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;

    // Act
    let mut answers = Vec::new();
    for name in ["Kwame\u{1B}]0;pwned\u{7} Mensah", "Kwame \u{202D}Mensah", "Kwame\u{200B}Mensah"] {
        let body = json!({"name": name, "email": "kwame@gdrn.example.org", "presence": "remote"});
        answers.push(server.http("POST", "/api/organisation/representatives", Some(&org.token), Some(&body)).await);
    }
    let (_, page) = server.http("GET", "/api/organisation", Some(&org.token), None).await;

    // Assert
    for (status, body) in &answers {
        assert_eq!(*status, 400, "{body}");
        assert_eq!(body["code"], "invalid_command", "{body}");
        assert!(body["message"].as_str().unwrap().contains("U+"), "the character is named: {body}");
    }
    assert_eq!(page["representatives"], json!([]), "nothing stored: {page}");
}

#[tokio::test]
async fn an_expert_whose_name_or_organisation_carries_a_bidi_override_is_refused_and_not_stored() {
    // Arrange
    let server = server_with_process().await;
    let delegate =
        server.token("delegate", "del-chile", "Delegate of Chile", &[("delegation", "Chile")], ("process", PROCESS));

    // Act
    let bad_name =
        json!({"name": "Ana \u{202E}zeréP", "organisation": "Derechos Digitales", "email": "ana@example.org"});
    let bad_org = json!({"name": "Ana Pérez", "organisation": "Derechos\u{0}Digitales", "email": "ana@example.org"});
    let named = server.http("POST", "/api/delegation/experts", Some(&delegate), Some(&bad_name)).await;
    let organised = server.http("POST", "/api/delegation/experts", Some(&delegate), Some(&bad_org)).await;
    let (_, page) = server.http("GET", "/api/delegation", Some(&delegate), None).await;

    // Assert
    assert_eq!(named.0, 400, "{}", named.1);
    assert!(named.1["message"].as_str().unwrap().contains("U+202E"), "{}", named.1);
    assert_eq!(organised.0, 400, "{}", organised.1);
    assert!(organised.1["message"].as_str().unwrap().contains("U+0000"), "{}", organised.1);
    assert_eq!(page["experts"], json!([]), "nothing stored: {page}");
}

#[tokio::test]
async fn a_persian_name_with_a_zero_width_non_joiner_is_accepted_as_typed() {
    // Arrange
    let server = server_with_process().await;
    let name = "انجمن حقوق\u{200C}دیجیتال";

    // Act
    let (status, body) = server.apply(PROCESS, &application(name, true)).await;

    // Assert
    assert_eq!(status, 201, "{body}");
    assert_eq!(names(&server.public_list(PROCESS).await), [name]);
}

#[tokio::test]
async fn organisations_stored_with_the_old_keys_are_refolded_on_start_and_twins_are_kept_apart() {
    // Arrange: a database of an earlier version, whose keys were only lower-cased, holding the
    // fullwidth spelling of a name and, as a second application, the name with a zero-width space.
    let mut first = server_with_process().await;
    let (status, applied) =
        first.apply(PROCESS, &application("Ｇｌｏｂａｌ Ｄｉｇｉｔａｌ Ｒｉｇｈｔｓ Ｎｅｔｗｏｒｋ", true)).await;
    assert_eq!(status, 201, "{applied}");
    first.kill9();
    {
        let db = rusqlite::Connection::open(first.data.join("rostrum.db")).unwrap();
        db.execute("UPDATE organisations SET name_key = lower(name)", []).unwrap();
        let twin = "Global Digital Rights Network\u{200B}";
        let mut form = application(twin, true);
        form["name"] = json!(twin);
        db.execute(
            "INSERT INTO organisations (id, process, name, name_key, application, status, applied_at)
             VALUES ('legacy-twin', ?1, ?2, lower(?2), ?3, 'pending', 2)",
            rusqlite::params![PROCESS, twin, form.to_string()],
        )
        .unwrap();
    }

    // Act
    let server = Server::start_in(&first.data).await;
    let (status, body) = server.apply(PROCESS, &application("global digital rights network", true)).await;

    // Assert
    assert_eq!(status, 409, "the refolded key catches the plain spelling: {body}");
    assert_eq!(body["code"], "duplicate_application");
    assert_eq!(names(&server.public_list(PROCESS).await).len(), 2, "both earlier applications are kept");
    assert!(server.log().contains("two applications of one organisation"), "the log says so");
}
