//! The UN's list rules a segment carries, over real sockets and HTTP: a longest list, after which a
//! participant's statement or right of reply waits for a place while points of order and the
//! chair's additions are still taken; a time limit per kind; a cap on each delegation's statements
//! on the item; a list that opens at a scheduled time; a note with each request; statements on
//! behalf of groups of states, first when the list says so.

use rostrum_tests::{command, request, segment, Client, Server};
use serde_json::json;
use shared::RejectionCode;

const MEETING: &str = "m1";

/// A meeting whose active list takes at most `max` waiting requests, with the chair and a client
/// per delegation connected.
async fn meeting_with_longest_list(max: u32, names: &[&str]) -> (Server, String, Client, Vec<Client>) {
    let server = Server::in_process().await;
    let mut spec = segment("General debate", "all", 180);
    spec["max_waiting"] = json!(max);
    let sec = server.meeting(MEETING, "open", &[spec]).await;
    let chair = Client::connect(&server, MEETING, Some(&server.chair(MEETING))).await;
    let delegates = Client::delegates(&server, MEETING, names).await;
    (server, sec, chair, delegates)
}

fn waiting(server_state: &shared::Meeting) -> Vec<String> {
    let list = &server_state.active().expect("an active segment").entries;
    list.iter().map(|e| e.speaker.on_behalf_of().unwrap_or_default().to_string()).collect()
}

#[tokio::test]
async fn a_full_list_refuses_a_statement_with_list_full_and_takes_it_once_a_place_frees() {
    // Arrange: a list of at most two, full.
    let (server, sec, mut chair, mut d) = meeting_with_longest_list(2, &["Chile", "Kenya", "Fiji"]).await;
    d[0].command(request("statement", "in_room", "es")).await.unwrap();
    d[1].command(request("statement", "remote", "en")).await.unwrap();

    // Act: Fiji asks while it is full, and again after the chair gives the floor.
    let refused = d[2].command(request("statement", "remote", "en")).await;
    let before = server.state(MEETING, &sec).await;
    chair.command(command(json!({"type": "give_floor"}))).await.expect("the floor to Chile");
    let taken = d[2].command(request("statement", "remote", "en")).await;

    // Assert: the refusal has its stable code and a sentence, and changed nothing.
    let refused = refused.expect_err("a full list refuses a statement");
    assert_eq!(refused.code, RejectionCode::ListFull);
    assert!(refused.message.contains("at most 2"), "{}", refused.message);
    assert_eq!(waiting(&before), ["Chile", "Kenya"]);
    taken.expect("a place freed");
    let seq = chair.command(command(json!({"type": "pause_floor"}))).await.unwrap();
    chair.until(seq).await;
    let state = server.state(MEETING, &sec).await;
    assert_eq!(waiting(&state), ["Kenya", "Fiji"]);
    assert_eq!(chair.state(), &state);
}

#[tokio::test]
async fn a_full_list_still_takes_a_point_of_order_and_the_chairs_addition() {
    // Arrange: a list of at most one, full.
    let (server, sec, mut chair, mut d) = meeting_with_longest_list(1, &["Chile", "Kenya"]).await;
    d[0].command(request("statement", "in_room", "es")).await.unwrap();

    // Act
    let point = d[1].command(request("point_of_order", "remote", "en")).await;
    let added = chair
        .command(command(
            json!({"type": "add_speaker", "speaker": {"id": "del-fiji", "name": "Fiji", "role": "delegate",
            "delegation": "Fiji"}, "kind": "statement", "presence": "in_room", "language": "en"}),
        ))
        .await;

    // Assert
    point.expect("a point of order is taken");
    added.expect("the chair adds a speaker");
    assert_eq!(waiting(&server.state(MEETING, &sec).await), ["Kenya", "Chile", "Fiji"]);
}

#[tokio::test]
async fn a_segment_whose_longest_list_is_zero_is_refused_over_http_and_none_is_created() {
    // Arrange
    let server = Server::in_process().await;
    let sec = server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    let mut spec = segment("Stakeholder segment", "stakeholders", 180);
    spec["max_waiting"] = json!(0);

    // Act
    let (status, body) =
        server.http("POST", &format!("/api/meetings/{MEETING}/segments"), Some(&sec), Some(&spec)).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["code"], "invalid_command");
    assert!(body["message"].as_str().unwrap_or_default().contains("longest list"), "{body}");
    assert_eq!(server.state(MEETING, &sec).await.segments.len(), 1);
}

/// A meeting whose one list has `rules` (fields of a segment's spec), with the chair and a client
/// per delegation connected.
async fn meeting_with_rules(rules: serde_json::Value, names: &[&str]) -> (Server, String, Client, Vec<Client>) {
    let server = Server::in_process().await;
    let mut spec = segment("General debate", "all", 180);
    for (field, value) in rules.as_object().expect("rules are an object") {
        spec[field] = value.clone();
    }
    let sec = server.meeting(MEETING, "open", &[spec]).await;
    let chair = Client::connect(&server, MEETING, Some(&server.chair(MEETING))).await;
    let delegates = Client::delegates(&server, MEETING, names).await;
    (server, sec, chair, delegates)
}

/// Gives the floor to the head of the list and ends it; returns the limit the speaker had, in seconds.
async fn give_and_end(chair: &mut Client) -> i64 {
    chair.command(command(json!({"type": "give_floor"}))).await.expect("the floor given");
    let limit = chair.state().floor.as_ref().map(|f| f.time_limit_ms / 1000);
    let seq = chair.command(command(json!({"type": "end_floor"}))).await.expect("the floor ended");
    chair.until(seq).await;
    limit.expect("someone had the floor")
}

