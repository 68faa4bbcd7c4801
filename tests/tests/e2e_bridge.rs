//! The bridge to the room and the call, set up from the secretariat's console (issue 16), in a real
//! headless Chromium against the real server: a token for the room's conference system, whose
//! seat button then puts Kenya on the list; a webhook to a real receiver, its secret shown once,
//! its delivery log after the chair gives the floor, then paused, resumed and deleted.
//!
//! `ROSTRUM_WEB_DIR=$PWD/web-client/dist cargo test -p rostrum-tests --test e2e_bridge -- --ignored`

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rostrum_tests::browser::*;
use rostrum_tests::segment;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PROCESS: &str = "oewg-ict";

/// A webhook receiver that answers every request 204 and counts them.
async fn receiver() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/rostrum", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let counted = count.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let counted = counted.clone();
            tokio::spawn(async move {
                // One request per connection is all Rostrum needs answered: read its head and body.
                let mut seen = Vec::new();
                let mut buffer = [0u8; 4096];
                while let Ok(n) = stream.read(&mut buffer).await {
                    if n == 0 {
                        return;
                    }
                    seen.extend_from_slice(&buffer[..n]);
                    let text = String::from_utf8_lossy(&seen);
                    let Some((head, body)) = text.split_once("\r\n\r\n") else { continue };
                    let length = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string())
                        })
                        .and_then(|v| v.parse::<usize>().ok())
                        .unwrap_or(0);
                    if body.len() >= length {
                        counted.fetch_add(1, Ordering::SeqCst);
                        let _ = stream.write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n").await;
                        return;
                    }
                }
            });
        }
    });
    (url, count)
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn the_secretariat_connects_the_rooms_buttons_and_a_call_bridge_from_the_console() {
    // Arrange: a process with a meeting, its console page, a receiver
    let data = tempfile::tempdir().unwrap();
    let (server, sec) = server_with_web_only(data.path()).await;
    server.process_with_meeting(PROCESS, "2099-12-31", MEETING, &[segment("General debate", "all", 180)]).await;
    let (url, received) = receiver().await;
    let driver = Driver::start().await;
    let desk = driver.browser("secretariat", 1280, 1000).await;
    desk.goto(&format!("{}/secretariat?process={PROCESS}&meeting={MEETING}#token={sec}", server.url())).await.unwrap();
    until(&desk, "the webhooks card", &exists("form.new-webhook")).await;
    until(&desk, "no webhook yet", &exists(".webhooks-panel p.empty")).await;

    // Act 1: the conference system's token
    fill(&desk, "input[name=device_name]", "Conference Room 2 microphones").await;
    click(&desk, "form.issue-device button[type=submit]").await;
    let token = until(
        &desk,
        "the system's token",
        "const i = document.querySelector('table.links input.device-token'); return i ? i.value : null;",
    )
    .await;
    let role = until(&desk, "the system's row", &text_of("table.links tbody tr td:nth-child(2)")).await;
    axe(&desk, "the links card with a conference system").await;

    // Act 2: a webhook, its secret once; then a press at Kenya's seat, the floor given to Kenya, and
    // the delivery log read
    fill(&desk, "input[name=webhook_url]", &url).await;
    fill(&desk, "input[name=webhook_description]", "Zoom bridge").await;
    click(&desk, "input[name=webhook_list]").await;
    click(&desk, "form.new-webhook button[type=submit]").await;
    let secret = until(
        &desk,
        "the secret shown once",
        "const i = document.querySelector('input.webhook-secret'); return i ? i.value : null;",
    )
    .await;
    axe(&desk, "the webhooks card with a secret shown once").await;
    click(&desk, ".secret-once button").await;
    let token = token.as_str().expect("a token").to_string();
    let path = format!("/api/meetings/{MEETING}/device/requests");
    let (status, pressed) =
        server.http("POST", &path, Some(&token), Some(&json!({"delegation": "Kenya", "seat": "42"}))).await;
    chair_command(&server, &chair_token(&server), json!({"type": "give_floor"})).await;
    let until_received = tokio::time::Instant::now();
    while received.load(Ordering::SeqCst) < 2 {
        let got = received.load(Ordering::SeqCst);
        assert!(until_received.elapsed() < std::time::Duration::from_secs(20), "the receiver got {got} of 2");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    click(&desk, r#"button[aria-label="Delivery log of the webhook Zoom bridge"]"#).await;
    let logged = until(
        &desk,
        "the delivery log",
        "const rows = [...document.querySelectorAll('table.deliveries tbody tr')].map(r => r.textContent); return rows.some(r => r.includes('floor.given')) ? rows : null;",
    )
    .await;
    axe(&desk, "the webhooks card with a delivery log").await;

    // Act 3: pause, resume, delete
    click(&desk, r#"button[aria-label="Pause the webhook Zoom bridge"]"#).await;
    let paused = until(&desk, "paused", &text_of(r#"tr[data-paused="true"] td:nth-child(3)"#)).await;
    click(&desk, r#"button[aria-label="Resume the webhook Zoom bridge"]"#).await;
    until(&desk, "resumed", &exists(r#"tr[data-paused="false"]"#)).await;
    desk.execute("window.confirm = () => true;", vec![]).await.unwrap();
    click(&desk, r#"button[aria-label="Delete the webhook Zoom bridge"]"#).await;
    until(&desk, "deleted", &exists(".webhooks-panel p.empty")).await;

    // Assert
    assert_eq!(role, json!("Conference system"));
    assert_eq!((status, pressed["outcome"].as_str()), (201, Some("added")), "{pressed}");
    assert!(secret.as_str().is_some_and(|s| s.starts_with("whsec_")), "{secret}");
    assert!(paused.as_str().is_some_and(|s| s.starts_with("Paused since")), "{paused}");
    let logged: Vec<String> = serde_json::from_value(logged).unwrap();
    assert!(logged.iter().any(|r| r.contains("list.entry_added")), "the list's changes too: {logged:?}");
    assert!(logged.iter().all(|r| r.contains("✓ 204")), "{logged:?}");
    let (status, hooks) = server.http("GET", &format!("/api/meetings/{MEETING}/webhooks"), Some(&sec), None).await;
    assert_eq!((status, hooks["items"].as_array().map(Vec::len)), (200, Some(0)));
}
