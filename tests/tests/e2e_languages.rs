//! Every screen in the six UN languages (issue 17), in a real headless Chromium: a phone and the
//! room display in Arabic (right to left, the layout mirrored, a Latin name isolated inside the
//! Arabic page) and in Chinese, with their screenshots for the README; the language picker, whose
//! choice is remembered, and the room display's choice kept apart from the other screens'; counts
//! in each language's plural forms, which the browser's `Intl.PluralRules` chooses.
//!
//! `ROSTRUM_WEB_DIR=$PWD/web-client/dist cargo test -p rostrum-tests --test e2e_languages -- --ignored`

use fantoccini::Client as Browser;
use rostrum_tests::browser::*;
use rostrum_tests::Server;
use serde_json::{json, Value};

/// Laila Haddad, in Arabic script.
const ARABIC_NAME: &str = "ليلى حداد";

/// A link to `view` with `?lang=` (before the fragment that carries the token).
fn in_language(server: &Server, view: &str, token: Option<&str>, language: &str) -> String {
    let link = link(server, view, token);
    match link.split_once('#') {
        Some((address, fragment)) => format!("{address}&lang={language}#{fragment}"),
        None => format!("{link}&lang={language}"),
    }
}

/// The document's `lang` and `dir` once the client has set them to `language`.
async fn document_in(browser: &Browser, language: &str) -> Value {
    let script = format!(
        "const h = document.documentElement; return h.lang === {} && document.querySelector('select.language') \
         ? [h.lang, h.dir, getComputedStyle(document.body).direction] : null;",
        json!(language)
    );
    until(browser, &format!("the page in {language}"), &script).await
}

/// Whether the element matching `css` sits in the left half of the window (a mirrored layout puts
/// what ends a line on the left).
async fn on_the_left(browser: &Browser, css: &str) -> bool {
    let at = layout(browser, css).await;
    at["right"].as_f64().unwrap() < at["innerWidth"].as_f64().unwrap() / 2.0
}

/// For every element matching `css` whose text is `name`: whether it is isolated and the
/// direction it resolved to; null until one shows.
fn direction_of(css: &str, name: &str) -> String {
    format!(
        "const found = [...document.querySelectorAll({})].filter(e => e.textContent.trim() === {}); \
         return found.length ? found.map(e => [getComputedStyle(e).unicodeBidi, e.matches(':dir(rtl)') ? 'rtl' : 'ltr']) : null;",
        json!(css),
        json!(name)
    )
}

