//! Issue 12's bounds on what one caller can make the server hold or send: quotas per organisation
//! and per delegation (refused with 409 `quota_exceeded`, nothing stored), lists read a page at a
//! time, and the secretariat rejecting spam applications in bulk.

use rostrum_tests::{http_bytes, segment, Applicant, Server};
use serde_json::{json, Value};

const PROCESS: &str = "oewg";

/// A server whose quotas are all 2 (1 MiB of uploads), with a process and an open meeting in it.
/// The data directory lives as long as the server.
async fn server_with_small_quotas() -> (Server, tempfile::TempDir) {
    let data = tempfile::tempdir().unwrap();
    let quotas = [
        "--quota-representatives",
        "2",
        "--quota-materials",
        "2",
        "--quota-statements",
        "2",
        "--quota-upload-mib",
        "1",
        "--quota-objections",
        "2",
        "--quota-experts",
        "2",
    ];
    let server = Server::start_with(data.path(), &quotas).await;
    server.process(PROCESS, "2099-12-31").await;
    server.meeting_in("open-1", PROCESS, "open", &[segment("General debate", "all", 180)]).await;
    (server, data)
}

/// A refusal's status, code and whether its message names `quota`.
fn refusal(status: u16, body: &Value, quota: &str) -> (u16, String, bool) {
    let named = body["message"].as_str().is_some_and(|m| m.contains(&format!("quota {quota}: ")));
    (status, body["code"].as_str().unwrap_or_default().to_string(), named)
}

/// What a refusal over a quota looks like.
fn over() -> (u16, String, bool) {
    (409, "quota_exceeded".to_string(), true)
}

fn delegate(server: &Server) -> String {
    server.token("delegate", "chile-1", "Ana Rojas", &[("delegation", "Chile")], ("process", PROCESS))
}

/// A PDF of `size` bytes.
fn pdf(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.resize(size, b' ');
    bytes
}

// ---- Quotas.

#[tokio::test]
async fn an_organisation_over_its_representatives_quota_is_refused_until_it_revokes_one() {
    // Arrange
    let (server, _data) = server_with_small_quotas().await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let first = server.representative(&org, "Kwame Mensah", "remote").await;
    server.representative(&org, "Lena Fischer", "in_room").await;
    let third = json!({"name": "Ida Berg", "email": "ida@example.org", "presence": "remote"});
    let path = "/api/organisation/representatives";

    // Act
    let (status, refused) = server.http("POST", path, Some(&org.token), Some(&third)).await;
    let (_, page) = server.http("GET", "/api/organisation", Some(&org.token), None).await;
    let revoke = format!("/api/organisation/representatives/{}/revoke", first.id);
    let (revoked, _) = server.http("POST", &revoke, Some(&org.token), None).await;
    let (again, _) = server.http("POST", path, Some(&org.token), Some(&third)).await;

    // Assert
    assert_eq!(refusal(status, &refused, "representatives"), over(), "{refused}");
    assert_eq!(page["representatives"].as_array().map(Vec::len), Some(2), "nothing stored: {page}");
    assert_eq!((revoked, again), (200, 201), "a revoked representative frees its place");
}

#[tokio::test]
async fn an_organisation_over_its_materials_quota_is_refused_and_nothing_is_stored() {
    // Arrange
    let (server, _data) = server_with_small_quotas().await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let path = "/api/meetings/open-1/documents";
    for n in 1..=2 {
        let material = json!({"title": format!("Input {n}"), "url": "https://example.org/input.pdf"});
        assert_eq!(server.http("POST", path, Some(&org.token), Some(&material)).await.0, 201);
    }
    let third = json!({"title": "Input 3", "url": "https://example.org/input.pdf"});

    // Act
    let (status, refused) = server.http("POST", path, Some(&org.token), Some(&third)).await;
    let (_, listed) = server.http("GET", path, Some(&server.secretariat()), None).await;

    // Assert
    assert_eq!(refusal(status, &refused, "materials"), over(), "{refused}");
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(2), "nothing stored: {listed}");
}

