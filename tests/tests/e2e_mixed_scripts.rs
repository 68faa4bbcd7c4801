//! Names in other scripts read right (issue 17's first step): a delegate whose name is written in
//! Arabic, beside names in Latin script, on the chair's console, the room display, the booth and a
//! phone. Each name is isolated (`<bdi>`, or `dir="auto"` on a line of its own), so that it takes its
//! own direction and does not reorder the English around it. In a real headless Chromium.
//!
//! `ROSTRUM_WEB_DIR=$PWD/web-client/dist cargo test -p rostrum-tests --test e2e_mixed_scripts -- --ignored`

use fantoccini::Client as Browser;
use rostrum_tests::browser::*;
use serde_json::{json, Value};

/// Laila Haddad, in Arabic script.
const ARABIC_NAME: &str = "ليلى حداد";

/// The Arab Network for Digital Rights, in Arabic script.
const ORGANISATION: &str = "الشبكة العربية للحقوق الرقمية";

/// For every element matching `css` whose text is the Arabic name (or the organisation's): its tag, whether it is isolated
/// (`unicode-bidi: isolate`) and whether its direction resolved to right-to-left; null until one
/// shows.
fn isolation_of(css: &str) -> String {
    format!(
        "const found = [...document.querySelectorAll({css})].filter(e => [{name}, {organisation}].includes(e.textContent.trim())); \
         return found.length ? found.map(e => [e.tagName.toLowerCase(), getComputedStyle(e).unicodeBidi, e.matches(':dir(rtl)')]) : null;",
        css = json!(css),
        name = json!(ARABIC_NAME),
        organisation = json!(ORGANISATION),
    )
}

async fn isolated(browser: &Browser, what: &str, css: &str) -> Vec<Value> {
    let found = until(browser, what, &isolation_of(css)).await;
    found.as_array().expect("a list").clone()
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn a_name_in_arabic_script_is_isolated_and_right_to_left_on_every_screen_that_shows_it() {
    // Arrange: Lebanon's delegate (in Arabic script) and Chile's ask for the floor
    let data = tempfile::tempdir().unwrap();
    let (server, _sec) = server_with_meeting(data.path()).await;
    let laila = delegate_token(&server, "del-lebanon", ARABIC_NAME, "Lebanon");
    let ana = delegate_token(&server, "del-chile", "Ana Rojas", "Chile");
    request_floor(&server, &laila, "statement", "in_room", "ar").await;
    request_floor(&server, &ana, "statement", "remote", "es").await;
    let driver = Driver::start().await;
    let chair = driver.browser("chair", 1280, 900).await;
    let display = driver.browser("display", 1280, 720).await;
    let booth = driver.browser("booth", 1024, 768).await;
    let phone = driver.browser("phone", 390, 844).await;

    // Act: the lists, then the floor given to her
    chair.goto(&link(&server, "chair", Some(&chair_token(&server)))).await.unwrap();
    display.goto(&link(&server, "display", None)).await.unwrap();
    let interpreter = server.token("interpreter", "booth-ar", "Arabic booth", &[], ("meeting", MEETING));
    booth.goto(&link(&server, "booth", Some(&interpreter))).await.unwrap();
    phone.goto(&link(&server, "speak", Some(&ana))).await.unwrap();
    let waiting = [
        isolated(&chair, "her name in the chair's list", "table.speakers .name").await,
        isolated(&display, "her name on the display's list", "ol.next .name").await,
        isolated(&booth, "her name in the booth's list", "ol.next .name").await,
        isolated(&phone, "her name among the next speakers", ".next-speakers .name").await,
    ];
    axe(&chair, "the chair's console with a name in Arabic script").await;
    chair_command(&server, &chair_token(&server), json!({"type": "give_floor"})).await;
    let speaking = [
        isolated(&chair, "her name on the floor", ".floor-panel .name").await,
        isolated(&display, "her name on the display's floor", ".current .name").await,
        isolated(&booth, "her name on the booth's floor", ".current .name").await,
    ];

    // Assert: each isolated and right to left, and the Latin names around it left to right
    for found in waiting.iter().chain(&speaking) {
        for element in found {
            assert_eq!((&element[1], &element[2]), (&json!("isolate"), &json!(true)), "{found:?}");
        }
    }
    let chile = until(
        &display,
        "Chile's name",
        "const e = [...document.querySelectorAll('ol.next .name')].find(e => e.textContent.trim() === 'Ana Rojas'); return e ? e.matches(':dir(ltr)') : null;",
    )
    .await;
    assert_eq!(chile, json!(true));
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn a_statement_and_an_organisation_in_arabic_script_read_right_to_left_on_the_portal_and_the_public_list() {
    // Arrange: Lebanon's delegation submits a statement in Arabic, with parentheses and a full stop
    let data = tempfile::tempdir().unwrap();
    let (server, _sec) = server_with_meeting(data.path()).await;
    server.process("oewg", "2099-12-31").await;
    let lebanon =
        server.token("delegate", "del-lebanon", ARABIC_NAME, &[("delegation", "Lebanon")], ("process", "oewg"));
    let statement = json!({"title": "مساهمة بشأن بناء القدرات (البند 5)", "language": "ar",
        "text": "نقترح إنشاء مراكز إقليمية (في كل منطقة).\n\nانظر تقريرنا."});
    let (status, body) = server.http("POST", "/api/processes/oewg/statements", Some(&lebanon), Some(&statement)).await;
    assert_eq!(status, 201, "statement: {body}");
    let id = body["id"].as_str().expect("the statement's id").to_string();
    server.accredited("oewg", ORGANISATION).await;
    let driver = Driver::start().await;
    let browser = driver.browser("pages", 1280, 900).await;

    // Act
    browser.goto(&format!("{}/portal?process=oewg", server.url())).await.unwrap();
    let title_in_list = until(
        &browser,
        "the statement in the portal's list",
        "const a = document.querySelector('li.statement a.statement-title'); return a ? [a.lang, a.matches(':dir(rtl)')] : null;",
    )
    .await;
    browser.goto(&format!("{}/statement?id={id}", server.url())).await.unwrap();
    let page = until(
        &browser,
        "the statement's page",
        "const h = document.querySelector('.statement-body h1'); const t = document.querySelector('.statement-text'); \
         return h && t ? [h.lang, h.matches(':dir(rtl)'), t.lang, [...t.querySelectorAll('p')].every(p => p.matches(':dir(rtl)'))] : null;",
    )
    .await;
    axe(&browser, "a statement in Arabic").await;
    browser.goto(&format!("{}/accreditation?process=oewg", server.url())).await.unwrap();
    let organisation = isolated(&browser, "the organisation on the public list", "bdi").await;

    // Assert
    assert_eq!(title_in_list, json!(["ar", true]));
    assert_eq!(page, json!(["ar", true, "ar", true]));
    assert_eq!(organisation, [json!(["bdi", "isolate", true])]);
}
