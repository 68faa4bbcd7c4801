//! Links for everyone at once (issue 15): the secretariat issues a link to every delegation of a
//! list in one request, lists them, re-issues or revokes one, and issues the officers' links; a
//! meeting keeps its date and room through a restart. Over real sockets, on a real SQLite file.

use rostrum_tests::{segment, Client, Server, TEN_DELEGATIONS as TEN};
use serde_json::{json, Value};
use shared::api::{IssuedLink, LinksAnswer, Page};

const PROCESS: &str = "oewg";
const MEETING: &str = "s9-m3";

async fn issue(server: &Server, sec: &str, body: Value) -> (u16, Value) {
    server.http("POST", &format!("/api/processes/{PROCESS}/links"), Some(sec), Some(&body)).await
}

fn answer(reply: (u16, Value)) -> LinksAnswer {
    assert_eq!(reply.0, 201, "{}", reply.1);
    serde_json::from_value(reply.1).expect("the links")
}

fn token_of(link: &IssuedLink) -> String {
    let address = link.link.as_deref().expect("a working link has its address");
    address.split_once("#token=").expect("the token in the fragment").1.to_string()
}

async fn listed(server: &Server, sec: &str) -> Vec<IssuedLink> {
    let path = format!("/api/processes/{PROCESS}/links?meeting={MEETING}");
    let (status, body) = server.http("GET", &path, Some(sec), None).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_value::<Page<IssuedLink>>(body).expect("a page").items
}

#[tokio::test]
async fn ten_delegations_get_working_links_in_one_request_and_asking_again_issues_nothing_new() {
    // Arrange
    let server = Server::in_process().await;
    let sec =
        server.process_with_meeting(PROCESS, "2099-12-31", MEETING, &[segment("General debate", "all", 180)]).await;

    // Act
    let first = answer(issue(&server, &sec, json!({"meeting": MEETING, "list": TEN})).await);
    let again = answer(issue(&server, &sec, json!({"meeting": MEETING, "list": TEN})).await);

    // Assert: ten links, in the list's order, each opening the meeting as its delegation.
    assert_eq!((first.issued, first.kept, again.issued, again.kept), (10, 0, 0, 10));
    let names: Vec<&str> = first.links.iter().map(|l| l.participant.delegation.as_deref().unwrap()).collect();
    assert_eq!(names[..4], ["Chile", "Kenya", "Türkiye", "Republic of Korea"]);
    assert_eq!(first.links[2].participant.name, "Ayşe Demir");
    assert_eq!(first.links[6].participant.name, "Delegation of Norway");
    assert_eq!(
        first.links.iter().map(|l| &l.id).collect::<Vec<_>>(),
        again.links.iter().map(|l| &l.id).collect::<Vec<_>>()
    );
    assert_eq!(first.links[0].link, again.links[0].link, "the same link shown again, not a new one");
    let address = first.links[0].link.as_deref().unwrap();
    assert!(address.contains(&format!("/speak?meeting={MEETING}#token=")), "{address}");
    let mut chile = Client::connect(&server, MEETING, Some(&token_of(&first.links[0]))).await;
    let asked = chile
        .command(rostrum_tests::command(
            json!({"type": "request_floor", "kind": "statement", "presence": "remote", "language": "es"}),
        ))
        .await;
    assert!(asked.is_ok(), "{asked:?}");
    assert_eq!(listed(&server, &sec).await.len(), 10);
}

#[tokio::test]
async fn a_list_with_a_problem_issues_nothing_and_names_the_line() {
    let server = Server::in_process().await;
    let sec =
        server.process_with_meeting(PROCESS, "2099-12-31", MEETING, &[segment("General debate", "all", 180)]).await;

    let (status, body) =
        issue(&server, &sec, json!({"meeting": MEETING, "list": "delegation\nChile\nAtlantis\n"})).await;

    assert_eq!((status, body["code"].as_str()), (400, Some("invalid_command")), "{body}");
    assert!(body["message"].as_str().unwrap().contains("line 3"), "{body}");
    assert!(listed(&server, &sec).await.is_empty());
}

