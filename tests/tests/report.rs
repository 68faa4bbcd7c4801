//! The record of a meeting and its parity figures over the real server: public for open meetings,
//! computed from the log, exported as CSV that parses back to the same figures, and printed by
//! `rostrum report` beside a running server.

use std::process::Command as Process;

use rostrum_tests::{exchange, header, http_bytes, request, rostrum_bin, segment, Client, Server};
use serde_json::{json, Value};
use shared::report::Report;
use shared::{Command, Gender, Intervention, Language, Presence, RequestKind};

/// Milliseconds spoken, worked out from the intervention's own times: end less start less pauses.
fn spoken(i: &Intervention) -> i64 {
    let end = i.ended_at.expect("ended").0;
    end - i.started_at.0 - i.pauses.iter().map(|p| p.to.expect("closed pause").0 - p.from.0).sum::<i64>()
}

/// In process `oewg-r`, meeting `m1` (open, one segment for everyone): Chile asks in the room
/// (declaring a gender), an accredited NGO's representative asks remotely; Chile speaks with a
/// pause, then the NGO. Returns the server, the chair's client and the secretariat token.
async fn scripted() -> (Server, Client, String) {
    let server = Server::in_process().await;
    let sec = server.process_with_meeting("oewg-r", "2099-12-31", "m1", &[segment("General debate", "all", 180)]).await;
    let ngo = server.accredited("oewg-r", "Digital Rights Kenya").await;
    let rep = server.representative(&ngo, "Wanjiru Kamau", "remote").await;
    let chile = server.delegate("m1", "del-chile", "Chile");
    let mut chair = Client::connect(&server, "m1", Some(&server.chair("m1"))).await;
    let mut delegate = Client::connect(&server, "m1", Some(&chile)).await;
    let mut remote = Client::connect(&server, "m1", Some(&rep.token)).await;

    let declared = Command::RequestFloor {
        segment: None,
        kind: RequestKind::Statement,
        presence: Presence::InRoom,
        language: Language::parse("es").unwrap(),
        co_signers: vec![],
        gender: Some(Gender::Woman),
        note: None,
        group: None,
    };
    delegate.command(declared).await.unwrap();
    remote.command(request("statement", "remote", "en")).await.unwrap();
    for step in ["give_floor", "pause_floor", "resume_floor", "end_floor", "give_floor", "end_floor"] {
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        chair.command(rostrum_tests::command(json!({ "type": step }))).await.unwrap();
    }
    (server, chair, sec)
}

async fn report(server: &Server, path: &str, token: Option<&str>) -> (u16, Value) {
    server.http("GET", path, token, None).await
}

#[tokio::test]
async fn an_open_meetings_record_is_public_and_its_figures_follow_the_log() {
    let (server, chair, _) = scripted().await;
    let record = &chair.state().record;

    let (status, body) = report(&server, "/api/meetings/m1/report", None).await;

    assert_eq!(status, 200, "{body}");
    let report: Report = serde_json::from_value(body).unwrap();
    assert_eq!(report.rows.len(), 2);
    let chile = &report.rows[0];
    assert_eq!((chile.on_behalf_of.as_str(), chile.spoken_ms), ("Chile", spoken(&record[0])));
    assert_eq!(chile.waited_ms, Some(record[0].started_at.0 - record[0].requested_at.unwrap().0));
    assert_eq!((chile.pauses, chile.gender), (1, Some(Gender::Woman)));
    let ngo = &report.rows[1];
    assert_eq!((ngo.on_behalf_of.as_str(), ngo.spoken_ms), ("Digital Rights Kenya", spoken(&record[1])));
    let total = spoken(&record[0]) + spoken(&record[1]);
    assert_eq!(report.parity.speaking_ms, total);
    let by = |tallies: &[shared::report::Tally], group: &str| {
        let t = tallies.iter().find(|t| t.group == group).unwrap();
        (t.interventions, t.speaking_ms)
    };
    assert_eq!(by(&report.parity.by_constituency, "member_states"), (1, spoken(&record[0])));
    assert_eq!(by(&report.parity.by_constituency, "ngo"), (1, spoken(&record[1])), "from the accreditation");
    assert_eq!(by(&report.parity.by_presence, "remote"), (1, spoken(&record[1])));
    assert_eq!(by(&report.parity.by_region, "latin_american_and_caribbean"), (1, spoken(&record[0])));
    assert_eq!(by(&report.parity.by_region, "african"), (1, spoken(&record[1])), "the NGO's country, Kenya");
    assert_eq!(by(&report.parity.by_gender, "woman"), (1, spoken(&record[0])));
    assert_eq!(by(&report.parity.by_gender, "not_declared"), (1, spoken(&record[1])));
}

/// The CSV's cells, one vector per line (RFC 4180 quoting).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut lines = vec![];
    let mut line = vec![];
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => line.push(std::mem::take(&mut cell)),
            ('\r', false) => {}
            ('\n', false) => {
                line.push(std::mem::take(&mut cell));
                lines.push(std::mem::take(&mut line));
            }
            (c, _) => cell.push(c),
        }
    }
    lines
}

