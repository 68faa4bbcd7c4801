//! Several nodes on one PostgreSQL database: any node takes any client for any meeting, and every
//! node's screens see one and the same order of events, decided in the database.

use std::collections::BTreeSet;

use rostrum_tests::{application, command, http_bytes, http_raw, request, rostrum_bin, segment, Client, Nodes, Server};
use serde_json::json;
use shared::{Command, CommandId, Event, EventRecord, Meeting, Seq};

const MEETING: &str = "m1";

/// Two nodes serving meeting `m1`, created on the first.
async fn two_nodes_with_a_meeting() -> Nodes {
    let nodes = Nodes::start(2).await;
    nodes[0].meeting(MEETING, "open", &[segment("General debate", "all", 60)]).await;
    nodes.until_everywhere(MEETING).await;
    nodes
}

/// A delegate of `State <n>` (`del-<n>`) on `node`.
async fn delegate(node: &Server, n: usize) -> Client {
    Client::connect(node, MEETING, Some(&node.delegate(MEETING, &format!("del-{n}"), &format!("State {n}")))).await
}

/// Asks for the floor and withdraws, `times` times each, one command in flight at a time; returns
/// each command with its acknowledged sequence number.
async fn ask_and_withdraw(mut client: Client, times: usize) -> Vec<(Command, Seq)> {
    let mut acks = Vec::new();
    for _ in 0..times {
        for cmd in [request("statement", "remote", "en"), command(json!({"type": "withdraw"}))] {
            let seq = client.command(cmd.clone()).await.expect("every command is accepted");
            acks.push((cmd, seq));
        }
    }
    acks
}

/// Whether `record` is the event `who`'s command made.
fn made_by(who: &str, cmd: &Command, record: &EventRecord) -> bool {
    match (cmd, &record.event) {
        (Command::RequestFloor { .. }, Event::EntryAdded { entry, .. }) => entry.speaker.id.as_str() == who,
        (Command::Withdraw { .. }, Event::EntryWithdrawn { .. }) => true,
        _ => false,
    }
}

/// Every event of the meeting from the first, read on `node` by resuming from sequence 0.
async fn whole_log(node: &Server, epoch: &str) -> Client {
    let sec = node.secretariat();
    let state = node.state(MEETING, &sec).await;
    Client::reconnect(node, MEETING, None, epoch, Meeting::new(state.info.clone()))
        .await
        .expect("replay from the start")
}

#[tokio::test]
async fn a_screen_on_each_node_sees_one_identical_order_of_events() {
    // Arrange
    let nodes = two_nodes_with_a_meeting().await;
    let mut screens =
        [Client::connect(&nodes[0], MEETING, None).await, Client::connect(&nodes[1], MEETING, None).await];
    let (first, second) = (delegate(&nodes[0], 1).await, delegate(&nodes[1], 2).await);
    let before = screens[0].state().seq.0;

    // Act: a delegate on each node asks for the floor and withdraws, at the same time
    let (on_first, on_second) = tokio::join!(ask_and_withdraw(first, 10), ask_and_withdraw(second, 10));
    let head = on_first.iter().chain(&on_second).map(|(_, seq)| *seq).max().unwrap();
    for screen in &mut screens {
        screen.until(head).await;
    }

    // Assert
    assert_eq!(head, Seq(before + 40), "each of the 40 commands made one event");
    assert_eq!(screens[0].events, screens[1].events, "both screens saw the same events in the same order");
    assert_eq!(screens[0].state(), screens[1].state());
    for (who, acks) in [("del-1", &on_first), ("del-2", &on_second)] {
        for (cmd, seq) in acks {
            let record = &screens[0].events[(seq.0 - before) as usize - 1];
            assert!(made_by(who, cmd, record), "{who} got an ack at {seq} for {cmd:?} but the log has {record:?}");
        }
    }
}

