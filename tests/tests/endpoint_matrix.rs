//! Every HTTP endpoint × every kind of caller, over real sockets, against one table: the routes'
//! side of the authorization matrix whose policy side is `shared/tests/authorization_matrix.rs`.
//! Each request is well formed and names things that exist, so that a cell tells only whether
//! the one policy let the caller through (what the handler then answers — 200, 201, 404 for a
//! file a statement does not have, 409 for an application already decided — is the other suites'
//! business). The server runs in the test's process.

use rostrum_tests::{application, http, segment, Server};
use serde_json::{json, Value};

const PROCESS: &str = "oewg";

/// `.` the policy let the caller through (any status but 401 and 403); otherwise the refusal: `U`
/// 401 `unauthorized`, `F` 403 `forbidden`, `N` 403 `not_allowed`, `C` 403 `meeting_closed`, `A`
/// 403 `not_accredited`, `R` 403 `revoked`. `o` is the open meeting `open-1`, `c` the closed one
/// `closed-1`, both of the process the tokens are for; `sec-m` holds a token for `open-1` only;
/// `rev` is a representative of an organisation whose accreditation was revoked; `una` a
/// stakeholder tied to no accredited organisation; `dev` a room's conference system (a device token
/// for the process), which relays seat buttons and is refused everything else. Rows run top to bottom, each caller left to
/// right. A route that reads no token (the public ones) lets a revoked token through as it lets
/// anyone; one that reads a token refuses a revoked one, an open meeting's record included. A
/// command without a token is refused as the WebSocket refuses it, `not_allowed`: observers
/// without a token only watch.
const TABLE: &str = "
                                            anon obs del stk una rev org chr dev sec-m sec-p sec-all
