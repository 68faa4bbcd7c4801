//! An application's life, decided without I/O: applied, then approved or refused with a reason
//! (member states may object meanwhile), and an accreditation in force revoked with a reason.
//!
//! Each step is a decision on the records as they stand, with `now` passed in, as the queue's
//! [`crate::Meeting::handle`] is: it returns the [`Change`] to make, or the [`Rejection`] to send.
//! [`Organisation::apply_change`] is the only way a change reaches a record, and the server's store
//! writes the same change to its rows (guarded, so that a decision raced by another one is refused
//! rather than overwritten).

use serde::{Deserialize, Serialize};

use super::{Application, BulkRejection, Objection, Organisation, Process, Status};
use crate::ids::Millis;
use crate::rejection::{Rejection, RejectionCode};
use crate::text::{organisation_key, paragraph};

/// The secretariat's verdict on a pending application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Accredit the organisation for every meeting of the process.
    Approve,
    /// Refuse it, with a written reason.
    Refuse,
}

/// What a decision changes in an organisation's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The status moves from `from` to `to`, with the secretariat's reason (none for an approval).
    Status {
        /// The status the decision was taken on; the store refuses the change if it moved since.
        from: Status,
        /// The new status.
        to: Status,
        /// The written reason of a refusal or a revocation.
        reason: Option<String>,
        /// When it was decided.
        at: Millis,
    },
    /// A member state objects.
    Objected(Objection),
}

/// The most characters of a written reason.
pub const MAX_REASON_CHARS: usize = 2000;

/// A written reason (of a refusal, a revocation, an objection): required, 1 to
/// [`MAX_REASON_CHARS`] characters, checked as every paragraph is. `what` names the act in the
/// refusal ("A refusal").
pub fn reason(reason: Option<&str>, what: &str) -> Result<String, Rejection> {
    let reason = reason.unwrap_or_default();
    if reason.trim().is_empty() {
        return Err(Rejection::new(
            RejectionCode::InvalidCommand,
            format!("{what} needs a written reason (1 to {MAX_REASON_CHARS} characters): it is shown to the organisation and to member states."),
        ));
    }
    Ok(paragraph("reason", reason, MAX_REASON_CHARS)?)
}

/// Most applications one bulk rejection refuses: a page of spam at a time, in one transaction
/// short enough not to hold the database's writers up.
pub const MAX_BULK: usize = 500;

impl BulkRejection {
    /// The ids to refuse, each once in the order given, and the reason, checked as a single
    /// refusal's; 1 to [`MAX_BULK`] ids.
    pub fn checked(&self) -> Result<(Vec<String>, String), Rejection> {
        if self.ids.is_empty() || self.ids.len() > MAX_BULK {
            return Err(Rejection::new(
                RejectionCode::InvalidCommand,
                format!("Name 1 to {MAX_BULK} applications to reject at once, not {}.", self.ids.len()),
            ));
        }
        let reason = reason(Some(&self.reason), "A rejection")?;
        let mut seen = std::collections::HashSet::new();
        let ids = self.ids.iter().filter(|id| seen.insert(id.as_str())).cloned().collect();
        Ok((ids, reason))
    }
}

impl Organisation {
    /// Decides an application to `process` by the form `application`, given the organisations that
    /// already applied to it (`others`): the form must be valid, the deadline not passed, and no
    /// organisation of that name (as people read it, [`organisation_key`]) may have applied. The
    /// new record is pending, under `id`.
    pub fn apply(
        process: &Process,
        others: &[Organisation],
        id: String,
        application: Application,
        now: Millis,
    ) -> Result<Organisation, Rejection> {
        application.validate()?;
        if now > process.applications_deadline {
            return Err(Rejection::new(
                RejectionCode::DeadlinePassed,
                format!("Applications to \"{}\" closed at the end of the deadline day.", process.title),
            ));
        }
        let key = organisation_key(&application.name);
        if others.iter().any(|o| o.process == process.id && organisation_key(&o.application.name) == key) {
            return Err(duplicate(&application.name));
        }
        Ok(Organisation {
            id,
            process: process.id.clone(),
            application,
            status: Status::Pending,
            reason: None,
            applied_at: now,
            decided_at: None,
            objections: Vec::new(),
        })
    }

    /// Decides the secretariat's verdict: a pending application is approved, or refused with a
    /// written reason; one already decided stays as it is (`already_decided`).
    pub fn decide(&self, verdict: Verdict, reason: Option<&str>, now: Millis) -> Result<Change, Rejection> {
        let (to, reason) = match verdict {
            Verdict::Approve => (Status::Approved, None),
            Verdict::Refuse => (Status::Refused, Some(self::reason(reason, "A refusal")?)),
        };
        if self.status != Status::Pending {
            return Err(Rejection::new(RejectionCode::AlreadyDecided, "This application was already decided."));
        }
        Ok(Change::Status { from: Status::Pending, to, reason, at: now })
    }

    /// Decides a revocation: only an accreditation in force is revoked, with a written reason.
    pub fn revoke(&self, reason: Option<&str>, now: Millis) -> Result<Change, Rejection> {
        let reason = self::reason(reason, "A revocation")?;
        if self.status != Status::Approved {
            return Err(Rejection::new(
                RejectionCode::AlreadyDecided,
                "Only an accredited organisation can have its accreditation revoked.",
            ));
        }
        Ok(Change::Status { from: Status::Approved, to: Status::Revoked, reason: Some(reason), at: now })
    }

    /// Decides a member state's objection: taken while the application is pending, with a reason.
    pub fn object(&self, delegation: &str, reason: Option<&str>, now: Millis) -> Result<Change, Rejection> {
        if self.status != Status::Pending {
            return Err(Rejection::new(
                RejectionCode::AlreadyDecided,
                "Objections are taken before the decision only.",
            ));
        }
        let reason = self::reason(reason, "An objection")?;
        Ok(Change::Objected(Objection { delegation: delegation.to_string(), reason, at: now }))
    }

    /// Makes a decided change to the record: the only way a decision reaches it.
    pub fn apply_change(&mut self, change: &Change) {
        match change {
            Change::Status { to, reason, at, .. } => {
                self.status = *to;
                self.reason = reason.clone();
                self.decided_at = Some(*at);
            }
            Change::Objected(objection) => self.objections.push(objection.clone()),
        }
    }
}

/// The refusal of a second application by one organisation.
pub fn duplicate(name: &str) -> Rejection {
    Rejection::new(
        RejectionCode::DuplicateApplication,
        format!(
            "{} has already applied to this process: accreditation lasts for the whole process, so there is no need to apply again.",
            name.trim()
        ),
    )
}
