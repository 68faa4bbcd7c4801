//! The chair's console under pressure (issue 13), in a real headless Chromium against the real
//! server: shortcuts that never press the focused button nor fire while typing, a selection that
//! stays in view, removals that can be undone and are explained to the removed person, a withdraw
//! that asks first, and a console whose floor and timer stay in view beside a long list; printed,
//! the console is the list of speakers and the record on paper, without controls, naming who gave
//! and who ended each floor.
//!
//! `ROSTRUM_WEB_DIR=$PWD/web-client/dist cargo test -p rostrum-tests --test e2e_chair_console -- --ignored`

use std::time::Duration;

use fantoccini::key::Key;
use rostrum_tests::browser::*;
use serde_json::json;

/// Whether a button of the floor panel starts with `words`.
fn floor_button(words: &str) -> String {
    format!(
        "return [...document.querySelectorAll('.floor-panel button')].some(b => b.textContent.trim().startsWith({}));",
        json!(words)
    )
}

fn on_the_floor(speaker: &str) -> String {
    exists(&format!(r#".floor-panel .speaker[data-speaker="{speaker}"]"#))
}

fn gone(css: &str) -> String {
    format!("return document.querySelector({}) === null;", json!(css))
}

fn waiting(speaker: &str) -> String {
    exists(&format!(r#"tr.entry[data-speaker="{speaker}"]"#))
}

/// A meeting where Chile (in the room) and then Kenya (remote) wait, and the chair's console on a
/// laptop showing them both. The driver is returned to keep the browser alive.
async fn chair_with_chile_and_kenya_waiting(
    data: &std::path::Path,
) -> (rostrum_tests::Server, Driver, fantoccini::Client) {
    let (server, _) = server_with_meeting(data).await;
    request_floor(&server, &delegate_token(&server, "chile-1", "Ana Rojas", "Chile"), "statement", "in_room", "es")
        .await;
    request_floor(&server, &delegate_token(&server, "kenya-1", "Peter Otieno", "Kenya"), "statement", "remote", "en")
        .await;
    let driver = Driver::start().await;
    let chair = driver.browser("chair", 1440, 900).await;
    chair.goto(&link(&server, "chair", Some(&chair_token(&server)))).await.unwrap();
    until(&chair, "Kenya on the list", &waiting("kenya-1")).await;
    (server, driver, chair)
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn after_a_mouse_click_on_next_speaker_space_pauses_and_does_not_give_the_floor_again() {
    // Arrange: two waiting; the chair calls the first with a click, so the button keeps the focus.
    let data = tempfile::tempdir().unwrap();
    let (_server, _driver, chair) = chair_with_chile_and_kenya_waiting(data.path()).await;
    click(&chair, ".floor-panel button.primary").await;
    until(&chair, "Chile on the floor", &on_the_floor("chile-1")).await;
    let focused =
        chair.execute("return document.activeElement.matches('.floor-panel button.primary');", vec![]).await.unwrap();
    assert_eq!(focused, json!(true), "the click left the focus on Next speaker");

    // Act: Space, the pause key.
    press_key(&chair, Key::Space).await;

    // Assert: the clock is paused and Chile keeps the floor; Kenya still waits.
    until(&chair, "the Resume button of a paused clock", &floor_button("Resume")).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    until(&chair, "Chile still on the floor", &on_the_floor("chile-1")).await;
    until(&chair, "Kenya still waiting", &waiting("kenya-1")).await;
    chair.close().await.unwrap();
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn after_adding_a_speaker_enter_gives_them_the_floor_instead_of_submitting_the_emptied_form() {
    // Arrange: the chair adds a delegate with the form, submitting it with Enter.
    let data = tempfile::tempdir().unwrap();
    let (server, _) = server_with_meeting(data.path()).await;
    let driver = Driver::start().await;
    let chair = driver.browser("chair", 1440, 900).await;
    chair.goto(&link(&server, "chair", Some(&chair_token(&server)))).await.unwrap();
    until(&chair, "the empty list", &exists(r#"[data-list="empty"]"#)).await;
    fill(&chair, r#"input[name="speaker-name"]"#, "María López").await;
    fill(&chair, r#"input[name="speaker-affiliation"]"#, "Peru").await;
    press_key(&chair, Key::Enter).await;
    until(&chair, "María López selected in the list", &text_of("tr.entry.selected .name")).await;
    let in_form =
        chair.execute("return document.activeElement.closest('form.add-speaker') !== null;", vec![]).await.unwrap();
    assert_eq!(in_form, json!(false), "the focus left the form");

    // Act: Enter again.
    press_key(&chair, Key::Enter).await;

    // Assert: she has the floor, and the form said nothing about a missing name.
    let speaker = until(&chair, "a speaker on the floor", &text_of(".floor-panel .speaker .name")).await;
    assert_eq!(speaker, json!("María López"));
    let problem = chair.execute(&text_of(".add-panel .problem"), vec![]).await.unwrap();
    assert!(problem.as_str().unwrap_or_default().is_empty(), "the empty form was submitted: {problem}");
    chair.close().await.unwrap();
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn the_selected_row_stays_in_view_after_twenty_five_presses_of_down() {
    // Arrange: thirty waiting.
    let data = tempfile::tempdir().unwrap();
    let (server, _) = server_with_meeting(data.path()).await;
    add_speakers(&server, 30).await;
    let driver = Driver::start().await;
    let chair = driver.browser("chair", 1440, 900).await;
    chair.goto(&link(&server, "chair", Some(&chair_token(&server)))).await.unwrap();
    until(&chair, "thirty on the list", "return document.querySelectorAll('tr.entry').length === 30;").await;

    // Act: ↓ twenty-five times.
    for _ in 0..25 {
        press_key(&chair, Key::Down).await;
    }

    // Assert: the 25th is selected, announced, and in view.
    until(&chair, "the 25th selected", &exists(r#"tr.entry.selected[data-speaker="speaker-25"]"#)).await;
    until(&chair, "the selected row in view", &in_view("tr.entry.selected")).await;
    let announced = chair
        .execute(
            "const row = document.querySelector('tr.entry.selected'); \
             const grid = row.closest('[role=grid]'); \
             return row.getAttribute('aria-selected') === 'true' && grid !== null \
                 && grid.getAttribute('aria-activedescendant') === row.id;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(announced, json!(true), "the selected row is the grid's active descendant");
    chair.close().await.unwrap();
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn a_removal_can_be_undone_within_five_seconds_and_otherwise_the_removed_delegate_is_told_why() {
    // Arrange: Chile (watching on her phone) and Kenya wait; the chair selects Chile.
    let data = tempfile::tempdir().unwrap();
    let (server, _) = server_with_meeting(data.path()).await;
    let chile = delegate_token(&server, "chile-1", "Ana Rojas", "Chile");
    request_floor(&server, &chile, "statement", "in_room", "es").await;
    request_floor(&server, &delegate_token(&server, "kenya-1", "Peter Otieno", "Kenya"), "statement", "remote", "en")
        .await;
    let driver = Driver::start().await;
    let phone = driver.browser("chile", 390, 844).await;
    phone.goto(&link(&server, "speak", Some(&chile))).await.unwrap();
    until(&phone, "Chile first in the list", &exists(r#".position[data-position="1"]"#)).await;
    let chair = driver.browser("chair", 1440, 900).await;
    chair.goto(&link(&server, "chair", Some(&chair_token(&server)))).await.unwrap();
    until(&chair, "Kenya on the list", &waiting("kenya-1")).await;
    press_key(&chair, Key::Down).await;
    until(&chair, "Chile selected", &exists(r#"tr.entry.selected[data-speaker="chile-1"]"#)).await;

    // Act and assert: Del marks her as being removed, with Undo; U undoes it, and nothing is sent.
    press_key(&chair, Key::Delete).await;
    let removing = until(&chair, "Chile being removed", &text_of(r#"tr.entry.removing[data-speaker="chile-1"]"#)).await;
    assert!(removing.as_str().unwrap().contains("Undo"), "no Undo on the row: {removing}");
    press(&chair, 'u').await;
    until(&chair, "the removal undone", &gone("tr.entry.removing")).await;
    tokio::time::sleep(Duration::from_secs(6)).await;
    until(&chair, "Chile still on the list", &waiting("chile-1")).await;
    until(&phone, "Chile still first", &exists(r#".position[data-position="1"]"#)).await;

    // Act: Del again, and N while she is being removed.
    press_key(&chair, Key::Delete).await;
    until(&chair, "Chile being removed again", &exists(r#"tr.entry.removing[data-speaker="chile-1"]"#)).await;
    press(&chair, 'n').await;

    // Assert: N skipped her; after the grace she is gone, and her phone says why.
    until(&chair, "Kenya given the floor", &on_the_floor("kenya-1")).await;
    until(&chair, "Chile off the list", &gone(r#"tr.entry[data-speaker="chile-1"]"#)).await;
    let notice = until(&phone, "the removal notice", &text_of(".removed-notice p")).await;
    assert_eq!(notice, json!("The chair removed your request: Removed by the chair"));
    phone.close().await.unwrap();
    chair.close().await.unwrap();
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn withdraw_asks_for_confirmation_and_keep_it_keeps_the_request() {
    // Arrange: Chile waits, on her phone.
    let data = tempfile::tempdir().unwrap();
    let (server, _) = server_with_meeting(data.path()).await;
    let chile = delegate_token(&server, "chile-1", "Ana Rojas", "Chile");
    request_floor(&server, &chile, "statement", "in_room", "es").await;
    let driver = Driver::start().await;
    let phone = driver.browser("chile", 390, 844).await;
    phone.goto(&link(&server, "speak", Some(&chile))).await.unwrap();
    until(&phone, "Chile first in the list", &exists(r#".position[data-position="1"]"#)).await;

    // Act: Withdraw, then Keep it.
    click(&phone, r#".request [data-action="withdraw"]"#).await;
    let question = until(&phone, "the question", &text_of(".request .confirm-withdraw .question")).await;
    click(&phone, r#".request [data-action="keep-request"]"#).await;

    // Assert: asked first, and kept.
    assert_eq!(question, json!("Withdraw your request?"));
    until(&phone, "the Withdraw button again", &exists(r#".request [data-action="withdraw"]"#)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    until(&phone, "Chile still first", &exists(r#".position[data-position="1"]"#)).await;

    // Act and assert: Withdraw, Yes: the request goes, and she may ask again.
    click(&phone, r#".request [data-action="withdraw"]"#).await;
    click(&phone, r#".request [data-action="confirm-withdraw"]"#).await;
    until(&phone, "the Ask button", &exists(r#"[data-action="ask"]"#)).await;
    phone.close().await.unwrap();
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn with_thirty_waiting_the_floor_panel_and_timer_stay_in_view_while_the_list_scrolls() {
    // Arrange: thirty waiting, the first of them speaking, on a 1440×900 laptop.
    let data = tempfile::tempdir().unwrap();
    let (server, _) = server_with_meeting(data.path()).await;
    add_speakers(&server, 30).await;
    let driver = Driver::start().await;
    let chair = driver.browser("chair", 1440, 900).await;
    chair.goto(&link(&server, "chair", Some(&chair_token(&server)))).await.unwrap();
    until(&chair, "thirty on the list", "return document.querySelectorAll('tr.entry').length === 30;").await;
    click(&chair, ".floor-panel button.primary").await;
    until(&chair, "the countdown", &exists(".floor-panel .countdown")).await;

    // Assert: the list scrolls in its own region, and the segments start within a screen and a bit.
    let own_region = "const list = document.querySelector('.list-panel .list-scroll'); \
                      return list !== null && list.scrollHeight > list.clientHeight + 200;";
    until(&chair, "a list that scrolls in its own region", own_region).await;
    let segments_at = chair
        .execute(
            "return document.querySelector('.segments-panel').getBoundingClientRect().top + window.scrollY;",
            vec![],
        )
        .await
        .unwrap();
    assert!(segments_at.as_f64().unwrap() < 1.25 * 900.0, "the segments start {segments_at} px down");

    // Act: scroll the page down to the record.
    chair.execute("document.querySelector('.record-panel').scrollIntoView({block: 'end'});", vec![]).await.unwrap();

    // Assert: the floor panel's timer is still in view.
    let scrolled = chair.execute("return window.scrollY;", vec![]).await.unwrap();
    assert!(scrolled.as_f64().unwrap() > 0.0, "the page did not scroll");
    until(&chair, "the countdown in view", &in_view(".floor-panel .countdown")).await;
    chair.close().await.unwrap();
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn a_removal_started_with_the_mouse_keeps_its_reason_field_its_focus_and_its_text_while_requests_arrive() {
    // Arrange: Chile and Kenya wait; the chair starts removing Chile and writes a reason of her own.
    let data = tempfile::tempdir().unwrap();
    let (server, _driver, chair) = chair_with_chile_and_kenya_waiting(data.path()).await;
    click(&chair, r#"tr.entry[data-speaker="chile-1"] [data-action="remove"]"#).await;
    let reasons = r#"tr.entry.removing[data-speaker="chile-1"] select"#;
    until(&chair, "the reasons", &exists(reasons)).await;
    chair
        .execute(
            "const s = document.querySelector(arguments[0]); s.value = 'other'; \
             s.dispatchEvent(new Event('change', {bubbles: true})); return true;",
            vec![json!(reasons)],
        )
        .await
        .unwrap();
    let field = r#"tr.entry.removing[data-speaker="chile-1"] td.reason input"#;
    click(&chair, field).await;
    chair.active_element().await.unwrap().send_keys("Spoke out of").await.unwrap();

    // Act: Peru asks for the floor while the chair is typing, and the chair goes on typing.
    request_floor(&server, &delegate_token(&server, "peru-1", "Luis Paz", "Peru"), "statement", "remote", "es").await;
    until(&chair, "Peru on the list", &waiting("peru-1")).await;
    chair.active_element().await.unwrap().send_keys(" turn").await.unwrap();

    // Assert: the field kept the focus and every letter.
    let typed = chair
        .execute(
            "const f = document.querySelector(arguments[0]); return [document.activeElement === f, f.value];",
            vec![json!(field)],
        )
        .await
        .unwrap();
    assert_eq!(typed, json!([true, "Spoke out of turn"]));
    chair.close().await.unwrap();
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn printed_the_console_is_the_list_of_speakers_and_the_record_without_controls() {
    // Arrange: a meeting where Chile has spoken and two delegations wait.
    let data = tempfile::tempdir().unwrap();
    let (server, _) = server_with_meeting(data.path()).await;
    for (id, name, state) in
        [("chile-1", "Ana Rojas", "Chile"), ("kenya-1", "Wanjiru Kamau", "Kenya"), ("fiji-1", "Sera Tui", "Fiji")]
    {
        request_floor(&server, &delegate_token(&server, id, name, state), "statement", "in_room", "en").await;
    }
    chair_command(&server, &chair_token(&server), json!({"type": "give_floor"})).await;
    chair_command(&server, &chair_token(&server), json!({"type": "end_floor"})).await;
    let driver = Driver::start().await;
    let chair = driver.browser("chair", 1280, 900).await;
    chair.goto(&link(&server, "chair", Some(&chair_token(&server)))).await.unwrap();
    until(&chair, "the record", &exists("table.record tbody tr")).await;

    // Act: the page as the printer lays it out.
    cdp(&chair, "Emulation.setEmulatedMedia", json!({"media": "print"})).await;

    // Assert: no control is shown; the list, the record and the meeting's title are.
    let shown = |css: &str| {
        format!(
            "return [...document.querySelectorAll({})].filter(e => e.getClientRects().length > 0).length;",
            json!(css)
        )
    };
    let controls = chair
        .execute(&shown("main.chair button, main.chair input, main.chair select, footer.legend"), vec![])
        .await
        .unwrap();
    assert_eq!(controls, json!(0), "controls on paper");
    for (what, css) in
        [("title", "main.chair header h1"), ("waiting", "table.speakers tr.entry"), ("spoken", "table.record tbody tr")]
    {
        let count = chair.execute(&shown(css), vec![]).await.unwrap();
        assert!(count.as_u64().unwrap_or(0) > 0, "{what} on paper: {count}");
    }
    let waiting = chair.execute(&shown("table.speakers tr.entry"), vec![]).await.unwrap();
    assert_eq!(waiting, json!(2));
    let moderation = until(&chair, "who gave the floor", &text_of("table.record tbody tr td.moderation")).await;
    assert_eq!(moderation.as_str(), Some("H.E. Ms. Amina Diallo"), "the record names who gave and ended the floor");
    chair.close().await.unwrap();
}
