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
        RequestKind::Statement => crate::tr!(common.kind_statement),
        RequestKind::PointOfOrder => crate::tr!(common.kind_point_of_order),
        RequestKind::RightOfReply => crate::tr!(common.kind_right_of_reply),
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
        Presence::InRoom => crate::tr!(common.presence_in_room),
        Presence::Remote => crate::tr!(common.presence_remote),
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
        Inscription::All => crate::tr!(common.inscription_all),
        Inscription::MemberStates => crate::tr!(common.inscription_member_states),
        Inscription::Stakeholders => crate::tr!(common.inscription_stakeholders),
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
        Ordering::FirstComeFirstServed => crate::tr!(common.ordering_first_come),
        Ordering::FirstTimeFirst => crate::tr!(common.ordering_first_time),
        Ordering::AlternateInRoomAndRemote => crate::tr!(common.ordering_alternate_presence),
        Ordering::AlternateStatesAndStakeholders => crate::tr!(common.ordering_alternate_states),
    }
}

/// What an ordering policy does, in one line.
pub fn ordering_help(ordering: Ordering) -> &'static str {
    match ordering {
        Ordering::FirstComeFirstServed => crate::tr!(common.ordering_first_come_help),
        Ordering::FirstTimeFirst => crate::tr!(common.ordering_first_time_help),
        Ordering::AlternateInRoomAndRemote => crate::tr!(common.ordering_alternate_presence_help),
        Ordering::AlternateStatesAndStakeholders => crate::tr!(common.ordering_alternate_states_help),
    }
}

/// A value of one of the protocol's enums from its wire name (`"private_sector"`).
pub fn from_key<T: DeserializeOwned>(key: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(key.to_string())).ok()
}

/// A declared gender for people.
pub fn gender(gender: Gender) -> &'static str {
    match gender {
        Gender::Woman => crate::tr!(common.gender_woman),
        Gender::Man => crate::tr!(common.gender_man),
        Gender::Another => crate::tr!(common.gender_another),
    }
}

/// A regional group of states for people: "African States".
pub fn region(region: Region) -> &'static str {
    match region {
        Region::African => crate::tr!(common.region_african),
        Region::AsiaPacific => crate::tr!(common.region_asia_pacific),
        Region::EasternEuropean => crate::tr!(common.region_eastern_european),
        Region::LatinAmericanAndCaribbean => crate::tr!(common.region_latin_american_and_caribbean),
        Region::WesternEuropeanAndOther => crate::tr!(common.region_western_european),
    }
}

/// A group of states a delegation speaks for ([`shared::delegations::GROUPS`]), by its id, as the
/// UN names it in the page's language; `None` for an id not among them.
pub fn state_group(id: &str) -> Option<&'static str> {
    Some(match id {
        "african_group" => crate::tr!(common.state_group_african_group),
        "asia_pacific_group" => crate::tr!(common.state_group_asia_pacific_group),
        "eastern_european_group" => crate::tr!(common.state_group_eastern_european_group),
        "grulac" => crate::tr!(common.state_group_grulac),
        "weog" => crate::tr!(common.state_group_weog),
        "g77_and_china" => crate::tr!(common.state_group_g77_and_china),
        "nam" => crate::tr!(common.state_group_nam),
        "arab_group" => crate::tr!(common.state_group_arab_group),
        "oic" => crate::tr!(common.state_group_oic),
        "aosis" => crate::tr!(common.state_group_aosis),
        "pacific_sids" => crate::tr!(common.state_group_pacific_sids),
        "ldc" => crate::tr!(common.state_group_ldc),
        "lldc" => crate::tr!(common.state_group_lldc),
        "eu" => crate::tr!(common.state_group_eu),
        "asean" => crate::tr!(common.state_group_asean),
        "caricom" => crate::tr!(common.state_group_caricom),
        "celac" => crate::tr!(common.state_group_celac),
        "sica" => crate::tr!(common.state_group_sica),
        "gcc" => crate::tr!(common.state_group_gcc),
        "nordic" => crate::tr!(common.state_group_nordic),
        "benelux" => crate::tr!(common.state_group_benelux),
        "canz" => crate::tr!(common.state_group_canz),
        _ => return None,
    })
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
        return region(r).to_string();
    }
    if let Some(g) = from_key::<Gender>(key) {
        return gender(g).to_string();
    }
    match key {
        "not_declared" => crate::tr!(common.group_not_declared).to_string(),
        "unspecified" => crate::tr!(common.group_unspecified).to_string(),
        other => other.replace('_', " "),
    }
}

