//! The agenda on the screens (issue 15), in a real headless Chromium against the real server: the
//! chair builds a two-item agenda on the console, reorders it, gives an item its own list and takes
//! it up; the room display and a delegate's phone show the current item.
//!
//! `ROSTRUM_WEB_DIR=$PWD/web-client/dist cargo test -p rostrum-tests --test e2e_agenda -- --ignored`

use fantoccini::{Client as Browser, Locator};
use rostrum_tests::browser::*;

/// Adds an agenda item with the console's "New agenda item" form.
async fn add_item(laptop: &Browser, number: &str, title: &str) {
    fill(laptop, "details.new-item input[name=item_number]", number).await;
    fill(laptop, "details.new-item input[name=item_title]", title).await;
    click(laptop, "details.new-item button[type=submit]").await;
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn the_chair_builds_an_agenda_takes_up_an_item_and_the_display_and_the_phone_show_it() {
    // Arrange: the chair's console, the room display and a Chilean delegate's phone.
    let data = tempfile::tempdir().unwrap();
    let (server, _sec) = server_with_meeting(data.path()).await;
    let driver = Driver::start().await;
    let laptop = driver.browser("laptop", 1280, 900).await;
    laptop.goto(&link(&server, "chair", Some(&chair_token(&server)))).await.unwrap();
    until(&laptop, "the agenda panel", &exists("section.agenda-panel details.new-item")).await;
    let display = driver.browser("display", 1920, 1080).await;
    display.goto(&link(&server, "display", None)).await.unwrap();
    let phone = driver.browser("phone", 390, 844).await;
    phone.goto(&link(&server, "speak", Some(&delegate_token(&server, "chile-1", "Ana Rojas", "Chile")))).await.unwrap();

    // Act: two items, the second moved first; a list for 5(b); 5(b) taken up.
    click(&laptop, "details.new-item summary").await;
    add_item(&laptop, "5(a)", "Existing and potential threats").await;
    until(&laptop, "the first item", &exists(r#"li.agenda-row[data-item="1"]"#)).await;
    add_item(&laptop, "5(b)", "Rules, norms and principles").await;
    until(&laptop, "the second item", &exists(r#"li.agenda-row[data-item="2"]"#)).await;
    click(&laptop, r#"li.agenda-row[data-item="2"] button[aria-label^="Move up"]"#).await;
    let order = r#"return Array.from(document.querySelectorAll("li.agenda-row")).map(li => li.dataset.item).join(",") === "2,1""#;
    until(&laptop, "5(b) first", order).await;
    click(&laptop, "details.new-segment summary").await;
    fill(&laptop, "details.new-segment input[name=segment_title]", "Informal consultations").await;
    let item = laptop.find(Locator::Css("details.new-segment select[name=segment_item]")).await.unwrap();
    item.select_by_value("2").await.unwrap();
    click(&laptop, "details.new-segment button[type=submit]").await;
    let segment = until(&laptop, "the list of 5(b)", &text_of(r#"li.segment[data-segment="4"]"#)).await;
    click(&laptop, r#"li.agenda-row[data-item="2"] button.take-up"#).await;

    // Assert: every screen names the item, and its list is the active one.
    assert!(segment.as_str().unwrap_or_default().contains("Item 5(b)"), "{segment}");
    for (browser, what) in [(&laptop, "console"), (&display, "display"), (&phone, "phone")] {
        let shown = until(browser, what, &text_of(r#".agenda-item[data-item="2"]"#)).await;
        assert_eq!(shown, "Agenda item 5(b): Rules, norms and principles", "on the {what}");
    }
    until(&laptop, "the list active", &exists(r#"li.segment.active[data-segment="4"]"#)).await;
    until(&laptop, "the item current", &exists(r#"li.agenda-row.current[data-item="2"]"#)).await;
    let title = until(&display, "the segment", &text_of("main.display .segment-title")).await;
    assert!(title.as_str().unwrap_or_default().contains("Informal consultations"), "{title}");
    axe(&laptop, "the chair's console with an agenda").await;
    axe(&display, "the display with an agenda item").await;
    axe(&phone, "the phone with an agenda item").await;
    laptop.execute("document.querySelector('section.agenda-panel').scrollIntoView()", vec![]).await.unwrap();
    screenshot(&laptop, "agenda", 1280, 900).await;
    for browser in [laptop, display, phone] {
        browser.close().await.unwrap();
    }
}