#[tokio::test]
async fn an_organisation_over_its_statements_quota_is_refused_but_a_delegation_is_not_counted_with_it() {
    // Arrange
    let (server, _data) = server_with_small_quotas().await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let path = format!("/api/processes/{PROCESS}/statements");
    let statement = |n: u32| json!({"title": format!("Input {n}"), "language": "en", "text": "We propose a fund."});
    for n in 1..=2 {
        assert_eq!(server.http("POST", &path, Some(&org.token), Some(&statement(n))).await.0, 201);
    }

    // Act
    let (status, refused) = server.http("POST", &path, Some(&org.token), Some(&statement(3))).await;
    let (by_state, _) = server.http("POST", &path, Some(&delegate(&server)), Some(&statement(4))).await;
    let (_, listed) = server.http("GET", &path, None, None).await;

    // Assert
    assert_eq!(refusal(status, &refused, "statements"), over(), "{refused}");
    assert_eq!(by_state, 201, "a delegation's statements count against no organisation");
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(3), "nothing stored: {listed}");
}

#[tokio::test]
async fn an_organisations_uploads_share_one_bytes_quota_across_statements_and_materials() {
    // Arrange
    let (server, _data) = server_with_small_quotas().await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let statements = format!("/api/processes/{PROCESS}/statements?title=Input&language=en");
    let first =
        http_bytes(server.addr, "POST", &statements, Some(&org.token), &pdf(600_000), Some("application/pdf")).await;
    assert_eq!(first.status, 201, "{}", first.json());

    // Act
    let statement =
        http_bytes(server.addr, "POST", &statements, Some(&org.token), &pdf(600_000), Some("application/pdf")).await;
    let materials = "/api/meetings/open-1/documents/upload?title=Annex";
    let material =
        http_bytes(server.addr, "POST", materials, Some(&org.token), &pdf(600_000), Some("application/pdf")).await;
    let small = http_bytes(server.addr, "POST", materials, Some(&org.token), &pdf(1000), Some("application/pdf")).await;

    // Assert
    assert_eq!(refusal(statement.status, &statement.json(), "bytes"), over(), "{}", statement.json());
    assert_eq!(refusal(material.status, &material.json(), "bytes"), over(), "{}", material.json());
    assert_eq!(small.status, 201, "what still fits is taken: {}", small.json());
    let (_, listed) = server.http("GET", &format!("/api/processes/{PROCESS}/statements"), None, None).await;
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1), "nothing stored: {listed}");
}

#[tokio::test]
async fn a_delegation_over_its_objections_quota_is_refused_and_nothing_is_stored() {
    // Arrange
    let (server, _data) = server_with_small_quotas().await;
    let chile = delegate(&server);
    let mut applicants = Vec::new();
    for name in ["Article 19", "Access Now", "ICT4Peace Foundation"] {
        applicants.push(server.applicant(PROCESS, name).await);
    }
    let objection = json!({"reason": "The organisation's funding is not disclosed."});
    let object = |a: &Applicant| format!("/api/organisations/{}/objections", a.id);
    for applicant in &applicants[..2] {
        assert_eq!(server.http("POST", &object(applicant), Some(&chile), Some(&objection)).await.0, 201);
    }

    // Act
    let (status, refused) = server.http("POST", &object(&applicants[2]), Some(&chile), Some(&objection)).await;

    // Assert
    assert_eq!(refusal(status, &refused, "objections"), over(), "{refused}");
    let list = server.public_list(PROCESS).await;
    let third = list.as_array().unwrap().iter().find(|o| o["id"] == applicants[2].id.as_str()).unwrap();
    assert_eq!(third["objections"], json!([]), "nothing stored: {third}");
}

#[tokio::test]
async fn a_delegation_over_its_experts_quota_is_refused_and_nothing_is_stored() {
    // Arrange
    let (server, _data) = server_with_small_quotas().await;
    let chile = delegate(&server);
    let expert = |n: u32| json!({"name": format!("Dr Expert {n}"), "organisation": "FLACSO", "email": "e@example.cl"});
    for n in 1..=2 {
        assert_eq!(server.http("POST", "/api/delegation/experts", Some(&chile), Some(&expert(n))).await.0, 201);
    }

    // Act
    let (status, refused) = server.http("POST", "/api/delegation/experts", Some(&chile), Some(&expert(3))).await;
    let (_, page) = server.http("GET", "/api/delegation", Some(&chile), None).await;

    // Assert
    assert_eq!(refusal(status, &refused, "experts"), over(), "{refused}");
    assert_eq!(page["experts"].as_array().map(Vec::len), Some(2), "nothing stored: {page}");
}

