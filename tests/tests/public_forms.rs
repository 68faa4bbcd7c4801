//! The public forms' guard (issue 12): the application form and written statement submission ask
//! for a proof of work and count submissions per address and per process. Servers run in the
//! test's process with the guard set per test; one runs the binary to check its flags.

use std::net::IpAddr;
use std::time::Duration;

use rostrum::api::forms::{FormLimits, FormQuota};
use rostrum_tests::{application, http_raw, RawResponse, Server};
use serde_json::{json, Value};

const PROCESS: &str = "oewg";

/// A guard asking for `bits` of work, with no limits.
fn proof_of(bits: u8) -> FormLimits {
    FormLimits { proof_bits: bits, ..FormLimits::off() }
}

async fn server_with(forms: FormLimits) -> Server {
    let server = Server::in_process_with(forms).await;
    server.process(PROCESS, "2099-12-31").await;
    server
}

/// Posts an application for `name` from `from` (the default local address when `None`), with the
/// `Rostrum-Proof` header when given.
async fn apply_from(
    server: &Server,
    from: Option<&str>,
    process: &str,
    name: &str,
    proof: Option<&str>,
) -> RawResponse {
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(proof) = proof {
        headers.push(("Rostrum-Proof", proof));
    }
    let path = format!("/api/processes/{process}/applications");
    let from = from.map(|ip| ip.parse::<IpAddr>().expect("an address"));
    http_raw(from, server.addr, "POST", &path, &headers, application(name, false).to_string().as_bytes()).await
}

fn code(answer: &RawResponse) -> Value {
    answer.json()["code"].clone()
}

/// The names of the organisations that applied to the process.
async fn applicants(server: &Server) -> Vec<String> {
    let list = server.public_list(PROCESS).await;
    list.as_array().expect("a list").iter().map(|o| o["name"].as_str().unwrap_or_default().to_string()).collect()
}

#[tokio::test]
async fn an_application_without_a_proof_is_refused_and_nothing_is_stored() {
    // Arrange
    let server = server_with(proof_of(8)).await;

    // Act
    let answer = apply_from(&server, None, PROCESS, "Global Digital Rights Network", None).await;

    // Assert
    assert_eq!((answer.status, code(&answer)), (428, json!("proof_required")), "{}", answer.json());
    assert!(answer.json()["message"].as_str().unwrap().contains("GET /api/challenge?form=application"));
    assert!(applicants(&server).await.is_empty());
}

#[tokio::test]
async fn an_application_with_a_solved_proof_is_accepted() {
    // Arrange
    let server = server_with(proof_of(8)).await;
    let (status, challenge) = server.http("GET", "/api/challenge?form=application", None, None).await;
    assert_eq!(status, 200, "{challenge}");
    assert_eq!(challenge["difficulty"], 8);

    // Act
    let proof = server.proof("application").await;
    let answer = apply_from(&server, None, PROCESS, "Global Digital Rights Network", Some(&proof)).await;

    // Assert
    assert_eq!(answer.status, 201, "{}", answer.json());
    assert_eq!(applicants(&server).await, ["Global Digital Rights Network"]);
}

#[tokio::test]
async fn a_proof_used_once_is_refused_the_second_time() {
    // Arrange
    let server = server_with(proof_of(8)).await;
    let proof = server.proof("application").await;
    let first = apply_from(&server, None, PROCESS, "Global Digital Rights Network", Some(&proof)).await;
    assert_eq!(first.status, 201, "{}", first.json());

    // Act
    let again = apply_from(&server, None, PROCESS, "Derechos Digitales", Some(&proof)).await;

    // Assert
    assert_eq!((again.status, code(&again)), (400, json!("proof_reused")), "{}", again.json());
    assert_eq!(applicants(&server).await, ["Global Digital Rights Network"]);
}

#[tokio::test]
async fn an_expired_proof_is_refused() {
    // Arrange: challenges good for one second.
    let server = server_with(FormLimits { proof_ttl: Duration::from_secs(1), ..proof_of(8) }).await;
    let proof = server.proof("application").await;
    tokio::time::sleep(Duration::from_millis(2100)).await;

    // Act
    let answer = apply_from(&server, None, PROCESS, "Global Digital Rights Network", Some(&proof)).await;

    // Assert
    assert_eq!((answer.status, code(&answer)), (400, json!("proof_expired")), "{}", answer.json());
    assert!(applicants(&server).await.is_empty());
}

#[tokio::test]
async fn a_proof_for_another_form_or_tampered_with_or_unsolved_is_invalid() {
    // Arrange
    let server = server_with(proof_of(8)).await;
    let for_statements = server.proof("statement").await;
    let solved = server.proof("application").await;
    let (challenge, nonce) = solved.rsplit_once(':').unwrap();
    let easier = format!("{}:{nonce}", challenge.replacen(".8.", ".0.", 1));
    let unsolved = (0u64..).find(|n| !shared::proof::meets(challenge, *n, 8)).unwrap();
    let unsolved = format!("{challenge}:{unsolved}");

    for (what, proof) in [("another form's", for_statements), ("tampered", easier), ("unsolved", unsolved)] {
        // Act
        let answer = apply_from(&server, None, PROCESS, "Global Digital Rights Network", Some(&proof)).await;

        // Assert
        assert_eq!((answer.status, code(&answer)), (400, json!("proof_invalid")), "{what}: {}", answer.json());
    }
    assert!(applicants(&server).await.is_empty());
}

