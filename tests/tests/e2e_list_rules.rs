//! The UN's list rules on the screens (issue 15), in a real headless Chromium against the real
//! server: the chair sets a longest list in the "New segment" form, and when it is full the chair's
//! console marks it and a participant's phone says that only points of order are taken.
//!
//! `ROSTRUM_WEB_DIR=$PWD/web-client/dist cargo test -p rostrum-tests --test e2e_list_rules -- --ignored`

use rostrum_tests::browser::*;
use serde_json::json;

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn a_segment_with_a_longest_list_set_by_the_chair_says_when_it_is_full_on_the_console_and_the_phone() {
    // Arrange: the chair's console and a Kenyan delegate's phone.
    let data = tempfile::tempdir().unwrap();
    let (server, sec) = server_with_meeting(data.path()).await;
    let driver = Driver::start().await;
    let laptop = driver.browser("laptop", 1280, 900).await;
    laptop.goto(&link(&server, "chair", Some(&chair_token(&server)))).await.unwrap();
    until(&laptop, "the console", &exists("details.new-segment")).await;

    // Act: the chair creates a segment that takes at most one waiting request; it is opened and
    // Chile fills it.
    click(&laptop, "details.new-segment summary").await;
    fill(&laptop, "details.new-segment input[name=segment_title]", "Informal consultations").await;
    fill(&laptop, "details.new-segment input[name=segment_max_waiting]", "1").await;
    click(&laptop, "details.new-segment button[type=submit]").await;
    let segment = r#"li.segment[data-segment="4"]"#;
    let described = until(&laptop, "the new segment", &text_of(segment)).await;
    chair_command(&server, &sec, json!({"type": "activate_segment", "segment": 4})).await;
    request_floor(&server, &delegate_token(&server, "chile-1", "Ana Rojas", "Chile"), "statement", "in_room", "es")
        .await;
    let phone = driver.browser("phone", 390, 844).await;
    phone
        .goto(&link(&server, "speak", Some(&delegate_token(&server, "kenya-1", "Wanjiru Kamau", "Kenya"))))
        .await
        .unwrap();

    // Assert: the console says how long the list may be and that it is full; the phone says why a
    // statement is not taken, and still offers the request (a point of order is taken).
    assert!(described.as_str().unwrap_or_default().contains("of at most 1"), "{described}");
    until(&laptop, "the full mark", &exists(".list-head .badge.full")).await;
    let note = until(&phone, "the note", &text_of("main.participant .why-not")).await;
    assert!(note.as_str().unwrap_or_default().contains("full (at most 1 waiting)"), "{note}");
    until(&phone, "the request form", &exists(r#"button[data-action="ask"]"#)).await;
    axe(&phone, "a full list on the phone").await;
    laptop.close().await.unwrap();
    phone.close().await.unwrap();
}