/// A role for people.
pub fn role(role: Role) -> &'static str {
    match role {
        Role::Chair => crate::tr!(common.role_chair),
        Role::ViceChair => crate::tr!(common.role_vice_chair),
        Role::Secretariat => crate::tr!(common.role_secretariat),
        Role::Delegate => crate::tr!(common.role_delegate),
        Role::Stakeholder => crate::tr!(common.role_stakeholder),
        Role::Expert => crate::tr!(common.role_expert),
        Role::Panellist => crate::tr!(common.role_panellist),
        Role::Observer => crate::tr!(common.role_observer),
        Role::Interpreter => crate::tr!(common.role_interpreter),
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
            Role::Chair | Role::Secretariat => crate::tr!(common.why_not_chair_adds).into(),
            _ => refusal_text(refusal.code.into(), refusal.message),
        });
    }
    if standing == Standing::NotAccredited {
        return Some(crate::tr!(common.why_not_not_accredited).into());
    }
    if !segment.spec.inscription.admits(role) {
        let why = match segment.spec.inscription {
            Inscription::MemberStates => crate::tr!(common.why_not_member_states),
            Inscription::Stakeholders => crate::tr!(common.why_not_stakeholders),
            Inscription::All => crate::tr!(common.why_not_all),
        };
        return Some(why.into());
    }
    None
}

/// "1st", "2nd", "3rd", "4th", "11th", "22nd": a place in a list, in the page's language ("1er",
/// "2e"; "1.º"; "1-й"; "第1"; Arabic "رقم 1").
pub fn ordinal(n: usize) -> String {
    if crate::language::locale() != crate::language::Locale::en {
        return if n == 1 { crate::tr!(common.ordinal_first).to_string() } else { crate::tr!(common.ordinal, n = n) };
    }
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
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
        Some(crate::tr!(common.list_opens_at, time = time, zone = crate::time_zone::label(zone, at), day = day))
    });
    Some(local.unwrap_or_else(|| refusal_text(refusal.code.into(), refusal.message)))
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
        crate::tr!(common.rules_one_limit, limit = statements)
    } else {
        let replies =
            if second == reply { reply } else { crate::tr!(common.rules_second_reply, reply = reply, second = second) };
        crate::tr!(common.rules_limits, statements = statements, replies = replies, order = order)
    };
    if spec.groups_first {
        rules.push_str(crate::tr!(common.rules_groups_first));
    }
    if spec.ready_check {
        rules.push_str(crate::tr!(common.rules_ready_check));
    }
    if let Some(cap) = spec.statements_per_delegation {
        let count = cap as i32;
        rules.push_str(&match spec.item {
            Some(_) => crate::trn!(common.rules_cap_on_item, count = count),
            None => crate::trn!(common.rules_cap, count = count),
        });
    }
    rules
}

/// Who presides, for every screen of a meeting, when it is not the chair: "Vice-Chair Lena Novak
/// presides." or "The chair was handed over; a vice-chair takes it next."
pub fn presiding(chairing: &shared::Chairing) -> Option<String> {
    match chairing {
        shared::Chairing::Chair => None,
        shared::Chairing::HandedOver { .. } => Some(crate::tr!(common.presiding_handed_over).into()),
        shared::Chairing::ViceChair { vice_chair } => {
            Some(crate::tr!(common.presiding_vice_chair, name = &vice_chair.name))
        }
    }
}