#[tokio::test]
async fn a_mistake_in_the_form_costs_neither_the_proof_nor_a_place_in_the_limits() {
    // Arrange: one application an hour from an address, and a solved proof.
    let applications = FormQuota { per_address_per_hour: 1, address_burst: 1, per_process_per_hour: 0 };
    let server = server_with(FormLimits { proof_bits: 8, applications, ..FormLimits::off() }).await;
    let proof = server.proof("application").await;
    let mut mistaken = application("Global Digital Rights Network", false);
    mistaken["contact_email"] = json!("kwame at gdrn.example.org");

    // Act
    let refused = post_application(&server, &mistaken, &proof).await;
    let corrected = post_application(&server, &application("Global Digital Rights Network", false), &proof).await;

    // Assert
    assert_eq!((refused.status, code(&refused)), (400, json!("invalid_application")), "{}", refused.json());
    assert_eq!(corrected.status, 201, "the same proof and the one place still count: {}", corrected.json());
    assert_eq!(applicants(&server).await, ["Global Digital Rights Network"]);
}

/// Posts `form` to the process with `proof`.
async fn post_application(server: &Server, form: &Value, proof: &str) -> RawResponse {
    let headers = [("Content-Type", "application/json"), ("Rostrum-Proof", proof)];
    let path = format!("/api/processes/{PROCESS}/applications");
    http_raw(None, server.addr, "POST", &path, &headers, form.to_string().as_bytes()).await
}

#[tokio::test]
async fn a_fourth_application_from_one_address_within_the_hour_is_refused_with_retry_after() {
    // Arrange: 10 an hour from an address, 3 at once.
    let applications = FormQuota { per_address_per_hour: 10, address_burst: 3, per_process_per_hour: 0 };
    let server = server_with(FormLimits { applications, ..FormLimits::off() }).await;
    for n in 1..=3 {
        let answer = apply_from(&server, None, PROCESS, &format!("Organisation {n}"), None).await;
        assert_eq!(answer.status, 201, "{}", answer.json());
    }

    // Act
    let fourth = apply_from(&server, None, PROCESS, "Organisation 4", None).await;

    // Assert: one more every six minutes.
    assert_eq!((fourth.status, code(&fourth)), (429, json!("rate_limited")), "{}", fourth.json());
    let retry_after: u64 = fourth.header("retry-after").expect("Retry-After").parse().expect("seconds");
    assert!((300..=360).contains(&retry_after), "Retry-After: {retry_after}");
    assert_eq!(applicants(&server).await.len(), 3);
}

#[tokio::test]
async fn the_per_process_limit_holds_across_addresses() {
    // Arrange: two applications an hour to a process, from wherever.
    let applications = FormQuota { per_address_per_hour: 0, address_burst: 0, per_process_per_hour: 2 };
    let server = server_with(FormLimits { applications, ..FormLimits::off() }).await;
    server.process("other", "2099-12-31").await;
    for (from, name) in [("127.0.0.1", "Organisation 1"), ("127.0.0.2", "Organisation 2")] {
        let answer = apply_from(&server, Some(from), PROCESS, name, None).await;
        assert_eq!(answer.status, 201, "{}", answer.json());
    }

    // Act
    let third = apply_from(&server, Some("127.0.0.3"), PROCESS, "Organisation 3", None).await;
    let elsewhere = apply_from(&server, Some("127.0.0.3"), "other", "Organisation 3", None).await;

    // Assert
    assert_eq!((third.status, code(&third)), (429, json!("rate_limited")), "{}", third.json());
    assert!(third.header("retry-after").is_some());
    assert_eq!(elsewhere.status, 201, "another process has its own count: {}", elsewhere.json());
}

#[tokio::test]
async fn an_organisations_written_statement_needs_a_proof_too() {
    // Arrange
    let server = server_with(proof_of(8)).await;
    let organisation = server.accredited(PROCESS, "Global Digital Rights Network").await;
    let statement = json!({"title": "Input on capacity building", "language": "en", "text": "We propose…"});
    let path = format!("/api/processes/{PROCESS}/statements");
    let bearer = format!("Bearer {}", organisation.token);
    let body = statement.to_string();
    let send = |proof: Option<String>| {
        let (path, bearer, body) = (path.clone(), bearer.clone(), body.clone());
        let addr = server.addr;
        async move {
            let mut headers = vec![("Content-Type", "application/json"), ("Authorization", bearer.as_str())];
            if let Some(proof) = &proof {
                headers.push(("Rostrum-Proof", proof.as_str()));
            }
            http_raw(None, addr, "POST", &path, &headers, body.as_bytes()).await
        }
    };

    // Act
    let without = send(None).await;
    let with = send(Some(server.proof("statement").await)).await;

    // Assert
    assert_eq!((without.status, code(&without)), (428, json!("proof_required")), "{}", without.json());
    assert_eq!(with.status, 201, "{}", with.json());
}

#[tokio::test]
async fn the_served_binary_asks_for_the_bits_its_flag_sets() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start_with(dir.path(), &["--proof-bits", "5"]).await;
    server.process(PROCESS, "2099-12-31").await;

    // Act
    let (_, challenge) = server.http("GET", "/api/challenge?form=statement", None, None).await;
    let without = apply_from(&server, None, PROCESS, "Global Digital Rights Network", None).await;
    let (bad_form, _) = server.http("GET", "/api/challenge?form=petition", None, None).await;

    // Assert
    assert_eq!(challenge["difficulty"], 5, "{challenge}");
    assert_eq!(without.status, 428, "{}", without.json());
    assert_eq!(bad_form, 400);
    let (status, body) = server.apply(PROCESS, &application("Global Digital Rights Network", false)).await;
    assert_eq!(status, 201, "{body}");
}
