//! The connection of one screen: a WebSocket driven by [`Session`], reconnecting with backoff and
//! resuming from the last event, and the reactive signals the components read. Provided as
//! context; it is a `Copy` handle.

use std::collections::BTreeMap;
use std::time::Duration;

use leptos::prelude::*;
use shared::live::{PresenceMark, Seen};
use shared::protocol::{ClientMessage, ServerMessage, PROTOCOL};
use shared::{Command, Meeting, MeetingId, Millis, ParticipantId};
use wasm_bindgen::prelude::*;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

use crate::backoff;
use crate::browser::{local_now, preopened_socket, random, random_tag, websocket_url, Preopened};
use crate::session::{AfterClose, Session, Step};

/// How often countdowns and clocks redraw.
const TICK: Duration = Duration::from_millis(250);

/// One screen's live view of a meeting.
#[derive(Clone, Copy)]
pub struct Live {
    /// The protocol state and the replica.
    pub session: RwSignal<Session>,
    /// The server's clock now, as estimated locally; ticks every 250 ms.
    pub now: RwSignal<Millis>,
    /// Live presence as the server last said it (everyone's on the chair's console, one's own
    /// elsewhere); empty for a screen without a token.
    pub presence: RwSignal<BTreeMap<ParticipantId, PresenceMark>>,
    meeting: StoredValue<MeetingId>,
    token: StoredValue<Option<String>>,
    socket: StoredValue<Option<Socket>, LocalStorage>,
    /// Bumped for every new socket, so that a late callback of an old one is ignored.
    generation: StoredValue<u64>,
}

