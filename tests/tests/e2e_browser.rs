//! The three screens in a real headless Chromium (driven by chromedriver) against the real server:
//! the chair gives the floor and the display follows, a remote participant asks for the floor and
//! everyone sees it, and every screen survives the server being killed and restarted.
//!
//! Run by `make test`, which builds the web client first and sets `ROSTRUM_WEB_DIR`:
//! `ROSTRUM_WEB_DIR=$PWD/web-client/dist cargo test -p rostrum-tests --test 'e2e_*' -- --ignored`.
//! The tests also write the screenshots of `docs/screenshots/`.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use rostrum_tests::browser::*;
use rostrum_tests::Server;
use serde_json::json;

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn a_chair_gives_the_floor_and_the_display_shows_the_speaker_and_a_running_countdown() {
    let data = tempfile::tempdir().unwrap();
    let (server, _) = server_with_meeting(data.path()).await;
    let chile = delegate_token(&server, "chile-1", "Ana Rojas", "Chile");
    let kenya = delegate_token(&server, "kenya-1", "Peter Otieno", "Kenya");
    let brazil = delegate_token(&server, "brazil-1", "João Silva", "Brazil");
    request_floor(&server, &chile, "statement", "in_room", "es").await;
    request_floor(&server, &kenya, "statement", "remote", "en").await;
    request_floor(&server, &brazil, "right_of_reply", "in_room", "pt").await;
    request_floor(&server, &ngo_token(&server).await, "statement", "remote", "fr").await;

    let driver = Driver::start().await;
    let chair = driver.browser("chair", 1440, 900).await;
    let display = driver.browser("display", 1920, 1080).await;
    chair.goto(&link(&server, "chair", Some(&chair_token(&server)))).await.unwrap();
    display.goto(&link(&server, "display", None)).await.unwrap();
    until(&chair, "the chair's list", &exists(r#"tr.entry[data-speaker="chile-1"]"#)).await;
    until(&display, "the display's list", &exists(r#"ol.next li[data-speaker="chile-1"]"#)).await;
    // The token left the address bar (and the history) once read, and a reload still opens the list.
    let address = chair.execute("return window.location.href;", vec![]).await.unwrap();
    assert!(!address.as_str().unwrap().contains("token"), "the token is still in the address bar: {address}");
    chair.refresh().await.unwrap();
    until(&chair, "the chair's list after a reload", &exists(r#"tr.entry[data-speaker="chile-1"]"#)).await;

    // The chair calls the first speaker with the button, ends with the keyboard, calls the next.
    click(&chair, ".floor-panel button.primary").await;
    until(&display, "Chile on the display", &exists(r#".current .speaker[data-speaker="chile-1"]"#)).await;
    until(&chair, "Chile on the chair's floor", &exists(r#".floor-panel .speaker[data-speaker="chile-1"]"#)).await;
    press(&chair, 'e').await;
    until(
        &chair,
        "the record of Chile's intervention",
        "return document.querySelectorAll('table.record tbody tr').length === 1;",
    )
    .await;
    press(&chair, 'n').await;
    until(&display, "Kenya on the display", &exists(r#".current .speaker[data-speaker="kenya-1"]"#)).await;
    assert!(
        until(&display, "the remote mark of the speaker", &exists(".current .badge.presence.remote")).await
            == json!(true)
    );

    // The countdown runs on its own: no clock ticks on the wire.
    let first = until(&display, "a countdown", &text_of(".current .countdown .time")).await;
    tokio::time::sleep(Duration::from_millis(1_300)).await;
    let later = until(&display, "a countdown", &text_of(".current .countdown .time")).await;
    assert_ne!(first, later, "the countdown did not move");
    let later = later.as_str().unwrap().to_string();
    assert!(later.starts_with("2:5"), "3 minutes, started a second or two ago: {later}");
    let chair_clock = until(&chair, "the chair's countdown", &text_of(".floor-panel .countdown .time")).await;
    assert!(chair_clock.as_str().unwrap().starts_with("2:5"), "chair's countdown: {chair_clock}");

    screenshot(&display, "display", 1920, 1080).await;
    chair.find(Locator::Css(r#"tr.entry[data-speaker="ngo-1"]"#)).await.unwrap().click().await.unwrap();
    screenshot(&chair, "chair", 1440, 900).await;
    chair.close().await.unwrap();
    display.close().await.unwrap();
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn a_remote_participant_asks_for_the_floor_and_everyone_sees_it_and_then_that_they_are_next() {
    let data = tempfile::tempdir().unwrap();
    let (server, _) = server_with_meeting(data.path()).await;
    request_floor(&server, &delegate_token(&server, "chile-1", "Ana Rojas", "Chile"), "statement", "in_room", "es")
        .await;

    let driver = Driver::start().await;
    let participant = driver.browser("participant", 390, 844).await;
    let chair = driver.browser("chair", 1280, 800).await;
    let display = driver.browser("display", 1920, 1080).await;
    participant.goto(&link(&server, "speak", Some(&ngo_token(&server).await))).await.unwrap();
    chair.goto(&link(&server, "chair", Some(&chair_token(&server)))).await.unwrap();
    display.goto(&link(&server, "display", None)).await.unwrap();

    // The stakeholder may not inscribe in every segment, and is told why.
    until(&participant, "the segments with reasons", &text_of(".why-not")).await;
    click(&participant, r#"button[data-presence="remote"]"#).await;
    until(&participant, "the remote switch on", &exists(r#"button[data-presence="remote"].on"#)).await;
    // A closed list refuses the request, and the participant reads why.
    until(&chair, "the chair's console", &exists(".list-head")).await;
    press(&chair, 'l').await;
    until(&participant, "the closed-list note", &exists(".request .why-not")).await;
    click(&participant, r#"button[data-action="ask"]"#).await;
    let refusal = until(&participant, "the rejection's message", &text_of(".notice .text")).await;
    assert!(refusal.as_str().unwrap().contains("closed the list"), "{refusal}");
    press(&chair, 'l').await;
    until(&participant, "the list reopened", "return document.querySelector('.request .why-not') === null;").await;
    click(&participant, r#"button[data-action="ask"]"#).await;
    until(&participant, "position 2", &exists(r#".position[data-position="2"]"#)).await;
    until(&participant, "an estimate in local time", &text_of(".estimate")).await;

    until(
        &chair,
        "the NGO, remote, on the chair's list",
        &exists(r#"tr.entry[data-speaker="ngo-1"] .badge.presence.remote"#),
    )
    .await;
    until(
        &display,
        "the NGO, remote, on the display",
        &exists(r#"ol.next li[data-speaker="ngo-1"][data-presence="remote"]"#),
    )
    .await;

    click(&chair, ".floor-panel button.primary").await;
    until(&participant, "the \"you are next\" banner", &exists(r#".banner[data-banner="You are next"]"#)).await;
    let announced = until(&participant, "the screen reader announcement", &text_of("[data-announce]")).await;
    assert_eq!(announced, json!("You are next"));
    click(&participant, ".notice .dismiss").await;
    until(&participant, "the notice dismissed", "return document.querySelector('.notice') === null;").await;
    screenshot(&participant, "participant", 390, 844).await;

    click(&chair, ".floor-panel button.primary").await;
    until(&participant, "\"you have the floor\"", &exists(r#".banner[data-banner="You have the floor"]"#)).await;
    until(
        &display,
        "the NGO speaking, remote",
        &exists(r#".current .speaker[data-speaker="ngo-1"] .badge.presence.remote"#),
    )
    .await;

    for browser in [participant, chair, display] {
        browser.close().await.unwrap();
    }
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn when_the_server_dies_every_view_shows_reconnecting_and_recovers_with_no_stale_entries() {
    let data = tempfile::tempdir().unwrap();
    let (mut server, sec) = server_with_meeting(data.path()).await;
    request_floor(&server, &delegate_token(&server, "chile-1", "Ana Rojas", "Chile"), "statement", "in_room", "es")
        .await;
    request_floor(&server, &delegate_token(&server, "kenya-1", "Peter Otieno", "Kenya"), "statement", "remote", "en")
        .await;

    let driver = Driver::start().await;
    let participant = driver.browser("participant", 390, 844).await;
    let chair = driver.browser("chair", 1280, 800).await;
    let display = driver.browser("display", 1920, 1080).await;
    participant.goto(&link(&server, "speak", Some(&ngo_token(&server).await))).await.unwrap();
    chair.goto(&link(&server, "chair", Some(&chair_token(&server)))).await.unwrap();
    display.goto(&link(&server, "display", None)).await.unwrap();
    click(&participant, r#"button[data-presence="remote"]"#).await;
    click(&participant, r#"button[data-action="ask"]"#).await;
    until(&participant, "position 3", &exists(r#".position[data-position="3"]"#)).await;
    until(&chair, "Chile on the chair's list", &exists(r#"tr.entry[data-speaker="chile-1"]"#)).await;
    until(&display, "Chile on the display", &exists(r#"ol.next li[data-speaker="chile-1"]"#)).await;

    // The server dies without a word.
    let addr = server.addr.to_string();
    server.kill9();
    for (name, browser) in [("participant", &participant), ("chair", &chair), ("display", &display)] {
        until(browser, &format!("the {name} view saying reconnecting"), &exists(r#"[data-status="reconnecting"]"#))
            .await;
        // The last known list stays, greyed, until the server is back (issue 13).
        let held = browser.execute(&exists(r#"fieldset.held.stale [data-speaker="chile-1"]"#), vec![]).await.unwrap();
        assert_eq!(held, json!(true), "the {name} view does not keep the list, greyed, while reconnecting");
    }

    // It comes back on the same data and port; meanwhile the list changed.
    let web = web_dir();
    let server = Server::start_at(data.path(), &addr, &["--web-dir", web.to_str().unwrap()]).await;
    let remove = json!({"type": "remove_entry", "entry": 1});
    let (status, body) =
        server.http("POST", &format!("/api/meetings/{MEETING}/commands"), Some(&sec), Some(&remove)).await;
    assert_eq!(status, 201, "remove Chile: {body}");

    until(
        &chair,
        "the chair's list without Chile",
        &format!(
            "return document.querySelector('tr.entry[data-speaker=\"kenya-1\"]') !== null && {}",
            "document.querySelector('tr.entry[data-speaker=\"chile-1\"]') === null;"
        ),
    )
    .await;
    until(
        &display,
        "the display without Chile",
        &format!(
            "return document.querySelector('ol.next li[data-speaker=\"kenya-1\"]') !== null && {}",
            "document.querySelector('[data-speaker=\"chile-1\"]') === null;"
        ),
    )
    .await;
    until(&participant, "the participant moved up to 2", &exists(r#".position[data-position="2"]"#)).await;
    for browser in [&participant, &chair, &display] {
        let gate = browser.execute(&exists("[data-status]"), vec![]).await.unwrap();
        assert_eq!(gate, json!(false), "a view still shows a connection message");
    }

    // And the views are live again: the chair's next speaker reaches everyone.
    click(&chair, ".floor-panel button.primary").await;
    until(&display, "Kenya speaking after the restart", &exists(r#".current .speaker[data-speaker="kenya-1"]"#)).await;
    until(&participant, "\"you are next\" after the restart", &exists(r#".banner[data-banner="You are next"]"#)).await;

    for browser in [participant, chair, display] {
        browser.close().await.unwrap();
    }
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn an_ngo_applies_is_approved_and_its_remote_representative_asks_for_the_floor_with_a_process_link() {
    let started = Instant::now();
    let data = tempfile::tempdir().unwrap();
    let web = web_dir();
    // The public forms ask for a real proof of work, which the page solves before it submits.
    let args = ["--web-dir", web.to_str().expect("utf-8 path"), "--proof-bits", "12"];
    let server = Server::start_with(data.path(), &args).await;
    let stakeholders = json!({"title": "Stakeholder segment", "inscription": "stakeholders", "time_limit_secs": 120});
    let sec = server.process_with_meeting("p1", "2099-12-31", "p1-s1", &[stakeholders]).await;

    let driver = Driver::start().await;
    let browser = driver.browser("ngo", 1024, 900).await;

    // The public form: the process, its deadline, and the activities asked for without ECOSOC status.
    browser.goto(&format!("{}/apply?process=p1", server.url())).await.unwrap();
    let deadline = until(&browser, "the deadline", &text_of(r#".deadline[data-open="true"]"#)).await;
    assert!(deadline.as_str().unwrap().contains("2099-12-31"), "{deadline}");
    fill_application(&browser).await;
    click(&browser, r#"button[data-action="apply"]"#).await;
    until(&browser, "the \"keep this link\" advice", &exists("[data-applied] .keep")).await;
    let org_link =
        until(&browser, "the organisation's link", "return document.querySelector('a.org-link').href;").await;

    // Applying twice is refused, and the server's message is shown.
    browser.goto(&format!("{}/apply?process=p1", server.url())).await.unwrap();
    fill_application(&browser).await;
    click(&browser, r#"button[data-action="apply"]"#).await;
    let refused = until(&browser, "the duplicate's refusal", &text_of("[data-error]")).await;
    assert!(refused.as_str().unwrap().contains("already applied"), "{refused}");

    // A member state objects before the decision, from its delegation's page; the reason is required.
    let chile =
        server.token("delegate", "del-chile", "Delegate of Chile", &[("delegation", "Chile")], ("process", "p1"));
    browser.goto(&format!("{}/delegation#token={chile}", server.url())).await.unwrap();
    let pending = r#"li.pending-application[data-organisation="Global Digital Rights Network"]"#;
    until(&browser, "the pending application", &exists(pending)).await;
    let object_disabled = browser
        .execute(r#"return document.querySelector('button[data-action="object"]').disabled;"#, vec![])
        .await
        .unwrap();
    assert_eq!(object_disabled, json!(true), "objecting without a reason must not be possible");
    fill(&browser, r#"textarea[name="objection_reason"]"#, "Not independent of a party.").await;
    click(&browser, r#"button[data-action="object"]"#).await;
    until(&browser, "the objection shown", &exists(r#"li[data-objection="Chile"]"#)).await;

    // The secretariat's queue: a refusal needs a reason; approve.
    browser.goto(&format!("{}/secretariat?process=p1#token={sec}", server.url())).await.unwrap();
    until(&browser, "the pending application", &exists(r#".application[data-status="pending"] .activities"#)).await;
    let refuse_disabled = browser
        .execute(r#"return document.querySelector('button[data-action="refuse"]').disabled;"#, vec![])
        .await
        .unwrap();
    assert_eq!(refuse_disabled, json!(true), "refusing without a reason must not be possible");
    click(&browser, r#"button[data-action="approve"]"#).await;
    until(&browser, "the approved application", &exists(r#".application[data-status="approved"]"#)).await;

    // The organisation's page: accredited; register a remote representative.
    browser.goto(&on_server(&server, &org_link, "/organisation")).await.unwrap();
    until(&browser, "the accredited status", &exists(r#".status[data-status="approved"]"#)).await;
    fill(&browser, r#"input[name="rep_name"]"#, "Dr. Ama Owusu").await;
    fill(&browser, r#"input[name="rep_email"]"#, "ama@gdrn.example.org").await;
    click(&browser, r#"button[data-action="register"]"#).await;
    let rep_link = until(&browser, "the representative's link", &text_of_value("input.personal-link")).await;
    assert!(rep_link.as_str().unwrap().contains("presence=remote"), "{rep_link}");

    // Materials for delegations, attached by the organisation; an official document by the
    // secretariat, over the API.
    fill(&browser, r#"input[name="document_title"]"#, "Joint civil-society input").await;
    fill(&browser, r#"input[name="document_url"]"#, "https://gdrn.example.org/input").await;
    click(&browser, r#"button[data-action="attach-document"]"#).await;
    until(&browser, "the material added", &exists(r#".document-form [role="status"]"#)).await;
    let agenda = json!({"title": "Provisional agenda", "url": "https://documents.un.org/agenda"});
    let (status, _) = server.http("POST", "/api/meetings/p1-s1/documents", Some(&sec), Some(&agenda)).await;
    assert_eq!(status, 201, "the secretariat attaches the agenda");

    // Co-signers of a joint statement are organisations accredited to the process.
    server.accredited("p1", "Access Now").await;
    server.accredited("p1", "Article 19").await;

    // The representative's link names the process, not a meeting: pick the meeting, then ask.
    browser.goto(&on_server(&server, &rep_link, "/speak?process=p1&presence=remote")).await.unwrap();
    click(&browser, r#"a.meeting[data-meeting="p1-s1"]"#).await;
    until(&browser, "the remote switch on from the link", &exists(r#"button[data-presence="remote"].on"#)).await;
    fill(&browser, r#"input[name="co_signers"]"#, "Access Now, Article 19").await;
    click(&browser, r#"button[data-action="ask"]"#).await;
    until(&browser, "position 1", &exists(r#".position[data-position="1"]"#)).await;

    // The meeting's documents: the official agenda, then the organisation's material.
    let official =
        r#"li[data-document="Provisional agenda"][data-kind="official"] a[href="https://documents.un.org/agenda"]"#;
    until(&browser, "the official document", &exists(official)).await;
    let material = until(
        &browser,
        "the material",
        &text_of(r#"li[data-document="Joint civil-society input"][data-kind="material"]"#),
    )
    .await;
    assert!(material.as_str().unwrap().contains("Global Digital Rights Network"), "{material}");

    // The room display shows the joint statement's co-signers, pending until they confirm.
    browser.goto(&format!("{}/display?meeting=p1-s1", server.url())).await.unwrap();
    let joint = until(&browser, "the co-signers on the display", &text_of("ol.next li .co-signers")).await;
    assert_eq!(joint, json!("Joint statement with Access Now (pending), Article 19 (pending)"));

    let meeting = server.state("p1-s1", &sec).await;
    let entry = meeting.segments[0].entries.first().expect("the representative's entry");
    assert_eq!(entry.speaker.name, "Dr. Ama Owusu");
    assert_eq!(entry.speaker.organisation.as_deref(), Some("Global Digital Rights Network"));
    assert_eq!(entry.presence, shared::Presence::Remote);
    assert_eq!(entry.co_signers, [shared::CoSigner::pending("Access Now"), shared::CoSigner::pending("Article 19")]);
    browser.close().await.unwrap();
    eprintln!("application to floor request in {:?}", started.elapsed());
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn a_representative_whose_organisation_is_spelled_in_fullwidth_capitals_is_still_asked_to_co_sign() {
    // Arrange: a joint statement naming Access Now, and a representative whose token spells the
    // organisation in fullwidth capitals. The browser folds both names as the server does (its
    // own NFKC, then ICU4X's case folding): without the NFKC they would differ.
    let data = tempfile::tempdir().unwrap();
    let (server, _) = server_with_meeting(data.path()).await;
    server.accreditation_of(MEETING, "Access Now").await;
    let mut ngo = rostrum_tests::Client::connect(&server, MEETING, Some(&ngo_token(&server).await)).await;
    let joint = json!({"type": "request_floor", "kind": "statement", "presence": "remote", "language": "en",
        "co_signers": ["Access Now"]});
    ngo.command(rostrum_tests::command(joint)).await.expect("the joint statement is inscribed");
    let fullwidth = "\u{FF21}\u{FF23}\u{FF23}\u{FF25}\u{FF33}\u{FF33} \u{FF2E}\u{FF2F}\u{FF37}";
    let representative = server.token(
        "stakeholder",
        "access-now-1",
        "Lucía Gómez",
        &[("organisation", fullwidth)],
        ("meeting", MEETING),
    );
    let driver = Driver::start().await;
    let phone = driver.browser("access-now", 390, 844).await;

    // Act
    phone.goto(&link(&server, "speak", Some(&representative))).await.unwrap();

    // Assert
    let asked = until(&phone, "the request to co-sign", &text_of("section.co-signing-requests li.co-signing")).await;
    let asked = asked.as_str().unwrap_or_default();
    assert!(asked.contains("Dr. Kwame Mensah (Global Digital Rights Network) asks your organisation"), "{asked}");
    assert!(asked.contains("Access Now"), "{asked}");
    phone.close().await.unwrap();
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn after_a_short_meeting_the_chair_sees_its_parity_and_the_public_report_shows_the_charts_and_the_csv() {
    let started = Instant::now();
    let data = tempfile::tempdir().unwrap();
    let (server, _) = server_with_meeting(data.path()).await;
    // An in-room delegate, then a remote stakeholder who declares her gender for the record.
    request_floor(&server, &delegate_token(&server, "chile-1", "Ana Rojas", "Chile"), "statement", "in_room", "es")
        .await;
    // An accredited NGO's representative (the organisation's country, Kenya, is in the African group).
    let ngo_token = ngo_token(&server).await;

    let driver = Driver::start().await;
    // The NGO's representative asks from her phone, remote, declaring her gender for the record;
    // her browser remembers the choice.
    let ngo = driver.browser("ngo", 390, 844).await;
    ngo.goto(&link(&server, "speak", Some(&ngo_token))).await.unwrap();
    click(&ngo, r#"button[data-presence="remote"]"#).await;
    until(&ngo, "the gender choice", &exists(r#"select[name="gender"]"#)).await;
    let declare = r#"const s = document.querySelector('select[name="gender"]'); s.value = 'woman';
        s.dispatchEvent(new Event('change', {bubbles: true}));"#;
    ngo.execute(declare, vec![]).await.unwrap();
    click(&ngo, r#"button[data-action="ask"]"#).await;
    until(&ngo, "position 2", &exists(r#".position[data-position="2"]"#)).await;
    let remembered = ngo.execute("return localStorage.getItem('rostrum.gender');", vec![]).await.unwrap();
    assert_eq!(remembered, json!("woman"));
    ngo.close().await.unwrap();

    let chair = driver.browser("chair", 1440, 900).await;
    chair.goto(&link(&server, "chair", Some(&chair_token(&server)))).await.unwrap();
    until(&chair, "the chair's list", &exists(r#"tr.entry[data-speaker="ngo-1"]"#)).await;
    until(&chair, "the empty parity panel", &text_of(".parity-panel .empty")).await;

    // Chile speaks, then the NGO; the chair ends both with the keyboard.
    click(&chair, ".floor-panel button.primary").await;
    until(&chair, "Chile on the floor", &exists(r#".floor-panel .speaker[data-speaker="chile-1"]"#)).await;
    until(&chair, "the running intervention counted", &exists(r#".parity-totals[data-interventions="1"]"#)).await;
    press(&chair, 'e').await;
    until(
        &chair,
        "Chile's intervention on record",
        "return document.querySelectorAll('table.record tbody tr').length === 1;",
    )
    .await;
    press(&chair, 'n').await;
    until(&chair, "the NGO on the floor", &exists(r#".floor-panel .speaker[data-speaker="ngo-1"]"#)).await;
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    press(&chair, 'e').await;
    until(
        &chair,
        "two interventions on record",
        "return document.querySelectorAll('table.record tbody tr').length === 2;",
    )
    .await;

    // The live panel: one in the room and one remote, each half of the interventions.
    until(&chair, "two interventions in the panel", &exists(r#".parity-totals[data-interventions="2"]"#)).await;
    let remote =
        until(&chair, "the remote bar", &text_of(r#".parity-panel .chart-row[data-group="remote"] .chart-value"#))
            .await;
    assert!(remote.as_str().unwrap().contains("50% · 1 intervention"), "{remote}");
    until(
        &chair,
        "the member states' bar",
        &exists(r#".parity-panel .chart-row[data-group="member_states"] rect.bar"#),
    )
    .await;
    let ngo_share =
        until(&chair, "the NGOs' bar", &text_of(r#".parity-panel .chart-row[data-group="ngo"] .chart-value"#)).await;
    assert!(ngo_share.as_str().unwrap().contains("50% · 1 intervention"), "{ngo_share}");
    until(&chair, "Ghana's regional group", &exists(r#".parity-panel .chart-row[data-group="african"] rect.bar"#))
        .await;
    let gender =
        until(&chair, "the declared gender", &text_of(r#".parity-panel .chart-row[data-group="woman"]"#)).await;
    assert!(gender.as_str().unwrap().contains("Woman"), "{gender}");
    until(&chair, "the undeclared gender", &exists(r#".parity-panel .chart-row[data-group="not_declared"]"#)).await;
    let summary = until(
        &chair,
        "a chart's summary for screen readers",
        r#"const e = document.querySelector('.parity-panel [role="img"][aria-label]'); return e ? e.getAttribute('aria-label') : null;"#,
    )
    .await;
    assert!(summary.as_str().unwrap().starts_with("By constituency."), "{summary}");
    chair.execute("document.querySelector('.parity-panel').scrollIntoView();", vec![]).await.unwrap();
    screenshot(&chair, "parity", 1440, 900).await;
    let href = until(
        &chair,
        "the link to the full report",
        r#"const a = document.querySelector('a[data-link="full-report"]'); return a ? a.getAttribute('href') : null;"#,
    )
    .await;
    assert_eq!(href, json!(format!("/report?meeting={MEETING}")));

    // The public report, without a token: charts as SVG bars, the table, the downloads.
    let public = driver.browser("report", 1280, 900).await;
    public.goto(&format!("{}{}", server.url(), href.as_str().unwrap())).await.unwrap();
    until(
        &public,
        "the report's interventions",
        "return document.querySelectorAll('table.interventions tbody tr').length === 2;",
    )
    .await;
    until(&public, "SVG bars", &exists(r#"figure.chart [role="img"] svg.bars rect.bar.series-0"#)).await;
    let charts = public.execute("return document.querySelectorAll('figure.chart').length;", vec![]).await.unwrap();
    assert_eq!(charts, json!(6), "constituency, presence, region, gender, waits and passed over");
    let csv_href = until(
        &public,
        "the CSV link",
        r#"const a = document.querySelector('a[data-download="csv"]'); return a ? a.getAttribute('href') : null;"#,
    )
    .await;
    assert_eq!(csv_href, json!(format!("/api/meetings/{MEETING}/report?format=csv")));
    screenshot(&public, "report", 1280, 900).await;

    // The same report in French: its words and numbers are French, its downloads the same codes.
    let french = driver.browser("report-fr", 1280, 900).await;
    french.goto(&format!("{}{}&lang=fr", server.url(), href.as_str().unwrap())).await.unwrap();
    let share = until(
        &french,
        "the French remote bar",
        &text_of(r#"figure.chart .chart-row[data-group="remote"] .chart-value"#),
    )
    .await;
    let share = share.as_str().unwrap();
    // French writes a (narrow) no-break space before the percent sign.
    assert!(share.contains("50\u{a0}%") || share.contains("50\u{202f}%"), "{share:?}");
    let lang = french.execute("return document.documentElement.lang;", vec![]).await.unwrap();
    assert_eq!(lang, json!("fr"));
    let french_csv = french
        .execute(r#"return document.querySelector('a[data-download="csv"]').getAttribute('href');"#, vec![])
        .await;
    assert_eq!(french_csv.unwrap(), csv_href);
    french.close().await.unwrap();

    let csv = rostrum_tests::http_bytes(server.addr, "GET", csv_href.as_str().unwrap(), None, b"", None).await;
    assert_eq!(csv.status, 200, "{}", String::from_utf8_lossy(&csv.body));
    let text = String::from_utf8(csv.body).expect("UTF-8 CSV");
    // The server starts the CSV with a byte-order mark, for spreadsheets.
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("meeting,meeting_title,segment"), "header: {}", lines[0]);
    assert_eq!(lines.len(), 3, "a header and one row per intervention:\n{text}");
    assert!(lines[1].contains("Ana Rojas") && lines[2].contains("Dr. Kwame Mensah"), "{text}");

    chair.close().await.unwrap();
    public.close().await.unwrap();
    eprintln!("meeting to report in {:?}", started.elapsed());
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn an_organisation_submits_a_written_statement_it_is_public_on_the_portal_and_a_delegation_responds_beside_it() {
    let started = Instant::now();
    let data = tempfile::tempdir().unwrap();
    let web = web_dir();
    // The public forms ask for a real proof of work, which the page solves before it submits.
    let args = ["--web-dir", web.to_str().expect("utf-8 path"), "--proof-bits", "12"];
    let server = Server::start_with(data.path(), &args).await;
    server.process_with_meeting("p1", "2099-12-31", "p1-s1", &[]).await;
    let org = server.accredited("p1", "Global Digital Rights Network").await;
    let title = "Input on capacity building";

    let driver = Driver::start().await;
    let browser = driver.browser("portal", 1024, 900).await;

    // The organisation writes its statement on its own page, for the meeting and an agenda item.
    browser.goto(&format!("{}/organisation#token={}", server.url(), org.token)).await.unwrap();
    fill(&browser, r#"input[name="statement_title"]"#, title).await;
    browser
        .execute(
            r#"const s = document.querySelector('select[name="statement_meeting"]'); s.value = 'p1-s1';
               s.dispatchEvent(new Event('change', {bubbles: true}));"#,
            vec![],
        )
        .await
        .unwrap();
    fill(&browser, r#"input[name="statement_agenda_item"]"#, "Capacity building").await;
    fill(
        &browser,
        r#"textarea[name="statement_text"]"#,
        "We propose regional hubs for capacity building.\n\nSee <b>our report</b>, chapter 3.",
    )
    .await;
    click(&browser, r#"button[data-action="submit-statement"]"#).await;
    until(&browser, "the submission confirmed", &exists("[data-done=statement]")).await;
    until(&browser, "the statement among its own", &exists(&format!(r#".own-statements li[data-title="{title}"]"#)))
        .await;

    // Public on the portal, without a token.
    browser.goto(&format!("{}/portal?process=p1", server.url())).await.unwrap();
    let item = format!(r#"ul.statements li[data-title="{title}"]"#);
    let line = until(&browser, "the statement on the portal", &text_of(&item)).await;
    assert!(line.as_str().unwrap().contains("Global Digital Rights Network"), "{line}");
    assert!(line.as_str().unwrap().contains("No response yet"), "{line}");

    // A delegation responds, from the statement its page links to.
    let chile =
        server.token("delegate", "del-chile", "Delegate of Chile", &[("delegation", "Chile")], ("process", "p1"));
    browser.goto(&format!("{}/delegation#token={chile}", server.url())).await.unwrap();
    click(&browser, &format!(r#".to-respond li[data-title="{title}"] a.statement-title"#)).await;
    let respond = until(&browser, "the response form", &text_of("form.respond h3")).await;
    assert_eq!(respond, json!("Respond for Chile"));
    let paragraphs = browser.execute("return document.querySelectorAll('[data-statement-text] p').length;", vec![]);
    assert_eq!(paragraphs.await.unwrap(), json!(2));
    let as_text = browser.execute(&text_of("[data-statement-text] p:last-child"), vec![]).await.unwrap();
    assert_eq!(as_text, json!("See <b>our report</b>, chapter 3."), "a statement's text is never read as HTML");
    let addressed = r#"const e = document.querySelector('.statement-body .addressed');
        return e !== null && e.textContent === 'Meeting p1-s1 · Capacity building';"#;
    until(&browser, "the meeting's title and the agenda item", addressed).await;
    fill(&browser, r#"textarea[name="response"]"#, "We took it up in paragraph 12 of the draft.").await;
    click(&browser, r#"button[data-action="respond"]"#).await;
    until(
        &browser,
        "the response beside the statement",
        &exists(r#".responses-column li.response[data-delegation="Chile"]"#),
    )
    .await;

    // Anyone sees it, and no form without a delegate's token.
    let id = until(&browser, "the statement's id", "return new URLSearchParams(location.search).get('id');").await;
    browser.goto(&format!("{}/statement?id={}", server.url(), id.as_str().unwrap())).await.unwrap();
    let response = until(&browser, "the public response", &text_of(r#"li.response[data-delegation="Chile"]"#)).await;
    assert!(response.as_str().unwrap().contains("paragraph 12"), "{response}");
    let form = browser.execute(&exists("form.respond"), vec![]).await.unwrap();
    assert_eq!(form, json!(false), "no response form without a delegate's token");
    screenshot(&browser, "statement", 1024, 900).await;

    // Chile submits a PDF from its page: a text file is refused before anything is sent.
    let files = tempfile::tempdir().unwrap();
    let (pdf, txt) = (files.path().join("position.pdf"), files.path().join("notes.txt"));
    std::fs::write(&pdf, b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n").unwrap();
    std::fs::write(&txt, b"not a pdf").unwrap();
    browser.goto(&format!("{}/delegation#token={chile}", server.url())).await.unwrap();
    fill(&browser, r#"input[name="statement_title"]"#, "Chile's position on capacity building").await;
    fill(&browser, r#"input[name="statement_file"]"#, txt.to_str().unwrap()).await;
    click(&browser, r#"button[data-action="submit-statement"]"#).await;
    let refused = until(&browser, "the refusal of a text file", &text_of(".statement-form [data-error]")).await;
    assert!(refused.as_str().unwrap().contains("not a PDF"), "{refused}");
    browser.execute(r#"document.querySelector('input[name="statement_file"]').value = '';"#, vec![]).await.unwrap();
    fill(&browser, r#"input[name="statement_file"]"#, pdf.to_str().unwrap()).await;
    click(&browser, r#"button[data-action="submit-statement"]"#).await;
    let own = r#".own-statements li[data-title="Chile's position on capacity building"] a.statement-title"#;
    click(&browser, own).await;
    let href = until(
        &browser,
        "the link to the PDF",
        r#"const a = document.querySelector('a[data-link="pdf"]'); return a ? a.getAttribute('href') : null;"#,
    )
    .await;
    let file = rostrum_tests::http_bytes(server.addr, "GET", href.as_str().unwrap(), None, b"", None).await;
    assert_eq!(file.status, 200);
    assert!(file.body.starts_with(b"%PDF-"), "the uploaded PDF comes back as it was sent");

    browser.close().await.unwrap();
    eprintln!("statement to response in {:?}", started.elapsed());
}
