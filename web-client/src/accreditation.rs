//! The plain logic behind the accreditation screens: labels, dates, the application as filled in,
//! co-signers and the participant's link to a meeting. What they read from the API and send to it
//! are the bodies of `shared::accreditation::wire`, the server's own.

use shared::accreditation::{Application, Constituency, Status};
use shared::written;
use shared::{CoSigner, Millis, Presence};

/// The constituencies in the form's order, by wire name.
pub const CONSTITUENCY_WIRES: [&str; 4] = ["ngo", "academia", "private_sector", "technical_community"];

/// The constituencies in the form's order: wire name and label (in the page's language).
pub fn constituencies() -> Vec<(&'static str, &'static str)> {
    CONSTITUENCY_WIRES.iter().map(|wire| (*wire, constituency(parse_constituency(wire)))).collect()
}

/// A constituency from its wire name (NGO when unknown).
pub fn parse_constituency(text: &str) -> Constituency {
    match text {
        "academia" => Constituency::Academia,
        "private_sector" => Constituency::PrivateSector,
        "technical_community" => Constituency::TechnicalCommunity,
        _ => Constituency::Ngo,
    }
}

pub fn constituency(constituency: Constituency) -> &'static str {
    match constituency {
        Constituency::MemberStates => crate::tr!(accreditation.constituency_member_states),
        Constituency::Ngo => crate::tr!(accreditation.constituency_ngo),
        Constituency::Academia => crate::tr!(accreditation.constituency_academia),
        Constituency::PrivateSector => crate::tr!(accreditation.constituency_private_sector),
        Constituency::TechnicalCommunity => crate::tr!(accreditation.constituency_technical_community),
    }
}

pub fn status(status: Status) -> &'static str {
    match status {
        Status::Pending => crate::tr!(accreditation.status_pending),
        Status::Approved => crate::tr!(accreditation.status_approved),
        Status::Refused => crate::tr!(accreditation.status_refused),
        Status::Revoked => crate::tr!(accreditation.status_revoked),
    }
}

/// The CSS class (and `data-status`) of a status.
pub fn status_class(status: Status) -> &'static str {
    match status {
        Status::Pending => "pending",
        Status::Approved => "approved",
        Status::Refused => "refused",
        Status::Revoked => "revoked",
    }
}

/// `YYYY-MM-DD HH:MM UTC` of a time.
pub fn utc_text(at: Millis) -> String {
    let t = shared::report::datetime(at);
    format!("{:04}-{:02}-{:02} {:02}:{:02} UTC", t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute())
}

/// The form's fields, trimmed, as the application the server takes; the activities are sent only
/// without ECOSOC status.
#[allow(clippy::too_many_arguments)]
pub fn application(
    name: &str,
    website: &str,
    country: &str,
    contact_name: &str,
    contact_email: &str,
    constituency: &str,
    ecosoc: bool,
    activities: &str,
) -> Application {
    let activities = activities.trim();
    Application {
        name: name.trim().into(),
        website: website.trim().into(),
        country: country.trim().into(),
        contact_name: contact_name.trim().into(),
        contact_email: contact_email.trim().into(),
        constituency: parse_constituency(constituency),
        ecosoc,
        activities: (!ecosoc && !activities.is_empty()).then(|| activities.to_string()),
    }
}

/// The commas a list may be typed with: Latin, Arabic (،), full-width (，) and ideographic (、).
const COMMAS: [char; 4] = [',', '\u{060c}', '\u{ff0c}', '\u{3001}'];

/// Co-signers of a joint statement from a field separated by commas, whichever script's.
pub fn co_signers(text: &str) -> Vec<String> {
    text.split(COMMAS).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

/// "Joint statement with A, B (pending)" for an entry or intervention with co-signers. A co-signer
/// that has not confirmed says so in words, not by colour alone.
pub fn joint_statement(co_signers: &[CoSigner]) -> Option<String> {
    joint(co_signers.iter().map(|c| (c.organisation.as_str(), c.confirmed)))
}

/// The same for the co-signers of a written statement.
pub fn joint_written(co_signers: &[written::CoSigner]) -> Option<String> {
    joint(co_signers.iter().map(|c| (c.name.as_str(), c.confirmed)))
}

/// A co-signer's name, with "(pending)" until it confirms.
pub fn co_signer_name(name: &str, confirmed: bool) -> String {
    if confirmed {
        name.to_string()
    } else {
        crate::tr!(accreditation.co_signer_pending, name = name).to_string()
    }
}

fn joint<'a>(co_signers: impl Iterator<Item = (&'a str, bool)>) -> Option<String> {
    let names: Vec<String> = co_signers.map(|(name, confirmed)| co_signer_name(name, confirmed)).collect();
    let separator = crate::tr!(accreditation.list_separator);
    (!names.is_empty())
        .then(|| crate::tr!(accreditation.joint_statement_with, names = names.join(separator)).to_string())
}

