//! The ready check (issue 16), in a real headless Chromium against the real server: a remote
//! speaker who is next in a list with a ready check is asked on her phone to turn her microphone on
//! and join the call; the chair sees "Not ready yet" until she says she is, can skip her for now
//! (she keeps the head of the list), and the record says both.
//!
//! `ROSTRUM_WEB_DIR=$PWD/web-client/dist cargo test -p rostrum-tests --test e2e_ready_check -- --ignored`

use rostrum_tests::browser::*;
use serde_json::json;

fn ready_badge(speaker: &str, ready: bool) -> String {
    exists(&format!(r#"tr.entry[data-speaker="{speaker}"] .badge.ready[data-ready="{ready}"]"#))
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn a_remote_speaker_confirms_she_is_ready_and_the_chair_skips_her_for_now_keeping_her_place() {
    // Arrange: the active list asks remote speakers to confirm; Kenya asks from her phone, remote,
    // then Chile in the room
    let data = tempfile::tempdir().unwrap();
    let (server, sec) = server_with_meeting(data.path()).await;
    let spec =
        json!({"title": "Interactive dialogue", "inscription": "all", "time_limit_secs": 180, "ready_check": true});
    let (status, body) =
        server.http("POST", &format!("/api/meetings/{MEETING}/segments"), Some(&sec), Some(&spec)).await;
    assert_eq!(status, 201, "{body}");
    chair_command(&server, &sec, json!({"type": "activate_segment", "segment": 4})).await;
    let driver = Driver::start().await;
    let phone = driver.browser("kenya", 390, 844).await;
    phone
        .goto(&link(&server, "speak", Some(&delegate_token(&server, "kenya-1", "Peter Otieno", "Kenya"))))
        .await
        .unwrap();
    click(&phone, r#"button[data-presence="remote"]"#).await;
    until(&phone, "the remote switch on", &exists(r#"button[data-presence="remote"].on"#)).await;
    click(&phone, r#"button[data-action="ask"]"#).await;
    request_floor(&server, &delegate_token(&server, "chile-1", "Ana Rojas", "Chile"), "statement", "in_room", "es")
        .await;
    let chair = driver.browser("chair", 1440, 900).await;
    chair.goto(&link(&server, "chair", Some(&chair_token(&server)))).await.unwrap();

    // Assert: the phone asks, the chair sees her not ready yet; both screens axe-clean
    until(&phone, "the ready check on the phone", &exists(r#"[data-ready="asked"] button[data-action="ready"]"#)).await;
    until(&chair, "Kenya not ready yet", &ready_badge("kenya-1", false)).await;
    axe(&phone, "the phone asking for the ready check").await;
    axe(&chair, "the chair's console with a ready check pending").await;

    // Act: she says she is ready
    click(&phone, r#"button[data-action="ready"]"#).await;

    // Assert: her phone and the chair's console say so
    until(&phone, "the phone's confirmation", &exists(r#"[data-ready="confirmed"]"#)).await;
    until(&chair, "Kenya ready", &ready_badge("kenya-1", true)).await;

    // Act: the chair skips her for now
    click(&chair, r#"tr.entry[data-speaker="kenya-1"] button[data-action="pass-over"]"#).await;

    // Assert: Chile has the floor, Kenya keeps the head of the list, passed over once
    until(&chair, "Chile on the floor", &exists(r#".floor-panel .speaker[data-speaker="chile-1"]"#)).await;
    until(&chair, "Kenya first on the list", &exists(r#"tr.entry:first-child[data-speaker="kenya-1"]"#)).await;
    let passed = until(&chair, "the pass noted", &text_of(r#"tr.entry[data-speaker="kenya-1"] .passed-over"#)).await;
    assert_eq!(passed, json!(" passed over once"));

    // Act: the chair gives her the floor next
    press(&chair, 'n').await;

    // Assert: the record keeps the pass and the confirmed check
    until(&chair, "Kenya on the floor", &exists(r#".floor-panel .speaker[data-speaker="kenya-1"]"#)).await;
    let (status, report) = server.http("GET", &format!("/api/meetings/{MEETING}/report"), None, None).await;
    assert_eq!(status, 200, "{report}");
    let kenya = report["rows"].as_array().unwrap().iter().find(|r| r["speaker"] == "Peter Otieno").unwrap().clone();
    assert_eq!((kenya["passed_over"].clone(), kenya["ready_check"].clone()), (json!(1), json!("confirmed")));
    let remote = report["parity"]["passed_over_by_presence"][1].clone();
    assert_eq!((remote["group"].clone(), remote["passed_over"].clone()), (json!("remote"), json!(1)));
    phone.close().await.unwrap();
    chair.close().await.unwrap();
}