// ---- Pages.

/// One page of the list at `path`: its items' ids and the cursor of the next page.
async fn page(
    server: &Server,
    path: &str,
    token: Option<&str>,
    limit: u32,
    after: Option<&str>,
) -> (Vec<String>, Option<String>) {
    let join = if path.contains('?') { '&' } else { '?' };
    let cursor = after.map(|c| format!("&after={c}")).unwrap_or_default();
    let (status, page) = server.http("GET", &format!("{path}{join}limit={limit}{cursor}"), token, None).await;
    assert_eq!(status, 200, "{path}: {page}");
    let ids = page["items"].as_array().expect("items").iter().map(|i| i["id"].as_str().unwrap().to_string()).collect();
    (ids, page["next"].as_str().map(String::from))
}

/// Every item's id of the list at `path`, read `limit` at a time, and how many pages it took.
async fn walk(server: &Server, path: &str, token: Option<&str>, limit: u32) -> (Vec<String>, usize) {
    let (mut seen, mut pages, mut after) = (Vec::new(), 0, None);
    loop {
        let (ids, next) = page(server, path, token, limit, after.as_deref()).await;
        seen.extend(ids);
        pages += 1;
        match next {
            Some(next) => after = Some(next),
            None => return (seen, pages),
        }
    }
}

#[tokio::test]
async fn the_public_list_walks_every_organisation_exactly_once_while_others_apply() {
    // Arrange
    let server = Server::in_process().await;
    server.process(PROCESS, "2099-12-31").await;
    let mut applied = Vec::new();
    for n in 0..7 {
        applied.push(server.applicant(PROCESS, &format!("Organisation {n}")).await.id);
    }

    // Act
    let path = format!("/api/processes/{PROCESS}/organisations");
    let (mut seen, mut after) = page(&server, &path, None, 3, None).await;
    for n in 7..9 {
        applied.push(server.applicant(PROCESS, &format!("Organisation {n}")).await.id);
    }
    let mut pages = 1;
    while let Some(cursor) = after {
        let (ids, next) = page(&server, &path, None, 3, Some(&cursor)).await;
        seen.extend(ids);
        (after, pages) = (next, pages + 1);
    }

    // Assert
    assert_eq!(seen, applied, "every organisation once, in the order they applied");
    assert_eq!(pages, 3);
}

#[tokio::test]
async fn the_review_queue_statements_and_documents_come_a_page_at_a_time_each_item_once() {
    // Arrange
    let server = Server::in_process().await;
    let sec = server.secretariat();
    server.process(PROCESS, "2099-12-31").await;
    server.meeting_in("open-1", PROCESS, "open", &[segment("General debate", "all", 180)]).await;
    let org = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let mut applied = vec![org.id.clone()];
    for n in 0..4 {
        applied.push(server.applicant(PROCESS, &format!("Organisation {n}")).await.id);
    }
    let statements = format!("/api/processes/{PROCESS}/statements");
    let mut submitted = Vec::new();
    for n in 0..5 {
        let body = json!({"title": format!("Input {n}"), "language": "en", "text": "We propose a fund."});
        let (status, statement) = server.http("POST", &statements, Some(&org.token), Some(&body)).await;
        assert_eq!(status, 201, "{statement}");
        submitted.insert(0, statement["id"].as_str().unwrap().to_string());
    }
    let mut added = Vec::new();
    for _ in 0..5 {
        added.push(server.upload(&sec, "open-1").await);
    }

    // Act
    let queue = walk(&server, &format!("/api/processes/{PROCESS}/applications"), Some(&sec), 2).await;
    let portal = walk(&server, &statements, None, 2).await;
    let documents = walk(&server, "/api/meetings/open-1/documents", Some(&sec), 2).await;
    let whole = walk(&server, "/api/meetings/open-1/documents", Some(&sec), 200).await;

    // Assert
    assert_eq!(queue, (applied, 3), "oldest application first");
    assert_eq!(portal, (submitted, 3), "newest statement first");
    assert_eq!(documents, (added.clone(), 3));
    assert_eq!(whole, (added, 1));
}