#[tokio::test]
async fn each_kind_of_intervention_gets_its_own_time_limit_and_a_second_reply_the_shorter_one() {
    // Arrange: statements 3 min, a right of reply 2 min, a second 1 min, a point of order 30 s.
    let rules = json!({"right_of_reply_secs": 120, "second_reply_secs": 60, "point_of_order_secs": 30});
    let (_server, _sec, mut chair, mut d) = meeting_with_rules(rules, &["Chile", "Kenya"]).await;

    // Act: Chile replies twice, Kenya raises a point of order and makes a statement.
    let mut limits = vec![];
    for (who, kind) in [(0, "right_of_reply"), (0, "right_of_reply"), (1, "point_of_order"), (1, "statement")] {
        let seq = d[who].command(request(kind, "in_room", "en")).await.expect("the request is taken");
        chair.until(seq).await;
        limits.push(give_and_end(&mut chair).await);
    }

    // Assert
    assert_eq!(limits, [120, 60, 30, 180]);
}

#[tokio::test]
async fn a_delegation_at_its_cap_is_refused_with_statements_limit_reached_and_nothing_changes() {
    // Arrange: one statement per delegation; Chile has made it.
    let rules = json!({"statements_per_delegation": 1});
    let (server, sec, mut chair, mut d) = meeting_with_rules(rules, &["Chile", "Kenya"]).await;
    let seq = d[0].command(request("statement", "in_room", "es")).await.unwrap();
    chair.until(seq).await;
    give_and_end(&mut chair).await;
    let before = server.state(MEETING, &sec).await;

    // Act
    let again = d[0].command(request("statement", "in_room", "es")).await;
    let reply = d[0].command(request("right_of_reply", "in_room", "es")).await;

    // Assert: a second statement is refused with its code; a right of reply is not a statement.
    let refused = again.expect_err("a second statement is refused");
    assert_eq!(refused.code, RejectionCode::StatementsLimitReached);
    assert!(refused.message.contains("Chile"), "{}", refused.message);
    let seq = reply.expect("a right of reply is taken");
    chair.until(seq).await;
    let after = server.state(MEETING, &sec).await;
    assert_eq!(before.active().unwrap().entries.len(), 0);
    assert_eq!(waiting(&after), ["Chile"]);
    assert_eq!(after.active().unwrap().entries[0].kind, shared::RequestKind::RightOfReply);
}

#[tokio::test]
async fn a_list_that_opens_later_takes_points_of_order_before_and_statements_once_open() {
    // Arrange: a list that opens two seconds from now.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let opens_at = now + 2_000;
    let (server, sec, _chair, mut d) = meeting_with_rules(json!({"opens_at": opens_at}), &["Chile", "Kenya"]).await;

    // Act
    let early = d[0].command(request("statement", "in_room", "es")).await;
    let point = d[1].command(request("point_of_order", "in_room", "en")).await;
    let wait =
        opens_at + 200 - std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    tokio::time::sleep(std::time::Duration::from_millis(wait.max(0) as u64)).await;
    let open = d[0].command(request("statement", "in_room", "es")).await;

    // Assert
    let refused = early.expect_err("a statement before the opening is refused");
    assert_eq!(refused.code, RejectionCode::ListNotOpenYet);
    assert!(refused.message.contains("UTC"), "{}", refused.message);
    point.expect("a point of order is taken before the opening");
    open.expect("a statement is taken once the list is open");
    assert_eq!(waiting(&server.state(MEETING, &sec).await), ["Kenya", "Chile"]);
}

#[tokio::test]
async fn a_note_with_a_request_reaches_the_chair_and_a_note_too_long_is_refused() {
    // Arrange
    let (server, sec, mut chair, mut d) = meeting_with_rules(json!({}), &["Chile", "Kenya"]).await;
    let with_note = |note: &str| {
        command(json!({"type": "request_floor", "kind": "statement", "presence": "remote", "language": "en",
            "note": note}))
    };

    // Act
    let seq = d[0].command(with_note(" on 5(b) ")).await.expect("a request with a note");
    let refused = d[1].command(with_note(&"x".repeat(101))).await;
    chair.until(seq).await;

    // Assert
    assert_eq!(chair.state().active().unwrap().entries[0].note.as_deref(), Some("on 5(b)"));
    let refused = refused.expect_err("a note of 101 characters is refused");
    assert_eq!(refused.code, RejectionCode::InvalidCommand);
    assert_eq!(waiting(&server.state(MEETING, &sec).await), ["Chile"]);
}

#[tokio::test]
async fn in_a_list_that_takes_groups_first_a_statement_on_behalf_of_a_group_goes_ahead_and_an_unknown_group_is_refused()
{
    // Arrange: groups first; Chile waits with a statement of its own.
    let (server, sec, mut chair, mut d) = meeting_with_rules(json!({"groups_first": true}), &["Chile", "Egypt"]).await;
    d[0].command(request("statement", "in_room", "es")).await.unwrap();
    let for_group = |group: &str| {
        command(json!({"type": "request_floor", "kind": "statement", "presence": "in_room", "language": "fr",
            "group": group}))
    };

    // Act
    let unknown = d[1].command(for_group("g8")).await;
    let seq = d[1].command(for_group("african_group")).await.expect("a statement for the African Group");
    chair.until(seq).await;

    // Assert
    assert_eq!(unknown.expect_err("no such group").code, RejectionCode::InvalidCommand);
    let state = server.state(MEETING, &sec).await;
    assert_eq!(waiting(&state), ["Egypt", "Chile"]);
    assert_eq!(state.active().unwrap().entries[0].group.as_deref(), Some("african_group"));
    assert_eq!(chair.state(), &state);
}
