//! Co-signers as the accreditation knows them: a joint statement, spoken or written, may name only
//! organisations accredited to the process (and, in writing, member states), each under the name
//! it was accredited with. The meeting then keeps each co-signer pending until it confirms. (Written
//! statements resolve theirs in `shared::written::co_signers`.)

use shared::accreditation::Organisation;
use shared::text;
use shared::{Participant, Rejection, RejectionCode};

/// Whether a speaker the chair names speaks for an organisation (rather than for a state).
pub fn of_an_organisation(speaker: &Participant) -> bool {
    !speaker.role.speaks_for_a_state() && speaker.organisation.is_some()
}

/// The accredited organisation of that name, however it is spelled.
pub fn accredited<'a>(name: &str, accredited: &'a [Organisation]) -> Option<&'a Organisation> {
    shared::accreditation::named(name, accredited)
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

fn not_accredited(name: &str) -> Rejection {
    Rejection::new(
        RejectionCode::CoSignerNotAccredited,
        format!(
            "{} is not an organisation accredited to this process: only they co-sign a joint statement.",
            name.trim()
        ),
    )
}

/// Replaces each co-signer of a joint statement in the queue by the name its organisation was
/// accredited with, or refuses the first that is not accredited to the process. A name with a
/// hostile character is refused as such (`invalid_command`), not as unknown.
pub fn resolve(names: &mut [String], organisations: &[Organisation]) -> Result<(), Rejection> {
    for name in names.iter_mut() {
        text::line("co-signer's name", name, 200)?;
        let found = accredited(name, organisations).ok_or_else(|| not_accredited(name))?;
        *name = found.application.name.trim().to_string();
    }
    Ok(())
}