/// What the console offers `you` about the chair: a sentence on where they stand, and the command
/// a button sends with its label, if any.
pub fn chairing_offer(chairing: &shared::Chairing, you: &Participant) -> (String, Option<(Command, &'static str)>) {
    use shared::Chairing;
    let hand_over = Some((Command::HandOverChair, crate::tr!(common.chair_hand_over)));
    let take_back = Some((Command::TakeChair, crate::tr!(common.chair_take_back)));
    match (you.role, chairing) {
        (Role::Chair, Chairing::Chair) => (crate::tr!(common.chair_you_preside).into(), hand_over),
        (Role::Chair, Chairing::HandedOver { .. }) => (crate::tr!(common.chair_you_handed_over).into(), take_back),
        (Role::Chair, Chairing::ViceChair { vice_chair }) => {
            (crate::tr!(common.presiding_vice_chair, name = &vice_chair.name), take_back)
        }
        (Role::ViceChair, Chairing::Chair) => (crate::tr!(common.chair_vice_waits).into(), None),
        (Role::ViceChair, Chairing::HandedOver { .. }) => {
            (crate::tr!(common.chair_handed_to_you).into(), Some((Command::TakeChair, crate::tr!(common.chair_take))))
        }
        (Role::ViceChair, Chairing::ViceChair { vice_chair }) if vice_chair.id == you.id => {
            (crate::tr!(common.chair_you_preside).into(), hand_over)
        }
        (_, chairing) => {
            let who = presiding(chairing).unwrap_or_else(|| crate::tr!(common.chair_presides).into());
            let role = if you.role == Role::Secretariat { crate::tr!(common.chair_secretariat_role) } else { "" };
            (format!("{who}{role}"), None)
        }
    }
}

/// What a refusal's code means, in the page's language: the catalogue's sentence for each of the
/// protocol's codes (`errors` namespace).
pub fn error_text(code: shared::ErrorCode) -> &'static str {
    use shared::ErrorCode;
    match code {
        ErrorCode::NotAllowed => crate::tr!(errors.not_allowed),
        ErrorCode::MeetingClosed => crate::tr!(errors.meeting_closed),
        ErrorCode::SegmentNotOpenToYou => crate::tr!(errors.segment_not_open_to_you),
        ErrorCode::NoActiveSegment => crate::tr!(errors.no_active_segment),
        ErrorCode::UnknownSegment => crate::tr!(errors.unknown_segment),
        ErrorCode::UnknownEntry => crate::tr!(errors.unknown_entry),
        ErrorCode::UnknownItem => crate::tr!(errors.unknown_item),
        ErrorCode::AlreadyInscribed => crate::tr!(errors.already_inscribed),
        ErrorCode::ListClosed => crate::tr!(errors.list_closed),
        ErrorCode::ListFull => crate::tr!(errors.list_full),
        ErrorCode::ListNotOpenYet => crate::tr!(errors.list_not_open_yet),
        ErrorCode::StatementsLimitReached => crate::tr!(errors.statements_limit_reached),
        ErrorCode::NotInscribed => crate::tr!(errors.not_inscribed),
        ErrorCode::NotPresiding => crate::tr!(errors.not_presiding),
        ErrorCode::NotNext => crate::tr!(errors.not_next),
        ErrorCode::FloorEmpty => crate::tr!(errors.floor_empty),
        ErrorCode::AlreadyPaused => crate::tr!(errors.already_paused),
        ErrorCode::NotPaused => crate::tr!(errors.not_paused),
        ErrorCode::ListEmpty => crate::tr!(errors.list_empty),
        ErrorCode::FloorInUse => crate::tr!(errors.floor_in_use),
        ErrorCode::BudgetExhausted => crate::tr!(errors.budget_exhausted),
        ErrorCode::InvalidCommand => crate::tr!(errors.invalid_command),
        ErrorCode::OrganisationAlreadyInscribed => crate::tr!(errors.organisation_already_inscribed),
        ErrorCode::CoSignerNotAccredited => crate::tr!(errors.co_signer_not_accredited),
        ErrorCode::InvalidApplication => crate::tr!(errors.invalid_application),
        ErrorCode::DuplicateApplication => crate::tr!(errors.duplicate_application),
        ErrorCode::DeadlinePassed => crate::tr!(errors.deadline_passed),
        ErrorCode::UnknownProcess => crate::tr!(errors.unknown_process),
        ErrorCode::UnknownOrganisation => crate::tr!(errors.unknown_organisation),
        ErrorCode::NotAccredited => crate::tr!(errors.not_accredited),
        ErrorCode::AlreadyDecided => crate::tr!(errors.already_decided),
        ErrorCode::Revoked => crate::tr!(errors.revoked),
        ErrorCode::Unauthorized => crate::tr!(errors.unauthorized),
        ErrorCode::Forbidden => crate::tr!(errors.forbidden),
        ErrorCode::BadMessage => crate::tr!(errors.bad_message),
        ErrorCode::NotAuthenticated => crate::tr!(errors.not_authenticated),
        ErrorCode::BadToken => crate::tr!(errors.bad_token),
        ErrorCode::UnknownMeeting => crate::tr!(errors.unknown_meeting),
        ErrorCode::UnknownStatement => crate::tr!(errors.unknown_statement),
        ErrorCode::UnsupportedProtocol => crate::tr!(errors.unsupported_protocol),
        ErrorCode::RateLimited => crate::tr!(errors.rate_limited),
        ErrorCode::QuotaExceeded => crate::tr!(errors.quota_exceeded),
        ErrorCode::IdReused => crate::tr!(errors.id_reused),
        ErrorCode::StorageFailed => crate::tr!(errors.storage_failed),
        ErrorCode::Unavailable => crate::tr!(errors.unavailable),
        ErrorCode::BadRequest => crate::tr!(errors.bad_request),
        ErrorCode::NotFound => crate::tr!(errors.not_found),
        ErrorCode::MeetingExists => crate::tr!(errors.meeting_exists),
        ErrorCode::ProcessExists => crate::tr!(errors.process_exists),
        ErrorCode::InvalidFormat => crate::tr!(errors.invalid_format),
        ErrorCode::TooLarge => crate::tr!(errors.too_large),
        ErrorCode::UnsupportedMediaType => crate::tr!(errors.unsupported_media_type),
        ErrorCode::LengthRequired => crate::tr!(errors.length_required),
        ErrorCode::MethodNotAllowed => crate::tr!(errors.method_not_allowed),
        ErrorCode::BadHandshake => crate::tr!(errors.bad_handshake),
        ErrorCode::ForbiddenOrigin => crate::tr!(errors.forbidden_origin),
        ErrorCode::TooManyConnections => crate::tr!(errors.too_many_connections),
        ErrorCode::Internal => crate::tr!(errors.internal),
        ErrorCode::ProofRequired => crate::tr!(errors.proof_required),
        ErrorCode::ProofInvalid => crate::tr!(errors.proof_invalid),
        ErrorCode::ProofExpired => crate::tr!(errors.proof_expired),
        ErrorCode::ProofReused => crate::tr!(errors.proof_reused),
    }
}