#[tokio::test]
async fn commands_sent_to_both_nodes_at_once_are_each_applied_once() {
    // Arrange: four delegates on each node
    let nodes = two_nodes_with_a_meeting().await;
    let screen = Client::connect(&nodes[0], MEETING, None).await;
    let (epoch, before) = (screen.epoch.clone(), screen.state().seq.0);
    let mut drivers = Vec::new();
    for n in 0..8 {
        let client = delegate(&nodes[n % 2], n).await;
        drivers.push(tokio::spawn(async move { (format!("del-{n}"), ask_and_withdraw(client, 5).await) }));
    }

    // Act
    let mut results = Vec::new();
    for driver in drivers {
        results.push(driver.await.unwrap());
    }

    // Assert: 80 acknowledgements, 80 distinct sequence numbers, 80 events, each the one acked
    let seqs: BTreeSet<u64> = results.iter().flat_map(|(_, acks)| acks.iter().map(|(_, seq)| seq.0)).collect();
    assert_eq!(seqs, (before + 1..=before + 80).collect::<BTreeSet<_>>(), "nothing lost, nothing doubled");
    for node in 0..2 {
        let log = whole_log(&nodes[node], &epoch).await;
        assert_eq!(log.events.len() as u64, before + 80, "node {node}'s log");
        for (who, acks) in &results {
            for (cmd, seq) in acks {
                let record = &log.events[seq.0 as usize - 1];
                assert!(made_by(who, cmd, record), "{who}'s ack at {seq} for {cmd:?}, the log has {record:?}");
            }
        }
    }
}

#[tokio::test]
async fn a_command_retried_on_the_other_node_is_answered_and_not_applied_again() {
    // Arrange
    let nodes = two_nodes_with_a_meeting().await;
    let token = nodes[0].delegate(MEETING, "del-1", "State 1");
    let mut on_first = Client::connect(&nodes[0], MEETING, Some(&token)).await;
    let id = CommandId::parse("ask-1").unwrap();
    let cmd = request("statement", "remote", "en");
    let seq = on_first.command_with_id(&id, &cmd).await.unwrap();

    // Act: the connection drops and the client retries on the other node
    on_first.cut();
    let mut on_second = Client::connect(&nodes[1], MEETING, Some(&token)).await;
    let again = on_second.command_with_id(&id, &cmd).await;

    // Assert
    assert_eq!(again, Ok(seq));
    assert_eq!(on_second.state().seq, seq, "no second event");
    assert_eq!(on_second.state().active().unwrap().entries.len(), 1);
}

/// Whether the client's own request is in the active list (a command in flight when its node
/// went may have been applied).
fn inscribed(client: &Client) -> bool {
    let me = client.you.as_ref().map(|you| you.id.clone());
    client.state().active().is_some_and(|list| list.entries.iter().any(|e| Some(&e.speaker.id) == me.as_ref()))
}

/// Asks for the floor and withdraws, one command at a time, until the connection dies; returns
/// those acknowledged.
async fn until_the_node_dies(
    mut client: Client,
    who: String,
    tick: tokio::sync::mpsc::Sender<()>,
) -> (Vec<(Command, Seq)>, Meeting) {
    let mut acks = Vec::new();
    for n in 0.. {
        let cmd = if inscribed(&client) {
            command(json!({"type": "withdraw"}))
        } else {
            request("statement", "remote", "en")
        };
        let id = CommandId::parse(format!("{who}-{n}")).unwrap();
        let seq = match client.command_unless_gone(&id, &cmd).await {
            None => break,
            Some(Ok(seq)) => seq,
            Some(Err(rejection)) => panic!("{who}'s command was refused: {rejection:?}"),
        };
        acks.push((cmd, seq));
        let _ = tick.send(()).await;
    }
    (acks, client.state().clone())
}

