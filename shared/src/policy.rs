//! Who may do what: one pure policy for every WebSocket command, every HTTP endpoint and every
//! screen.
//!
//! [`decide`] answers "may this principal (or nobody, for an anonymous caller) do this action to
//! this resource". It reads no store and no clock: the caller passes the principal's [`Standing`]
//! and the resource (a meeting's [`MeetingInfo`], a process id). The server asks it before it runs
//! anything; the browser asks the same function to grey out what the server would refuse; the queue
//! asks [`command_by_role`] inside [`crate::Meeting::handle`], so a command cannot skip it.
//!
//! The rules, in one place (the authorization matrix test asserts each against a table):
//! - **A closed meeting is closed on every path.** Attending, reading its documents, files and
//!   record, adding documents: only those the meeting admits (member states' delegates and experts,
//!   the chair, the secretariat, observers holding a token). Anonymous callers see open meetings only.
//! - **A token stays in its scope.** Whatever it does to a meeting or a process, its scope must open
//!   it; a secretariat token for one meeting runs that meeting and nothing else.
//! - **No token mints one wider or longer-lived than itself**, and what a delegate hands an expert is
//!   capped at the delegate's own scope and expiry ([`capped_grant`]).
//! - **A device relays buttons and nothing else.** A conference system's token adds and withdraws
//!   in-room requests in the meetings its scope opens; it attends nothing and reads nothing.
//! - **Standing comes first.** A revoked principal may do nothing; a stakeholder tied to no accredited
//!   organisation may watch open meetings but not ask for the floor, provide materials or submit.

use serde::{Deserialize, Serialize};

use crate::command::Command;
use crate::ids::{Millis, ProcessId};
use crate::meeting::{Access, MeetingInfo};
use crate::participant::Role;
use crate::principal::{Holder, Principal, Scope, Standing};
use crate::rejection::{Rejection, RejectionCode};

