//! The secretariat's console walked from nothing (issue 15), in a real headless Chromium against
//! the real server: a process, a meeting with a date, a time zone and a room, an agenda of two
//! items each with a list of speakers, links for ten delegations and the chair, a sheet of QR
//! codes; then the chair runs both items with the links the console gave.
//!
//! `ROSTRUM_WEB_DIR=$PWD/web-client/dist cargo test -p rostrum-tests --test e2e_secretariat -- --ignored`

use fantoccini::Client as Browser;
use rostrum_tests::browser::*;
use rostrum_tests::{command, Client, TEN_DELEGATIONS as TEN};
use serde_json::json;

/// Adds an agenda item on the console's meeting page and waits for it.
async fn add_item(browser: &Browser, number: &str, title: &str, id: u32) {
    fill(browser, "form.new-item input[name=item_number]", number).await;
    fill(browser, "form.new-item input[name=item_title]", title).await;
    click(browser, "form.new-item button[type=submit]").await;
    until(browser, &format!("item {number}"), &exists(&format!(r#"li.agenda-row[data-item="{id}"]"#))).await;
}

/// Adds a list of speakers to item `id` and waits until the item shows it.
async fn add_list(browser: &Browser, id: u32, title: &str) {
    let form = format!(r#"li.agenda-row[data-item="{id}"] form.new-list"#);
    fill(browser, &format!("{form} input[name=list_title]"), title).await;
    click(browser, &format!("{form} button[type=submit]")).await;
    until(
        browser,
        &format!("the list of item {id}"),
        &exists(&format!(r#"li.agenda-row[data-item="{id}"] ul.lists li"#)),
    )
    .await;
}

/// The address in the links table's row for `who` (its accessible name ends with it).
async fn link_of(browser: &Browser, who: &str) -> String {
    let script = format!(
        "const i = [...document.querySelectorAll('table.links input.personal-link')].find(i => i.getAttribute('aria-label') === {}); return i ? i.value : null;",
        json!(format!("Link of {who}"))
    );
    until(browser, &format!("the link of {who}"), &script).await.as_str().expect("an address").to_string()
}

fn token_in(address: &str) -> String {
    address.split_once("#token=").expect("a token in the fragment").1.to_string()
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn the_secretariat_prepares_a_two_item_meeting_with_links_for_ten_delegations_and_the_chair_runs_both_items() {
    // Arrange: a server with nothing on it, and the secretariat's link.
    let data = tempfile::tempdir().unwrap();
    let (server, sec) = server_with_web_only(data.path()).await;
    let driver = Driver::start().await;
    let desk = driver.browser("secretariat", 1280, 1000).await;
    desk.goto(&format!("{}/secretariat#token={sec}", server.url())).await.unwrap();

    // Act 1: a process, then a meeting of it.
    until(&desk, "the processes", &exists("form.new-process")).await;
    axe(&desk, "the console with no process").await;
    fill(&desk, "input[name=process_id]", "oewg-ict").await;
    fill(&desk, "input[name=process_title]", "Open-ended working group on ICT security").await;
    set_value(&desk, "input[name=process_deadline]", "2099-03-01").await;
    click(&desk, "form.new-process button[type=submit]").await;
    until(&desk, "the new process", &exists(r#"li[data-process="oewg-ict"] a"#)).await;
    click(&desk, r#"li[data-process="oewg-ict"] a"#).await;
    until(&desk, "the meetings of the process", &exists("form.new-meeting")).await;
    fill(&desk, "input[name=meeting_id]", "s9-m3").await;
    fill(&desk, "input[name=meeting_title]", "Ninth session, 3rd meeting").await;
    set_value(&desk, "input[name=meeting_starts]", "2099-03-04T10:00").await;
    fill(&desk, "input[name=meeting_zone]", "Europe/Zurich").await;
    fill(&desk, "input[name=meeting_room]", "Conference Room XIX").await;
    click(&desk, "form.new-meeting button[type=submit]").await;
    let row = until(&desk, "the new meeting", &text_of(r#"li[data-meeting="s9-m3"]"#)).await;
    // A link to every meeting of the process, for a delegation that attends the whole session.
    fill(&desk, "textarea[name=delegations]", "Uruguay\n").await;
    click(&desk, "form.issue-list button[type=submit]").await;
    let whole = link_of(&desk, "Delegation of Uruguay (Uruguay)").await;
    axe(&desk, "the console's page of a process").await;
    click(&desk, r#"li[data-meeting="s9-m3"] a"#).await;

    // Act 2: the agenda, a list for each item, links for ten delegations and the chair.
    until(&desk, "the meeting's set-up", &exists("form.new-item")).await;
    add_item(&desk, "5(a)", "Existing and potential threats", 1).await;
    add_item(&desk, "5(b)", "Rules, norms and principles", 2).await;
    add_list(&desk, 1, "General exchange of views").await;
    add_list(&desk, 2, "Statements on norms").await;
    fill(&desk, "textarea[name=delegations]", TEN).await;
    click(&desk, "form.issue-list button[type=submit]").await;
    until(&desk, "ten links", "return document.querySelectorAll('table.links tbody tr').length === 10;").await;
    fill(&desk, "input[name=officer_name]", "H.E. Ms. Amina Diallo").await;
    click(&desk, "form.issue-officer button[type=submit]").await;
    until(&desk, "eleven links", "return document.querySelectorAll('table.links tbody tr').length === 11;").await;
    axe(&desk, "the console's page of a meeting with its links").await;
    click(&desk, ".links-panel .downloads button:nth-of-type(2)").await;
    let cards = until(
        &desk,
        "the QR sheet",
        "const n = document.querySelectorAll('.qr-card .qr svg').length; return n === 11 ? n : null;",
    )
    .await;
    axe(&desk, "the sheet of QR codes").await;
    let chair_link = link_of(&desk, "H.E. Ms. Amina Diallo").await;
    let chile = link_of(&desk, "Ana Rojas (Chile)").await;
    let kenya = link_of(&desk, "Peter Otieno (Kenya)").await;

    // Act 3: the chair runs item 5(a), then 5(b); Chile speaks on the first, Kenya on the second.
    let podium = driver.browser("chair", 1280, 900).await;
    podium.goto(&chair_link).await.unwrap();
    until(&podium, "the chair's agenda", &exists(r#"li.agenda-row[data-item="1"] button.take-up"#)).await;
    click(&podium, r#"li.agenda-row[data-item="1"] button.take-up"#).await;
    until(&podium, "item 5(a) current", &exists(r#"li.agenda-row.current[data-item="1"]"#)).await;
    let mut chile = Client::connect(&server, "s9-m3", Some(&token_in(&chile))).await;
    let request = json!({"type": "request_floor", "kind": "statement", "presence": "remote", "language": "es"});
    chile.command(command(request.clone())).await.expect("Chile asks on 5(a)");
    until(
        &podium,
        "Chile waiting",
        "return document.querySelector('.floor-panel button.primary')?.disabled === false;",
    )
    .await;
    click(&podium, ".floor-panel button.primary").await;
    until(&podium, "Chile speaking", &exists(".floor-panel .speaker")).await;
    click(&podium, ".floor-panel button.danger").await;
    until(&podium, "the floor empty", &exists(r#"[data-floor="empty"]"#)).await;
    click(&podium, r#"li.agenda-row[data-item="2"] button.take-up"#).await;
    until(&podium, "item 5(b) current", &exists(r#"li.agenda-row.current[data-item="2"]"#)).await;
    let mut kenya = Client::connect(&server, "s9-m3", Some(&token_in(&kenya))).await;
    kenya
        .command(command(
            json!({"type": "request_floor", "kind": "statement", "presence": "in_room", "language": "en"}),
        ))
        .await
        .expect("Kenya asks on 5(b)");
    until(
        &podium,
        "Kenya waiting",
        "return document.querySelector('.floor-panel button.primary')?.disabled === false;",
    )
    .await;
    click(&podium, ".floor-panel button.primary").await;
    until(&podium, "Kenya speaking", &exists(".floor-panel .speaker")).await;
    click(&podium, ".floor-panel button.danger").await;

    // Assert: the meeting as set up, and both items run, each with its speaker on the record.
    let row = row.as_str().unwrap_or_default().to_string();
    assert!(whole.contains("/speak?process=oewg-ict#token="), "{whole}");
    assert!(row.contains("Conference Room XIX") && row.contains("Zurich"), "{row}");
    assert_eq!(cards, json!(11));
    until(
        &podium,
        "two interventions on the record",
        "return document.querySelectorAll('table.record tbody tr').length === 2;",
    )
    .await;
    let state = server.state("s9-m3", &sec).await;
    let spoke: Vec<(Option<&str>, Option<u32>)> = state
        .record
        .iter()
        .map(|i| {
            (i.speaker.delegation.as_deref(), state.segment(i.segment).and_then(|s| s.spec.item).map(|item| item.0))
        })
        .collect();
    assert_eq!(spoke, [(Some("Chile"), Some(1)), (Some("Kenya"), Some(2))]);
    assert_eq!(state.info.room.as_deref(), Some("Conference Room XIX"));
    desk.goto(&format!("{}/report?meeting=s9-m3", server.url())).await.unwrap();
    let given = until(
        &desk,
        "the public record",
        "const r = document.querySelector('table.interventions tbody tr:last-child td:last-child'); return r ? r.textContent : null;",
    )
    .await;
    assert_eq!(given, "H.E. Ms. Amina Diallo", "the record says who gave the floor");
}
