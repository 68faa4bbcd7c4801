//! The ceiling for `make bench`: the least a tokio-tungstenite broadcast server can do. Every text
//! frame a client sends goes, as the same bytes, to every connected client. It has what a fast
//! fan-out needs and nothing else: a 4 KiB read buffer, a reader and a writer task per connection,
//! a bounded queue per connection, and one flush per burst. Rostrum is measured against it.
//!
//! `ceiling [ADDR]` (default `127.0.0.1:0`) prints `listening on ws://ADDR` once it accepts.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use futures_util::{SinkExt, StreamExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};

/// Frames queued for one connection before it is dropped as too slow (as in Rostrum).
const QUEUE: usize = 512;

#[derive(Default)]
struct Hub {
    next: AtomicU64,
    clients: Mutex<HashMap<u64, mpsc::Sender<Utf8Bytes>>>,
}

impl Hub {
    fn broadcast(&self, frame: Utf8Bytes) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain(|_, queue| queue.try_send(frame.clone()).is_ok());
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:0".into());
    let addr: std::net::SocketAddr = addr.parse()?;
    let socket = TcpSocket::new_v4()?;
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    // A deep accept queue, as Rostrum has: the default of 128 drops connections in a storm.
    let listener = socket.listen(4096)?;
    println!("listening on ws://{}", listener.local_addr()?);
    let hub = Arc::new(Hub::default());
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        tokio::spawn(serve(stream, hub.clone()));
    }
}

async fn serve(stream: TcpStream, hub: Arc<Hub>) {
    let _ = stream.set_nodelay(true);
    // Frames queued in a burst are gathered up to 4 KiB and written with one syscall at the flush.
    let config = WebSocketConfig::default().read_buffer_size(4 * 1024).write_buffer_size(4 * 1024);
    let Ok(ws) = tokio_tungstenite::accept_async_with_config(stream, Some(config)).await else { return };
    let (mut sink, mut stream) = ws.split();
    let id = hub.next.fetch_add(1, Ordering::Relaxed);
    let (queue, mut frames) = mpsc::channel::<Utf8Bytes>(QUEUE);
    hub.clients.lock().unwrap_or_else(|e| e.into_inner()).insert(id, queue);
    let writer = tokio::spawn(async move {
        while let Some(frame) = frames.recv().await {
            let mut next = Some(frame);
            while let Some(frame) = next.take() {
                if sink.feed(Message::Text(frame)).await.is_err() {
                    return;
                }
                next = frames.try_recv().ok();
            }
            if sink.flush().await.is_err() {
                return;
            }
        }
    });
    while let Some(Ok(message)) = stream.next().await {
        match message {
            Message::Text(text) => hub.broadcast(text),
            Message::Close(_) => break,
            _ => {}
        }
    }
    hub.clients.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
    writer.abort();
}
