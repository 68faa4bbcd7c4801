//! Accreditation of organisations to a process, and the people they and the delegations send.
//!
//! An organisation applies once per process; the secretariat approves or refuses with a written
//! reason; member states may object beforehand. Approval lasts for every meeting of the process and
//! covers in-room and remote participation alike. These are the types the server stores and the
//! browser shows, and the rules that decide them ([`lifecycle`], [`nominee`]): pure, with `now`
//! passed in; the server loads the records, asks, and stores what was decided.

use serde::{Deserialize, Serialize};

use crate::ids::{Millis, ParticipantId, ProcessId};
use crate::participant::Presence;
use crate::rejection::{Rejection, RejectionCode};

pub mod lifecycle;
pub mod nominee;
pub mod quota;
pub mod wire;

pub use lifecycle::{Change, Verdict};
pub use nominee::{Nomination, Nominee, Party};
pub use wire::{
    Applied, BulkRejected, BulkRejection, Decision, DelegationPage, LinkedDocument, NewExpert, NewObjection,
    NewProcess, NewRepresentative, OrganisationPage, ProcessView, Revocation, Sitting, WithLink,
};

/// Where an organisation comes from, as the brief names the stakeholder communities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Constituency {
    /// The delegations of member states. Never an organisation's: states take part by right.
    MemberStates,
    /// Non-governmental organisation, civil society.
    Ngo,
    /// Universities and research institutes.
    Academia,
    /// Companies and business associations.
    PrivateSector,
    /// The technical community (standards bodies, network operators, CERTs…).
    TechnicalCommunity,
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Status {
    /// Waiting for the secretariat's decision.
    Pending,
    /// Accredited for every meeting of the process.
    Approved,
    /// Refused, with a reason.
    Refused,
    /// Accredited once, then withdrawn, with a reason.
    Revoked,
}

/// A multi-session process that organisations are accredited to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Process {
    /// The process id, e.g. `oewg-ict`.
    pub id: ProcessId,
    /// Title shown on the form and the public list.
    pub title: String,
    /// Applications are taken until this time (the brief asks for three months before meetings).
    pub applications_deadline: Millis,
}

/// What an organisation fills in on the public form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// The organisation's name.
    pub name: String,
    /// Its website (`http://` or `https://`).
    pub website: String,
    /// Country of its headquarters.
    pub country: String,
    /// Who to contact.
    pub contact_name: String,
    /// The contact's email address.
    pub contact_email: String,
    /// NGO, academia, private sector or technical community.
    pub constituency: Constituency,
    /// Whether it has ECOSOC consultative status.
    pub ecosoc: bool,
    /// Its relevant activities and purpose; required without ECOSOC status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activities: Option<String>,
}

fn invalid(message: impl Into<String>) -> Rejection {
    Rejection::new(RejectionCode::InvalidApplication, message)
}

/// Checks a one-line field of the form (see [`crate::text::line`]).
fn text(field: &str, value: &str, max: usize) -> Result<String, Rejection> {
    crate::text::line(field, value, max).map_err(|e| e.rejected_as(RejectionCode::InvalidApplication))
}

/// Checks an email address: something@domain.tld, no spaces.
pub fn check_email(field: &str, value: &str) -> Result<(), Rejection> {
    let value = text(field, value, 200)?;
    let valid = value.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
    }) && !value.contains(char::is_whitespace);
    if valid {
        Ok(())
    } else {
        Err(invalid(format!("The {field} must be an email address such as name@example.org.")))
    }
}

impl Application {
    /// Checks every field; the first problem comes back as an `invalid_application` rejection
    /// whose message names the field.
    pub fn validate(&self) -> Result<(), Rejection> {
        text("organisation's name", &self.name, 200)?;
        text("website", &self.website, 300)?;
        let website = self.website.trim();
        if !(website.starts_with("https://") || website.starts_with("http://")) || website.contains(char::is_whitespace)
        {
            return Err(invalid("The website must be an address starting with https:// or http://."));
        }
        if self.constituency == Constituency::MemberStates {
            return Err(invalid(
                "Member states are not accredited: their delegations take part by right. Choose the organisation's constituency.",
            ));
        }
        text("country", &self.country, 100)?;
        text("contact's name", &self.contact_name, 120)?;
        check_email("contact's email", &self.contact_email)?;
        let activities = match self.activities.as_deref().filter(|a| !a.trim().is_empty()) {
            Some(activities) => crate::text::paragraph("description of activities", activities, 5000)
                .map_err(|e| e.rejected_as(RejectionCode::InvalidApplication))?,
            None => String::new(),
        };
        if !self.ecosoc && activities.chars().count() < 20 {
            return Err(invalid(
                "Without ECOSOC consultative status, describe the organisation's relevant activities and purpose (at least 20 characters).",
            ));
        }
        Ok(())
    }
}

/// The organisation of that name among `organisations`, however the name is spelled
/// ([`crate::text::organisation_key`]): the one comparison of organisation names.
pub fn named<'a>(name: &str, organisations: &'a [Organisation]) -> Option<&'a Organisation> {
    let key = crate::text::organisation_key(name);
    organisations.iter().find(|o| crate::text::organisation_key(&o.application.name) == key)
}

/// A member state's objection to an application, lodged before the decision. Public.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objection {
    /// The member state objecting.
    pub delegation: String,
    /// Why.
    pub reason: String,
    /// When.
    pub at: Millis,
}

