//! Accessibility in a real headless Chromium: axe-core on every screen in every state a meeting
//! goes through (0 critical and 0 serious violations), and the checks of WCAG that axe-core leaves
//! to people, measured in the page: the contrast of the shortcut hints and of a paused countdown,
//! countdown states told apart by more than colour, the focus ring against the panels, the names
//! of the organisation's link boxes, and where the focus goes after asking for the floor.
//!
//! Run by `make test`, which installs axe-core (`make tools-browser`) and sets `AXE_JS`:
//! `ROSTRUM_WEB_DIR=$PWD/web-client/dist cargo test -p rostrum-tests --test e2e_accessibility -- --ignored`.

use std::time::Duration;

use fantoccini::Client as Browser;
use rostrum_tests::browser::*;
use rostrum_tests::Server;
use serde_json::json;

/// Adds a fourth segment whose speakers have `secs` seconds each, and makes it the active one:
/// a countdown that is near its end and over time within a test's patience.
async fn short_segment(server: &Server, sec: &str, secs: u32) {
    let spec = json!({"title": "Short interventions", "inscription": "all", "time_limit_secs": secs});
    let (status, body) =
        server.http("POST", &format!("/api/meetings/{MEETING}/segments"), Some(sec), Some(&spec)).await;
    assert_eq!(status, 201, "create segment: {body}");
    chair_command(server, sec, json!({"type": "activate_segment", "segment": 4})).await;
}

async fn three_waiting(server: &Server) {
    request_floor(server, &delegate_token(server, "chile-1", "Ana Rojas", "Chile"), "statement", "in_room", "es").await;
    request_floor(server, &delegate_token(server, "kenya-1", "Peter Otieno", "Kenya"), "statement", "remote", "en")
        .await;
    request_floor(server, &ngo_token(server).await, "right_of_reply", "remote", "fr").await;
}

/// Presses Tab until `done` (a JavaScript expression about `document.activeElement`) holds.
async fn tab_until(browser: &Browser, what: &str, done: &str) {
    for _ in 0..30 {
        press(browser, TAB).await;
        let script = format!("const e = document.activeElement; return Boolean({done});");
        if browser.execute(&script, vec![]).await.expect("where the focus is") == json!(true) {
            return;
        }
    }
    panic!("{what}: not reached with 30 presses of Tab");
}

