//! Concurrent histories of several real clients against the real server are linearizable: four
//! delegates asking for the floor and withdrawing and a chair giving and ending the floor, all at
//! once, get answers that some one order of their calls — respecting which call finished before
//! which began — explains on a plain sequential model of the list (`rostrum_tests::linearizability`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Barrier;

use rostrum_tests::linearizability::{check, Call, Model, Op, Outcome};
use rostrum_tests::soak::Rng;
use rostrum_tests::{command, request, segment, Client, Server};
use serde_json::json;
use shared::{Error as Rejection, Event};

const MEETING: &str = "m1";
const CALLS_EACH: usize = 30;
/// Every this many calls the five clients wait for each other and call at the same moment, so the
/// history has overlapping calls however fast or slow the machine is.
const TOGETHER_EVERY: usize = 3;

fn outcome(answer: Result<shared::Seq, Rejection>) -> Result<shared::Seq, Outcome> {
    answer.map_err(|r| Outcome::Refused(serde_json::to_value(r.code).unwrap().as_str().unwrap().to_string()))
}

async fn delegate(mut client: Client, who: String, seed: u64, together: Arc<Barrier>) -> Vec<Call> {
    let mut rng = Rng::new(seed);
    let mut calls = Vec::new();
    for n in 0..CALLS_EACH {
        if n % TOGETHER_EVERY == 0 {
            together.wait().await;
        }
        let op = if rng.between(0, 2) == 0 { Op::Request(who.clone()) } else { Op::Withdraw(who.clone()) };
        let cmd = match op {
            Op::Request(_) => request("statement", "remote", "en"),
            _ => command(json!({"type": "withdraw"})),
        };
        let invoked = Instant::now();
        let answer = client.command(cmd).await;
        let returned = Instant::now();
        let outcome = outcome(answer).map(|_| Outcome::Ok).unwrap_or_else(|refused| refused);
        calls.push(Call { client: 0, op, outcome, invoked, returned });
        tokio::time::sleep(Duration::from_millis(rng.between(50, 90))).await;
    }
    calls
}

async fn chair(mut client: Client, seed: u64, together: Arc<Barrier>) -> Vec<Call> {
    let mut rng = Rng::new(seed);
    let mut calls = Vec::new();
    for n in 0..CALLS_EACH {
        if n % TOGETHER_EVERY == 0 {
            together.wait().await;
        }
        let give = rng.between(0, 3) > 0;
        let (op, cmd) = if give {
            (Op::GiveFloor, command(json!({"type": "give_floor"})))
        } else {
            (Op::EndFloor, command(json!({"type": "end_floor"})))
        };
        let invoked = Instant::now();
        let answer = client.command(cmd).await;
        let returned = Instant::now();
        let outcome = match outcome(answer) {
            Err(refused) => refused,
            Ok(_) if !give => Outcome::Ok,
            // Who got the floor: the event at the ack's sequence number names them.
            Ok(seq) => {
                let given =
                    client.events.iter().rev().find(|r| r.seq <= seq && matches!(r.event, Event::FloorGiven { .. }));
                match given.map(|r| &r.event) {
                    Some(Event::FloorGiven { intervention }) => Outcome::Floor(intervention.speaker.id.to_string()),
                    _ => Outcome::Refused("no floor_given event before the ack".into()),
                }
            }
        };
        calls.push(Call { client: 0, op, outcome, invoked, returned });
        tokio::time::sleep(Duration::from_millis(rng.between(40, 80))).await;
    }
    calls
}

#[tokio::test]
async fn the_answers_to_four_delegates_and_a_chair_acting_at_once_are_linearizable() {
    // Arrange
    let server = Server::in_process().await;
    server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    let mut tasks = Vec::new();
    let together = Arc::new(Barrier::new(5));
    for n in 0..4u64 {
        let who = format!("del-{n}");
        let client = Client::connect(&server, MEETING, Some(&server.delegate(MEETING, &who, "Chile"))).await;
        tasks.push(tokio::spawn(delegate(client, who, 100 + n, together.clone())));
    }
    let client = Client::connect(&server, MEETING, Some(&server.chair(MEETING))).await;
    tasks.push(tokio::spawn(chair(client, 7, together)));

    // Act
    let mut history = Vec::new();
    for (n, task) in tasks.into_iter().enumerate() {
        history.extend(task.await.unwrap().into_iter().map(|call| Call { client: n, ..call }));
    }
    let verdict = check(&history, Model::default());

    // Assert
    let overlapping = history
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            history.iter().enumerate().any(|(j, b)| *i != j && a.invoked < b.returned && b.invoked < a.returned)
        })
        .count();
    let refused = history.iter().filter(|c| matches!(c.outcome, Outcome::Refused(_))).count();
    println!(
        "{} calls ({overlapping} overlapping another, {refused} refused), {} states explored",
        history.len(),
        verdict.explored
    );
    assert!(overlapping > 10, "the clients hardly ran at once: {overlapping} overlapping calls");
    assert!(verdict.order.is_some(), "no order of the calls explains the answers: {history:#?}");
}