/// An open socket and its handlers, which must live as long as it does.
struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Socket {
    fn detach(self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}

impl Live {
    /// Connects to `meeting` with `token` (none for an anonymous display) and starts the clock,
    /// until the screen that started it goes away (another link followed inside the client): then
    /// the socket closes, the clock stops and a pending reconnection does nothing.
    pub fn start(meeting: MeetingId, token: Option<String>) -> Live {
        let live = Live {
            session: RwSignal::new(Session::new(random_tag())),
            now: RwSignal::new(Millis(local_now())),
            presence: RwSignal::new(BTreeMap::new()),
            meeting: StoredValue::new(meeting),
            token: StoredValue::new(token),
            socket: StoredValue::new_local(None),
            generation: StoredValue::new(0),
        };
        live.connect();
        let clock = set_interval_with_handle(move || live.tick(), TICK).ok();
        on_cleanup(move || {
            if let Some(clock) = clock {
                clock.clear();
            }
            live.generation.try_update_value(|g| *g += 1);
            if let Some(socket) = live.socket.try_update_value(Option::take).flatten() {
                socket.detach();
            }
        });
        live
    }

    /// The meeting this screen is connected to.
    pub fn meeting_id(&self) -> MeetingId {
        self.meeting.get_value()
    }

    /// The screen's access token; `None` for an anonymous display.
    pub fn token(&self) -> Option<String> {
        self.token.get_value()
    }

    /// Reads the meeting (tracked) while the screen is live, or its last known state while it
    /// reconnects; `None` before the first sync. Commands are refused while it is held (see
    /// [`Session::command`]).
    pub fn with_meeting<T>(&self, f: impl FnOnce(&Meeting) -> T) -> Option<T> {
        self.session.with(|s| s.shown_meeting().map(f))
    }

    /// How `participant`'s live presence reads now (tracked).
    pub fn seen(&self, participant: &ParticipantId) -> Seen {
        let now = self.now.get();
        self.presence.with(|board| PresenceMark::seen(board.get(participant), now))
    }

    /// Whether this screen is told everyone's live presence (the chair's console), not only its
    /// own person's (tracked).
    pub fn sees_presence(&self) -> bool {
        self.session.with(|s| s.you.as_ref().is_some_and(|p| p.role.moderates()))
    }

    /// Sends a command described as `what`; its rejection, if any, becomes a notice.
    pub fn send(&self, command: Command, what: &str) {
        let message = self.session.try_update(|s| s.command(command, what)).flatten();
        if let Some(message) = message {
            self.send_message(&message);
        }
    }

    fn tick(self) {
        if let Some(now) = self.session.try_with_untracked(|s| s.server_now(local_now())) {
            self.now.set(now);
        }
    }

    fn connect(self) {
        // Nothing to do once the screen is gone (a reconnection timer that fires after it).
        let Some(generation) = self.generation.try_update_value(|g| {
            *g += 1;
            *g
        }) else {
            return;
        };
        // The first connection takes over the socket the page opened while the module downloaded,
        // which said this hello on opening; what the server answered since waits in `received`.
        let hello = self.hello();
        let preopened = if generation == 1 { preopened_socket(&hello) } else { None };
        let (ws, received) = match preopened {
            Some(Preopened { ws, received }) => (ws, Some(received)),
            None => match WebSocket::new_with_str(&websocket_url(), PROTOCOL) {
                Ok(ws) => (ws, None),
                Err(_) => return self.closed(generation, 1006),
            },
        };
        let on_open = Closure::<dyn FnMut()>::new(move || self.opened(generation));
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(text) = event.data().as_string() {
                self.received(generation, &text, local_now());
            }
        });
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
            self.closed(generation, event.code());
        });
        // A socket taken over says its hello without the client (`boot.js` sends it on opening).
        if received.is_none() {
            ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        }
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        let socket = Socket { ws, _on_open: on_open, _on_message: on_message, _on_close: on_close };
        if let Some(old) = self.socket.try_update_value(|s| s.replace(socket)).flatten() {
            old.detach();
        }
        for (at, text) in received.into_iter().flatten() {
            self.received(generation, &text, at);
        }
    }

    fn current(self, generation: u64) -> bool {
        self.generation.try_get_value() == Some(generation)
    }

    fn opened(self, generation: u64) {
        if !self.current(generation) {
            return;
        }
        let hello = self.hello();
        self.send_text(&hello);
    }

    /// The `hello` this screen says on a new socket, as sent.
    fn hello(self) -> String {
        let meeting = self.meeting.get_value();
        let token = self.token.get_value();
        let hello = self.session.with_untracked(|s| s.hello(&meeting, token.as_deref()));
        serde_json::to_string(&hello).unwrap_or_default()
    }

    /// Takes in a server message that arrived at `at` on the local clock.
    fn received(self, generation: u64, text: &str, at: i64) {
        if !self.current(generation) {
            return;
        }
        let message = match serde_json::from_str::<ServerMessage>(text) {
            Ok(message) => message,
            Err(error) => {
                // A newer server may say something this client does not know; resync rather
                // than show a replica that may have missed it.
                leptos::logging::warn!("unreadable server message: {error}");
                return self.resync(generation);
            }
        };
        if let ServerMessage::Presence { snapshot, marks } = message {
            self.presence.try_update(|board| {
                if snapshot {
                    board.clear();
                }
                board.extend(marks.into_iter().map(|mark| (mark.participant.clone(), mark)));
            });
            return;
        }
        let step = self.session.try_update(|s| s.receive(message, at)).unwrap_or(Step::Continue);
        if step == Step::Resync {
            self.resync(generation);
        }
    }

    fn resync(self, generation: u64) {
        if let Some(old) = self.socket.try_update_value(Option::take).flatten() {
            old.detach();
        }
        self.closed(generation, 1006);
    }

    fn closed(self, generation: u64, code: u16) {
        if !self.current(generation) {
            return;
        }
        self.generation.update_value(|g| *g += 1);
        if let Some(old) = self.socket.try_update_value(Option::take).flatten() {
            old.detach();
        }
        let after = self.session.try_update(|s| s.closed(code, local_now()));
        if let Some(AfterClose::Retry { attempt }) = after {
            let wait = backoff::delay_ms(attempt, random());
            set_timeout(move || self.connect(), Duration::from_millis(u64::from(wait)));
        }
    }

    fn send_message(self, message: &ClientMessage) {
        if let Ok(text) = serde_json::to_string(message) {
            self.send_text(&text);
        }
    }

    fn send_text(self, text: &str) {
        self.socket.with_value(|socket| {
            if let Some(socket) = socket {
                let _ = socket.ws.send_with_str(text);
            }
        });
    }
}