#[tokio::test]
async fn a_node_killed_with_sigkill_loses_nothing_acknowledged_and_its_clients_resume_on_the_other() {
    // Arrange: three delegates on the first node, busy; a screen on the second
    let mut nodes = two_nodes_with_a_meeting().await;
    let mut screen = Client::connect(&nodes[1], MEETING, None).await;
    let epoch = screen.epoch.clone();
    let (tick, mut ticks) = tokio::sync::mpsc::channel(1024);
    let mut drivers = Vec::new();
    let mut tokens = Vec::new();
    for n in 0..3 {
        let who = format!("del-{n}");
        let token = nodes[0].delegate(MEETING, &who, &format!("State {n}"));
        let client = Client::connect(&nodes[0], MEETING, Some(&token)).await;
        tokens.push(token);
        drivers.push(tokio::spawn(until_the_node_dies(client, who, tick.clone())));
    }

    // Act: SIGKILL the first node with commands in flight; each client resumes on the second
    for _ in 0..60 {
        ticks.recv().await;
    }
    nodes[0].kill9();
    let mut results = Vec::new();
    for driver in drivers {
        results.push(driver.await.unwrap());
    }
    let sec = nodes[1].secretariat();
    let state = nodes[1].state(MEETING, &sec).await;
    let mut resumed = Vec::new();
    for ((_, replica), token) in results.iter().zip(&tokens) {
        let client =
            Client::reconnect(&nodes[1], MEETING, Some(token), &epoch, replica.clone()).await.expect("resumed");
        resumed.push(client);
    }
    screen.until(state.seq).await;

    // Assert: every acknowledged command is in the log, where it was acknowledged
    let log = whole_log(&nodes[1], &epoch).await;
    for (n, (acks, _)) in results.iter().enumerate() {
        assert!(!acks.is_empty());
        for (cmd, seq) in acks {
            let record = &log.events[seq.0 as usize - 1];
            assert!(made_by(&format!("del-{n}"), cmd, record), "ack at {seq} for {cmd:?}, the log has {record:?}");
        }
    }
    for client in &resumed {
        assert_eq!(client.state(), &state, "a resumed client holds the surviving node's state");
    }
    assert_eq!(screen.state(), &state, "the screen on the surviving node saw it all");
    assert_eq!(screen.events, log.events[log.events.len() - screen.events.len()..]);
}

#[tokio::test]
async fn revoking_an_accreditation_on_one_node_closes_the_representatives_socket_on_the_other() {
    // Arrange: a representative speaking through the second node; the secretariat on the first
    let nodes = Nodes::start(2).await;
    nodes[0].process("p1", "2099-12-31").await;
    let sec = nodes[0].meeting_in(MEETING, "p1", "open", &[segment("Stakeholder segment", "stakeholders", 180)]).await;
    nodes.until_everywhere(MEETING).await;
    let org = nodes[0].accredited("p1", "Global Digital Rights Network").await;
    let rep = nodes[0].representative(&org, "Kwame Mensah", "remote").await;
    let mut speaker = Client::connect(&nodes[1], MEETING, Some(&rep.token)).await;
    let seq = speaker.command(request("statement", "remote", "en")).await.expect("inscribed");
    let mut screen = Client::connect(&nodes[1], MEETING, None).await;
    screen.until(seq).await;
    assert_eq!(screen.state().active().unwrap().entries.len(), 1);

    // Act
    let reason = json!({"reason": "The organisation misrepresented its activities."});
    let path = format!("/api/organisations/{}/revoke", org.id);
    let (status, revoked) = nodes[0].http("POST", &path, Some(&sec), Some(&reason)).await;

    // Assert
    assert_eq!(status, 200, "{revoked}");
    assert_eq!(speaker.close_code().await, Some(4010), "the socket on the other node closes, saying why");
    while !screen.state().active().unwrap().entries.is_empty() {
        screen.recv().await;
    }
    let again = Client::try_connect(&nodes[1], MEETING, Some(&rep.token), None).await.err().expect("refused");
    assert_eq!((again.code.as_deref(), again.close), (Some("revoked"), Some(4010)));
}