#[tokio::test]
async fn a_reissued_link_replaces_the_old_one_which_stops_working_at_once() {
    // Arrange: Kenya's delegate follows the meeting with the first link.
    let server = Server::in_process().await;
    let sec =
        server.process_with_meeting(PROCESS, "2099-12-31", MEETING, &[segment("General debate", "all", 180)]).await;
    let links = answer(issue(&server, &sec, json!({"meeting": MEETING, "list": TEN})).await).links;
    let kenya = links[1].clone();
    let mut following = Client::connect(&server, MEETING, Some(&token_of(&kenya))).await;

    // Act
    let (status, body) = server.http("POST", &format!("/api/links/{}/reissue", kenya.id), Some(&sec), None).await;

    // Assert
    assert_eq!(status, 201, "{body}");
    let fresh: IssuedLink = serde_json::from_value(body).unwrap();
    assert_ne!(fresh.id, kenya.id);
    assert_eq!(fresh.participant.id, kenya.participant.id, "still Kenya's delegate, same person");
    assert_eq!(following.close_code().await, Some(4010));
    let old = Client::try_connect(&server, MEETING, Some(&token_of(&kenya)), None).await;
    assert!(old.is_err(), "the old link is refused");
    Client::connect(&server, MEETING, Some(&token_of(&fresh))).await;
    let now = listed(&server, &sec).await;
    assert_eq!(now.len(), 10, "the new link in place of the old");
    assert!(now.iter().any(|l| l.id == fresh.id) && !now.iter().any(|l| l.id == kenya.id));
    let again = server.http("POST", &format!("/api/links/{}/reissue", kenya.id), Some(&sec), None).await;
    assert_eq!((again.0, again.1["code"].as_str()), (409, Some("already_decided")));
}

#[tokio::test]
async fn a_revoked_link_closes_its_session_and_is_listed_as_revoked_without_its_address() {
    let server = Server::in_process().await;
    let sec =
        server.process_with_meeting(PROCESS, "2099-12-31", MEETING, &[segment("General debate", "all", 180)]).await;
    let fiji = answer(issue(&server, &sec, json!({"meeting": MEETING, "list": TEN})).await).links[7].clone();
    let mut following = Client::connect(&server, MEETING, Some(&token_of(&fiji))).await;

    let (status, body) = server
        .http(
            "POST",
            &format!("/api/links/{}/revoke", fiji.id),
            Some(&sec),
            Some(&json!({"reason": "Sent to the wrong address"})),
        )
        .await;

    assert_eq!(status, 200, "{body}");
    assert_eq!(following.close_code().await, Some(4010));
    let shown = listed(&server, &sec).await.into_iter().find(|l| l.id == fiji.id).expect("still listed");
    assert!(shown.revoked_at.is_some() && shown.link.is_none(), "{shown:?}");
    let reissued = answer(issue(&server, &sec, json!({"meeting": MEETING, "list": "delegation\nFiji\n"})).await);
    assert_eq!(reissued.issued, 1, "issuing the list again gives a revoked delegation a new link");
}

#[tokio::test]
async fn the_officers_links_open_the_chairs_console_and_the_booth() {
    let server = Server::in_process().await;
    let sec =
        server.process_with_meeting(PROCESS, "2099-12-31", MEETING, &[segment("General debate", "all", 180)]).await;

    let chair = answer(
        issue(
            &server,
            &sec,
            json!({"meeting": MEETING, "officer": {"role": "chair", "name": "H.E. Ms. Amina Diallo"}}),
        )
        .await,
    );
    let booth = answer(
        issue(&server, &sec, json!({"meeting": MEETING, "officer": {"role": "interpreter", "name": "French booth"}}))
            .await,
    );
    let delegate =
        issue(&server, &sec, json!({"meeting": MEETING, "officer": {"role": "delegate", "name": "Someone"}})).await;
    let both =
        issue(&server, &sec, json!({"meeting": MEETING, "officer": {"role": "chair", "name": "X"}, "list": TEN})).await;

    assert!(chair.links[0].link.as_deref().unwrap().contains("/chair?meeting="));
    assert!(booth.links[0].link.as_deref().unwrap().contains("/booth?meeting="));
    let mut console = Client::connect(&server, MEETING, Some(&token_of(&chair.links[0]))).await;
    assert!(console.command(rostrum_tests::command(json!({"type": "close_list"}))).await.is_ok());
    assert_eq!((delegate.0, delegate.1["code"].as_str()), (400, Some("invalid_command")));
    assert_eq!(both.0, 400);
}

