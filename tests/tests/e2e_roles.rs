//! The roles of issue 15 on the screens, in a real headless Chromium against the real server: the
//! chair hands over on the console, a vice-chair takes the chair on theirs and gives the floor, and
//! every screen says who presides; an interpreter's booth view shows who speaks now and next, in
//! which language.
//!
//! `ROSTRUM_WEB_DIR=$PWD/web-client/dist cargo test -p rostrum-tests --test e2e_roles -- --ignored`

use rostrum_tests::browser::*;
use rostrum_tests::Server;

fn vice_chair_token(server: &Server) -> String {
    server.token("vice_chair", "vice-1", "Lena Novak", &[], ("meeting", MEETING))
}

/// Clicks the console's chairing button once it reads `label`.
async fn chairing_step(browser: &fantoccini::Client, label: &str) {
    let button = format!(
        "[...document.querySelectorAll('.chairing button')].find(b => b.textContent.trim() === {})",
        serde_json::json!(label)
    );
    until(browser, label, &format!("return {button} !== undefined;")).await;
    browser.execute(&format!("{button}.click(); return true;"), vec![]).await.unwrap();
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn the_chair_hands_over_a_vice_chair_takes_the_chair_and_every_screen_says_so() {
    // Arrange: the chair's laptop, the vice-chair's laptop, the room display; Chile waits.
    let data = tempfile::tempdir().unwrap();
    let (server, _sec) = server_with_meeting(data.path()).await;
    request_floor(&server, &delegate_token(&server, "chile-1", "Ana Rojas", "Chile"), "statement", "in_room", "es")
        .await;
    let driver = Driver::start().await;
    let chair = driver.browser("chair", 1280, 900).await;
    chair.goto(&link(&server, "chair", Some(&chair_token(&server)))).await.unwrap();
    let vice = driver.browser("vice-chair", 1280, 900).await;
    vice.goto(&link(&server, "chair", Some(&vice_chair_token(&server)))).await.unwrap();
    let display = driver.browser("display", 1920, 1080).await;
    display.goto(&link(&server, "display", None)).await.unwrap();
    let waiting = until(&vice, "the vice-chair's console", &text_of(".chairing")).await;
    let next_disabled = "return document.querySelector('.floor-panel button.primary')?.disabled === true;";
    until(&vice, "the vice-chair's floor controls off", next_disabled).await;

    // Act: the chair hands over; the vice-chair takes the chair and gives the floor.
    chairing_step(&chair, "Hand over the chair").await;
    chairing_step(&vice, "Take the chair").await;
    until(
        &vice,
        "the floor controls on",
        "return document.querySelector('.floor-panel button.primary')?.disabled === false;",
    )
    .await;
    click(&vice, ".floor-panel button.primary").await;

    // Assert
    assert!(waiting.as_str().unwrap_or_default().contains("once the chair hands over"), "{waiting}");
    until(&vice, "Chile on the floor", &exists(r#".floor-panel .speaker[data-speaker="chile-1"]"#)).await;
    let shown = until(&display, "who presides", &text_of("main.display .presiding")).await;
    assert_eq!(shown, "Vice-Chair Lena Novak presides.");
    let on_chair = until(&chair, "the chair's console", &text_of(".chairing span")).await;
    assert_eq!(on_chair, "Vice-Chair Lena Novak presides.");
    until(&chair, "the chair's floor controls off", next_disabled).await;
    axe(&vice, "the vice-chair's console, presiding").await;
    axe(&chair, "the chair's console, handed over").await;
    axe(&display, "the display with a vice-chair presiding").await;

    // And the chair takes the chair back.
    chairing_step(&chair, "Take the chair back").await;
    until(&display, "the chair presides again", "return document.querySelector('main.display .presiding') === null;")
        .await;
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn the_booth_view_shows_the_speaker_and_the_next_speakers_with_their_languages() {
    // Arrange: Chile speaks in Spanish; Kenya (English) and France (French) wait.
    let data = tempfile::tempdir().unwrap();
    let (server, _sec) = server_with_meeting(data.path()).await;
    for (id, name, state, language) in [
        ("chile-1", "Ana Rojas", "Chile", "es"),
        ("kenya-1", "Peter Otieno", "Kenya", "en"),
        ("france-1", "Claire Martin", "France", "fr"),
    ] {
        request_floor(&server, &delegate_token(&server, id, name, state), "statement", "in_room", language).await;
    }
    chair_command(&server, &chair_token(&server), serde_json::json!({"type": "give_floor"})).await;
    let interpreter = server.token("interpreter", "booth-fr", "French booth", &[], ("meeting", MEETING));
    let driver = Driver::start().await;
    let booth = driver.browser("booth", 1280, 800).await;

    // Act
    booth.goto(&link(&server, "booth", Some(&interpreter))).await.unwrap();

    // Assert
    let now = until(&booth, "the speaker's language", &text_of("main.booth .current .language")).await;
    assert_eq!(now, "Speaks in Español (es)");
    let next = until(
        &booth,
        "the next speakers",
        "const l = [...document.querySelectorAll('main.booth ol.next li')]; return l.length === 2 ? \
         l.map(li => li.querySelector('.name').textContent + ': ' + li.querySelector('.language').dataset.language + \
         (li.querySelector('.language').classList.contains('change') ? ' (change)' : '')).join('; ') : null;",
    )
    .await;
    assert_eq!(next, "Peter Otieno: en (change); Claire Martin: fr (change)");
    let controls =
        booth.execute("return document.querySelectorAll('main.booth button, main.booth input').length;", vec![]);
    assert_eq!(controls.await.unwrap(), 0, "the booth view has nothing to press");
    axe(&booth, "the interpreters' booth view").await;
}
