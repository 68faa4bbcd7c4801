//! The UN's list rules on the screens (issue 15), in a real headless Chromium against the real
//! server: the chair sets a longest list in the "New segment" form, and when it is full the chair's
//! console marks it and a participant's phone says that only points of order are taken; the chair
//! sets a limit per kind, a cap per delegation and an opening time in the meeting's time, and the
//! console and the phone state them.
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

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn the_chair_sets_the_uns_list_rules_in_meeting_time_and_the_console_and_the_phone_state_them() {
    // Arrange: a meeting held in Zurich (UTC+1 in January); the chair's console.
    let data = tempfile::tempdir().unwrap();
    let (server, sec) = server_with_meeting_in(data.path(), "Europe/Zurich").await;
    let driver = Driver::start().await;
    let laptop = driver.browser("laptop", 1280, 900).await;
    laptop.goto(&link(&server, "chair", Some(&chair_token(&server)))).await.unwrap();
    until(&laptop, "the console", &exists("details.new-segment")).await;

    // Act: a list with replies of 2 min then 1 min, one statement per delegation, opening at 10:00
    // Zurich time on 15 January 2030; it is made the active list.
    click(&laptop, "details.new-segment summary").await;
    fill(&laptop, "details.new-segment input[name=segment_title]", "General exchange, item 5(b)").await;
    fill(&laptop, "details.new-segment input[name=segment_reply_limit]", "120").await;
    fill(&laptop, "details.new-segment input[name=segment_second_reply_limit]", "60").await;
    fill(&laptop, "details.new-segment input[name=segment_statements_cap]", "1").await;
    let opening = r#"const e = document.querySelector('input[name="segment_opens_at"]'); e.value = '2030-01-15T10:00';
        e.dispatchEvent(new Event('input', {bubbles: true})); return true;"#;
    laptop.execute(opening, vec![]).await.unwrap();
    click(&laptop, "details.new-segment button[type=submit]").await;
    let segment = r#"li.segment[data-segment="2"]"#;
    let described = until(&laptop, "the new segment", &text_of(segment)).await;
    chair_command(&server, &sec, json!({"type": "activate_segment", "segment": 2})).await;
    let phone = driver.browser("phone", 390, 844).await;
    phone
        .goto(&link(&server, "speak", Some(&delegate_token(&server, "kenya-1", "Wanjiru Kamau", "Kenya"))))
        .await
        .unwrap();

    // Assert: the server holds the opening as 09:00 UTC; the console states every rule; the phone
    // says when the list opens, in the meeting's time, and still offers a point of order.
    let state = server.state(MEETING, &sec).await;
    let spec = &state.segment(shared::SegmentId(2)).expect("the new segment").spec;
    assert_eq!(spec.opens_at.map(shared::report::utc).as_deref(), Some("2030-01-15T09:00:00.000Z"));
    assert_eq!(
        (spec.right_of_reply_secs, spec.second_reply_secs, spec.statements_per_delegation),
        (Some(120), Some(60), Some(1))
    );
    let described = described.as_str().unwrap_or_default().to_string();
    for rule in ["rights of reply 2 min, a second 1 min", "at most 1 statement per delegation", "List opens at 10:00"] {
        assert!(described.contains(rule), "{rule} in {described}");
    }
    let note = until(&phone, "the note", &text_of("main.participant .why-not")).await;
    let note = note.as_str().unwrap_or_default();
    assert!(note.contains("opens at 10:00 Zurich time") && note.contains("points of order"), "{note}");
    until(&phone, "the request form", &exists(r#"button[data-action="ask"]"#)).await;
    axe(&laptop, "the list rules on the console").await;
    axe(&phone, "a list not open yet on the phone").await;
    laptop.close().await.unwrap();
    phone.close().await.unwrap();
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn a_statement_for_a_group_with_a_note_typed_on_the_phone_shows_on_the_chairs_list_and_the_display() {
    // Arrange: a Kenyan delegate's phone, the chair's console and the room display.
    let data = tempfile::tempdir().unwrap();
    let (server, _sec) = server_with_meeting(data.path()).await;
    let driver = Driver::start().await;
    let phone = driver.browser("phone", 390, 844).await;
    phone
        .goto(&link(&server, "speak", Some(&delegate_token(&server, "kenya-1", "Wanjiru Kamau", "Kenya"))))
        .await
        .unwrap();
    let laptop = driver.browser("laptop", 1280, 900).await;
    laptop.goto(&link(&server, "chair", Some(&chair_token(&server)))).await.unwrap();
    let display = driver.browser("display", 1920, 1080).await;
    display.goto(&link(&server, "display", None)).await.unwrap();

    // Act: she asks for the floor on behalf of the African Group, with a note.
    let group = r#"const s = document.querySelector('select[name="group"]'); s.value = 'african_group';
        s.dispatchEvent(new Event('change', {bubbles: true})); return true;"#;
    until(&phone, "the group field", &exists(r#"select[name="group"]"#)).await;
    phone.execute(group, vec![]).await.unwrap();
    fill(&phone, "input[name=request_note]", "on 5(b)").await;
    axe(&phone, "the request form with a note").await;
    click(&phone, r#"button[data-action="ask"]"#).await;

    // Assert
    let row = r#"tr[data-speaker="kenya-1"] .request-note"#;
    let on_console = until(&laptop, "the note on the chair's list", &text_of(row)).await;
    assert_eq!(on_console.as_str(), Some("Note: on 5(b)"));
    let on_display = until(&display, "the note on the display", &text_of("ol.next .request-note")).await;
    assert_eq!(on_display.as_str(), Some("Note: on 5(b)"));
    let row = r#"tr[data-speaker="kenya-1"] .request-group"#;
    let group = until(&laptop, "the group on the chair's list", &text_of(row)).await;
    assert_eq!(group.as_str(), Some("On behalf of: Group of African States"));
    for browser in [phone, laptop, display] {
        browser.close().await.unwrap();
    }
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn the_chair_adds_a_delegate_speaking_for_a_group_with_a_note_and_the_list_says_so() {
    // Arrange: the chair's console.
    let data = tempfile::tempdir().unwrap();
    let (server, sec) = server_with_meeting(data.path()).await;
    let driver = Driver::start().await;
    let laptop = driver.browser("laptop", 1280, 900).await;
    laptop.goto(&link(&server, "chair", Some(&chair_token(&server)))).await.unwrap();
    until(&laptop, "the empty list", &exists(r#"[data-list="empty"]"#)).await;

    // Act: Egypt's delegate raised the flag for the African Group; the chair adds her.
    fill(&laptop, r#"input[name="speaker-name"]"#, "Nadia Farouk").await;
    fill(&laptop, r#"input[name="speaker-affiliation"]"#, "Egypt").await;
    let group = r#"const s = document.querySelector('form.add-speaker select[name="group"]'); s.value = 'african_group';
        s.dispatchEvent(new Event('change', {bubbles: true})); return true;"#;
    laptop.execute(group, vec![]).await.unwrap();
    fill(&laptop, r#"input[name="speaker-note"]"#, "on 5(a)").await;
    axe(&laptop, "the add-a-speaker form with a group and a note").await;
    click(&laptop, "form.add-speaker button[type=submit]").await;

    // Assert: the list and the server say it; the note field is emptied for the next one.
    let details = until(&laptop, "the group on the list", &text_of("tr.entry .request-group")).await;
    assert_eq!(details.as_str(), Some("On behalf of: Group of African States"));
    assert_eq!(
        until(&laptop, "the note on the list", &text_of("tr.entry .request-note")).await.as_str(),
        Some("Note: on 5(a)")
    );
    let state = server.state(MEETING, &sec).await;
    let entry = &state.active().unwrap().entries[0];
    assert_eq!((entry.group.as_deref(), entry.note.as_deref()), (Some("african_group"), Some("on 5(a)")));
    let emptied =
        laptop.execute(r#"return document.querySelector('input[name="speaker-note"]').value;"#, vec![]).await.unwrap();
    assert_eq!(emptied, serde_json::json!(""));
    laptop.close().await.unwrap();
}
