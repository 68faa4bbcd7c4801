//! The words screens use for the protocol's enums, and why a segment does not take someone's
//! request — in one place, so every view says the same thing.

use serde::de::DeserializeOwned;
use shared::accreditation::Constituency;
use shared::{
    Command, Gender, Inscription, Language, Millis, Ordering, Participant, Presence, Region, RejectionCode,
    RequestKind, Role, Segment, Standing,
};

/// A request kind for people.
pub fn kind(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::Statement => "Statement",
        RequestKind::PointOfOrder => "Point of order",
        RequestKind::RightOfReply => "Right of reply",
    }
}

/// A request kind from its wire name (`statement`, `point_of_order`, `right_of_reply`); anything
/// else is a statement.
pub fn parse_kind(text: &str) -> RequestKind {
    match text {
        "point_of_order" => RequestKind::PointOfOrder,
        "right_of_reply" => RequestKind::RightOfReply,
        _ => RequestKind::Statement,
    }
}

/// The languages offered in forms: the six official languages of the United Nations first.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ar", "العربية"),
    ("zh", "中文"),
    ("ru", "Русский"),
    ("pt", "Português"),
    ("de", "Deutsch"),
    ("sw", "Kiswahili"),
];

/// A language as the booths read it: "Español (es)", or the code alone when it is not one of
/// [`LANGUAGES`].
pub fn language_name(language: &Language) -> String {
    let code = language.to_string();
    match LANGUAGES.iter().find(|(c, _)| *c == code) {
        Some((_, name)) => format!("{name} ({code})"),
        None => code,
    }
}

/// A request kind's CSS class.
pub fn kind_class(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::Statement => "statement",
        RequestKind::PointOfOrder => "point-of-order",
        RequestKind::RightOfReply => "right-of-reply",
    }
}

/// A presence for people.
pub fn presence(presence: Presence) -> &'static str {
    match presence {
        Presence::InRoom => "In the room",
        Presence::Remote => "Remote",
    }
}

/// A presence's CSS class.
pub fn presence_class(presence: Presence) -> &'static str {
    match presence {
        Presence::InRoom => "in-room",
        Presence::Remote => "remote",
    }
}

/// Who may inscribe, for people.
pub fn inscription(inscription: Inscription) -> &'static str {
    match inscription {
        Inscription::All => "Member states and stakeholders",
        Inscription::MemberStates => "Member states only",
        Inscription::Stakeholders => "Stakeholders only",
    }
}

/// The ordering policies in the order forms offer them.
pub const ORDERINGS: [Ordering; 4] = [
    Ordering::FirstComeFirstServed,
    Ordering::FirstTimeFirst,
    Ordering::AlternateInRoomAndRemote,
    Ordering::AlternateStatesAndStakeholders,
];

/// An ordering policy for people.
pub fn ordering(ordering: Ordering) -> &'static str {
    match ordering {
        Ordering::FirstComeFirstServed => "First come, first served",
        Ordering::FirstTimeFirst => "First-time speakers first",
        Ordering::AlternateInRoomAndRemote => "Alternate in room and remote",
        Ordering::AlternateStatesAndStakeholders => "Alternate states and stakeholders",
    }
}

/// What an ordering policy does, in one line.
pub fn ordering_help(ordering: Ordering) -> &'static str {
    match ordering {
        Ordering::FirstComeFirstServed => "Speakers are listed in the order they asked.",
        Ordering::FirstTimeFirst => "People who have not spoken yet in this meeting go ahead of those who have.",
        Ordering::AlternateInRoomAndRemote => "When both are waiting, an in-room speaker and a remote one take turns.",
        Ordering::AlternateStatesAndStakeholders => {
            "When both are waiting, a member state and a stakeholder take turns."
        }
    }
}

/// A value of one of the protocol's enums from its wire name (`"private_sector"`).
pub fn from_key<T: DeserializeOwned>(key: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(key.to_string())).ok()
}

/// A declared gender for people.
pub fn gender(gender: Gender) -> &'static str {
    match gender {
        Gender::Woman => "Woman",
        Gender::Man => "Man",
        Gender::Another => "Another gender",
    }
}

/// A group of the parity figures (a constituency, presence, regional group or declared gender,
/// by its key in the report) for people.
pub fn group(key: &str) -> String {
    if let Some(c) = from_key::<Constituency>(key) {
        return crate::accreditation::constituency(c).to_string();
    }
    if let Some(p) = from_key::<Presence>(key) {
        return presence(p).to_string();
    }
    if let Some(r) = from_key::<Region>(key) {
        return r.label().to_string();
    }
    if let Some(g) = from_key::<Gender>(key) {
        return gender(g).to_string();
    }
    match key {
        "not_declared" => "Not declared".to_string(),
        "unspecified" => "Not known".to_string(),
        other => other.replace('_', " "),
    }
}