GET  /healthz                                .   .   .   .   .   .   .   .   .   .     .     .
GET  /metrics                                U   F   F   F   F   R   F   F   F   F     F     .
GET  /api/meetings                           U   F   F   F   F   R   F   F   F   .     .     .
POST /api/meetings                           U   F   F   F   F   R   F   F   F   F     .     .
GET  /api/meetings/o                         U   F   F   F   F   R   F   F   F   .     .     .
GET  /api/meetings/c                         U   F   F   F   F   R   F   F   F   F     .     .
POST /api/meetings/o/segments                N   N   N   N   N   R   F   .   F   .     .     .
POST /api/meetings/o/commands                N   N   N   N   N   R   F   .   F   .     .     .
POST /api/meetings/c/commands                N   N   N   C   C   R   F   .   F   F     .     .
POST /api/tokens                             U   F   F   F   F   R   F   F   F   .     .     .
POST /api/tokens/{token}/revoke              U   F   F   F   F   R   F   F   F   F     F     .
GET  /api/processes                          .   .   .   .   .   .   .   .   .   .     .     .
GET  /api/processes/oewg                     .   .   .   .   .   .   .   .   .   .     .     .
POST /api/processes                          U   F   F   F   F   R   F   F   F   F     F     .
GET  /api/challenge?form=application         .   .   .   .   .   .   .   .   .   .     .     .
POST /api/processes/oewg/applications        .   .   .   .   .   .   .   .   .   .     .     .
GET  /api/challenge?form=statement           .   .   .   .   .   .   .   .   .   .     .     .
GET  /api/processes/oewg/applications        U   F   F   F   F   R   F   F   F   F     .     .
GET  /api/processes/oewg/organisations       .   .   .   .   .   .   .   .   .   .     .     .
POST /api/organisations/{applicant}/decision U   F   F   F   F   R   F   F   F   F     .     .
POST /api/processes/oewg/applications/reject U   F   F   F   F   R   F   F   F   F     .     .
POST /api/organisations/{accredited}/revoke  U   F   F   F   F   R   F   F   F   F     .     .
POST /api/organisations/{pending}/objections U   N   .   N   N   R   N   N   N   N     N     N
GET  /api/organisation                       U   F   F   F   F   F   .   F   F   F     F     F
POST /api/organisation/representatives       U   F   F   F   F   R   .   F   F   F     F     F
POST /api/organisation/representatives/{rep}/revoke U   F   F   F   F   F   .   F   F   F     F     F
GET  /api/delegation                         U   N   .   N   N   R   N   N   N   N     N     N
POST /api/delegation/experts                 U   N   .   N   N   R   N   N   N   N     N     N
POST /api/delegation/experts/{expert}/revoke U   N   .   N   N   R   N   N   N   N     N     N
POST /api/meetings/o/documents               U   N   N   .   N   R   .   N   N   .     .     .
POST /api/meetings/c/documents               U   N   N   C   N   R   C   N   N   F     .     .
POST /api/meetings/o/documents/upload        U   N   N   .   N   R   .   N   N   .     .     .
GET  /api/meetings/o/documents               U   .   .   .   .   R   .   .   F   .     .     .
GET  /api/meetings/c/documents               U   .   .   C   C   R   C   .   F   F     .     .
GET  /api/documents/{open-file}              U   .   .   .   .   R   .   .   F   .     .     .
GET  /api/documents/{closed-file}            U   .   .   C   C   R   C   .   F   F     .     .
GET  /api/meetings/o/report                  .   .   .   .   .   R   .   .   .   .     .     .
GET  /api/meetings/c/report                  U   .   .   C   C   R   C   .   F   F     .     .
GET  /api/processes/oewg/report              .   .   .   .   .   .   .   .   .   .     .     .
GET  /api/processes/oewg/statements          .   .   .   .   .   .   .   .   .   .     .     .
GET  /api/statements/{statement}             .   .   .   .   .   .   .   .   .   .     .     .
GET  /api/statements/{statement}/file        .   .   .   .   .   .   .   .   .   .     .     .
POST /api/processes/oewg/statements          U   N   .   .   N   R   .   N   N   N     N     N
POST /api/statements/{statement}/responses   U   N   .   N   N   R   N   N   N   N     N     N
POST /api/statements/{statement}/co-signers/confirm U   N   .   N   N   R   N   N   N   N     N     N
POST /api/statements/{statement}/co-signers/decline U   N   .   N   N   R   N   N   N   N     N     N
POST /api/processes/oewg/links               U   F   F   F   F   R   F   F   F   .     .     .
GET  /api/processes/oewg/links?meeting=open-1 U   F   F   F   F   R   F   F   F   .     .     .
GET  /api/processes/oewg/links               U   F   F   F   F   R   F   F   F   F     .     .
POST /api/links/{link}/reissue               U   F   F   F   F   R   F   F   F   .     .     .
POST /api/links/{link}/revoke                U   F   F   F   F   R   F   F   F   .     .     .
POST /api/meetings/o/webhooks                U   F   F   F   F   R   F   F   F   .     .     .
GET  /api/meetings/o/webhooks                U   F   F   F   F   R   F   F   F   .     .     .
GET  /api/meetings/c/webhooks                U   F   F   F   F   R   F   F   F   F     .     .
GET  /api/webhooks/{webhook}/deliveries      U   F   F   F   F   R   F   F   F   .     .     .
POST /api/webhooks/{webhook}/pause           U   F   F   F   F   R   F   F   F   .     .     .
POST /api/webhooks/{webhook}/resume          U   F   F   F   F   R   F   F   F   .     .     .
DELETE /api/webhooks/{doomed}                U   F   F   F   F   R   F   F   F   .     .     .
POST /api/meetings/o/device/requests         U   F   F   F   F   R   F   F   .   F     F     F
POST /api/meetings/c/device/requests         U   F   F   F   F   R   F   F   .   F     F     F
POST /api/meetings/o/device/withdrawals      U   F   F   F   F   R   F   F   .   F     F     F
";

