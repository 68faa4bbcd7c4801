//! One queue for the room and for remote participants: an in-room delegate and a remote NGO ask for
//! the floor in the same list, and every screen — the chair's, a participant's, the public display —
//! holds the same list as the server, and follows the floor from start to end.

use rostrum_tests::{command, request, segment, Client, Server};
use serde_json::json;
use shared::{Event, Meeting, Millis, Presence, RequestKind, Role};

const MEETING: &str = "oewg-s9-m3";

/// A meeting with one segment open to everyone (180 s per intervention), and the three screens
/// connected: the chair, the delegate of Chile (a participant) and an anonymous display.
struct Room {
    server: Server,
    sec: String,
    chair: Client,
    delegate: Client,
    ngo: Client,
    display: Client,
}

async fn room() -> Room {
    let server = Server::in_process().await;
    let sec = server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    let chair = Client::connect(&server, MEETING, Some(&server.chair(MEETING))).await;
    let delegate = Client::connect(&server, MEETING, Some(&server.delegate(MEETING, "del-chile", "Chile"))).await;
    let ngo = Client::connect(
        &server,
        MEETING,
        Some(&server.stakeholder(MEETING, "ngo-gdrn", "Global Digital Rights Network").await),
    )
    .await;
    let display = Client::connect(&server, MEETING, None).await;
    Room { server, sec, chair, delegate, ngo, display }
}

impl Room {
    /// Waits until every screen has applied `seq`.
    async fn everyone_at(&mut self, seq: shared::Seq) {
        for screen in [&mut self.chair, &mut self.delegate, &mut self.ngo, &mut self.display] {
            screen.until(seq).await;
        }
    }

    /// Every screen's replica equals the API's state.
    async fn assert_all_screens_match_the_server(&self) -> Meeting {
        let server_state = self.server.state(MEETING, &self.sec).await;
        assert_eq!(self.chair.state(), &server_state, "the chair's screen differs from the server");
        assert_eq!(self.delegate.state(), &server_state, "the delegate's screen differs from the server");
        assert_eq!(self.ngo.state(), &server_state, "the NGO's screen differs from the server");
        assert_eq!(self.display.state(), &server_state, "the display differs from the server");
        server_state
    }

    /// The event a screen applied at `seq`.
    fn event_at(&self, seq: shared::Seq) -> &shared::EventRecord {
        self.display.events.iter().find(|r| r.seq == seq).expect("the display saw every event")
    }
}

#[tokio::test]
async fn an_in_room_delegate_and_a_remote_ngo_share_one_queue_seen_identically_by_every_screen() {
    // Arrange
    let mut room = room().await;

    // Act
    room.delegate.command(request("statement", "in_room", "es")).await.expect("the delegate inscribes");
    let seq = room.ngo.command(request("statement", "remote", "en")).await.expect("the NGO inscribes");
    room.everyone_at(seq).await;

    // Assert
    let state = room.assert_all_screens_match_the_server().await;
    let list = &state.active().expect("an active segment").entries;
    let who: Vec<_> =
        list.iter().map(|e| (e.speaker.id.as_str(), e.speaker.role, e.presence, e.speaker.on_behalf_of())).collect();
    assert_eq!(
        who,
        vec![
            ("del-chile", Role::Delegate, Presence::InRoom, Some("Chile")),
            ("ngo-gdrn", Role::Stakeholder, Presence::Remote, Some("Global Digital Rights Network")),
        ]
    );
    assert!(list.iter().all(|e| e.kind == RequestKind::Statement));
    assert_eq!(room.display.you, None, "the display is anonymous");
}