/// A role for people.
pub fn role(role: Role) -> &'static str {
    match role {
        Role::Chair => "Chair",
        Role::ViceChair => "Vice-Chair",
        Role::Secretariat => "Secretariat",
        Role::Delegate => "Delegate",
        Role::Stakeholder => "Stakeholder",
        Role::Expert => "Expert on a delegation",
        Role::Panellist => "Panellist",
        Role::Observer => "Observer",
        Role::Interpreter => "Interpreter",
    }
}

/// Why a person of `role` may not ask for the floor in `segment` right now, or `None` when they
/// may. Follows `shared`'s rules: [`Inscription::admits`], and a closed list takes points of order
/// only.
pub fn why_not(segment: &Segment, role: Role, standing: Standing) -> Option<String> {
    // The server's policy first, word for word: what it would refuse, the screen does not offer.
    let request = Command::RequestFloor {
        segment: Some(segment.id),
        kind: RequestKind::Statement,
        presence: Presence::Remote,
        language: Language::parse("en").expect("a valid language"),
        co_signers: Vec::new(),
        gender: None,
        note: None,
        group: None,
    };
    if let Err(refusal) = shared::policy::command_by_role(role, &request) {
        return Some(match role {
            Role::Chair | Role::Secretariat => "The chair adds speakers from the console.".into(),
            _ => refusal.message,
        });
    }
    if standing == Standing::NotAccredited {
        return Some(
            "Only representatives of organisations accredited to this process ask for the floor; you may follow the meeting."
                .into(),
        );
    }
    if !segment.spec.inscription.admits(role) {
        let why = match segment.spec.inscription {
            Inscription::MemberStates => {
                "This segment is reserved for member states and the experts on their delegations."
            }
            Inscription::Stakeholders => "This is a stakeholder segment, reserved for accredited organisations.",
            Inscription::All => "This segment takes requests from delegations and accredited organisations only.",
        };
        return Some(why.into());
    }
    None
}

/// "1st", "2nd", "3rd", "4th", "11th", "22nd": a place in a list.
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// "1 person", "3 people": a count with the noun that agrees with it.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A note when the list takes points of order only at `now`: it opens later, it is closed, or it
/// is as long as its segment allows; the sentence the server would refuse a statement with, except
/// that the opening time is written in the meeting's time (`zone`) rather than in UTC.
pub fn list_note(segment: &Segment, now: Millis, zone: &str) -> Option<String> {
    let refusal = segment.refuses_statements(now)?;
    let opening = segment.spec.opens_at.filter(|_| refusal.code == RejectionCode::ListNotOpenYet);
    let local = opening.and_then(|at| {
        let time = crate::browser::time_of_day(at, Some(zone), false)?;
        let day = crate::time_zone::day(at, zone)?;
        Some(format!(
            "The list of speakers opens at {time} {} on {day}; only points of order are taken until then.",
            crate::time_zone::label(zone, at)
        ))
    });
    Some(local.unwrap_or(refusal.message))
}

/// Who gave and who ended a floor, for the record: "Amina Yusuf", or "Amina Yusuf; ended by Omar
/// Haddad" when another person ended it; "—" when the record does not say.
pub fn moderation(intervention: &shared::Intervention) -> String {
    let given = intervention.given_by.as_ref().map(|m| m.name.as_str());
    let ended = intervention.ended_by.as_ref().map(|m| m.name.as_str());
    crate::record::moderation(given, ended)
}

/// A segment's time limits and cap, for the chair: "3 min per intervention", or per kind when
/// they differ — "statements 3 min · rights of reply 2 min, a second 1 min · points of order 1 min"
/// — with "at most 2 statements per delegation on the item" when the segment caps them.
pub fn list_rules(spec: &shared::SegmentSpec) -> String {
    use crate::timing::exact_duration_text as text;
    let limit = |kind, replies_before| text(spec.time_limit_ms(kind, replies_before));
    let statements = limit(RequestKind::Statement, 0);
    let reply = limit(RequestKind::RightOfReply, 0);
    let second = limit(RequestKind::RightOfReply, 1);
    let order = limit(RequestKind::PointOfOrder, 0);
    let mut rules = if [&reply, &second, &order].iter().all(|l| **l == statements) {
        format!("{statements} per intervention")
    } else {
        let replies = if second == reply { reply } else { format!("{reply}, a second {second}") };
        format!("statements {statements} · rights of reply {replies} · points of order {order}")
    };
    if spec.groups_first {
        rules.push_str(" · groups of states first");
    }
    if spec.ready_check {
        rules.push_str(" · remote speakers confirm they are ready");
    }
    if let Some(cap) = spec.statements_per_delegation {
        rules.push_str(&format!(" · at most {} per delegation", count(cap as usize, "statement", "statements")));
        if spec.item.is_some() {
            rules.push_str(" on the item");
        }
    }
    rules
}