/// "92.5" seconds as 92500 milliseconds, exactly.
fn millis(seconds: &str) -> i64 {
    let (whole, frac) = seconds.split_once('.').unwrap_or((seconds, ""));
    whole.parse::<i64>().unwrap() * 1000 + format!("{frac:0<3}").parse::<i64>().unwrap()
}

#[tokio::test]
async fn the_csv_export_has_one_row_per_intervention_and_parses_back_to_the_same_figures() {
    let (server, _chair, _) = scripted().await;
    let (_, json) = report(&server, "/api/meetings/m1/report", None).await;
    let report: Report = serde_json::from_value(json).unwrap();

    let csv = http_bytes(server.addr, "GET", "/api/meetings/m1/report?format=csv", None, b"", None).await;

    assert_eq!(csv.status, 200);
    assert_eq!(csv.header("content-type").as_deref(), Some("text/csv; charset=utf-8"));
    assert_eq!(csv.header("content-disposition").as_deref(), Some("attachment; filename=\"m1-record.csv\""));
    let text = String::from_utf8(csv.body).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark for spreadsheets");
    let table = parse_csv(text);
    let header = &table[0];
    assert_eq!(table.len(), 1 + report.rows.len(), "a header and one line per intervention");
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    for (line, row) in table[1..].iter().zip(&report.rows) {
        assert_eq!(line[column("speaker")], row.speaker);
        assert_eq!(millis(&line[column("spoken_s")]), row.spoken_ms);
        assert_eq!(millis(&line[column("paused_s")]), row.paused_ms);
        assert_eq!(millis(&line[column("overrun_s")]), row.overrun_ms);
        assert_eq!(Some(millis(&line[column("waited_s")])), row.waited_ms);
        assert_eq!(line[column("presence")], shared::report::key(&row.presence));
    }
    let total: i64 = table[1..].iter().map(|line| millis(&line[column("spoken_s")])).sum();
    assert_eq!(total, report.parity.speaking_ms);
}

#[tokio::test]
async fn rostrum_report_prints_the_same_csv_as_the_api_while_the_server_runs() {
    let (server, _chair, _) = scripted().await;
    let api = http_bytes(server.addr, "GET", "/api/meetings/m1/report?format=csv", None, b"", None).await;

    let out = server.cli().args(["report", "m1", "--format", "csv", "--data"]).arg(&server.data).output().unwrap();

    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), String::from_utf8(api.body).unwrap());
}

#[tokio::test]
async fn rostrum_report_explains_an_unknown_meeting_and_a_missing_database() {
    let (server, _chair, _) = scripted().await;
    let empty = tempfile::tempdir().unwrap();

    let unknown = server.cli().args(["report", "nope", "--data"]).arg(&server.data).output().unwrap();
    let nowhere = Process::new(rostrum_bin()).args(["report", "m1", "--data"]).arg(empty.path()).output().unwrap();

    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("there is no meeting nope"));
    assert!(!nowhere.status.success());
    assert!(String::from_utf8_lossy(&nowhere.stderr).contains("there is no database"));
}

#[tokio::test]
async fn a_closed_meetings_record_is_open_only_to_those_who_attend_it() {
    let server = Server::in_process().await;
    let sec = server.meeting("closed-1", "closed", &[segment("Drafting", "member_states", 180)]).await;
    let delegate = server.delegate("closed-1", "del-chile", "Chile");
    let elsewhere = server.delegate("other", "del-peru", "Peru");

    let (anonymous, body) = report(&server, "/api/meetings/closed-1/report", None).await;
    let (outsider, _) = report(&server, "/api/meetings/closed-1/report", Some(&elsewhere)).await;
    let (member, _) = report(&server, "/api/meetings/closed-1/report", Some(&delegate)).await;
    let (secretariat, _) = report(&server, "/api/meetings/closed-1/report", Some(&sec)).await;
    let (forged, _) = report(&server, "/api/meetings/closed-1/report", Some("not-a-token")).await;

    assert_eq!(anonymous, 401);
    assert!(body["message"].as_str().unwrap().contains("closed meeting"));
    assert_eq!((outsider, member, secretariat, forged), (403, 200, 200, 401));
}

#[tokio::test]
async fn a_process_report_covers_its_meetings_and_leaves_closed_ones_to_those_who_attend() {
    let (server, _chair, sec) = scripted().await;
    server.meeting_in("m2", "oewg-r", "closed", &[segment("Drafting", "member_states", 180)]).await;
    let chile = server.token("delegate", "del-chile-2", "Ana", &[("delegation", "Chile")], ("meeting", "m2"));
    let mut delegate = Client::connect(&server, "m2", Some(&chile)).await;
    delegate.command(request("statement", "in_room", "es")).await.unwrap();
    let chair = server.chair("m2");
    let mut chair = Client::connect(&server, "m2", Some(&chair)).await;
    chair.command(rostrum_tests::command(json!({"type": "give_floor"}))).await.unwrap();
    chair.command(rostrum_tests::command(json!({"type": "end_floor"}))).await.unwrap();

    let (_, public) = report(&server, "/api/processes/oewg-r/report", None).await;
    let (_, full) = report(&server, "/api/processes/oewg-r/report", Some(&sec)).await;
    let (unknown, _) = report(&server, "/api/processes/nope/report", None).await;

    let public: Report = serde_json::from_value(public).unwrap();
    let full: Report = serde_json::from_value(full).unwrap();
    assert_eq!(public.title, "Process oewg-r");
    assert_eq!(public.rows.len(), 2, "the open meeting's two interventions");
    assert_eq!(full.rows.len(), 3, "and the closed meeting's one, for the secretariat");
    assert_eq!(unknown, 404);
}