/// The wire name of a presence, as links carry it.
pub fn presence_param(presence: Presence) -> &'static str {
    match presence {
        Presence::InRoom => "in_room",
        Presence::Remote => "remote",
    }
}

/// The participant's view of `meeting` from a personal link valid for `process`.
pub fn speak_href(process: &str, meeting: &str, presence: Option<Presence>, token: Option<&str>) -> String {
    use crate::http::encode;
    let mut href = format!("/speak?process={}&meeting={}", encode(process), encode(meeting));
    if let Some(presence) = presence {
        href.push_str(&format!("&presence={}", presence_param(presence)));
    }
    if let Some(token) = token {
        href.push_str(&format!("#token={token}"));
    }
    href
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_as_utc_dates() {
        assert_eq!(utc_text(Millis(0)), "1970-01-01 00:00 UTC");
        assert_eq!(utc_text(Millis(1_803_945_600_000 - 1)), "2027-03-01 23:59 UTC");
        let deadline = shared::accreditation::end_of_day("2099-12-31").unwrap();
        assert_eq!(utc_text(deadline), "2099-12-31 23:59 UTC");
        let leap = shared::accreditation::end_of_day("2024-02-29").unwrap();
        assert_eq!(utc_text(leap), "2024-02-29 23:59 UTC");
    }

    #[test]
    fn activities_are_sent_only_without_ecosoc_status() {
        let with = application(" GDRN ", "https://x.org", "Ghana", "Kwame", "k@x.org", "academia", true, "stuff");
        assert_eq!(with.name, "GDRN");
        assert_eq!(with.constituency, Constituency::Academia);
        assert_eq!(with.activities, None);
        let without = application("GDRN", "https://x.org", "Ghana", "Kwame", "k@x.org", "ngo", false, " Research ");
        assert_eq!(without.activities.as_deref(), Some("Research"));
        assert_eq!(application("a", "b", "c", "d", "e", "ngo", false, "  ").activities, None);
    }

    #[test]
    fn constituencies_round_trip_through_their_wire_names() {
        let labels = ["NGO / civil society", "Academia", "Private sector", "Technical community"];
        assert_eq!(constituencies().iter().map(|(_, label)| *label).collect::<Vec<_>>(), labels);
        for (wire, label) in constituencies() {
            let parsed = parse_constituency(wire);
            assert_eq!(constituency(parsed), label);
            assert_eq!(serde_json::to_value(parsed).unwrap(), serde_json::json!(wire));
        }
    }

    #[test]
    fn co_signers_are_split_on_the_commas_of_every_script_and_trimmed() {
        assert_eq!(co_signers(" Access Now, , Article 19 ,"), vec!["Access Now", "Article 19"]);
        assert!(co_signers("  ").is_empty());
        assert_eq!(co_signers("الشبكة العربية، Access Now"), vec!["الشبكة العربية", "Access Now"]);
        assert_eq!(co_signers("数字权利网络，Article 19、中国"), vec!["数字权利网络", "Article 19", "中国"]);
        let named = [CoSigner::confirmed("A"), CoSigner::pending("B")];
        assert_eq!(joint_statement(&named).as_deref(), Some("Joint statement with A, B (pending)"));
        assert_eq!(joint_statement(&[]), None);
    }

    #[test]
    fn labels_and_joint_statements_speak_the_pages_language() {
        use crate::language::{set, Locale};
        set(Locale::fr);
        assert_eq!(status(Status::Approved), "Accréditée");
        assert_eq!(constituency(Constituency::Academia), "Milieux universitaires");
        set(Locale::zh);
        let named = [CoSigner::confirmed("A"), CoSigner::pending("B")];
        assert_eq!(joint_statement(&named).as_deref(), Some("与A、B（待确认）的联合发言"));
        set(Locale::en);
    }

    #[test]
    fn a_meeting_link_keeps_the_process_presence_and_token() {
        assert_eq!(
            speak_href("p1", "m-1", Some(Presence::Remote), Some("a.b.c")),
            "/speak?process=p1&meeting=m-1&presence=remote#token=a.b.c"
        );
        assert_eq!(speak_href("p1", "m", None, None), "/speak?process=p1&meeting=m");
    }
}