#[tokio::test]
async fn the_chair_gives_the_floor_pauses_resumes_extends_ends_and_calls_the_next_speaker() {
    // Arrange
    let mut room = room().await;
    room.delegate.command(request("statement", "in_room", "es")).await.unwrap();
    room.ngo.command(request("statement", "remote", "en")).await.unwrap();

    // Act: the floor to the first speaker, paused, resumed, extended by 30 s
    let given = room.chair.command(command(json!({"type": "give_floor"}))).await.expect("floor given");
    let paused = room.chair.command(command(json!({"type": "pause_floor"}))).await.expect("paused");
    let resumed = room.chair.command(command(json!({"type": "resume_floor"}))).await.expect("resumed");
    let extended = room.chair.command(command(json!({"type": "extend_floor", "secs": 30}))).await.expect("extended");
    room.everyone_at(extended).await;

    // Assert: every screen runs the same countdown, derived from the events' times
    let state = room.assert_all_screens_match_the_server().await;
    let floor = state.floor.as_ref().expect("someone has the floor");
    assert_eq!(floor.speaker.id.as_str(), "del-chile");
    assert_eq!(floor.presence, Presence::InRoom);
    let (t_given, t_paused, t_resumed) = (room.event_at(given).at, room.event_at(paused).at, room.event_at(resumed).at);
    assert_eq!(floor.started_at, t_given);
    assert_eq!(floor.time_limit_ms, 180_000);
    assert_eq!(floor.extended_ms, 30_000);
    assert!(!floor.is_paused());
    let now = Millis(t_resumed.0 + 5_000);
    let spoken = (t_paused.0 - t_given.0) + (now.0 - t_resumed.0);
    assert_eq!(floor.remaining_ms(now), 180_000 + 30_000 - spoken);
    let while_paused = Millis(t_paused.0 + (t_resumed.0 - t_paused.0) / 2);
    assert_eq!(
        floor.remaining_ms(while_paused),
        210_000 - (t_paused.0 - t_given.0),
        "the clock stands still while paused"
    );

    // Act: the intervention ends and the chair calls the next speaker
    let ended = room.chair.command(command(json!({"type": "end_floor"}))).await.expect("ended");
    let next = room.chair.command(command(json!({"type": "give_floor"}))).await.expect("next speaker");
    room.everyone_at(next).await;

    // Assert: the record holds the first intervention with its real times; the NGO speaks remotely
    let state = room.assert_all_screens_match_the_server().await;
    let t_ended = room.event_at(ended).at;
    let done = &state.record[..];
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].speaker.id.as_str(), "del-chile");
    assert_eq!(done[0].ended_at, Some(t_ended));
    assert_eq!(done[0].spoken_ms(Millis(i64::MAX)), (t_ended.0 - t_given.0) - (t_resumed.0 - t_paused.0));
    let floor = state.floor.as_ref().expect("the next speaker has the floor");
    assert_eq!(floor.speaker.id.as_str(), "ngo-gdrn");
    assert_eq!(floor.presence, Presence::Remote);
    assert_eq!(floor.speaker.on_behalf_of(), Some("Global Digital Rights Network"));
    assert!(state.active().unwrap().entries.is_empty(), "both speakers left the list when called");
    assert!(matches!(room.event_at(next).event, Event::FloorGiven { .. }));
}

#[tokio::test]
async fn giving_the_floor_while_someone_speaks_ends_their_intervention_first() {
    // Arrange
    let mut room = room().await;
    room.delegate.command(request("statement", "in_room", "es")).await.unwrap();
    room.ngo.command(request("statement", "remote", "en")).await.unwrap();
    room.chair.command(command(json!({"type": "give_floor"}))).await.unwrap();

    // Act
    let next = room.chair.command(command(json!({"type": "give_floor"}))).await.expect("next speaker");
    room.everyone_at(next).await;

    // Assert
    let state = room.assert_all_screens_match_the_server().await;
    assert_eq!(state.record.len(), 1);
    assert_eq!(state.record[0].speaker.id.as_str(), "del-chile");
    assert_eq!(state.floor.as_ref().unwrap().speaker.id.as_str(), "ngo-gdrn");
    assert_eq!(state.record[0].ended_at, Some(state.floor.as_ref().unwrap().started_at));
}