/// What the rows name: the callers' tokens and the ids of things that exist.
struct World {
    callers: Vec<(&'static str, Option<String>)>,
    ids: Vec<(&'static str, String)>,
}

async fn world(server: &Server) -> World {
    let sec = server.secretariat();
    server.process(PROCESS, "2099-12-31").await;
    server.meeting_in("open-1", PROCESS, "open", &[segment("General debate", "all", 180)]).await;
    server.meeting_in("closed-1", PROCESS, "closed", &[segment("Informal consultations", "member_states", 180)]).await;

    let gdrn = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let representative = server.representative(&gdrn, "Kwame Mensah", "remote").await;
    let other_representative = server.representative(&gdrn, "Lena Fischer", "in_room").await;
    let withdrawn = server.accredited(PROCESS, "Withdrawn Institute").await;
    let withdrawn_representative = server.representative(&withdrawn, "Omar Haddad", "remote").await;
    let (status, body) = server
        .http("POST", &format!("/api/organisations/{}/revoke", withdrawn.id), Some(&sec), Some(&revocation()))
        .await;
    assert_eq!(status, 200, "revoke: {body}");
    let accredited = server.accredited(PROCESS, "Access Now").await;
    let applicant = server.applicant(PROCESS, "Article 19").await;
    let pending = server.applicant(PROCESS, "ICT4Peace Foundation").await;

    let process = ("process", PROCESS);
    let delegate = server.token("delegate", "chile-1", "Ana Rojas", &[("delegation", "Chile")], process);
    let expert = json!({"name": "Dr Sofia Reyes", "organisation": "Universidad de Chile", "email": "s@example.cl"});
    let (status, body) = server.http("POST", "/api/delegation/experts", Some(&delegate), Some(&expert)).await;
    assert_eq!(status, 201, "invite: {body}");
    let expert = body["id"].as_str().expect("expert id").to_string();

    let open_file = server.upload(&sec, "open-1").await;
    let closed_file = server.upload(&sec, "closed-1").await;
    let statement = json!({"title": "Input on capacity building", "language": "en", "co_signers": ["Chile"],
                           "text": "Capacity building should reach civil society as well as states."});
    let (status, body) =
        server.http("POST", &format!("/api/processes/{PROCESS}/statements"), Some(&gdrn.token), Some(&statement)).await;
    assert_eq!(status, 201, "submit: {body}");
    let statement = body["id"].as_str().expect("statement id").to_string();
    let display = json!({"meeting": "open-1", "officer": {"role": "observer", "name": "Room display"}});
    let (status, body) =
        server.http("POST", &format!("/api/processes/{PROCESS}/links"), Some(&sec), Some(&display)).await;
    assert_eq!(status, 201, "a link: {body}");
    let link = body["links"][0]["id"].as_str().expect("link id").to_string();
    let device = json!({"device": "Conference Room 4 microphones"});
    let (status, body) =
        server.http("POST", &format!("/api/processes/{PROCESS}/links"), Some(&sec), Some(&device)).await;
    assert_eq!(status, 201, "a device: {body}");
    let device = body["links"][0]["token"].as_str().expect("the device's token").to_string();
    let mut webhooks = Vec::new();
    for _ in 0..2 {
        let hook = json!({"url": "http://127.0.0.1:9/matrix"});
        let (status, body) = server.http("POST", "/api/meetings/open-1/webhooks", Some(&sec), Some(&hook)).await;
        assert_eq!(status, 201, "a webhook: {body}");
        webhooks.push(body["id"].as_str().expect("webhook id").to_string());
    }

    let callers = vec![
        ("anon", None),
        ("obs", Some(server.token("observer", "obs-1", "Projector", &[], process))),
        ("del", Some(delegate)),
        ("stk", Some(representative.token)),
        (
            "una",
            Some(server.token("stakeholder", "una-1", "Sam Doe", &[("organisation", "Unaccredited Org")], process)),
        ),
        ("rev", Some(withdrawn_representative.token)),
        ("org", Some(gdrn.token)),
        ("chr", Some(server.token("chair", "chair-1", "Madam Chair", &[], process))),
        // Before the secretariat's: a refusal is only seen while what it is refused still exists.
        ("dev", Some(device)),
        ("sec-m", Some(server.token("secretariat", "sec-m", "Meeting officer", &[], ("meeting", "open-1")))),
        ("sec-p", Some(server.token("secretariat", "sec-p", "Process officer", &[], process))),
        ("sec-all", Some(sec)),
    ];
    let ids = vec![
        ("{token}", "0123456789abcdef".to_string()),
        ("{applicant}", applicant.id),
        ("{accredited}", accredited.id),
        ("{pending}", pending.id),
        ("{rep}", other_representative.id),
        ("{expert}", expert),
        ("{open-file}", open_file),
        ("{closed-file}", closed_file),
        ("{statement}", statement),
        ("{link}", link),
        ("{doomed}", webhooks.pop().unwrap()),
        ("{webhook}", webhooks.pop().unwrap()),
    ];
    World { callers, ids }
}

/// The secretariat's written reason for revoking an accreditation.
fn revocation() -> Value {
    json!({"reason": "The organisation misrepresented its activities."})
}

/// A well-formed body for a route (`n` tells callers apart where a name must be new).
fn body(method: &str, route: &str, n: usize) -> Option<Value> {
    if method == "GET" {
        return None;
    }
    let body = match route {
        "/api/meetings" => json!({"id": format!("new-{n}"), "title": "Briefing", "process": PROCESS, "access": "open"}),
        r if r.ends_with("/segments") => segment("Statements by observers", "all", 120),
        r if r.ends_with("/commands") => json!({"type": "close_list"}),
        "/api/tokens" => json!({"role": "observer", "name": "Display", "meeting": "open-1"}),
        "/api/processes" => {
            json!({"id": format!("p-{n}"), "title": "Another process", "applications_deadline": "2099-12-31"})
        }
        r if r.ends_with("/applications") => application(&format!("Applicant number {n}"), false),
        r if r.starts_with("/api/organisations/") && r.ends_with("/revoke") => revocation(),
        r if r.ends_with("/decision") => json!({"decision": "approve"}),
        r if r.ends_with("/applications/reject") => json!({"ids": ["0123456789abcdef"], "reason": "Spam."}),
        r if r.ends_with("/objections") => json!({"reason": "The organisation's funding is not disclosed."}),
        "/api/organisation/representatives" => {
            json!({"name": "Ida Berg", "email": "ida@example.org", "presence": "remote"})
        }
        "/api/delegation/experts" => json!({"name": "Dr Ines Soto", "organisation": "FLACSO", "email": "i@example.cl"}),
        r if r.ends_with("/documents") => json!({"title": "Joint input", "url": "https://example.org/input.pdf"}),
        r if r.ends_with("/statements") => json!({"title": "Written input", "language": "en", "text": "Our input."}),
        r if r.ends_with("/responses") => json!({"text": "Chile took the proposal up in the draft report."}),
        r if r.ends_with("/links") => {
            json!({"meeting": "open-1", "ttl_hours": 24, "officer": {"role": "interpreter", "name": format!("Booth {n}")}})
        }
        r if r.starts_with("/api/links/") && r.ends_with("/revoke") => json!({}),
        r if r.ends_with("/webhooks") => json!({"url": format!("http://127.0.0.1:9/caller-{n}")}),
        r if r.contains("/device/") => json!({"delegation": "Chile", "seat": "12"}),
        _ => json!({}),
    };
    Some(body)
}

/// The cell a request's answer stands for.
fn cell(status: u16, answer: &Value) -> String {
    match (status, answer["code"].as_str()) {
        (401, Some("unauthorized" | "bad_token")) => "U".into(),
        (403, Some("forbidden")) => "F".into(),
        (403, Some("not_allowed")) => "N".into(),
        (403, Some("meeting_closed")) => "C".into(),
        (403, Some("not_accredited")) => "A".into(),
        (403, Some("revoked")) => "R".into(),
        (401 | 403, code) => format!("{status} {code:?}"),
        _ => ".".into(),
    }
}

#[tokio::test]
async fn every_endpoint_lets_through_exactly_whom_the_table_says() {
    // Arrange
    // 720 requests from one address: the request budgets have their own tests (limits.rs).
    let server = Server::in_process_flat_out().await;
    let world = world(&server).await;
    let mut header = TABLE.lines().find(|l| !l.trim().is_empty()).expect("a header").split_whitespace();
    let columns: Vec<&str> = header.by_ref().collect();
    assert_eq!(columns, world.callers.iter().map(|(name, _)| *name).collect::<Vec<_>>());

    let mut mismatches = Vec::new();
    let mut cells = 0;
    for line in TABLE.lines().filter(|l| ["GET", "POST", "DELETE"].iter().any(|m| l.starts_with(m))) {
        let mut words = line.split_whitespace();
        let (method, route) = (words.next().unwrap(), words.next().unwrap());
        let expected: Vec<&str> = words.collect();
        assert_eq!(expected.len(), columns.len(), "{line}");
        let path = route
            .split('/')
            .map(|part| match part {
                "o" => "open-1",
                "c" => "closed-1",
                part => world.ids.iter().find(|(name, _)| *name == part).map_or(part, |(_, id)| id.as_str()),
            })
            .collect::<Vec<_>>()
            .join("/");
        for (n, ((who, token), want)) in world.callers.iter().zip(&expected).enumerate() {
            cells += 1;
            // Act
            let (status, answer) = if route.ends_with("/upload") {
                let path = format!("{path}?title=Notes%20{n}");
                http(server.addr, method, &path, token.as_deref(), Some("Notes"), "text/plain").await
            } else {
                server.http(method, &path, token.as_deref(), body(method, route, n).as_ref()).await
            };

            // Assert
            let got = cell(status, &answer);
            if got != *want {
                mismatches.push(format!("{method} {route} as {who}: table says {want}, got {got} ({status} {answer})"));
            }
        }
    }
    assert_eq!(cells, 61 * 12, "61 routes × 12 callers");
    assert!(mismatches.is_empty(), "{} of {cells} cells differ:\n{}", mismatches.len(), mismatches.join("\n"));
}
