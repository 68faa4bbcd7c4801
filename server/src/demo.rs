//! The demo meeting: one command gives a new user a meeting to try, with a link for each screen.

use std::fmt;

use shared::accreditation::Process;
use shared::{
    Access, AgendaItemId, Command, Inscription, ItemSpec, MeetingId, MeetingInfo, Millis, Participant, ParticipantId,
    ProcessId, Role, SegmentId, SegmentSpec,
};

use crate::api::link;
use crate::auth::{Grant, Scope};
use crate::{clock, App};

/// The demo meeting's id.
pub const MEETING: &str = "demo";
/// The demo's second meeting, in the same process.
pub const SECOND_MEETING: &str = "demo-2";
/// The demo process's id.
pub const PROCESS: &str = "oewg-demo";

/// The links printed for the demo.
#[derive(Debug)]
pub struct DemoLinks {
    pub lines: Vec<(String, String)>,
}

impl fmt::Display for DemoLinks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Demo process \"{PROCESS}\" with meetings \"{MEETING}\" and \"{SECOND_MEETING}\" — open these links (tokens valid 7 days):"
        )?;
        for (who, url) in &self.lines {
            writeln!(f, "  {who:<44} {url}")?;
        }
        Ok(())
    }
}

fn person(id: &str, name: &str, role: Role, delegation: Option<&str>, organisation: Option<&str>) -> Participant {
    Participant {
        id: ParticipantId::parse(id).expect("demo ids are valid"),
        name: name.into(),
        role,
        delegation: delegation.map(String::from),
        organisation: organisation.map(String::from),
        profile: Default::default(),
    }
}