/// Two delegates waiting, one named in Arabic script in the room and one in Latin script remote.
async fn meeting_with_two_waiting(data: &std::path::Path) -> (Server, String) {
    let (server, _sec) = server_with_meeting(data).await;
    let laila = delegate_token(&server, "del-lebanon", ARABIC_NAME, "Lebanon");
    let ana = delegate_token(&server, "del-chile", "Ana Rojas", "Chile");
    request_floor(&server, &laila, "statement", "in_room", "ar").await;
    request_floor(&server, &ana, "statement", "remote", "es").await;
    (server, ana)
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn the_phone_and_the_display_read_in_arabic_right_to_left_with_names_isolated() {
    // Arrange
    let data = tempfile::tempdir().unwrap();
    let (server, ana) = meeting_with_two_waiting(data.path()).await;
    let driver = Driver::start().await;
    let phone = driver.browser("phone", 390, 844).await;
    let display = driver.browser("display", 1280, 720).await;

    // Act
    phone.goto(&in_language(&server, "speak", Some(&ana), "ar")).await.unwrap();
    display.goto(&in_language(&server, "display", None, "ar")).await.unwrap();
    let phone_document = document_in(&phone, "ar").await;
    let display_document = document_in(&display, "ar").await;
    let picker = until(&phone, "the picker's label", &text_of(".language-picker .language-label")).await;
    let badge = until(&display, "a presence in Arabic", &text_of("ol.next .badge.presence.in-room")).await;
    let her_name = until(&display, "her name", &direction_of("ol.next .name", ARABIC_NAME)).await;
    let his_name = until(&display, "Chile's name", &direction_of("ol.next .name", "Ana Rojas")).await;
    let phone_mirrored = on_the_left(&phone, "select.language").await;
    let display_mirrored = on_the_left(&display, "select.language").await;
    let title = "return document.querySelector('main.display header h1').matches(':dir(ltr)');";
    let english_title_left_to_right = display.execute(title, vec![]).await.unwrap();
    axe(&phone, "the participant's view in Arabic").await;
    axe(&display, "the room display in Arabic").await;
    screenshot(&phone, "speak-ar", 390, 844).await;
    screenshot(&display, "display-ar", 1280, 720).await;

    // Assert
    assert_eq!(phone_document, json!(["ar", "rtl", "rtl"]));
    assert_eq!(display_document, json!(["ar", "rtl", "rtl"]));
    assert_eq!(picker, json!("اللغة"));
    assert!(badge.as_str().unwrap().contains("في القاعة"), "{badge}");
    assert!(phone_mirrored && display_mirrored, "the picker ends the line, on the left in Arabic");
    assert_eq!(her_name, json!([["isolate", "rtl"]]));
    assert_eq!(his_name, json!([["isolate", "ltr"]]), "a Latin name keeps its own direction in an Arabic page");
    assert_eq!(english_title_left_to_right, json!(true), "the meeting's English title reads left to right");
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn the_phone_and_the_display_read_in_chinese() {
    // Arrange
    let data = tempfile::tempdir().unwrap();
    let (server, ana) = meeting_with_two_waiting(data.path()).await;
    let driver = Driver::start().await;
    let phone = driver.browser("phone", 390, 844).await;
    let display = driver.browser("display", 1280, 720).await;

    // Act
    phone.goto(&in_language(&server, "speak", Some(&ana), "zh")).await.unwrap();
    display.goto(&in_language(&server, "display", None, "zh")).await.unwrap();
    let phone_document = document_in(&phone, "zh").await;
    let display_document = document_in(&display, "zh").await;
    let badge = until(&display, "a presence in Chinese", &text_of("ol.next .badge.presence.in-room")).await;
    let mirrored = on_the_left(&display, "select.language").await;
    axe(&phone, "the participant's view in Chinese").await;
    axe(&display, "the room display in Chinese").await;
    screenshot(&phone, "speak-zh", 390, 844).await;
    screenshot(&display, "display-zh", 1280, 720).await;

    // Assert
    assert_eq!(phone_document, json!(["zh", "ltr", "ltr"]));
    assert_eq!(display_document, json!(["zh", "ltr", "ltr"]));
    assert!(badge.as_str().unwrap().contains("在会场"), "{badge}");
    assert!(!mirrored, "left to right: the picker ends the line on the right");
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn a_count_takes_the_plural_form_of_the_pages_language() {
    // Arrange: two waiting, and a delegate who is not; the browser's Intl.PluralRules picks the form
    let data = tempfile::tempdir().unwrap();
    let (server, ana) = meeting_with_two_waiting(data.path()).await;
    let amina = delegate_token(&server, "del-kenya", "Amina Yusuf", "Kenya");
    let driver = Driver::start().await;
    let phone = driver.browser("phone", 390, 844).await;

    // Act
    let place = text_of("p.place");
    phone.goto(&in_language(&server, "speak", Some(&amina), "ar")).await.unwrap();
    let arabic_two = until(&phone, "two waiting, in Arabic", &place).await;
    phone.goto(&in_language(&server, "speak", Some(&amina), "ru")).await.unwrap();
    document_in(&phone, "ru").await;
    let russian_two = until(&phone, "two waiting, in Russian", &place).await;
    phone.goto(&in_language(&server, "speak", Some(&ana), "ar")).await.unwrap();
    document_in(&phone, "ar").await;
    let arabic_one_ahead = until(&phone, "one ahead, in Arabic", &place).await;

    // Assert: Arabic's dual and its "one" without a numeral, Russian's "few"
    assert_eq!(arabic_two, json!("متكلمان في الانتظار"));
    assert_eq!(russian_two, json!("2 оратора ожидают"));
    assert!(arabic_one_ahead.as_str().unwrap().ends_with("قبلك متكلم واحد"), "{arabic_one_ahead}");
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn the_picker_remembers_its_choice_and_the_display_keeps_its_own() {
    // Arrange: a browser whose own language is English
    let data = tempfile::tempdir().unwrap();
    let (server, ana) = meeting_with_two_waiting(data.path()).await;
    let driver = Driver::start().await;
    let laptop = driver.browser("laptop", 1280, 800).await;
    laptop.goto(&link(&server, "speak", Some(&ana))).await.unwrap();
    let first = document_in(&laptop, "en").await;

    // Act: French chosen on the phone's screen, then the page opened again; then the display
    set_value(&laptop, "select.language", "fr").await;
    let chosen = document_in(&laptop, "fr").await;
    laptop.goto(&link(&server, "speak", Some(&ana))).await.unwrap();
    let remembered = document_in(&laptop, "fr").await;
    let presence = until(&laptop, "a presence in French", &text_of(".next-speakers .badge.presence.in-room")).await;
    laptop.goto(&link(&server, "display", None)).await.unwrap();
    let display_default = document_in(&laptop, "en").await;
    set_value(&laptop, "select.language", "ru").await;
    let display_chosen = document_in(&laptop, "ru").await;
    laptop.goto(&link(&server, "speak", Some(&ana))).await.unwrap();
    let phone_again = document_in(&laptop, "fr").await;
    laptop.goto(&link(&server, "display", None)).await.unwrap();
    let display_again = document_in(&laptop, "ru").await;

    // Assert
    assert_eq!(first[0], "en");
    assert_eq!(chosen[0], "fr");
    assert_eq!(remembered[0], "fr", "the choice is remembered without ?lang=");
    assert!(presence.as_str().unwrap().contains("Dans la salle"), "{presence}");
    assert_eq!(display_default[0], "en", "the display does not follow the other screens' choice");
    assert_eq!(display_chosen[0], "ru");
    assert_eq!((phone_again[0].clone(), display_again[0].clone()), (json!("fr"), json!("ru")));
}