#[tokio::test]
async fn a_bad_limit_or_cursor_is_refused_with_a_sentence_saying_which() {
    // Arrange
    let server = Server::in_process().await;
    let sec = server.secretariat();
    server.process(PROCESS, "2099-12-31").await;
    server.meeting_in("open-1", PROCESS, "open", &[segment("General debate", "all", 180)]).await;
    let lists = [
        format!("/api/processes/{PROCESS}/applications"),
        format!("/api/processes/{PROCESS}/organisations"),
        format!("/api/processes/{PROCESS}/statements"),
        "/api/meetings/open-1/documents".to_string(),
    ];

    for list in &lists {
        for (query, names) in
            [("limit=0", "limit"), ("limit=201", "limit"), ("limit=ten", "limit"), ("after=not-a-cursor", "after")]
        {
            // Act
            let (status, body) = server.http("GET", &format!("{list}?{query}"), Some(&sec), None).await;

            // Assert
            assert_eq!((status, body["code"].as_str()), (400, Some("bad_request")), "{list}?{query}: {body}");
            assert!(body["message"].as_str().unwrap().starts_with(names), "{list}?{query}: {body}");
        }
    }
}

// ---- Rejecting spam in bulk.

#[tokio::test]
async fn the_secretariat_rejects_pending_applications_in_bulk_and_hears_which_it_skipped() {
    // Arrange
    let server = Server::in_process().await;
    server.process(PROCESS, "2099-12-31").await;
    let mut spam = Vec::new();
    for n in 0..3 {
        spam.push(server.applicant(PROCESS, &format!("Cheap Watches {n}")).await.id);
    }
    let accredited = server.accredited(PROCESS, "Global Digital Rights Network").await.id;
    let ids = [spam.clone(), vec![accredited.clone(), "0123456789abcdef".into(), spam[0].clone()]].concat();
    let body = json!({"ids": ids, "reason": "Not an organisation: advertising."});
    let path = format!("/api/processes/{PROCESS}/applications/reject");

    // Act
    let (status, answer) = server.http("POST", &path, Some(&server.secretariat()), Some(&body)).await;

    // Assert
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer, json!({"rejected": 3, "skipped": [accredited, "0123456789abcdef"]}));
    let list = server.public_list(PROCESS).await;
    for organisation in list.as_array().unwrap() {
        let expected = if spam.contains(&organisation["id"].as_str().unwrap().to_string()) {
            json!(["refused", "Not an organisation: advertising."])
        } else {
            json!(["approved", null])
        };
        assert_eq!(json!([organisation["status"], organisation["reason"]]), expected, "{organisation}");
    }
}

#[tokio::test]
async fn only_the_secretariat_rejects_in_bulk_and_a_refused_request_changes_nothing() {
    // Arrange
    let server = Server::in_process().await;
    server.process(PROCESS, "2099-12-31").await;
    let applicant = server.applicant(PROCESS, "Article 19").await;
    let path = format!("/api/processes/{PROCESS}/applications/reject");
    let body = json!({"ids": [applicant.id], "reason": "Spam."});
    let chile = server.token("delegate", "chile-1", "Ana Rojas", &[("delegation", "Chile")], ("process", PROCESS));
    let too_many = json!({"ids": (0..501).map(|n| format!("{n:016x}")).collect::<Vec<_>>(), "reason": "Spam."});
    let no_reason = json!({"ids": [applicant.id], "reason": " "});
    let sec = server.secretariat();

    // Act
    let (anonymous, _) = server.http("POST", &path, None, Some(&body)).await;
    let (delegate, delegate_body) = server.http("POST", &path, Some(&chile), Some(&body)).await;
    let (organisation, _) = server.http("POST", &path, Some(&applicant.token), Some(&body)).await;
    let (over_max, over_max_body) = server.http("POST", &path, Some(&sec), Some(&too_many)).await;
    let (unexplained, _) = server.http("POST", &path, Some(&sec), Some(&no_reason)).await;

    // Assert
    assert_eq!(anonymous, 401);
    assert_eq!((delegate, delegate_body["code"].as_str()), (403, Some("forbidden")), "{delegate_body}");
    assert_eq!(organisation, 403);
    assert_eq!((over_max, over_max_body["code"].as_str()), (400, Some("invalid_command")), "{over_max_body}");
    assert_eq!(unexplained, 400);
    assert_eq!(server.public_list(PROCESS).await[0]["status"], "pending", "nothing changed");
}
