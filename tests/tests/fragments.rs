//! Large server messages arrive whole: the server sends them in WebSocket fragments, which every
//! WebSocket client reassembles into one message.

use rostrum_tests::{segment, Client, Server};

#[tokio::test]
async fn a_snapshot_larger_than_one_fragment_arrives_whole() {
    let server = Server::in_process().await;
    let segments: Vec<_> =
        (1..=30).map(|i| segment(&format!("General exchange of views, part {i}"), "all", 180)).collect();
    server.meeting("long", "open", &segments).await;

    let client = Client::connect(&server, "long", None).await;

    assert_eq!(client.state().segments.len(), 30);
    assert!(serde_json::to_string(client.state()).unwrap().len() > 4 * 1024, "the snapshot spans several fragments");
}