/// Creates the demo process and its two meetings unless they exist, then mints fresh links.
pub async fn ensure(app: &App) -> anyhow::Result<DemoLinks> {
    let id = MeetingId::parse(MEETING)?;
    let secretariat = person("demo-secretariat", "Secretariat", Role::Secretariat, None, None);
    let process = ProcessId::parse(PROCESS)?;
    let store = app.accreditation.clone();
    let known = {
        let process = process.clone();
        tokio::task::spawn_blocking(move || store.process(&process)).await??
    };
    if known.is_none() {
        // Applications stay open for a year from the demo's creation.
        let deadline = Millis(clock::now().0 + 365 * 86_400_000);
        let record = Process {
            id: process.clone(),
            title: "Open-ended working group on ICT security (demo)".into(),
            applications_deadline: deadline,
        };
        let store = app.accreditation.clone();
        tokio::task::spawn_blocking(move || store.create_process(&record)).await??;
    }
    // Two sittings of the process, so that one representative's link can be tried in both: the
    // first opens with the general exchange, the second with its stakeholder segment.
    let sittings = [
        (MEETING, "Open-ended working group on ICT security — demo session", 1),
        (SECOND_MEETING, "Open-ended working group on ICT security — demo session, second meeting", 2),
    ];
    for (meeting, title, active) in sittings {
        let meeting = MeetingId::parse(meeting)?;
        if app.registry.get(&meeting).is_some() {
            continue;
        }
        let info = MeetingInfo {
            id: meeting,
            title: title.into(),
            process: process.clone(),
            access: Access::Open,
            time_zone: Some("America/New_York".into()),
            starts_at: None,
            room: None,
        };
        let handle = app.registry.create(info).await?;
        // Two agenda items: the exchange and the stakeholder segment are lists of the first, the
        // member states' discussion of the draft report the list of the second.
        let items = [
            ("5(a)", "Existing and potential threats in the sphere of ICT security"),
            ("5(b)", "Rules, norms and principles of responsible State behaviour"),
        ];
        for (number, title) in items {
            let spec = ItemSpec { number: number.into(), title: title.into() };
            handle.run(secretariat.clone(), Command::AddAgendaItem { spec }).await?;
        }
        let segments = [
            ("General exchange of views", Inscription::All, 180, None, None, 1),
            ("Stakeholder segment", Inscription::Stakeholders, 180, Some(1800), Some(10), 1),
            ("Member states: draft report", Inscription::MemberStates, 300, None, None, 2),
        ];
        for (title, inscription, time_limit_secs, budget_secs, max_waiting, item) in segments {
            let one_per_organisation = inscription == Inscription::Stakeholders;
            // The member states' lists follow the UN's practice: groups of states first, a right
            // of reply of two minutes and a second of one.
            let un_rules = inscription != Inscription::Stakeholders;
            let spec = SegmentSpec {
                inscription,
                budget_secs,
                one_per_organisation,
                max_waiting,
                item: Some(AgendaItemId(item)),
                right_of_reply_secs: un_rules.then_some(120),
                second_reply_secs: un_rules.then_some(60),
                groups_first: un_rules,
                // Remote organisations confirm they are in the call before the chair calls them.
                ready_check: inscription == Inscription::Stakeholders,
                ..SegmentSpec::new(title, time_limit_secs)
            };
            handle.run(secretariat.clone(), Command::CreateSegment { spec }).await?;
        }
        handle.run(secretariat.clone(), Command::ActivateSegment { segment: SegmentId(active) }).await?;
    }
    let organisation = crate::demo_written::ensure(app).await?;

    let people = [
        ("Chair", person("demo-chair", "H.E. Ms. Chair", Role::Chair, None, None)),
        (
            "Vice-Chair (after the chair hands over)",
            person("demo-vice-chair", "Lena Novak", Role::ViceChair, None, None),
        ),
        ("Delegate of Chile (in the room)", person("demo-chile", "Ana Rojas", Role::Delegate, Some("Chile"), None)),
        ("Delegate of Kenya (remote)", person("demo-kenya", "Peter Otieno", Role::Delegate, Some("Kenya"), None)),
        (
            "NGO representative (remote)",
            person("demo-ngo", "Dr. Kwame Mensah", Role::Stakeholder, None, Some("Global Digital Rights Network")),
        ),
        (
            "Expert on the delegation of Chile",
            person("demo-expert", "Lucía Pérez", Role::Expert, Some("Chile"), Some("Derechos Digitales")),
        ),
        (
            "Room display (token, for closed meetings too)",
            person("demo-display", "Room display", Role::Observer, None, None),
        ),
        ("Interpreters' booth", person("demo-booth", "Interpreters' booth", Role::Interpreter, None, None)),
    ];
    let now = clock::now();
    let scope = Scope { meeting: None, process: Some(ProcessId::parse(PROCESS)?) };
    let mut lines = Vec::new();
    for (who, participant) in people {
        let role = participant.role;
        // The NGO's representative speaks for the demo's accredited organisation: the record takes
        // its constituency and country from the accreditation.
        let org = (role == Role::Stakeholder).then_some(organisation.id.as_str());
        let grant = Grant { participant, scope: scope.clone(), ttl_secs: 7 * 24 * 3600 };
        let token = app.keys.mint_for(&grant, now, crate::auth::AUDIENCE, org);
        lines.push((who.to_string(), link(&app.public_url, role, &id, Some(&token))));
    }
    lines.push(("Room display (open meeting, no login)".into(), link(&app.public_url, Role::Observer, &id, None)));
    let second = MeetingId::parse(SECOND_MEETING)?;
    let chair = Grant {
        participant: person("demo-chair", "H.E. Ms. Chair", Role::Chair, None, None),
        scope: scope.clone(),
        ttl_secs: 7 * 24 * 3600,
    };
    lines.push((
        "Chair, second meeting (stakeholder segment)".into(),
        link(&app.public_url, Role::Chair, &second, Some(&app.keys.mint(&chair, now))),
    ));
    lines.push(("Room display, second meeting".into(), link(&app.public_url, Role::Observer, &second, None)));
    let secretariat_token =
        app.keys.mint(&Grant { participant: secretariat, scope: Scope::default(), ttl_secs: 7 * 24 * 3600 }, now);
    let base = &app.public_url;
    lines.push(("Accreditation: application form (public)".into(), format!("{base}/apply?process={PROCESS}")));
    lines.push(("Accreditation: public list".into(), format!("{base}/accreditation?process={PROCESS}")));
    lines.push(("Written input portal (public)".into(), format!("{base}/portal?process={PROCESS}")));
    lines.push((
        "Global Digital Rights Network: its page (statements)".into(),
        format!("{base}/organisation#token={}", crate::api::accreditation::organisation_token(app, &organisation, now)),
    ));
    lines.push((
        "Secretariat's console: set up processes, meetings, links".into(),
        format!("{base}/secretariat#token={secretariat_token}"),
    ));
    lines.push((
        "Secretariat's console: this process, its applications".into(),
        format!("{base}/secretariat?process={PROCESS}#token={secretariat_token}"),
    ));
    let chile = Grant {
        participant: person("demo-chile", "Ana Rojas", Role::Delegate, Some("Chile"), None),
        scope: scope.clone(),
        ttl_secs: 7 * 24 * 3600,
    };
    lines.push((
        "Delegation of Chile: invite experts".into(),
        format!("{base}/delegation#token={}", app.keys.mint(&chile, now)),
    ));
    lines.push(("Record and parity report (public)".into(), format!("{base}/report?meeting={MEETING}")));
    lines.push(("Record of the whole process (public)".into(), format!("{base}/report?process={PROCESS}")));
    lines.push(("Secretariat API token (Authorization: Bearer)".into(), secretariat_token));
    Ok(DemoLinks { lines })
}
