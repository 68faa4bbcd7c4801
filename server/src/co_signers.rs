//! Co-signers as the accreditation knows them: a joint statement, spoken or written, may name only
//! organisations accredited to the process (and, in writing, member states), each under the name
//! it was accredited with. The meeting and the written statements then keep each co-signer pending
//! until it confirms.

use shared::accreditation::Organisation;
use shared::region::state_named;
use shared::text::{self, organisation_key};
use shared::written::{CoSigner, Submitter, SubmitterKind};
use shared::{Participant, Rejection, RejectionCode};

/// Whether a speaker the chair names speaks for an organisation (rather than for a state).
pub fn of_an_organisation(speaker: &Participant) -> bool {
    !speaker.role.speaks_for_a_state() && speaker.organisation.is_some()
}

/// The accredited organisation of that name, however it is spelled.
pub fn accredited<'a>(name: &str, accredited: &'a [Organisation]) -> Option<&'a Organisation> {
    let key = organisation_key(name);
    accredited.iter().find(|o| organisation_key(&o.application.name) == key)
}

/// Takes a named speaker's constituency and country from their organisation's accreditation.
pub fn complete_profile(speaker: &mut Participant, organisations: &[Organisation]) {
    if !of_an_organisation(speaker) {
        return;
    }
    let found = speaker.organisation.as_deref().and_then(|name| accredited(name, organisations));
    if let Some(organisation) = found {
        speaker.profile.constituency = Some(organisation.application.constituency);
        speaker.profile.country = Some(organisation.application.country.trim().to_string());
    }
}

fn not_accredited(name: &str, what: &str) -> Rejection {
    Rejection::new(
        RejectionCode::CoSignerNotAccredited,
        format!("{} is not {what}: only they co-sign a joint statement.", name.trim()),
    )
}

/// Replaces each co-signer of a joint statement in the queue by the name its organisation was
/// accredited with, or refuses the first that is not accredited to the process. A name with a
/// hostile character is refused as such (`invalid_command`), not as unknown.
pub fn resolve(names: &mut [String], organisations: &[Organisation]) -> Result<(), Rejection> {
    for name in names.iter_mut() {
        text::line("co-signer's name", name, 200)?;
        let found = accredited(name, organisations)
            .ok_or_else(|| not_accredited(name, "an organisation accredited to this process"))?;
        *name = found.application.name.trim().to_string();
    }
    Ok(())
}

/// The co-signers of a written statement: each an organisation accredited to the process or a
/// member state, under its registered or United Nations name, pending until it confirms. The
/// submitter does not co-sign its own statement, and nobody is named twice.
pub fn resolve_written(
    names: &[String],
    organisations: &[Organisation],
    submitter: &Submitter,
) -> Result<Vec<CoSigner>, Rejection> {
    let mut co_signers: Vec<CoSigner> = Vec::with_capacity(names.len());
    for name in names {
        text::line("co-signer's name", name, 200)?;
        let co_signer = match (accredited(name, organisations), state_named(name)) {
            (Some(organisation), _) => CoSigner {
                name: organisation.application.name.trim().to_string(),
                kind: Some(SubmitterKind::Organisation),
                organisation: Some(organisation.id.clone()),
                confirmed: false,
            },
            (None, Some(state)) => CoSigner {
                name: state.to_string(),
                kind: Some(SubmitterKind::Delegation),
                organisation: None,
                confirmed: false,
            },
            (None, None) => {
                return Err(not_accredited(name, "an organisation accredited to this process or a member state"))
            }
        };
        let invalid = |message: String| Err(Rejection::new(RejectionCode::InvalidCommand, message));
        if is_submitter(&co_signer, submitter) {
            return invalid(format!("{} submits the statement and does not co-sign it too.", co_signer.name));
        }
        if co_signers.iter().any(|c| c.name == co_signer.name) {
            return invalid(format!("{} is named twice among the co-signers.", co_signer.name));
        }
        co_signers.push(co_signer);
    }
    Ok(co_signers)
}

fn is_submitter(co_signer: &CoSigner, submitter: &Submitter) -> bool {
    match submitter.kind {
        SubmitterKind::Organisation => {
            co_signer.organisation.is_some() && co_signer.organisation == submitter.organisation
        }
        SubmitterKind::Delegation => {
            co_signer.kind == Some(SubmitterKind::Delegation)
                && state_named(&submitter.name)
                    .map_or(organisation_key(&submitter.name) == organisation_key(&co_signer.name), |s| {
                        s == co_signer.name
                    })
        }
    }
}