/// An organisation that applied to a process, with where it stands. The contact's details are in
/// `application`; [`Organisation::public`] leaves them out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    /// The organisation's id in this process.
    pub id: String,
    /// The process applied to.
    pub process: ProcessId,
    /// The form as filled in.
    pub application: Application,
    /// Pending, approved, refused or revoked.
    pub status: Status,
    /// The secretariat's written reason for a refusal or a revocation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When it applied.
    pub applied_at: Millis,
    /// When the secretariat decided (or revoked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<Millis>,
    /// Objections by member states.
    pub objections: Vec<Objection>,
}

/// What everyone may see of an organisation: no contact details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicOrganisation {
    pub id: String,
    pub name: String,
    pub website: String,
    pub country: String,
    pub constituency: Constituency,
    pub ecosoc: bool,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub applied_at: Millis,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<Millis>,
    pub objections: Vec<Objection>,
}

impl Organisation {
    /// The public view of the organisation.
    pub fn public(&self) -> PublicOrganisation {
        PublicOrganisation {
            id: self.id.clone(),
            name: self.application.name.clone(),
            website: self.application.website.clone(),
            country: self.application.country.clone(),
            constituency: self.application.constituency,
            ecosoc: self.application.ecosoc,
            status: self.status,
            reason: self.reason.clone(),
            applied_at: self.applied_at,
            decided_at: self.decided_at,
            objections: self.objections.clone(),
        }
    }
}

/// A person an accredited organisation sends, with a personal access link for the whole process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Representative {
    /// Their participant id (the `sub` of their token).
    pub id: ParticipantId,
    /// The organisation's id.
    pub organisation: String,
    pub name: String,
    pub email: String,
    /// Whether they usually follow from the room or remotely; they can change it in any meeting.
    pub presence: Presence,
    pub created_at: Millis,
    /// Set once revoked: their link stops working.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<Millis>,
}

/// A person a member state invited onto its delegation as an expert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expert {
    /// Their participant id (the `sub` of their token).
    pub id: ParticipantId,
    /// The process the invitation is for.
    pub process: ProcessId,
    /// The member state whose delegation they join, for which they speak.
    pub delegation: String,
    pub name: String,
    /// Their home organisation, kept in the record beside the delegation.
    pub organisation: String,
    pub email: String,
    pub created_at: Millis,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<Millis>,
}

/// Who put a document up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum DocumentKind {
    /// An official conference document, attached by the secretariat.
    Official,
    /// Material an accredited organisation provides to delegations.
    Material,
}

/// A document attached to a meeting: a link, or an uploaded file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub id: String,
    pub meeting: crate::ids::MeetingId,
    pub title: String,
    pub kind: DocumentKind,
    /// Who provided it: "Secretariat", or the organisation's name.
    pub provided_by: String,
    /// An external link, for documents that are not uploaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The uploaded file's media type and size, for uploaded documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    pub added_at: Millis,
}

/// A calendar date `YYYY-MM-DD`, read as the end of that day in UTC (23:59:59.999), in
/// milliseconds since the epoch. Deadlines are given as dates.
pub fn end_of_day(date: &str) -> Option<Millis> {
    let mut parts = date.trim().split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1970..=9999).contains(&year) {
        return None;
    }
    let date = time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()?;
    Some(Millis(date.midnight().assume_utc().unix_timestamp() * 1000 + 86_399_999))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> Application {
        Application {
            name: "Global Digital Rights Network".into(),
            website: "https://gdrn.example.org".into(),
            country: "Ghana".into(),
            contact_name: "Kwame Mensah".into(),
            contact_email: "kwame@gdrn.example.org".into(),
            constituency: Constituency::Ngo,
            ecosoc: true,
            activities: None,
        }
    }

    #[test]
    fn an_ecosoc_organisation_needs_no_description_of_activities() {
        assert!(form().validate().is_ok());
    }

    #[test]
    fn without_ecosoc_status_the_activities_are_required() {
        let application = Application { ecosoc: false, ..form() };
        let refused = application.validate().unwrap_err();
        assert_eq!(refused.code, RejectionCode::InvalidApplication);
        assert!(refused.message.contains("activities"));
        let described = Application {
            ecosoc: false,
            activities: Some("Research and advocacy on cyber norms and human rights since 2012.".into()),
            ..form()
        };
        assert!(described.validate().is_ok());
    }

    #[test]
    fn a_bad_email_or_website_is_refused_with_the_field_named() {
        let bad_email = Application { contact_email: "kwame at gdrn".into(), ..form() };
        assert!(bad_email.validate().unwrap_err().message.contains("email"));
        let bad_site = Application { website: "gdrn.example.org".into(), ..form() };
        assert!(bad_site.validate().unwrap_err().message.contains("website"));
    }

    #[test]
    fn a_deadline_date_ends_at_the_last_millisecond_of_the_day_in_utc() {
        assert_eq!(end_of_day("1970-01-01"), Some(Millis(86_399_999)));
        assert_eq!(end_of_day("2027-03-01"), Some(Millis(1_803_945_600_000 - 1)));
        assert_eq!(end_of_day("2024-02-29").map(|m| m.0 % 86_400_000), Some(86_399_999));
        assert_eq!(end_of_day("2023-02-29"), None);
        assert_eq!(end_of_day("2027-13-01"), None);
        assert_eq!(end_of_day("2027-02-30"), None);
        assert_eq!(end_of_day("2027-04-31"), None);
        assert_eq!(end_of_day("2027-03-00"), None);
        assert_eq!(end_of_day("1969-12-31"), None);
        assert_eq!(end_of_day("2027-03-01-01"), None);
        assert_eq!(end_of_day("tomorrow"), None);
        assert_eq!(end_of_day(" 2000-02-29 "), Some(Millis(951_868_799_999)));
        assert_eq!(end_of_day("2100-02-29"), None);
        assert_eq!(end_of_day("9999-12-31"), Some(Millis(253_402_300_799_999)));
    }
}