/// Something a caller wants to do, with the resource it is done to.
#[derive(Debug, Clone, Copy)]
pub enum Action<'a> {
    /// Follow a meeting live (the WebSocket `hello`).
    Attend(&'a MeetingInfo),
    /// Run a command in a meeting (over the WebSocket or the HTTP API).
    Command(&'a MeetingInfo, &'a Command),
    /// List the meetings the caller's token reaches (each one then as [`Action::ReadMeeting`]).
    ListMeetings,
    /// See everyone's live presence in a meeting (who has a screen connected), not only one's own.
    SeePresence(&'a MeetingInfo),
    /// Read a meeting's whole state over the HTTP API, or find it in the list of meetings.
    ReadMeeting(&'a MeetingInfo),
    /// Create a meeting in a process.
    CreateMeeting(&'a ProcessId),
    /// Read a meeting's record of who spoke and its parity figures (JSON or CSV).
    ReadRecord(&'a MeetingInfo),
    /// List a meeting's documents or download one of its files.
    ReadDocuments(&'a MeetingInfo),
    /// Add a document to a meeting: an official one, or an organisation's material.
    AddDocument(&'a MeetingInfo),
    /// Mint a token for someone else.
    MintToken {
        /// What the new token opens.
        scope: &'a Scope,
        /// When the new token expires.
        expires_at: Millis,
    },
    /// Revoke a token by its id.
    RevokeToken,
    /// List, re-issue or revoke the links the secretariat issued for meetings within this scope.
    ManageLinks(&'a Scope),
    /// Add, list, pause, resume or delete a meeting's outgoing webhooks, or read their delivery log.
    ManageWebhooks(&'a MeetingInfo),
    /// Relay a seat's request-to-speak button in a meeting: add or withdraw an in-room delegation's
    /// request, for a conference system holding a device token.
    RelayButton(&'a MeetingInfo),
    /// Create a process.
    CreateProcess,
    /// Read a process's applications with their contact details.
    ReviewApplications(&'a ProcessId),
    /// Approve or refuse an application, or revoke an accreditation.
    DecideAccreditation(&'a ProcessId),
    /// Object to a pending application, for a member state.
    Object(&'a ProcessId),
    /// Open an organisation's own page (this organisation's id).
    OrganisationPage(&'a str),
    /// Register or withdraw an organisation's representatives (this organisation's id).
    ManageRepresentatives(&'a str),
    /// Open a delegation's page, invite or withdraw its experts.
    ManageDelegation,
    /// Submit a written statement to a process, optionally for one of its meetings.
    SubmitStatement(&'a ProcessId, Option<&'a MeetingInfo>),
    /// Respond to a written statement of a process, for a member state.
    RespondToStatement(&'a ProcessId),
    /// Confirm or decline co-signing a written statement of a process, for an organisation or a
    /// member state named as a co-signer.
    AnswerCoSigning(&'a ProcessId),
    /// Read the server's operational metrics (`GET /metrics`): counts across every meeting and
    /// process, so only the secretariat of the whole system.
    ReadMetrics,
}

/// In which capacity an allowed action is done, when the handler needs to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "as", rename_all = "snake_case")]
pub enum Permit {
    /// Allowed; nothing more to say.
    Granted,
    /// As the secretariat (official documents).
    Secretariat,
    /// As this accredited organisation (its id).
    Organisation {
        /// The organisation's id.
        organisation: String,
    },
    /// As this member state's delegation.
    Delegation {
        /// The member state.
        delegation: String,
    },
}

/// Who asks: a principal and its standing, or nobody.
pub type Asker<'a> = Option<(&'a Principal, Standing)>;

/// Decides whether `asker` may do `action`. `Err` says why not, with a stable code.
pub fn decide(asker: Asker<'_>, action: Action<'_>) -> Result<Permit, Rejection> {
    let Some((who, standing)) = asker else { return anonymous(action) };
    // An organisation whose accreditation was revoked still reads why, on its own page.
    if let Action::OrganisationPage(organisation) = action {
        return own_organisation(who, organisation).map(|()| Permit::Granted);
    }
    if standing == Standing::Revoked {
        return Err(deny(RejectionCode::Revoked, "Your access was withdrawn; ask the secretariat for a new link."));
    }
    match action {
        Action::Attend(meeting) => attend(who, meeting).map(|()| Permit::Granted),
        Action::Command(meeting, command) => {
            attend(who, meeting)?;
            command_by_role(who.role(), command)?;
            let counts = matches!(command, Command::RequestFloor { .. } | Command::ConfirmCoSigning { .. });
            if counts && standing == Standing::NotAccredited {
                return Err(not_accredited(
                    "Only representatives of organisations accredited to this process ask for the floor; you may follow the meeting.",
                ));
            }
            Ok(Permit::Granted)
        }
        Action::SeePresence(meeting) => {
            attend(who, meeting)?;
            if !who.role().moderates() {
                return Err(deny(
                    RejectionCode::Forbidden,
                    "Who is connected is shown to the chair, the vice-chairs and the secretariat; you see your own.",
                ));
            }
            Ok(Permit::Granted)
        }
        Action::RelayButton(meeting) => {
            if who.holder != Holder::Device {
                return Err(deny(
                    RejectionCode::Forbidden,
                    "Only a conference system's device token relays seat buttons; delegates ask for the floor themselves.",
                ));
            }
            in_scope(who.scope.covers_meeting(meeting))?;
            // The buttons are the seats of member states' delegations, which every meeting admits.
            admits(Role::Delegate, meeting.access)?;
            Ok(Permit::Granted)
        }
        Action::ListMeetings => secretariat(who).map(|()| Permit::Granted),
        Action::ReadMeeting(meeting) | Action::ManageWebhooks(meeting) => {
            secretariat(who)?;
            in_scope(who.scope.covers_meeting(meeting))?;
            Ok(Permit::Granted)
        }
        Action::CreateMeeting(process) | Action::ReviewApplications(process) | Action::DecideAccreditation(process) => {
            secretariat(who)?;
            in_scope(who.scope.covers_process(process))?;
            Ok(Permit::Granted)
        }
        // An open meeting's record is public; a closed one's goes to those the meeting admits.
        Action::ReadRecord(meeting) if meeting.access == Access::Open => Ok(Permit::Granted),
        Action::ReadRecord(meeting) | Action::ReadDocuments(meeting) => match who.holder {
            Holder::Person | Holder::Device => attend(who, meeting).map(|()| Permit::Granted),
            Holder::Organisation => {
                organisation_in(who, standing, meeting)?;
                Ok(Permit::Granted)
            }
        },
        Action::AddDocument(meeting) => {
            if who.role() == Role::Secretariat && who.holder == Holder::Person {
                in_scope(who.scope.covers_meeting(meeting))?;
                return Ok(Permit::Secretariat);
            }
            if who.accredited.is_none() {
                return Err(deny(
                    RejectionCode::NotAllowed,
                    "Documents are added by the secretariat, and materials by accredited organisations.",
                ));
            }
            organisation_in(who, standing, meeting)
        }
        Action::MintToken { scope, expires_at } => {
            secretariat(who)?;
            if !scope.within(&who.scope) {
                return Err(deny(
                    RejectionCode::Forbidden,
                    "A token cannot open more than the token that mints it: ask for a scope within your own.",
                ));
            }
            if expires_at > who.expires_at {
                return Err(deny(
                    RejectionCode::Forbidden,
                    "A token cannot outlive the token that mints it: ask for a shorter ttl_hours.",
                ));
            }
            Ok(Permit::Granted)
        }
        Action::ManageLinks(scope) => {
            secretariat(who)?;
            in_scope(scope.within(&who.scope))?;
            Ok(Permit::Granted)
        }
        Action::RevokeToken | Action::CreateProcess | Action::ReadMetrics => {
            secretariat(who)?;
            in_scope(who.scope == Scope::Everything)?;
            Ok(Permit::Granted)
        }
        Action::Object(process) => {
            let delegation = delegate(who, "Only a member state's delegate can object to an application.")?;
            in_process(who.scope.touches_process(process))?;
            Ok(delegation)
        }
        Action::RespondToStatement(process) => {
            let delegation = delegate(who, "Only member states' delegations respond to statements.")?;
            in_process(who.scope.touches_process(process))?;
            Ok(delegation)
        }
        Action::OrganisationPage(organisation) => own_organisation(who, organisation).map(|()| Permit::Granted),
        Action::ManageRepresentatives(organisation) => {
            own_organisation(who, organisation)?;
            if standing != Standing::Good {
                return Err(not_accredited("Representatives can be registered once the organisation is accredited."));
            }
            Ok(Permit::Granted)
        }
        Action::ManageDelegation => {
            let delegation = delegate(who, "Only a member state's delegate can manage its delegation's experts.")?;
            if who.scope.process().is_none() {
                return Err(deny(RejectionCode::Forbidden, "Your access link names no process."));
            }
            Ok(delegation)
        }
        Action::AnswerCoSigning(process) => {
            const WHO: &str = "Only an organisation or a member state named as a co-signer confirms or declines.";
            if let Some(organisation) = &who.accredited {
                in_process(who.scope.touches_process(process))?;
                if standing != Standing::Good {
                    return Err(not_accredited(&format!("Your organisation is not accredited to this process. {WHO}")));
                }
                return Ok(Permit::Organisation { organisation: organisation.clone() });
            }
            let delegation = delegate(who, WHO)?;
            in_process(who.scope.touches_process(process))?;
            Ok(delegation)
        }
        Action::SubmitStatement(process, meeting) => {
            if let Some(organisation) = &who.accredited {
                in_process(who.scope.touches_process(process))?;
                if standing != Standing::Good {
                    return Err(not_accredited(
                        "Your organisation is not accredited to this process. Only organisations accredited to this process and member states' delegations submit written statements.",
                    ));
                }
                if meeting.is_some_and(|m| m.access == Access::Closed) {
                    return Err(closed());
                }
                return Ok(Permit::Organisation { organisation: organisation.clone() });
            }
            let delegation = delegate(
                who,
                "Only organisations accredited to this process and member states' delegations submit written statements.",
            )?;
            in_process(who.scope.touches_process(process))?;
            Ok(delegation)
        }
    }
}

/// What nobody (no token) may do: follow open meetings and read their records.
fn anonymous(action: Action<'_>) -> Result<Permit, Rejection> {
    match action {
        Action::Attend(meeting) | Action::ReadRecord(meeting) if meeting.access == Access::Open => Ok(Permit::Granted),
        Action::Attend(_) | Action::ReadRecord(_) => Err(deny(
            RejectionCode::Unauthorized,
            "This is a closed meeting: it is open to those who attend it. Send your access token.",
        )),
        Action::Command(..) => Err(deny(RejectionCode::NotAllowed, "Observers without a token can only watch.")),
        _ => Err(deny(RejectionCode::Unauthorized, "Send your access token as `Authorization: Bearer <token>`.")),
    }
}

/// Whether a person's token opens this meeting and the meeting admits them.
fn attend(who: &Principal, meeting: &MeetingInfo) -> Result<(), Rejection> {
    match who.holder {
        Holder::Person => {}
        Holder::Organisation => {
            return Err(deny(
                RejectionCode::Forbidden,
                "An organisation's own link opens its page, not meetings: use a representative's link.",
            ))
        }
        Holder::Device => {
            return Err(deny(
                RejectionCode::Forbidden,
                "A device token relays a conference system's seat buttons; it opens no meeting.",
            ))
        }
    }
    if !who.scope.covers_meeting(meeting) {
        return Err(deny(RejectionCode::Forbidden, "Your access link is for another meeting or process."));
    }
    admits(who.role(), meeting.access)
}

/// Whether a meeting of this access admits a person of this role. Closed meetings admit member
/// states, the experts on their delegations, the chair, the secretariat and observers holding a
/// token.
pub fn admits(role: Role, access: Access) -> Result<(), Rejection> {
    if access == Access::Closed && matches!(role, Role::Stakeholder | Role::Panellist) {
        return Err(closed());
    }
    Ok(())
}

/// Which roles may send which command. The queue's own rules (is the list open, is the person
/// already inscribed…) are decided by [`crate::Meeting::handle`], which asks this first.
pub fn command_by_role(role: Role, command: &Command) -> Result<(), Rejection> {
    match command {
        Command::RequestFloor { .. } => match role {
            Role::Delegate | Role::Expert | Role::Stakeholder => Ok(()),
            Role::Panellist => Err(deny(
                RejectionCode::NotAllowed,
                "Panellists do not inscribe: the chair gives them the floor directly.",
            )),
            Role::Observer => {
                Err(deny(RejectionCode::NotAllowed, "Observers follow the meeting but do not ask for the floor."))
            }
            Role::Interpreter => {
                Err(deny(RejectionCode::NotAllowed, "Interpreters follow the meeting from the booth; they do not ask for the floor."))
            }
            Role::Chair | Role::ViceChair | Role::Secretariat => Err(deny(
                RejectionCode::NotAllowed,
                "The chair and the secretariat add speakers with \"add speaker\" rather than asking for the floor.",
            )),
        },
        // A co-signer's representative answers for their organisation; the meeting checks that the
        // organisation is the one asked.
        Command::ConfirmCoSigning { .. } | Command::DeclineCoSigning { .. } => match role {
            Role::Stakeholder => Ok(()),
            _ => Err(deny(
                RejectionCode::NotAllowed,
                "Only a representative of the organisation asked to co-sign can confirm or decline.",
            )),
        },
        // Anyone may withdraw their own request, say where they are or that they are ready; the
        // meeting checks they have a request (and, to say they are ready, that it is next).
        Command::Withdraw { .. } | Command::SetPresence { .. } | Command::ConfirmReady { .. } => Ok(()),
        // Setting up and keeping the lists: the chair, a vice-chair, the secretariat. (A chair or
        // vice-chair keeps the lists while presiding: see `Meeting::handle`.)
        Command::AddSpeaker { .. }
        | Command::MoveEntry { .. }
        | Command::RemoveEntry { .. }
        | Command::CreateSegment { .. }
        | Command::UpdateSegment { .. }
        | Command::ActivateSegment { .. }
        | Command::AddAgendaItem { .. }
        | Command::UpdateAgendaItem { .. }
        | Command::MoveAgendaItem { .. }
        | Command::RemoveAgendaItem { .. }
        | Command::TakeUpItem { .. }
        | Command::CloseList { .. }
        | Command::ReopenList { .. } => {
            if role.moderates() {
                Ok(())
            } else {
                Err(deny(RejectionCode::NotAllowed, "Only the chair or the secretariat can do that."))
            }
        }
        // The floor is the presiding officer's: the chair, or the vice-chair in the chair.
        Command::GiveFloor { .. }
        | Command::PassOver { .. }
        | Command::GiveFloorToPanellist { .. }
        | Command::PauseFloor
        | Command::ResumeFloor
        | Command::ExtendFloor { .. }
        | Command::EndFloor
        | Command::HandOverChair
        | Command::TakeChair => match role {
            Role::Chair | Role::ViceChair => Ok(()),
            Role::Secretariat => Err(deny(
                RejectionCode::NotAllowed,
                "The secretariat sets the meeting up and keeps the lists; the chair (or the vice-chair in the chair) gives the floor.",
            )),
            _ => Err(deny(RejectionCode::NotAllowed, "Only the presiding officer can do that.")),
        },
    }
}

/// The scope and expiry of a token a principal hands on (a representative's or an expert's link):
/// at most `max_ttl_ms` from `now`, never wider or longer-lived than the principal's own.
pub fn capped_grant(who: &Principal, wanted: Scope, now: Millis, max_ttl_ms: i64) -> (Scope, Millis) {
    let scope = if wanted.within(&who.scope) { wanted } else { who.scope.clone() };
    let expires_at = Millis((now.0 + max_ttl_ms).min(who.expires_at.0));
    (scope, expires_at)
}

/// An accredited organisation (its own token or a representative's) acting in an open meeting of
/// its process.
fn organisation_in(who: &Principal, standing: Standing, meeting: &MeetingInfo) -> Result<Permit, Rejection> {
    let Some(organisation) = &who.accredited else {
        return Err(deny(RejectionCode::Forbidden, "Your access link does not open this meeting."));
    };
    in_scope(who.scope.covers_meeting(meeting))?;
    if standing != Standing::Good {
        return Err(not_accredited("Only organisations accredited to this meeting's process can do this."));
    }
    admits(Role::Stakeholder, meeting.access)?;
    Ok(Permit::Organisation { organisation: organisation.clone() })
}

fn own_organisation(who: &Principal, organisation: &str) -> Result<(), Rejection> {
    if who.holder == Holder::Organisation && who.accredited.as_deref() == Some(organisation) {
        Ok(())
    } else {
        Err(deny(RejectionCode::Forbidden, "This is not your organisation's link."))
    }
}

fn secretariat(who: &Principal) -> Result<(), Rejection> {
    if who.holder == Holder::Person && who.role() == Role::Secretariat {
        Ok(())
    } else {
        Err(deny(RejectionCode::Forbidden, "Only the secretariat can do this."))
    }
}

fn delegate(who: &Principal, refusal: &str) -> Result<Permit, Rejection> {
    match (who.holder, who.role(), who.delegation()) {
        (Holder::Person, Role::Delegate, Some(delegation)) => {
            Ok(Permit::Delegation { delegation: delegation.to_string() })
        }
        _ => Err(deny(RejectionCode::NotAllowed, refusal)),
    }
}

fn in_scope(covered: bool) -> Result<(), Rejection> {
    if covered {
        Ok(())
    } else {
        Err(deny(RejectionCode::Forbidden, "Your access link does not reach this meeting or process."))
    }
}

fn in_process(covered: bool) -> Result<(), Rejection> {
    if covered {
        Ok(())
    } else {
        Err(deny(RejectionCode::Forbidden, "Your access link is for another process."))
    }
}

fn closed() -> Rejection {
    deny(
        RejectionCode::MeetingClosed,
        "This is a closed meeting: only member states and the experts on their delegations attend.",
    )
}

fn not_accredited(message: &str) -> Rejection {
    deny(RejectionCode::NotAccredited, message)
}

fn deny(code: RejectionCode, message: &str) -> Rejection {
    Rejection::new(code, message)
}