/// Runs `rostrum ARGS --store URL` beside the nodes, as an operator would; returns its output.
fn beside_the_nodes(nodes: &Nodes, args: &[&str]) -> std::process::Output {
    let out = std::process::Command::new(rostrum_bin()).args(args).args(["--store", &nodes.url]).output().unwrap();
    assert!(out.status.success(), "rostrum {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

#[tokio::test]
async fn a_token_revoked_from_the_command_line_closes_its_sessions_on_every_node() {
    // Arrange: one delegate's token, a session on each node
    let nodes = two_nodes_with_a_meeting().await;
    let token = nodes[0].delegate(MEETING, "del-1", "State 1");
    let mut sessions = [
        Client::connect(&nodes[0], MEETING, Some(&token)).await,
        Client::connect(&nodes[1], MEETING, Some(&token)).await,
    ];

    // Act
    beside_the_nodes(&nodes, &["token", "revoke", &token, "--reason", "lost laptop"]);

    // Assert
    for session in &mut sessions {
        assert_eq!(session.close_code().await, Some(4010));
    }
    for node in 0..2 {
        let again = Client::try_connect(&nodes[node], MEETING, Some(&token), None).await.err().expect("refused");
        assert_eq!(again.code.as_deref(), Some("revoked"), "node {node}");
    }
}

#[tokio::test]
async fn rostrum_report_reads_the_shared_database_as_the_api_of_any_node_does() {
    // Arrange: speakers inscribed through both nodes
    let nodes = two_nodes_with_a_meeting().await;
    let (mut first, mut second) = (delegate(&nodes[0], 1).await, delegate(&nodes[1], 2).await);
    first.command(request("statement", "remote", "en")).await.unwrap();
    let seq = second.command(request("statement", "in_room", "fr")).await.unwrap();
    Client::connect(&nodes[0], MEETING, None).await.until(seq).await;
    let api = |node: usize| http_bytes(nodes[node].addr, "GET", "/api/meetings/m1/report?format=csv", None, b"", None);
    let (on_first, on_second) = (api(0).await.body, api(1).await.body);

    // Act
    let printed = beside_the_nodes(&nodes, &["report", MEETING, "--format", "csv"]).stdout;

    // Assert
    assert_eq!(on_first, on_second, "both nodes report the same record");
    assert_eq!(printed, on_first);
}

#[tokio::test]
async fn backup_beside_the_nodes_points_to_pg_dump_and_writes_nothing() {
    // Arrange
    let nodes = Nodes::start(1).await;
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("rostrum.backup");

    // Act
    let refused = std::process::Command::new(rostrum_bin())
        .args(["backup"])
        .arg(&target)
        .args(["--store", &nodes.url])
        .output()
        .unwrap();

    // Assert
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("pg_dump"), "{said}");
    assert!(!target.exists());
}

#[tokio::test]
async fn a_rolling_restart_of_the_nodes_drops_no_acknowledged_event() {
    // Arrange: a delegate busy on the first node
    let mut nodes = two_nodes_with_a_meeting().await;
    let epoch = Client::connect(&nodes[1], MEETING, None).await.epoch;
    let token = nodes[0].delegate(MEETING, "del-1", "State 1");
    let mut acknowledged = Vec::new();
    let mut replica = None;

    // Act: each node in turn is stopped with SIGTERM while the delegate, resumed on the next,
    // keeps asking; a fresh node takes the place of each one stopped
    for (stopped, next) in [(0, 1), (1, 2)] {
        let client = match replica.take() {
            None => Client::connect(&nodes[stopped], MEETING, Some(&token)).await,
            Some(replica) => {
                Client::reconnect(&nodes[stopped], MEETING, Some(&token), &epoch, replica).await.expect("resumed")
            }
        };
        let (tick, mut ticks) = tokio::sync::mpsc::channel(1024);
        let driver = tokio::spawn(until_the_node_dies(client, format!("del-1-{stopped}"), tick));
        for _ in 0..20 {
            ticks.recv().await;
        }
        let status = nodes[stopped].terminate().await;
        assert!(status.success(), "node {stopped} exited with {status}");
        let (acks, state) = driver.await.unwrap();
        acknowledged.extend(acks);
        replica = Some(state);
        if next == nodes.nodes.len() {
            nodes.add().await;
        }
    }

    // Assert: the last node holds every acknowledged event where it was acknowledged
    let resumed = Client::reconnect(&nodes[2], MEETING, Some(&token), &epoch, replica.unwrap()).await;
    assert!(resumed.is_ok(), "the delegate resumes on the third node");
    let log = whole_log(&nodes[2], &epoch).await;
    assert!(acknowledged.len() >= 40);
    for (cmd, seq) in &acknowledged {
        let record = &log.events[seq.0 as usize - 1];
        assert!(made_by("del-1", cmd, record), "ack at {seq} for {cmd:?}, the log has {record:?}");
    }
}

#[tokio::test]
async fn a_public_form_s_challenge_fetched_from_one_node_is_taken_by_the_other() {
    // Arrange: proofs of work asked for, as in production
    let nodes = Nodes::start_with(2, &["--proof-bits", "8"]).await;
    nodes[0].process("p1", "2099-12-31").await;
    let proof = nodes[0].proof("application").await;

    // Act: the form is sent to the other node, as a load balancer may route it
    let headers = [("Content-Type", "application/json"), ("Rostrum-Proof", proof.as_str())];
    let form = application("Global Digital Rights Network", false).to_string();
    let answer =
        http_raw(None, nodes[1].addr, "POST", "/api/processes/p1/applications", &headers, form.as_bytes()).await;

    // Assert
    assert_eq!(answer.status, 201, "{}", String::from_utf8_lossy(&answer.body));
}
