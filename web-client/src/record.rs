//! The public report page's plain logic: where to fetch a report, where to download it, and the
//! cells of the table of interventions.

use shared::report::{utc, Row};
use shared::Millis;

use crate::accreditation::co_signer_name;
use crate::http::encode;
use crate::labels;
use crate::timing::{clock_text, duration_text};
use crate::tr;

/// The report's API path for a meeting, else for a process; `None` when the link names neither.
pub fn api_path(meeting: Option<&str>, process: Option<&str>) -> Option<String> {
    match (meeting, process) {
        (Some(meeting), _) => Some(format!("/api/meetings/{}/report", encode(meeting))),
        (None, Some(process)) => Some(format!("/api/processes/{}/report", encode(process))),
        (None, None) => None,
    }
}

/// The report in another format (`csv`, `json`).
pub fn download_path(api_path: &str, format: &str) -> String {
    format!("{api_path}?format={format}")
}

/// The file name a download is saved under: `report-demo.csv`.
pub fn file_name(meeting: Option<&str>, process: Option<&str>, format: &str) -> String {
    let name: String = meeting
        .or(process)
        .unwrap_or("rostrum")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect();
    format!("report-{name}.{format}")
}

/// A server time in UTC for the table: `2026-11-29 10:04:27 UTC`.
pub fn utc_text(at: Millis) -> String {
    let iso = utc(at);
    format!("{} {} UTC", &iso[..10], &iso[11..19])
}

/// The text cells of one intervention, in the table's order after the times: speaker, on behalf
/// of (with co-signers), constituency, region, presence, kind, language, duration, pauses,
/// overrun, wait, and who gave the floor (and who ended it, when another did).
pub fn cells(row: &Row) -> Vec<String> {
    let confirmed = row.co_signers.iter().map(|c| co_signer_name(c, true));
    let pending = row.pending_co_signers.iter().map(|c| co_signer_name(c, false));
    let co_signers: Vec<String> = confirmed.chain(pending).collect();
    let on_behalf = match co_signers.as_slice() {
        [] => row.on_behalf_of.clone(),
        others => tr!(chair.with_co_signers, on_behalf = &row.on_behalf_of, co_signers = others.join(", ")),
    };
    let pauses = match row.pauses {
        0 => "—".to_string(),
        n => format!("{n} ({})", duration_text(row.paused_ms)),
    };
    let overrun = if row.overrun_ms > 0 { format!("+{}", clock_text(row.overrun_ms / 1000)) } else { "—".into() };
    vec![
        row.speaker.clone(),
        on_behalf,
        row.constituency.map(|c| crate::accreditation::constituency(c).to_string()).unwrap_or_else(|| "—".into()),
        row.region.map(|r| crate::labels::region(r).to_string()).unwrap_or_else(|| "—".into()),
        labels::presence(row.presence).to_string(),
        labels::kind(row.kind).to_string(),
        row.language.to_string(),
        match row.ended_at {
            None => tr!(chair.speaking_now, time = clock_text(row.spoken_ms / 1000)),
            Some(_) => clock_text(row.spoken_ms / 1000),
        },
        pauses,
        overrun,
        row.waited_ms.map(duration_text).unwrap_or_else(|| "—".into()),
        moderation(row.given_by.as_deref(), row.ended_by.as_deref()),
    ]
}

/// "Amina Yusuf", or "Amina Yusuf; ended by Lena Novak" when another ended the floor; "—" when the
/// record does not say.
pub fn moderation(given: Option<&str>, ended: Option<&str>) -> String {
    match (given, ended) {
        (Some(given), Some(ended)) if given != ended => tr!(chair.given_ended_by, given = given, ended = ended),
        (Some(given), _) => given.to_string(),
        (None, Some(ended)) => tr!(chair.ended_by, ended = ended),
        (None, None) => "—".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_fetched_for_the_meeting_or_else_the_process() {
        assert_eq!(api_path(Some("demo"), Some("p")).as_deref(), Some("/api/meetings/demo/report"));
        assert_eq!(api_path(None, Some("oewg ict")).as_deref(), Some("/api/processes/oewg%20ict/report"));
        assert_eq!(api_path(None, None), None);
        assert_eq!(download_path("/api/meetings/demo/report", "csv"), "/api/meetings/demo/report?format=csv");
        assert_eq!(file_name(Some("demo"), None, "csv"), "report-demo.csv");
        assert_eq!(file_name(None, Some("a/b"), "json"), "report-a-b.json");
    }

    #[test]
    fn a_row_of_the_table_reads_in_words() {
        use shared::accreditation::Constituency;
        use shared::{InterventionId, Language, MeetingId, Presence, Region, RequestKind, Role, SegmentId};
        let row = Row {
            meeting: MeetingId::parse("demo").unwrap(),
            meeting_title: "Demo".into(),
            segment: SegmentId(1),
            segment_title: "General".into(),
            intervention: InterventionId(3),
            speaker: "Dr. Ama Owusu".into(),
            on_behalf_of: "Global Digital Rights Network".into(),
            co_signers: vec!["Access Now".into()],
            pending_co_signers: vec!["APC".into()],
            role: Role::Stakeholder,
            constituency: Some(Constituency::Academia),
            region: Some(Region::African),
            gender: None,
            presence: Presence::Remote,
            kind: RequestKind::Statement,
            language: Language::parse("fr").unwrap(),
            requested_at: Some(Millis(0)),
            started_at: Millis(95_000),
            ended_at: Some(Millis(300_000)),
            spoken_ms: 195_000,
            paused_ms: 10_000,
            pauses: 1,
            allowed_ms: 180_000,
            overrun_ms: 15_000,
            waited_ms: Some(95_000),
            group: None,
            note: None,
            given_by: Some("Amina Yusuf".into()),
            ended_by: Some("Lena Novak".into()),
            ready_check: None,
            passed_over: 0,
        };
        assert_eq!(
            cells(&row),
            [
                "Dr. Ama Owusu",
                "Global Digital Rights Network (with Access Now, APC (pending))",
                "Academia",
                "African States",
                "Remote",
                "Statement",
                "fr",
                "3:15",
                "1 (10 s)",
                "+0:15",
                "2 min",
                "Amina Yusuf; ended by Lena Novak",
            ]
        );
    }

    #[test]
    fn times_in_the_table_are_shown_in_utc_to_the_second() {
        assert_eq!(utc_text(Millis(1_709_210_096_789)), "2024-02-29 12:34:56 UTC");
    }
}