/// A refusal for the person at the screen: in English the server's own sentence, which may name
/// the specifics ("at most 2 waiting"); in another language the code's sentence from the
/// catalogue, since the server writes English.
pub fn refusal_text(code: shared::ErrorCode, english: String) -> String {
    if crate::language::locale() == crate::language::Locale::en && !english.trim().is_empty() {
        english
    } else {
        error_text(code).to_string()
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
    fn a_refusal_reads_in_english_as_the_server_wrote_it_and_in_another_language_by_its_code() {
        let sentence = "The list of speakers is full (at most 2 waiting); only points of order are taken.";
        assert_eq!(refusal_text(shared::ErrorCode::ListFull, sentence.into()), sentence);
        crate::language::set(crate::language::Locale::fr);
        let french = refusal_text(shared::ErrorCode::ListFull, sentence.into());
        crate::language::set(crate::language::Locale::en);
        assert_eq!(french, "La liste des orateurs est complète ; seules les motions d'ordre sont acceptées.");
    }

    #[test]
    fn places_and_rules_read_in_the_pages_language() {
        crate::language::set(crate::language::Locale::fr);
        let places = (ordinal(1), ordinal(2));
        let f = Fixture::new(180);
        let spec =
            shared::SegmentSpec { statements_per_delegation: Some(2), ..f.meeting.active().unwrap().spec.clone() };
        let rules = list_rules(&spec);
        crate::language::set(crate::language::Locale::en);
        assert_eq!(places, ("1er".to_string(), "2e".to_string()));
        assert_eq!(rules, "3 min par intervention · au plus 2 déclarations par délégation");
    }

    #[test]
    fn every_group_of_states_and_regional_group_has_its_name_in_every_language() {
        for (locale, _) in crate::language::LANGUAGES {
            crate::language::set(locale);
            for group in shared::delegations::GROUPS {
                assert!(state_group(group.id).is_some_and(|name| !name.is_empty()), "{} in {locale:?}", group.id);
            }
        }
        crate::language::set(crate::language::Locale::es);
        let (spanish, region_name) = (state_group("g77_and_china"), region(Region::African));
        crate::language::set(crate::language::Locale::en);
        assert_eq!(spanish, Some("Grupo de los 77 y China"));
        assert_eq!(region_name, "Estados de África");
        assert_eq!(state_group("g77_and_china"), Some(shared::delegations::group("g77_and_china").unwrap().name));
        assert_eq!(state_group("g78"), None);
    }
}
