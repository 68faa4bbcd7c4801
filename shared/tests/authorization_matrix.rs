//! The authorization matrix: every kind of principal × every action the policy decides, against an
//! open and a closed meeting of one process, asserted against one table.
//!
//! The table is the specification a reviewer reads; `docs/design.md` explains the rules behind it.
//! The server asks this same policy for every WebSocket command and HTTP endpoint
//! (`tests/tests/endpoint_matrix.rs` checks every HTTP endpoint over real sockets against its own
//! table; the second table here takes every WebSocket command).

use shared::policy::{decide, Action};
use shared::{
    Access, Command, Holder, MeetingId, MeetingInfo, Millis, Participant, ParticipantId, Principal, ProcessId,
    RejectionCode, Role, Scope, Standing,
};

/// `.` allowed; otherwise the refusal's code: `U` unauthorized, `F` forbidden, `N` not_allowed,
/// `C` meeting_closed, `A` not_accredited, `R` revoked. `o` is the open meeting, `c` the closed one,
/// both of the process the tokens belong to; `sec(meeting)` holds a token for `o` only; `device` is
/// a room's conference system, whose token relays seat buttons (`button`) and nothing else;
/// `metrics` is the server's operational metrics (`GET /metrics`).
const TABLE: &str = "
                 attend  request close   state   record  docs    add-doc new     mint    new  re- ob-  org  dele sub- res-  co-  an-  links  live  hooks  button  met-
                 o   c   o   c   o   c   o   c   o   c   o   c   o   c   meet    o P late proc view ject page gate mit pond  sign swer  o P  o c  o c  o c  rics
anonymous        .   U   N   N   N   N   U   U   .   U   U   U   U   U   U       U U U    U    U    U    U    U    U    U    N    U  U U  U U  U U  U U  U
observer         .   .   N   N   N   N   F   F   .   .   .   .   N   N   F       F F F    F    F    N    F    N    N    N    N    N  F F  F F  F F  F F  F
delegate         .   .   .   .   N   N   F   F   .   .   .   .   N   N   F       F F F    F    F    .    F    .    .    .    N    .  F F  F F  F F  F F  F
expert           .   .   .   .   N   N   F   F   .   .   .   .   N   N   F       F F F    F    F    N    F    N    N    N    N    N  F F  F F  F F  F F  F
stakeholder      .   C   .   C   N   C   F   F   .   C   .   C   .   C   F       F F F    F    F    N    F    N    .    N    .    .  F F  F C  F F  F F  F
unaccredited     .   C   A   C   N   C   F   F   .   C   .   C   N   N   F       F F F    F    F    N    F    N    N    N    A    N  F F  F C  F F  F F  F
revoked          R   R   R   R   R   R   R   R   R   R   R   R   R   R   R       R R R    R    R    R    F    R    R    R    R    R  R R  R R  R R  R R  R
panellist        .   C   N   C   N   C   F   F   .   C   .   C   N   N   F       F F F    F    F    N    F    N    N    N    N    N  F F  F C  F F  F F  F
organisation     F   F   F   F   F   F   F   F   .   C   .   C   .   C   F       F F F    F    F    N    .    N    .    N    F    .  F F  F F  F F  F F  F
chair            .   .   N   N   .   .   F   F   .   .   .   .   N   N   F       F F F    F    F    N    F    N    N    N    N    N  F F  . .  F F  F F  F
vice-chair       .   .   N   N   .   .   F   F   .   .   .   .   N   N   F       F F F    F    F    N    F    N    N    N    N    N  F F  . .  F F  F F  F
interpreter      .   .   N   N   N   N   F   F   .   .   .   .   N   N   F       F F F    F    F    N    F    N    N    N    N    N  F F  F F  F F  F F  F
sec(meeting)     .   F   N   F   .   F   .   F   .   F   .   F   .   F   F       . F F    F    F    N    F    N    N    N    N    N  . F  . F  . F  F F  F
sec(process)     .   .   N   N   .   .   .   .   .   .   .   .   .   .   .       . . F    F    .    N    F    N    N    N    N    N  . .  . .  . .  F F  F
sec(everything)  .   .   N   N   .   .   .   .   .   .   .   .   .   .   .       . . F    .    .    N    F    N    N    N    N    N  . .  . .  . .  F F  .
device           F   F   F   F   F   F   F   F   .   F   F   F   N   N   F       F F F    F    F    N    F    N    N    N    F    N  F F  F F  F F  . .  F
";