// ---- axe-core on every screen and state.

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn the_chair_console_passes_axe_empty_with_speakers_speaking_paused_and_over_time() {
    let data = tempfile::tempdir().unwrap();
    let (server, sec) = server_with_meeting(data.path()).await;
    short_segment(&server, &sec, 6).await;
    let driver = Driver::start().await;
    let chair = driver.browser("chair", 1440, 900).await;

    chair.goto(&link(&server, "chair", Some(&chair_token(&server)))).await.unwrap();
    until(&chair, "the empty floor", &exists(r#".floor-panel [data-floor="empty"]"#)).await;
    axe(&chair, "the chair's console, empty list").await;

    three_waiting(&server).await;
    until(&chair, "the speakers", &exists(r#"tr.entry[data-speaker="ngo-1"]"#)).await;
    chair.execute(r#"document.querySelector('tr.entry[data-speaker="kenya-1"]').click();"#, vec![]).await.unwrap();
    axe(&chair, "the chair's console with speakers, one selected").await;

    click(&chair, ".floor-panel button.primary").await;
    until(&chair, "Chile on the floor", &exists(r#".floor-panel .speaker[data-speaker="chile-1"]"#)).await;
    axe(&chair, "the chair's console, a speaker on the floor").await;

    chair_command(&server, &chair_token(&server), json!({"type": "pause_floor"})).await;
    until(&chair, "the paused countdown", &exists(".floor-panel .countdown.paused")).await;
    axe(&chair, "the chair's console, paused").await;

    chair_command(&server, &chair_token(&server), json!({"type": "resume_floor"})).await;
    until(&chair, "the countdown over time", &exists(".floor-panel .countdown.over:not(.paused)")).await;
    axe(&chair, "the chair's console, over time").await;
    chair.close().await.unwrap();
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn the_participant_view_on_a_phone_passes_axe_before_asking_while_waiting_and_with_the_floor() {
    let data = tempfile::tempdir().unwrap();
    let (server, _) = server_with_meeting(data.path()).await;
    request_floor(&server, &delegate_token(&server, "chile-1", "Ana Rojas", "Chile"), "statement", "in_room", "es")
        .await;
    let driver = Driver::start().await;
    let phone = driver.browser("participant", 390, 844).await;

    phone.goto(&link(&server, "speak", Some(&ngo_token(&server).await))).await.unwrap();
    until(&phone, "the request form", &exists(r#"button[data-action="ask"]"#)).await;
    axe(&phone, "the participant's phone, before asking").await;

    click(&phone, r#"button[data-action="ask"]"#).await;
    until(&phone, "position 2", &exists(r#".position[data-position="2"]"#)).await;
    axe(&phone, "the participant's phone, waiting").await;

    chair_command(&server, &chair_token(&server), json!({"type": "give_floor", "entry": null})).await;
    until(&phone, "\"you are next\"", &exists(r#".banner[data-banner="You are next"]"#)).await;
    axe(&phone, "the participant's phone, next").await;
    chair_command(&server, &chair_token(&server), json!({"type": "end_floor"})).await;
    chair_command(&server, &chair_token(&server), json!({"type": "give_floor", "entry": null})).await;
    until(&phone, "\"you have the floor\"", &exists(r#".banner[data-banner="You have the floor"]"#)).await;
    axe(&phone, "the participant's phone, with the floor").await;
    phone.close().await.unwrap();
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn the_room_display_passes_axe_idle_speaking_and_over_time() {
    let data = tempfile::tempdir().unwrap();
    let (server, sec) = server_with_meeting(data.path()).await;
    short_segment(&server, &sec, 6).await;
    let driver = Driver::start().await;
    let display = driver.browser("display", 1920, 1080).await;

    display.goto(&link(&server, "display", None)).await.unwrap();
    until(&display, "the open floor", &exists(r#".current [data-floor="empty"]"#)).await;
    axe(&display, "the display, idle").await;

    three_waiting(&server).await;
    chair_command(&server, &chair_token(&server), json!({"type": "give_floor", "entry": null})).await;
    until(&display, "Chile speaking", &exists(r#".current .speaker[data-speaker="chile-1"]"#)).await;
    until(&display, "the others next", &exists(r#"ol.next li[data-speaker="ngo-1"]"#)).await;
    axe(&display, "the display, speaking").await;

    until(&display, "the countdown over time", &exists(".current .countdown.over")).await;
    axe(&display, "the display, over time").await;
    display.close().await.unwrap();
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn during_an_outage_the_chair_the_participant_and_the_display_pass_axe() {
    let data = tempfile::tempdir().unwrap();
    let (mut server, _) = server_with_meeting(data.path()).await;
    three_waiting(&server).await;
    chair_command(&server, &chair_token(&server), json!({"type": "give_floor", "entry": null})).await;
    let driver = Driver::start().await;
    let chair = driver.browser("chair", 1440, 900).await;
    let phone = driver.browser("participant", 390, 844).await;
    let display = driver.browser("display", 1920, 1080).await;
    chair.goto(&link(&server, "chair", Some(&chair_token(&server)))).await.unwrap();
    phone.goto(&link(&server, "speak", Some(&ngo_token(&server).await))).await.unwrap();
    display.goto(&link(&server, "display", None)).await.unwrap();
    until(&chair, "the chair's list", &exists(r#"tr.entry[data-speaker="ngo-1"]"#)).await;
    until(&phone, "the participant's position", &exists(r#".position[data-position="2"]"#)).await;
    until(&display, "the display's list", &exists(r#"ol.next li[data-speaker="ngo-1"]"#)).await;

    server.kill9();
    for (name, browser) in [("chair", &chair), ("participant", &phone), ("display", &display)] {
        until(browser, &format!("the {name}'s screen reconnecting"), &exists(r#"[data-status="reconnecting"]"#)).await;
        axe(browser, &format!("the {name}'s screen during an outage")).await;
    }
    for browser in [chair, phone, display] {
        browser.close().await.unwrap();
    }
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn every_accreditation_and_portal_page_passes_axe() {
    let data = tempfile::tempdir().unwrap();
    let (server, sec) = server_with_meeting(data.path()).await;
    // The meeting's process, with an accredited organisation (created with the NGO's token), one
    // more with a representative, a pending application, a statement and a response, and two
    // interventions on record.
    let rep = ngo_token(&server).await;
    let org = server.accredited("oewg", "Access Now").await;
    server.representative(&org, "Dr. Ama Owusu", "remote").await;
    let pending = server.applicant("oewg", "Cyber Peace Institute").await;
    let chile =
        server.token("delegate", "del-chile", "Delegate of Chile", &[("delegation", "Chile")], ("process", "oewg"));
    let statement = json!({"title": "Input on capacity building", "language": "en",
        "agenda_item": "Capacity building", "text": "We propose regional hubs.\n\nSee our report."});
    let (status, statement) =
        server.http("POST", "/api/processes/oewg/statements", Some(&org.token), Some(&statement)).await;
    assert_eq!(status, 201, "statement: {statement}");
    let id = statement["id"].as_str().expect("the statement's id").to_string();
    let response = json!({"text": "We took it up in paragraph 12."});
    let (status, body) =
        server.http("POST", &format!("/api/statements/{id}/responses"), Some(&chile), Some(&response)).await;
    assert_eq!(status, 201, "response: {body}");
    request_floor(&server, &delegate_token(&server, "chile-1", "Ana Rojas", "Chile"), "statement", "in_room", "es")
        .await;
    request_floor(&server, &rep, "statement", "remote", "en").await;
    for _ in 0..2 {
        chair_command(&server, &chair_token(&server), json!({"type": "give_floor", "entry": null})).await;
        chair_command(&server, &chair_token(&server), json!({"type": "end_floor"})).await;
    }

    let driver = Driver::start().await;
    let browser = driver.browser("pages", 1280, 900).await;
    let url = server.url();
    let pages = [
        ("the home page", format!("{url}/"), "main.home h1"),
        ("the application form", format!("{url}/apply?process=oewg"), r#".deadline[data-open="true"]"#),
        (
            "the public list of accredited organisations",
            format!("{url}/accreditation?process=oewg"),
            "ul.organisations li",
        ),
        (
            "the secretariat's review queue",
            format!("{url}/secretariat?process=oewg#token={sec}"),
            r#".application[data-status="pending"] .activities"#,
        ),
        ("an accredited organisation's page", format!("{url}/organisation#token={}", org.token), "input.personal-link"),
        (
            "a delegation's page",
            format!("{url}/delegation#token={chile}"),
            r#"li.pending-application[data-organisation="Cyber Peace Institute"]"#,
        ),
        (
            "the portal",
            format!("{url}/portal?process=oewg"),
            r#"ul.statements li[data-title="Input on capacity building"]"#,
        ),
        (
            "a statement and its responses",
            format!("{url}/statement?id={id}"),
            r#"li.response[data-delegation="Chile"]"#,
        ),
        ("a statement with the response form", format!("{url}/statement?id={id}#token={chile}"), "form.respond"),
        ("the meeting's report", format!("{url}/report?meeting={MEETING}"), "table.interventions tbody tr"),
        ("the meeting chooser of a process link", format!("{url}/speak?process=oewg#token={rep}"), "a.meeting"),
    ];
    for (what, address, ready) in pages {
        // From a blank page, so that a link differing only in its #token= loads the page anew.
        browser.goto("about:blank").await.unwrap();
        browser.goto(&address).await.unwrap();
        until(&browser, what, &exists(ready)).await;
        axe(&browser, what).await;
    }

    // The form once sent (by an organisation that has not applied yet), and a pending application's page.
    browser.goto(&format!("{url}/apply?process=oewg")).await.unwrap();
    fill_application(&browser).await;
    let rename = r#"const e = document.querySelector('input[name="name"]'); e.value = 'Digital Peace Now';
        e.dispatchEvent(new Event('input', {bubbles: true}));"#;
    browser.execute(rename, vec![]).await.unwrap();
    click(&browser, r#"button[data-action="apply"]"#).await;
    until(&browser, "the application sent", &exists("[data-applied] .keep")).await;
    axe(&browser, "the application form, sent").await;
    browser.goto(&format!("{url}/organisation#token={}", pending.token)).await.unwrap();
    until(&browser, "the pending status", &exists(r#".status[data-status="pending"]"#)).await;
    axe(&browser, "a pending organisation's page").await;
    browser.close().await.unwrap();
}

// ---- What axe-core leaves to people, measured in the page.

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn the_shortcut_hints_and_a_paused_countdown_contrast_at_least_4_5_to_1_with_their_background() {
    let data = tempfile::tempdir().unwrap();
    let (server, _) = server_with_meeting(data.path()).await;
    three_waiting(&server).await;
    chair_command(&server, &chair_token(&server), json!({"type": "give_floor", "entry": null})).await;
    chair_command(&server, &chair_token(&server), json!({"type": "pause_floor"})).await;
    let driver = Driver::start().await;
    let chair = driver.browser("chair", 1440, 900).await;
    let display = driver.browser("display", 1920, 1080).await;
    let phone = driver.browser("participant", 390, 844).await;
    chair.goto(&link(&server, "chair", Some(&chair_token(&server)))).await.unwrap();
    display.goto(&link(&server, "display", None)).await.unwrap();
    phone.goto(&link(&server, "speak", Some(&ngo_token(&server).await))).await.unwrap();
    until(&chair, "the paused countdown", &exists(".floor-panel .countdown.paused")).await;
    until(&display, "the paused countdown", &exists(".current .countdown.paused")).await;
    until(&phone, "the paused countdown", &exists(".now-speaking .countdown.paused")).await;

    let mut measured = Vec::new();
    for (screen, browser, css) in [
        ("chair", &chair, ".legend kbd"),
        ("chair", &chair, ".legend > span"),
        ("chair", &chair, ".floor-panel button:not(:disabled) kbd"),
        ("chair", &chair, ".list-panel button:not(:disabled) kbd"),
        ("chair", &chair, ".floor-panel .countdown.paused .time"),
        ("chair", &chair, ".floor-panel .countdown.paused .paused-label"),
        ("display", &display, ".current .countdown.paused .time"),
        ("display", &display, ".current .countdown.paused .paused-label"),
        ("participant", &phone, ".now-speaking .countdown.paused .time"),
        ("participant", &phone, ".now-speaking .countdown.paused .paused-label"),
    ] {
        let found = contrasts(browser, css).await;
        assert!(!found.is_empty(), "nothing matches {css} on the {screen}'s screen");
        measured.extend(found.into_iter().map(|(text, ratio)| (format!("{screen}: {css} \"{text}\""), ratio)));
    }
    let low: Vec<String> = measured
        .iter()
        .filter(|(_, ratio)| *ratio < 4.5)
        .map(|(what, ratio)| format!("{what}: {ratio:.2}:1"))
        .collect();
    assert!(low.is_empty(), "below 4.5:1:\n  {}", low.join("\n  "));
    for browser in [chair, display, phone] {
        browser.close().await.unwrap();
    }
}

/// A script that returns, once the countdown matching `css` has the class `state`, what it says
/// about its state beyond its digits: its words, the words of its generated content, and its ARIA
/// names and descriptions.
fn countdown_cue(css: &str, state: &str) -> String {
    format!(
        r#"const c = document.querySelector({});
        if (!c || !c.classList.contains({})) return null;
        const generated = e => ['::before', '::after'].map(p => getComputedStyle(e, p).content)
            .filter(v => v && v !== 'none' && v !== 'normal').join(' ');
        const aria = e => ['aria-label', 'aria-description', 'title'].map(a => e.getAttribute(a) || '').join(' ');
        const all = [c, ...c.querySelectorAll('*')];
        const words = [c.innerText, ...all.map(generated), ...all.map(aria)].join(' ');
        return {{ cue: words.replace(/[-\d:"]/g, ' ').replace(/\s+/g, ' ').trim() }};"#,
        json!(css),
        json!(state)
    )
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn a_countdown_near_its_end_or_over_time_says_so_in_words_not_only_in_colour() {
    let data = tempfile::tempdir().unwrap();
    let (server, sec) = server_with_meeting(data.path()).await;
    short_segment(&server, &sec, 8).await;
    request_floor(&server, &delegate_token(&server, "chile-1", "Ana Rojas", "Chile"), "statement", "in_room", "es")
        .await;
    let driver = Driver::start().await;
    let chair = driver.browser("chair", 1440, 900).await;
    let display = driver.browser("display", 1920, 1080).await;
    chair.goto(&link(&server, "chair", Some(&chair_token(&server)))).await.unwrap();
    display.goto(&link(&server, "display", None)).await.unwrap();
    until(&chair, "the chair's list", &exists(r#"tr.entry[data-speaker="chile-1"]"#)).await;
    until(&display, "the display's list", &exists(r#"ol.next li[data-speaker="chile-1"]"#)).await;

    // 8 s allowed: running for 6 s, near the end for the last 2 s, then over time.
    chair_command(&server, &chair_token(&server), json!({"type": "give_floor", "entry": null})).await;
    let mut cues = Vec::new();
    for state in ["normal", "near", "over"] {
        for (screen, browser, css) in
            [("chair", &chair, ".floor-panel .countdown"), ("display", &display, ".current .countdown")]
        {
            let found = until(browser, &format!("the {screen}'s countdown {state}"), &countdown_cue(css, state)).await;
            cues.push((screen, state, found["cue"].as_str().unwrap_or_default().to_string()));
        }
    }
    for screen in ["chair", "display"] {
        let cue = |state: &str| cues.iter().find(|c| c.0 == screen && c.1 == state).map(|c| c.2.clone()).unwrap();
        let (normal, near, over) = (cue("normal"), cue("near"), cue("over"));
        assert!(
            !near.is_empty() && near != normal,
            "the {screen}'s countdown near its end says nothing more than a running one: {near:?} / {normal:?}"
        );
        assert!(
            !over.is_empty() && over != normal && over != near,
            "the {screen}'s countdown over time says nothing more: {over:?} / {near:?} / {normal:?}"
        );
    }
    chair.close().await.unwrap();
    display.close().await.unwrap();
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn the_focus_ring_contrasts_at_least_3_to_1_with_the_panel_behind_it() {
    let data = tempfile::tempdir().unwrap();
    let (server, _) = server_with_meeting(data.path()).await;
    three_waiting(&server).await;
    chair_command(&server, &chair_token(&server), json!({"type": "give_floor", "entry": null})).await;
    let driver = Driver::start().await;
    let chair = driver.browser("chair", 1440, 900).await;
    let phone = driver.browser("participant", 390, 844).await;
    chair.goto(&link(&server, "chair", Some(&chair_token(&server)))).await.unwrap();
    phone
        .goto(&link(&server, "speak", Some(&delegate_token(&server, "brazil-1", "João Silva", "Brazil"))))
        .await
        .unwrap();
    until(&chair, "the chair's list", &exists(r#"tr.entry[data-speaker="ngo-1"]"#)).await;
    until(&phone, "the request form", &exists(r#"button[data-action="ask"]"#)).await;

    // Every stop of the keyboard inside a panel or a card: the ring's colour against the panel
    // (outside the control, where the ring is drawn), its width and its style.
    let ring = format!(
        "{CONTRAST_JS} const e = document.activeElement; const s = getComputedStyle(e);
        if (!e.closest('.panel, .card') || !e.matches(':focus-visible')) return null;
        return [e.outerHTML.slice(0, 80), ringContrast(e), parseFloat(s.outlineWidth), s.outlineStyle];"
    );
    let mut stops = Vec::new();
    for (screen, browser) in [("chair", &chair), ("participant", &phone)] {
        for _ in 0..25 {
            press(browser, TAB).await;
            let found = browser.execute(&ring, vec![]).await.expect("the focused element");
            if let Some([html, ratio, width, style]) = found.as_array().map(Vec::as_slice) {
                let (ratio, width) = (ratio.as_f64().unwrap_or(0.0), width.as_f64().unwrap_or(0.0));
                stops.push((format!("{screen}: {}", html.as_str().unwrap_or("?")), ratio, width, style.clone()));
            }
        }
    }
    assert!(stops.len() >= 10, "too few focus stops in panels were reached: {stops:?}");
    let weak: Vec<String> = stops
        .iter()
        .filter(|(_, ratio, width, style)| *ratio < 3.0 || *width < 2.0 || *style == json!("none"))
        .map(|(what, ratio, width, style)| format!("{what}: {ratio:.2}:1, {width} px {style}"))
        .collect();
    assert!(weak.is_empty(), "focus rings below 3:1 against the panel, or thinner than 2 px:\n  {}", weak.join("\n  "));
    chair.close().await.unwrap();
    phone.close().await.unwrap();
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn the_link_boxes_of_an_organisations_page_have_an_accessible_name() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_with(data.path(), &["--web-dir", web_dir().to_str().unwrap()]).await;
    server.process("p1", "2099-12-31").await;
    let org = server.accredited("p1", "Global Digital Rights Network").await;
    server.representative(&org, "Dr. Ama Owusu", "remote").await;
    server.representative(&org, "Mr. Kofi Boateng", "in_room").await;
    let driver = Driver::start().await;
    let browser = driver.browser("organisation", 1024, 900).await;
    browser.goto(&format!("{}/organisation#token={}", server.url(), org.token)).await.unwrap();
    until(
        &browser,
        "the representatives' links",
        "return document.querySelectorAll('input.personal-link').length === 2;",
    )
    .await;

    // The name a screen reader reads for each box: aria-labelledby, aria-label, a <label>, a title.
    let names = browser
        .execute(
            r#"return [...document.querySelectorAll('.link-box input')].map(e => [
                (e.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean)
                    .map(id => document.getElementById(id)?.textContent || '').join(' '),
                e.getAttribute('aria-label') || '',
                [...e.labels].map(l => l.textContent).join(' '),
                e.title || '',
            ].join(' ').trim());"#,
            vec![],
        )
        .await
        .unwrap();
    let names: Vec<String> = serde_json::from_value(names).unwrap();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().all(|n| !n.is_empty()), "a link box without an accessible name: {names:?}");
    assert!(
        names[0].contains("Dr. Ama Owusu") && names[1].contains("Mr. Kofi Boateng"),
        "each says whose link it is: {names:?}"
    );
    browser.close().await.unwrap();
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn after_asking_for_the_floor_with_the_keyboard_the_focus_is_on_the_new_request_not_the_page() {
    let data = tempfile::tempdir().unwrap();
    let (server, _) = server_with_meeting(data.path()).await;
    request_floor(&server, &delegate_token(&server, "chile-1", "Ana Rojas", "Chile"), "statement", "in_room", "es")
        .await;
    let driver = Driver::start().await;
    let phone = driver.browser("participant", 390, 844).await;
    phone
        .goto(&link(&server, "speak", Some(&delegate_token(&server, "kenya-1", "Peter Otieno", "Kenya"))))
        .await
        .unwrap();
    until(&phone, "the request form", &exists(r#"button[data-action="ask"]"#)).await;

    tab_until(&phone, "the \"Ask for the floor\" button", r#"e.matches('button[data-action="ask"]')"#).await;
    press(&phone, ENTER).await;
    until(&phone, "position 2", &exists(r#".position[data-position="2"]"#)).await;
    // A few ticks of the clock later (the panel is redrawn four times a second), still there.
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    let focus = phone
        .execute(
            "const e = document.activeElement;
             return { body: e === document.body || e === null, inRequest: e !== null && e.closest('.request') !== null,
                      html: e ? e.outerHTML.slice(0, 120) : null, text: e ? e.textContent.trim() : null };",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(focus["body"], json!(false), "the focus dropped to the page: {focus}");
    assert_eq!(focus["inRequest"], json!(true), "the focus is not on the new request: {focus}");
    let text = focus["text"].as_str().unwrap_or_default();
    assert!(text.contains("2 of 2") || text.contains("Withdraw"), "the focus is on nothing meaningful: {focus}");
    phone.close().await.unwrap();
}
