//! The demo's written input: one statement from an accredited organisation to the demo process,
//! co-signed (and confirmed) by a member state, and a state's response to it, so that the public portal
//! (`/portal?process=oewg-demo`) has something to show. Starting the demo again adds nothing.

use std::sync::Arc;

use shared::accreditation::{Application, Constituency, Organisation, Status};
use shared::written::{CoSigner, Response, Statement, Submitter, SubmitterKind};
use shared::{Language, MeetingId, ParticipantId, ProcessId};

use crate::demo::{MEETING, PROCESS};
use crate::store::{AccreditationStore, WrittenStore};
use crate::{clock, App};

/// The demo's accredited organisation.
const ORGANISATION: &str = "Global Digital Rights Network";
const TITLE: &str = "Capacity building that reaches the people who defend networks";
const TEXT: &str = "The Global Digital Rights Network welcomes the working group's attention to capacity building.

Capacity building works when it is demand-driven, sustainable and gender-sensitive: we ask states to involve national CERTs, universities and civil society in needs assessments, and to publish what each programme funds and achieves.

We offer the group our survey of 40 national programmes and stand ready to present it in the stakeholder segment.";
const RESPONSE: &str = "Chile thanks the co-signers. The survey informed our proposal on needs assessments in paragraph 14 of the draft report, and we will share our national programme's results at the next meeting.";

/// Adds the demo's statement and response unless they are there. Also records the demo's
/// organisation as accredited to the demo process when nobody has yet, and returns it.
pub async fn ensure(app: &App) -> anyhow::Result<Organisation> {
    let accreditation = app.accreditation.clone();
    let written = app.written.clone();
    tokio::task::spawn_blocking(move || ensure_blocking(accreditation, written)).await?
}

fn ensure_blocking(
    accreditation: Arc<dyn AccreditationStore>,
    written: Arc<dyn WrittenStore>,
) -> anyhow::Result<Organisation> {
    let process = ProcessId::parse(PROCESS)?;
    let organisation = match accreditation.organisations(&process)?.into_iter().find(|o| same(&o.application.name)) {
        Some(found) => found,
        None => accredit(accreditation.as_ref(), &process)?,
    };
    let statements = written.statements(&process, None)?;
    let ours = |s: &&Statement| s.title == TITLE && s.submitter.organisation.as_deref() == Some(&organisation.id);
    let statement = match statements.iter().find(ours) {
        Some(found) => found.clone(),
        None => {
            let statement = Statement {
                id: crate::auth::random_id(),
                process: process.clone(),
                meeting: Some(MeetingId::parse(MEETING)?),
                agenda_item: Some("Capacity building".into()),
                title: TITLE.into(),
                language: Language::parse("en")?,
                submitter: Submitter {
                    kind: SubmitterKind::Organisation,
                    name: organisation.application.name.clone(),
                    organisation: Some(organisation.id.clone()),
                },
                co_signers: vec![CoSigner {
                    name: "Kenya".into(),
                    kind: Some(SubmitterKind::Delegation),
                    organisation: None,
                    confirmed: true,
                }],
                text: Some(TEXT.into()),
                file: None,
                submitted_at: clock::now(),
                responses: Vec::new(),
            };
            let by = ParticipantId::parse(format!("org:{}", organisation.id))?;
            written.add_statement(&statement, &by, None)?;
            statement
        }
    };
    if !statement.responses.iter().any(|r| r.delegation == "Chile") {
        let response = Response {
            id: crate::auth::random_id(),
            delegation: "Chile".into(),
            author: "Ana Rojas".into(),
            text: RESPONSE.into(),
            at: clock::now(),
        };
        written.add_response(&statement.id, &response, &ParticipantId::parse("demo-chile")?)?;
    }
    Ok(organisation)
}

fn same(name: &str) -> bool {
    name.trim().eq_ignore_ascii_case(ORGANISATION)
}

/// Records the demo's organisation as applied and approved.
fn accredit(store: &dyn AccreditationStore, process: &ProcessId) -> anyhow::Result<Organisation> {
    let now = clock::now();
    let organisation = Organisation {
        id: crate::auth::random_id(),
        process: process.clone(),
        application: Application {
            name: ORGANISATION.into(),
            website: "https://gdrn.example.org".into(),
            country: "Ghana".into(),
            contact_name: "Kwame Mensah".into(),
            contact_email: "kwame@gdrn.example.org".into(),
            constituency: Constituency::Ngo,
            ecosoc: false,
            activities: Some("Research and advocacy on cyber norms and human rights since 2012.".into()),
        },
        status: Status::Pending,
        reason: None,
        applied_at: now,
        decided_at: None,
        objections: Vec::new(),
    };
    store.add_organisation(&organisation)?;
    store.set_status(&organisation.id, &[Status::Pending], Status::Approved, None, now)?;
    Ok(Organisation { status: Status::Approved, decided_at: Some(now), ..organisation })
}