#[tokio::test]
async fn a_link_for_one_meeting_opens_that_meeting_only_and_a_process_link_opens_every_meeting() {
    // Arrange: two meetings of the process
    let server = Server::in_process().await;
    let sec =
        server.process_with_meeting(PROCESS, "2099-12-31", MEETING, &[segment("General debate", "all", 180)]).await;
    server.meeting_in("s9-m4", PROCESS, "open", &[segment("General debate", "all", 180)]).await;
    let chair = json!({"meeting": MEETING, "officer": {"role": "chair", "name": "H.E. Ms. Amina Diallo"}});
    let one = answer(issue(&server, &sec, chair).await);
    let whole = answer(issue(&server, &sec, json!({"list": "delegation\nChile\n"})).await);

    // Act
    let mut here = Client::connect(&server, MEETING, Some(&token_of(&one.links[0]))).await;
    let closed_here = here.command(rostrum_tests::command(json!({"type": "close_list"}))).await;
    let elsewhere = Client::try_connect(&server, "s9-m4", Some(&token_of(&one.links[0])), None).await;
    let chile = token_of(&whole.links[0]);
    let chile_here = Client::try_connect(&server, MEETING, Some(&chile), None).await;
    let chile_elsewhere = Client::try_connect(&server, "s9-m4", Some(&chile), None).await;

    // Assert
    assert!(closed_here.is_ok(), "{closed_here:?}");
    assert!(elsewhere.is_err(), "the chair's link for {MEETING} does not open s9-m4");
    assert!(chile_here.is_ok() && chile_elsewhere.is_ok(), "a process's link opens each of its meetings");
}

#[tokio::test]
async fn a_meeting_keeps_its_date_time_zone_and_room_through_a_restart() {
    // Arrange
    let data = tempfile::tempdir().unwrap();
    let mut server = Server::start_in(data.path()).await;
    let sec = server.secretariat();
    server.process(PROCESS, "2099-12-31").await;
    let meeting = json!({"id": MEETING, "title": "Ninth session, 3rd meeting", "process": PROCESS, "access": "open",
                         "time_zone": "America/New_York", "starts_at": 1_804_086_000_000_i64, "room": "Conference Room 4"});
    let (status, body) = server.http("POST", "/api/meetings", Some(&sec), Some(&meeting)).await;
    assert_eq!(status, 201, "{body}");
    let bad_room = json!({"id": "m2", "title": "T", "process": PROCESS, "access": "open", "room": "x".repeat(101)});
    let bad_date = json!({"id": "m3", "title": "T", "process": PROCESS, "access": "open", "starts_at": 12});

    // Act
    let refused = (
        server.http("POST", "/api/meetings", Some(&sec), Some(&bad_room)).await,
        server.http("POST", "/api/meetings", Some(&sec), Some(&bad_date)).await,
    );
    server.kill9();
    let server = Server::start_in(data.path()).await;
    let (_, process) = server.http("GET", &format!("/api/processes/{PROCESS}"), None, None).await;

    // Assert
    assert_eq!((refused.0 .0, refused.1 .0), (400, 400));
    let info = &process["meetings"][0];
    assert_eq!(info["room"], "Conference Room 4");
    assert_eq!(info["starts_at"], 1_804_086_000_000_i64);
    assert_eq!(info["time_zone"], "America/New_York");
    assert_eq!(process["meetings"].as_array().unwrap().len(), 1, "nothing of the refused meetings was kept");
}