#[tokio::test]
async fn an_unknown_format_gets_a_clear_error() {
    let server = Server::in_process().await;
    server.meeting("m1", "open", &[segment("General debate", "all", 180)]).await;

    let (status, body) = report(&server, "/api/meetings/m1/report?format=xml", None).await;

    assert_eq!((status, body["code"].as_str()), (400, Some("invalid_format")));
    assert!(body["message"].as_str().unwrap().contains("format=csv"));
}

#[tokio::test]
async fn a_speaker_the_chair_adds_from_an_accredited_organisation_is_recorded_with_its_constituency() {
    let server = Server::in_process().await;
    server.process_with_meeting("oewg-r", "2099-12-31", "m1", &[segment("General debate", "all", 180)]).await;
    server.accredited("oewg-r", "Youth for Cyber Peace").await;
    let mut chair = Client::connect(&server, "m1", Some(&server.chair("m1"))).await;
    let speaker =
        json!({"id": "walk-in", "name": "Sam Lee", "role": "stakeholder", "organisation": "youth for cyber peace"});

    chair
        .command(rostrum_tests::command(json!({
            "type": "add_speaker", "speaker": speaker, "kind": "statement", "presence": "in_room", "language": "en"
        })))
        .await
        .unwrap();

    let entry = &chair.state().active().unwrap().entries[0];
    assert_eq!(entry.speaker.profile.constituency, Some(shared::accreditation::Constituency::Ngo));
    assert_eq!(entry.speaker.profile.country.as_deref(), Some("Kenya"));
}

#[tokio::test]
async fn a_representative_token_minted_on_the_command_line_records_its_organisation_s_constituency_and_country() {
    let server = Server::in_process().await;
    server.process("oewg", "2099-12-31").await;
    server.meeting("m1", "open", &[segment("General debate", "all", 180)]).await;
    let mut form = rostrum_tests::application("Derechos Digitales", true);
    form["country"] = json!("Chile");
    let (status, applied) = server.apply("oewg", &form).await;
    assert_eq!(status, 201, "{applied}");
    let organisation = applied["organisation"]["id"].as_str().unwrap();
    let (status, body) = server.decide(organisation, &json!({"decision": "approve"})).await;
    assert_eq!(status, 200, "{body}");
    let token = server.token("stakeholder", "ngo-1", "Lucía", &[("accredited", organisation)], ("ttl-hours", "24"));
    let mut speaker = Client::connect(&server, "m1", Some(&token)).await;

    speaker.command(request("statement", "remote", "es")).await.unwrap();

    let entry = &speaker.state().active().unwrap().entries[0];
    assert_eq!(entry.speaker.organisation.as_deref(), Some("Derechos Digitales"));
    assert_eq!(entry.speaker.region(), Some(shared::Region::LatinAmericanAndCaribbean));
}

#[tokio::test]
async fn a_report_asked_again_with_its_etag_is_not_sent_again_until_the_meeting_changes() {
    // Arrange
    let (server, mut chair, _) = scripted().await;
    let mut delegate = Client::connect(&server, "m1", Some(&server.delegate("m1", "del-peru", "Peru"))).await;
    let local = "127.0.0.1".parse().unwrap();
    let first = exchange(server.addr, local, "GET", "/api/meetings/m1/report?format=csv", &[], "").await;
    let etag = header(&first.head, "etag").expect("an ETag").to_string();

    // Act
    let unchanged =
        exchange(server.addr, local, "GET", "/api/meetings/m1/report?format=csv", &[("If-None-Match", &etag)], "")
            .await;
    delegate.command(request("statement", "in_room", "es")).await.unwrap();
    for step in ["give_floor", "end_floor"] {
        chair.command(rostrum_tests::command(json!({ "type": step }))).await.unwrap();
    }
    let changed =
        exchange(server.addr, local, "GET", "/api/meetings/m1/report?format=csv", &[("If-None-Match", &etag)], "")
            .await;

    // Assert
    assert_eq!(first.status, 200);
    assert_eq!(header(&first.head, "cache-control"), Some("no-cache"));
    assert_eq!((unchanged.status, header(&unchanged.head, "etag")), (304, Some(etag.as_str())));
    assert_eq!(changed.status, 200, "a new intervention makes a new report");
    assert_ne!(header(&changed.head, "etag"), Some(etag.as_str()));
}