const NOW: Millis = Millis(1_800_000_000_000);
const HOUR: i64 = 3_600_000;

fn process() -> ProcessId {
    ProcessId::parse("oewg").unwrap()
}

fn meeting(id: &str, access: Access) -> MeetingInfo {
    MeetingInfo {
        id: MeetingId::parse(id).unwrap(),
        title: id.into(),
        process: process(),
        access,
        time_zone: None,
        starts_at: None,
        room: None,
    }
}

/// Each row's principal and its standing; `None` is the anonymous caller.
fn principal(row: &str) -> Option<(Principal, Standing)> {
    let whole = Scope::Process { process: process() };
    let person = |role: Role, delegation: Option<&str>, organisation: Option<&str>| Participant {
        id: ParticipantId::parse(format!("p-{row}").replace(['(', ')'], "-")).unwrap(),
        name: row.into(),
        role,
        delegation: delegation.map(String::from),
        organisation: organisation.map(String::from),
        profile: Default::default(),
    };
    let token = |person: Participant, holder: Holder, accredited: Option<&str>, scope: Scope| Principal {
        person,
        holder,
        accredited: accredited.map(String::from),
        scope,
        key: "k1".into(),
        token: format!("t-{row}"),
        expires_at: Millis(NOW.0 + 24 * HOUR),
    };
    let gdrn = Some("Global Digital Rights Network");
    let (principal, standing) = match row {
        "anonymous" => return None,
        "observer" => (token(person(Role::Observer, None, None), Holder::Person, None, whole), Standing::Good),
        "delegate" => (token(person(Role::Delegate, Some("Chile"), None), Holder::Person, None, whole), Standing::Good),
        "expert" => {
            (token(person(Role::Expert, Some("Chile"), Some("ICT4Peace")), Holder::Person, None, whole), Standing::Good)
        }
        "stakeholder" => {
            (token(person(Role::Stakeholder, None, gdrn), Holder::Person, Some("org-1"), whole), Standing::Good)
        }
        "unaccredited" => (
            token(person(Role::Stakeholder, None, Some("Unaccredited Org")), Holder::Person, None, whole),
            Standing::NotAccredited,
        ),
        "revoked" => {
            (token(person(Role::Stakeholder, None, gdrn), Holder::Person, Some("org-2"), whole), Standing::Revoked)
        }
        "panellist" => (token(person(Role::Panellist, None, Some("IGF")), Holder::Person, None, whole), Standing::Good),
        "organisation" => {
            (token(person(Role::Stakeholder, None, gdrn), Holder::Organisation, Some("org-1"), whole), Standing::Good)
        }
        "chair" => (token(person(Role::Chair, None, None), Holder::Person, None, whole), Standing::Good),
        "vice-chair" => (token(person(Role::ViceChair, None, None), Holder::Person, None, whole), Standing::Good),
        "interpreter" => (token(person(Role::Interpreter, None, None), Holder::Person, None, whole), Standing::Good),
        "sec(meeting)" => {
            let one = Scope::Meeting { meeting: MeetingId::parse("o").unwrap(), process: Some(process()) };
            (token(person(Role::Secretariat, None, None), Holder::Person, None, one), Standing::Good)
        }
        "sec(process)" => (token(person(Role::Secretariat, None, None), Holder::Person, None, whole), Standing::Good),
        "sec(everything)" => {
            (token(person(Role::Secretariat, None, None), Holder::Person, None, Scope::Everything), Standing::Good)
        }
        "device" => (token(person(Role::Observer, None, None), Holder::Device, None, whole), Standing::Good),
        other => panic!("no principal {other:?} in the matrix"),
    };
    Some((principal, standing))
}