/// Who presides, for every screen of a meeting, when it is not the chair: "Vice-Chair Lena Novak
/// presides." or "The chair was handed over; a vice-chair takes it next."
pub fn presiding(chairing: &shared::Chairing) -> Option<String> {
    match chairing {
        shared::Chairing::Chair => None,
        shared::Chairing::HandedOver { .. } => Some("The chair was handed over; a vice-chair takes it next.".into()),
        shared::Chairing::ViceChair { vice_chair } => Some(format!("Vice-Chair {} presides.", vice_chair.name)),
    }
}

/// What the console offers `you` about the chair: a sentence on where they stand, and the command
/// a button sends with its label, if any.
pub fn chairing_offer(chairing: &shared::Chairing, you: &Participant) -> (String, Option<(Command, &'static str)>) {
    use shared::Chairing;
    let hand_over = Some((Command::HandOverChair, "Hand over the chair"));
    match (you.role, chairing) {
        (Role::Chair, Chairing::Chair) => ("You preside.".into(), hand_over),
        (Role::Chair, Chairing::HandedOver { .. }) => {
            ("You handed over the chair.".into(), Some((Command::TakeChair, "Take the chair back")))
        }
        (Role::Chair, Chairing::ViceChair { vice_chair }) => {
            (format!("Vice-Chair {} presides.", vice_chair.name), Some((Command::TakeChair, "Take the chair back")))
        }
        (Role::ViceChair, Chairing::Chair) => {
            ("The chair presides; you can take the chair once the chair hands over.".into(), None)
        }
        (Role::ViceChair, Chairing::HandedOver { .. }) => {
            ("The chair was handed over to you.".into(), Some((Command::TakeChair, "Take the chair")))
        }
        (Role::ViceChair, Chairing::ViceChair { vice_chair }) if vice_chair.id == you.id => {
            ("You preside.".into(), hand_over)
        }
        (_, chairing) => {
            let who = presiding(chairing).unwrap_or_else(|| "The chair presides.".into());
            let role = if you.role == Role::Secretariat {
                " The secretariat sets up and keeps the lists; the one presiding gives the floor."
            } else {
                ""
            };
            (format!("{who}{role}"), None)
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_record_names_who_gave_the_floor_and_who_ended_it_when_another_did() {
        let mut f = Fixture::new(180);
        f.request("del-chile", Role::Delegate);
        f.run(Command::GiveFloor { entry: None }, 1);
        f.run(Command::HandOverChair, 2);
        let vice_chair = person("vice", Role::ViceChair);
        f.run_as(&vice_chair, Command::TakeChair, 3);
        f.run_as(&vice_chair, Command::EndFloor, 2_000);

        assert_eq!(moderation(&f.meeting.record[0]), "Name of chair; ended by Name of vice");
    }

    #[test]
    fn the_console_offers_each_presiding_officer_the_step_that_is_theirs() {
        let mut f = Fixture::new(180);
        let chair = person("chair", Role::Chair);
        let vice = person("vice", Role::ViceChair);
        let officer = person("officer", Role::Secretariat);
        let offer = |f: &Fixture, who: &Participant| chairing_offer(&f.meeting.chairing, who).1.map(|(_, label)| label);
        assert_eq!((offer(&f, &chair), offer(&f, &vice)), (Some("Hand over the chair"), None));

        f.run(Command::HandOverChair, 1);
        assert_eq!((offer(&f, &chair), offer(&f, &vice)), (Some("Take the chair back"), Some("Take the chair")));

        f.run_as(&vice, Command::TakeChair, 2);
        assert_eq!((offer(&f, &chair), offer(&f, &vice)), (Some("Take the chair back"), Some("Hand over the chair")));
        assert_eq!(offer(&f, &officer), None);
        assert_eq!(presiding(&f.meeting.chairing).as_deref(), Some("Vice-Chair Name of vice presides."));
        assert!(chairing_offer(&f.meeting.chairing, &officer).0.starts_with("Vice-Chair Name of vice presides."));
    }

    #[test]
    fn a_segment_with_one_limit_says_it_once() {
        let f = Fixture::new(180);
        assert_eq!(list_rules(&f.meeting.active().unwrap().spec), "3 min per intervention");
    }

    #[test]
    fn a_segment_with_limits_per_kind_names_each_and_its_cap() {
        let f = Fixture::new(180);
        let spec = shared::SegmentSpec {
            right_of_reply_secs: Some(120),
            second_reply_secs: Some(60),
            statements_per_delegation: Some(1),
            groups_first: true,
            ..f.meeting.active().unwrap().spec.clone()
        };
        assert_eq!(
            list_rules(&spec),
            "statements 3 min · rights of reply 2 min, a second 1 min · points of order 3 min · groups of states first · at most 1 statement per delegation"
        );
    }
    use super::*;
    use crate::fixture::{person, Fixture};

    #[test]
    fn a_list_as_long_as_its_segment_allows_says_it_takes_points_of_order_only() {
        let mut f = Fixture::new(180);
        let spec = shared::SegmentSpec { max_waiting: Some(1), ..f.meeting.active().unwrap().spec.clone() };
        f.run(Command::UpdateSegment { segment: shared::SegmentId(1), spec }, 0);
        assert_eq!(list_note(f.meeting.active().unwrap(), Millis(0), "UTC"), None);

        f.request("del-chile", Role::Delegate);

        let note = list_note(f.meeting.active().unwrap(), Millis(0), "UTC").expect("a note");
        assert!(note.contains("full (at most 1 waiting)") && note.contains("points of order"), "{note}");
    }

    #[test]
    fn a_stakeholder_is_told_why_a_member_states_segment_is_not_for_them() {
        let mut f = Fixture::new(180);
        f.segment("Draft report", Inscription::MemberStates);
        f.segment("Stakeholders", Inscription::Stakeholders);
        let report = f.meeting.segment(shared::SegmentId(2)).unwrap();
        let stakeholders = f.meeting.segment(shared::SegmentId(3)).unwrap();
        assert!(why_not(report, Role::Stakeholder, Standing::Good).unwrap().contains("member states"));
        assert_eq!(why_not(report, Role::Expert, Standing::Good), None);
        assert!(why_not(stakeholders, Role::Delegate, Standing::Good).unwrap().contains("stakeholder segment"));
        assert_eq!(why_not(stakeholders, Role::Stakeholder, Standing::Good), None);
        assert!(why_not(stakeholders, Role::Panellist, Standing::Good).unwrap().contains("Panellists"));
        assert!(why_not(stakeholders, Role::Stakeholder, Standing::NotAccredited).unwrap().contains("accredited"));
    }

    #[test]
    fn every_offered_language_is_a_valid_tag_and_kinds_read_back() {
        for (tag, _) in LANGUAGES {
            assert!(shared::Language::parse(*tag).is_ok(), "{tag}");
        }
        for k in [RequestKind::Statement, RequestKind::PointOfOrder, RequestKind::RightOfReply] {
            let wire = serde_json::to_value(k).unwrap();
            assert_eq!(parse_kind(wire.as_str().unwrap()), k);
        }
    }

    #[test]
    fn every_group_of_the_parity_figures_has_a_human_name() {
        assert_eq!(group("member_states"), "Member states");
        assert_eq!(group("private_sector"), "Private sector");
        assert_eq!(group("remote"), "Remote");
        assert_eq!(group("in_room"), "In the room");
        assert_eq!(group("latin_american_and_caribbean"), "Latin American and Caribbean States");
        assert_eq!(group("another"), "Another gender");
        assert_eq!(group("not_declared"), "Not declared");
        assert_eq!(group("unspecified"), "Not known");
    }

    #[test]
    fn every_ordering_policy_has_a_name_and_an_explanation_and_reads_back() {
        for o in ORDERINGS {
            assert!(!ordering(o).is_empty() && ordering_help(o).ends_with('.'));
            assert_eq!(from_key::<Ordering>(&shared::report::key(&o)), Some(o));
        }
        assert_eq!(ordering(Ordering::FirstTimeFirst), "First-time speakers first");
    }

    #[test]
    fn places_in_a_list_read_as_ordinals() {
        let read: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112].map(ordinal).to_vec();
        assert_eq!(
            read,
            ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th", "112th"]
        );
    }

    #[test]
    fn a_count_agrees_with_its_noun() {
        assert_eq!(count(1, "intervention", "interventions"), "1 intervention");
        assert_eq!(count(0, "intervention", "interventions"), "0 interventions");
        assert_eq!(count(3, "person", "people"), "3 people");
    }
}