/// The code a cell stands for.
fn expected(cell: &str) -> Option<RejectionCode> {
    match cell {
        "." => None,
        "U" => Some(RejectionCode::Unauthorized),
        "F" => Some(RejectionCode::Forbidden),
        "N" => Some(RejectionCode::NotAllowed),
        "C" => Some(RejectionCode::MeetingClosed),
        "A" => Some(RejectionCode::NotAccredited),
        "R" => Some(RejectionCode::Revoked),
        other => panic!("unknown cell {other:?}"),
    }
}

fn request() -> Command {
    serde_json::from_str(r#"{"type":"request_floor","kind":"statement","presence":"remote","language":"en"}"#).unwrap()
}

/// Runs column `column` for `who`: the action each column of the table names.
fn run(column: usize, who: Option<&(Principal, Standing)>) -> Option<RejectionCode> {
    let open = meeting("o", Access::Open);
    let closed = meeting("c", Access::Closed);
    let pick = |i: usize| if i.is_multiple_of(2) { &open } else { &closed };
    let request = request();
    let close_list = Command::CloseList { segment: None };
    let confirm = Command::ConfirmCoSigning { entry: shared::EntryId(1) };
    let one = Scope::Meeting { meeting: open.id.clone(), process: Some(process()) };
    let whole = Scope::Process { process: process() };
    let org = "org-1";
    let asker = who.map(|(p, s)| (p, *s));
    let soon = Millis(NOW.0 + HOUR);
    let action = match column {
        0 | 1 => Action::Attend(pick(column)),
        2 | 3 => Action::Command(pick(column), &request),
        4 | 5 => Action::Command(pick(column), &close_list),
        6 | 7 => Action::ReadMeeting(pick(column)),
        8 | 9 => Action::ReadRecord(pick(column)),
        10 | 11 => Action::ReadDocuments(pick(column)),
        12 | 13 => Action::AddDocument(pick(column)),
        14 => Action::CreateMeeting(&open.process),
        15 => Action::MintToken { scope: &one, expires_at: soon },
        16 => Action::MintToken { scope: &whole, expires_at: soon },
        17 => Action::MintToken { scope: &one, expires_at: Millis(NOW.0 + 48 * HOUR) },
        18 => Action::CreateProcess,
        19 => Action::ReviewApplications(&open.process),
        20 => Action::Object(&open.process),
        21 => Action::OrganisationPage(org),
        22 => Action::ManageDelegation,
        23 => Action::SubmitStatement(&open.process, None),
        24 => Action::RespondToStatement(&open.process),
        25 => Action::Command(&open, &confirm),
        26 => Action::AnswerCoSigning(&open.process),
        27 => Action::ManageLinks(&one),
        28 => Action::ManageLinks(&whole),
        29 => Action::SeePresence(&open),
        30 => Action::SeePresence(&closed),
        31 => Action::ManageWebhooks(&open),
        32 => Action::ManageWebhooks(&closed),
        33 | 34 => Action::RelayButton(pick(column)),
        35 => Action::ReadMetrics,
        other => panic!("no column {other}"),
    };
    decide(asker, action).err().map(|r| r.code)
}

#[test]
fn every_principal_may_do_exactly_what_the_table_says() {
    let mut mismatches = Vec::new();
    let mut cells = 0;
    for line in TABLE.lines().skip(3).filter(|l| !l.trim().is_empty()) {
        let mut words = line.split_whitespace();
        let row = words.next().unwrap();
        let who = principal(row);
        for (column, cell) in words.enumerate() {
            cells += 1;
            let got = run(column, who.as_ref());
            if got != expected(cell) {
                mismatches.push(format!("{row}, column {column}: table says {cell}, policy says {got:?}"));
            }
        }
    }
    assert_eq!(cells, 16 * 36, "the table has 16 principals × 36 actions");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn a_closed_meeting_is_closed_to_stakeholders_on_every_path() {
    let closed = meeting("c", Access::Closed);
    let (ngo, standing) = principal("stakeholder").unwrap();
    let request = request();
    for action in [
        Action::Attend(&closed),
        Action::Command(&closed, &request),
        Action::ReadRecord(&closed),
        Action::ReadDocuments(&closed),
        Action::AddDocument(&closed),
        Action::SubmitStatement(&closed.process, Some(&closed)),
    ] {
        let refused = decide(Some((&ngo, standing)), action).unwrap_err();
        assert_eq!(refused.code, RejectionCode::MeetingClosed, "{action:?}");
    }
}

#[test]
fn what_a_delegate_hands_an_expert_never_outlives_or_outreaches_the_delegate() {
    let (mut delegate, _) = principal("delegate").unwrap();
    delegate.scope = Scope::Meeting { meeting: MeetingId::parse("o").unwrap(), process: Some(process()) };
    delegate.expires_at = Millis(NOW.0 + HOUR);

    let (scope, expires_at) =
        shared::policy::capped_grant(&delegate, Scope::Process { process: process() }, NOW, 365 * 24 * HOUR);

    assert_eq!(scope, delegate.scope);
    assert_eq!(expires_at, delegate.expires_at);
}

/// Every WebSocket command × every principal, in the open meeting `o`: the same cells as above.
/// The queue's own rules (is the list open, is the entry there, does the chair or vice-chair
/// preside…) come after and are `queue_rules.rs`'s business.
const COMMANDS: &str = "
                         anony obser dele- exp-  stake unac- revo- panel organ chair sec   sec   sec   vice  inter dev-
                         mous  ver   gate  ert   holdr cred  ked   list  isat        (m)   (p)   (all) chair preter ice
request_floor            N     N     .     .     .     A     R     N     F     N     N     N     N     N     N     F
withdraw                 N     .     .     .     .     .     R     .     F     .     .     .     .     .     .     F
set_presence             N     .     .     .     .     .     R     .     F     .     .     .     .     .     .     F
add_speaker              N     N     N     N     N     N     R     N     F     .     .     .     .     .     N     F
confirm_co_signing       N     N     N     N     .     A     R     N     F     N     N     N     N     N     N     F
decline_co_signing       N     N     N     N     .     .     R     N     F     N     N     N     N     N     N     F
move_entry               N     N     N     N     N     N     R     N     F     .     .     .     .     .     N     F
remove_entry             N     N     N     N     N     N     R     N     F     .     .     .     .     .     N     F
create_segment           N     N     N     N     N     N     R     N     F     .     .     .     .     .     N     F
update_segment           N     N     N     N     N     N     R     N     F     .     .     .     .     .     N     F
activate_segment         N     N     N     N     N     N     R     N     F     .     .     .     .     .     N     F
add_agenda_item          N     N     N     N     N     N     R     N     F     .     .     .     .     .     N     F
update_agenda_item       N     N     N     N     N     N     R     N     F     .     .     .     .     .     N     F
move_agenda_item         N     N     N     N     N     N     R     N     F     .     .     .     .     .     N     F
remove_agenda_item       N     N     N     N     N     N     R     N     F     .     .     .     .     .     N     F
take_up_item             N     N     N     N     N     N     R     N     F     .     .     .     .     .     N     F
close_list               N     N     N     N     N     N     R     N     F     .     .     .     .     .     N     F
reopen_list              N     N     N     N     N     N     R     N     F     .     .     .     .     .     N     F
give_floor               N     N     N     N     N     N     R     N     F     .     N     N     N     .     N     F
pass_over                N     N     N     N     N     N     R     N     F     .     N     N     N     .     N     F
confirm_ready            N     .     .     .     .     .     R     .     F     .     .     .     .     .     .     F
give_floor_to_panellist  N     N     N     N     N     N     R     N     F     .     N     N     N     .     N     F
pause_floor              N     N     N     N     N     N     R     N     F     .     N     N     N     .     N     F
resume_floor             N     N     N     N     N     N     R     N     F     .     N     N     N     .     N     F
extend_floor             N     N     N     N     N     N     R     N     F     .     N     N     N     .     N     F
end_floor                N     N     N     N     N     N     R     N     F     .     N     N     N     .     N     F
hand_over_chair          N     N     N     N     N     N     R     N     F     .     N     N     N     .     N     F
take_chair               N     N     N     N     N     N     R     N     F     .     N     N     N     .     N     F
";

/// The principals of the first table, in its order.
const PRINCIPALS: [&str; 16] = [
    "anonymous",
    "observer",
    "delegate",
    "expert",
    "stakeholder",
    "unaccredited",
    "revoked",
    "panellist",
    "organisation",
    "chair",
    "sec(meeting)",
    "sec(process)",
    "sec(everything)",
    "vice-chair",
    "interpreter",
    "device",
];

/// A well-formed command of each name.
fn command(name: &str) -> Command {
    let speaker = serde_json::json!({"id": "p-9", "name": "Ms Speaker", "role": "panellist"});
    let spec = serde_json::json!({"title": "General debate", "inscription": "all", "time_limit_secs": 180});
    let fields = match name {
        "request_floor" => serde_json::json!({"kind": "statement", "presence": "remote", "language": "en"}),
        "set_presence" => serde_json::json!({"presence": "in_room"}),
        "add_speaker" => {
            serde_json::json!({"speaker": speaker, "kind": "statement", "presence": "in_room", "language": "en"})
        }
        "confirm_co_signing" | "decline_co_signing" | "remove_entry" | "pass_over" => serde_json::json!({"entry": 1}),
        "move_entry" => serde_json::json!({"entry": 1, "position": 0}),
        "create_segment" => serde_json::json!({"spec": spec}),
        "update_segment" => serde_json::json!({"segment": 1, "spec": spec}),
        "activate_segment" => serde_json::json!({"segment": 1}),
        "add_agenda_item" => serde_json::json!({"spec": {"number": "5(b)", "title": "Threats"}}),
        "update_agenda_item" => serde_json::json!({"item": 1, "spec": {"number": "5(b)", "title": "Threats"}}),
        "move_agenda_item" => serde_json::json!({"item": 1, "position": 0}),
        "remove_agenda_item" | "take_up_item" => serde_json::json!({"item": 1}),
        "give_floor_to_panellist" => serde_json::json!({"speaker": speaker, "presence": "in_room", "language": "en"}),
        "extend_floor" => serde_json::json!({"secs": 60}),
        _ => serde_json::json!({}),
    };
    let mut value = fields;
    value["type"] = serde_json::json!(name);
    serde_json::from_value(value).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_command_is_allowed_to_exactly_the_principals_the_table_says() {
    let open = meeting("o", Access::Open);
    let mut mismatches = Vec::new();
    let rows: Vec<&str> = COMMANDS.lines().skip(3).filter(|l| !l.trim().is_empty()).collect();
    let names: Vec<&str> = rows.iter().map(|row| row.split_whitespace().next().unwrap()).collect();
    assert_eq!(names, Command::NAMES, "one row per command, in the order they are declared");
    for row in rows {
        let mut words = row.split_whitespace();
        let command = command(words.next().unwrap());
        for (who, cell) in PRINCIPALS.iter().zip(words) {
            let asker = principal(who);
            let got =
                decide(asker.as_ref().map(|(p, s)| (p, *s)), Action::Command(&open, &command)).err().map(|r| r.code);
            if got != expected(cell) {
                mismatches.push(format!("{} by {who}: table says {cell}, policy says {got:?}", command.name()));
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
