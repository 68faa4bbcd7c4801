//! The United Nations regional groups, for the parity figures: which group a member state belongs
//! to, and so the region of a delegation or of an organisation's country.

use serde::{Deserialize, Serialize};

/// A United Nations regional group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Region {
    /// African States.
    African,
    /// Asia-Pacific States.
    AsiaPacific,
    /// Eastern European States.
    EasternEuropean,
    /// Latin American and Caribbean States (GRULAC).
    LatinAmericanAndCaribbean,
    /// Western European and other States (WEOG).
    WesternEuropeanAndOther,
}

impl Region {
    /// Every group, in the order reports list them.
    pub const ALL: [Region; 5] = [
        Region::African,
        Region::AsiaPacific,
        Region::EasternEuropean,
        Region::LatinAmericanAndCaribbean,
        Region::WesternEuropeanAndOther,
    ];

    /// The group's name as the UN writes it.
    pub fn label(self) -> &'static str {
        match self {
            Region::African => "African States",
            Region::AsiaPacific => "Asia-Pacific States",
            Region::EasternEuropean => "Eastern European States",
            Region::LatinAmericanAndCaribbean => "Latin American and Caribbean States",
            Region::WesternEuropeanAndOther => "Western European and other States",
        }
    }
}

use Region::*;

/// Member states (and the observer State of Palestine) by their UN short names, with their group.
/// Türkiye sits with the Western European and other States for elections, as does the United
/// States as an observer there; Kiribati and the Holy See belong to no group and are not listed.
pub const COUNTRIES: &[(&str, Region)] = &[
    ("Afghanistan", AsiaPacific),
    ("Albania", EasternEuropean),
    ("Algeria", African),
    ("Andorra", WesternEuropeanAndOther),
    ("Angola", African),
    ("Antigua and Barbuda", LatinAmericanAndCaribbean),
    ("Argentina", LatinAmericanAndCaribbean),
    ("Armenia", EasternEuropean),
    ("Australia", WesternEuropeanAndOther),
    ("Austria", WesternEuropeanAndOther),
    ("Azerbaijan", EasternEuropean),
    ("Bahamas", LatinAmericanAndCaribbean),
    ("Bahrain", AsiaPacific),
    ("Bangladesh", AsiaPacific),
    ("Barbados", LatinAmericanAndCaribbean),
    ("Belarus", EasternEuropean),
    ("Belgium", WesternEuropeanAndOther),
    ("Belize", LatinAmericanAndCaribbean),
    ("Benin", African),
    ("Bhutan", AsiaPacific),
    ("Bolivia (Plurinational State of)", LatinAmericanAndCaribbean),
    ("Bosnia and Herzegovina", EasternEuropean),
    ("Botswana", African),
    ("Brazil", LatinAmericanAndCaribbean),
    ("Brunei Darussalam", AsiaPacific),
    ("Bulgaria", EasternEuropean),
    ("Burkina Faso", African),
    ("Burundi", African),
    ("Cabo Verde", African),
    ("Cambodia", AsiaPacific),
    ("Cameroon", African),
    ("Canada", WesternEuropeanAndOther),
    ("Central African Republic", African),
    ("Chad", African),
    ("Chile", LatinAmericanAndCaribbean),
    ("China", AsiaPacific),
    ("Colombia", LatinAmericanAndCaribbean),
    ("Comoros", African),
    ("Congo", African),
    ("Costa Rica", LatinAmericanAndCaribbean),
    ("Côte d'Ivoire", African),
    ("Croatia", EasternEuropean),
    ("Cuba", LatinAmericanAndCaribbean),
    ("Cyprus", AsiaPacific),
    ("Czechia", EasternEuropean),
    ("Democratic People's Republic of Korea", AsiaPacific),
    ("Democratic Republic of the Congo", African),
    ("Denmark", WesternEuropeanAndOther),
    ("Djibouti", African),
    ("Dominica", LatinAmericanAndCaribbean),
    ("Dominican Republic", LatinAmericanAndCaribbean),
    ("Ecuador", LatinAmericanAndCaribbean),
    ("Egypt", African),
    ("El Salvador", LatinAmericanAndCaribbean),
    ("Equatorial Guinea", African),
    ("Eritrea", African),
    ("Estonia", EasternEuropean),
    ("Eswatini", African),
    ("Ethiopia", African),
    ("Fiji", AsiaPacific),
    ("Finland", WesternEuropeanAndOther),
    ("France", WesternEuropeanAndOther),
    ("Gabon", African),
    ("Gambia", African),
    ("Georgia", EasternEuropean),
    ("Germany", WesternEuropeanAndOther),
    ("Ghana", African),
    ("Greece", WesternEuropeanAndOther),
    ("Grenada", LatinAmericanAndCaribbean),
    ("Guatemala", LatinAmericanAndCaribbean),
    ("Guinea", African),
    ("Guinea-Bissau", African),
    ("Guyana", LatinAmericanAndCaribbean),
    ("Haiti", LatinAmericanAndCaribbean),
    ("Honduras", LatinAmericanAndCaribbean),
    ("Hungary", EasternEuropean),
    ("Iceland", WesternEuropeanAndOther),
    ("India", AsiaPacific),
    ("Indonesia", AsiaPacific),
    ("Iran (Islamic Republic of)", AsiaPacific),
    ("Iraq", AsiaPacific),
    ("Ireland", WesternEuropeanAndOther),
    ("Israel", WesternEuropeanAndOther),
    ("Italy", WesternEuropeanAndOther),
    ("Jamaica", LatinAmericanAndCaribbean),
    ("Japan", AsiaPacific),
    ("Jordan", AsiaPacific),
    ("Kazakhstan", AsiaPacific),
    ("Kenya", African),
    ("Kuwait", AsiaPacific),
    ("Kyrgyzstan", AsiaPacific),
    ("Lao People's Democratic Republic", AsiaPacific),
    ("Latvia", EasternEuropean),
    ("Lebanon", AsiaPacific),
    ("Lesotho", African),
    ("Liberia", African),
    ("Libya", African),
    ("Liechtenstein", WesternEuropeanAndOther),
    ("Lithuania", EasternEuropean),
    ("Luxembourg", WesternEuropeanAndOther),
    ("Madagascar", African),
    ("Malawi", African),
    ("Malaysia", AsiaPacific),
    ("Maldives", AsiaPacific),
    ("Mali", African),
    ("Malta", WesternEuropeanAndOther),
    ("Marshall Islands", AsiaPacific),
    ("Mauritania", African),
    ("Mauritius", African),
    ("Mexico", LatinAmericanAndCaribbean),
    ("Micronesia (Federated States of)", AsiaPacific),
    ("Monaco", WesternEuropeanAndOther),
    ("Mongolia", AsiaPacific),
    ("Montenegro", EasternEuropean),
    ("Morocco", African),
    ("Mozambique", African),
    ("Myanmar", AsiaPacific),
    ("Namibia", African),
    ("Nauru", AsiaPacific),
    ("Nepal", AsiaPacific),
    ("Netherlands (Kingdom of the)", WesternEuropeanAndOther),
    ("New Zealand", WesternEuropeanAndOther),
    ("Nicaragua", LatinAmericanAndCaribbean),
    ("Niger", African),
    ("Nigeria", African),
    ("North Macedonia", EasternEuropean),
    ("Norway", WesternEuropeanAndOther),
    ("Oman", AsiaPacific),
    ("Pakistan", AsiaPacific),
    ("Palau", AsiaPacific),
    ("Panama", LatinAmericanAndCaribbean),
    ("Papua New Guinea", AsiaPacific),
    ("Paraguay", LatinAmericanAndCaribbean),
    ("Peru", LatinAmericanAndCaribbean),
    ("Philippines", AsiaPacific),
    ("Poland", EasternEuropean),
    ("Portugal", WesternEuropeanAndOther),
    ("Qatar", AsiaPacific),
    ("Republic of Korea", AsiaPacific),
    ("Republic of Moldova", EasternEuropean),
    ("Romania", EasternEuropean),
    ("Russian Federation", EasternEuropean),
    ("Rwanda", African),
    ("Saint Kitts and Nevis", LatinAmericanAndCaribbean),
    ("Saint Lucia", LatinAmericanAndCaribbean),
    ("Saint Vincent and the Grenadines", LatinAmericanAndCaribbean),
    ("Samoa", AsiaPacific),
    ("San Marino", WesternEuropeanAndOther),
    ("Sao Tome and Principe", African),
    ("Saudi Arabia", AsiaPacific),
    ("Senegal", African),
    ("Serbia", EasternEuropean),
    ("Seychelles", African),
    ("Sierra Leone", African),
    ("Singapore", AsiaPacific),
    ("Slovakia", EasternEuropean),
    ("Slovenia", EasternEuropean),
    ("Solomon Islands", AsiaPacific),
    ("Somalia", African),
    ("South Africa", African),
    ("South Sudan", African),
    ("Spain", WesternEuropeanAndOther),
    ("Sri Lanka", AsiaPacific),
    ("State of Palestine", AsiaPacific),
    ("Sudan", African),
    ("Suriname", LatinAmericanAndCaribbean),
    ("Sweden", WesternEuropeanAndOther),
    ("Switzerland", WesternEuropeanAndOther),
    ("Syrian Arab Republic", AsiaPacific),
    ("Tajikistan", AsiaPacific),
    ("Thailand", AsiaPacific),
    ("Timor-Leste", AsiaPacific),
    ("Togo", African),
    ("Tonga", AsiaPacific),
    ("Trinidad and Tobago", LatinAmericanAndCaribbean),
    ("Tunisia", African),
    ("Türkiye", WesternEuropeanAndOther),
    ("Turkmenistan", AsiaPacific),
    ("Tuvalu", AsiaPacific),
    ("Uganda", African),
    ("Ukraine", EasternEuropean),
    ("United Arab Emirates", AsiaPacific),
    ("United Kingdom of Great Britain and Northern Ireland", WesternEuropeanAndOther),
    ("United Republic of Tanzania", African),
    ("United States of America", WesternEuropeanAndOther),
    ("Uruguay", LatinAmericanAndCaribbean),
    ("Uzbekistan", AsiaPacific),
    ("Vanuatu", AsiaPacific),
    ("Venezuela (Bolivarian Republic of)", LatinAmericanAndCaribbean),
    ("Viet Nam", AsiaPacific),
    ("Yemen", AsiaPacific),
    ("Zambia", African),
    ("Zimbabwe", African),
];

/// Names people write for a state, besides its UN short name.
pub(crate) const ALIASES: &[(&str, &str)] = &[
    ("bolivia", "Bolivia (Plurinational State of)"),
    ("brunei", "Brunei Darussalam"),
    ("cape verde", "Cabo Verde"),
    ("ivory coast", "Côte d'Ivoire"),
    ("czech republic", "Czechia"),
    ("north korea", "Democratic People's Republic of Korea"),
    ("dprk", "Democratic People's Republic of Korea"),
    ("dr congo", "Democratic Republic of the Congo"),
    ("drc", "Democratic Republic of the Congo"),
    ("republic of the congo", "Congo"),
    ("swaziland", "Eswatini"),
    ("iran", "Iran (Islamic Republic of)"),
    ("laos", "Lao People's Democratic Republic"),
    ("micronesia", "Micronesia (Federated States of)"),
    ("netherlands", "Netherlands (Kingdom of the)"),
    ("kingdom of the netherlands", "Netherlands (Kingdom of the)"),
    ("macedonia", "North Macedonia"),
    ("south korea", "Republic of Korea"),
    ("korea", "Republic of Korea"),
    ("moldova", "Republic of Moldova"),
    ("russia", "Russian Federation"),
    ("palestine", "State of Palestine"),
    ("syria", "Syrian Arab Republic"),
    ("east timor", "Timor-Leste"),
    ("turkey", "Türkiye"),
    ("united kingdom", "United Kingdom of Great Britain and Northern Ireland"),
    ("uk", "United Kingdom of Great Britain and Northern Ireland"),
    ("great britain", "United Kingdom of Great Britain and Northern Ireland"),
    ("tanzania", "United Republic of Tanzania"),
    ("united states", "United States of America"),
    ("usa", "United States of America"),
    ("us", "United States of America"),
    ("venezuela", "Venezuela (Bolivarian Republic of)"),
    ("vietnam", "Viet Nam"),
];

/// A name folded for comparison: lower case, accents and punctuation dropped, a leading "the"
/// dropped, spaces collapsed.
pub(crate) fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        if c != ' ' || !out.ends_with(' ') {
            out.push(c);
        }
    }
    let out = out.trim();
    out.strip_prefix("the ").unwrap_or(out).to_string()
}

/// Member states that belong to no regional group, and so are not in [`COUNTRIES`].
pub(crate) const OUTSIDE_THE_GROUPS: &[&str] = &["Kiribati"];

/// The entry of [`COUNTRIES`] for a name, or the name of a state outside the groups.
pub(crate) fn lookup(country: &str) -> Option<(&'static str, Option<Region>)> {
    let wanted = fold(country);
    if wanted.is_empty() {
        return None;
    }
    let name = ALIASES.iter().find(|(alias, _)| *alias == wanted).map_or(wanted.as_str(), |(_, name)| name);
    let name = fold(name);
    COUNTRIES
        .iter()
        .find(|(n, _)| fold(n) == name)
        .map(|(n, region)| (*n, Some(*region)))
        .or_else(|| OUTSIDE_THE_GROUPS.iter().find(|n| fold(n) == name).map(|n| (*n, None)))
}

/// The regional group of a state, by its UN short name or a common other name ("Turkey", "USA",
/// "Viet Nam", "Vietnam"…), case and accents ignored. `None` for anything else.
pub fn region_of(country: &str) -> Option<Region> {
    lookup(country).and_then(|(_, region)| region)
}

/// The United Nations short name of a member state (or of the State of Palestine), found as
/// [`region_of`] finds it: "turkey" and "Türkiye" are both `Türkiye`. `None` for anything else.
pub fn state_named(name: &str) -> Option<&'static str> {
    lookup(name).map(|(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_regional_group_has_its_number_of_states() {
        let count = |r: Region| COUNTRIES.iter().filter(|(_, g)| *g == r).count();
        assert_eq!(count(African), 54);
        assert_eq!(count(AsiaPacific), 54, "53 member states and the State of Palestine");
        assert_eq!(count(EasternEuropean), 23);
        assert_eq!(count(LatinAmericanAndCaribbean), 33);
        assert_eq!(count(WesternEuropeanAndOther), 29, "28 and the United States");
    }

    #[test]
    fn states_are_found_by_official_and_common_names_whatever_the_case_and_accents() {
        assert_eq!(region_of("Kenya"), Some(African));
        assert_eq!(region_of("  the netherlands "), Some(WesternEuropeanAndOther));
        assert_eq!(region_of("Turkey"), Some(WesternEuropeanAndOther));
        assert_eq!(region_of("Turkiye"), Some(WesternEuropeanAndOther));
        assert_eq!(region_of("COTE D'IVOIRE"), Some(African));
        assert_eq!(region_of("Viet Nam"), Some(AsiaPacific));
        assert_eq!(region_of("Bolivia"), Some(LatinAmericanAndCaribbean));
        assert_eq!(region_of("Estonia"), Some(EasternEuropean));
    }

    #[test]
    fn a_state_is_named_as_the_united_nations_names_it() {
        assert_eq!(state_named("turkey"), Some("Türkiye"));
        assert_eq!(state_named(" CHILE "), Some("Chile"));
        assert_eq!(state_named("Kiribati"), Some("Kiribati"));
        assert_eq!(state_named("Access Now"), None);
    }

    #[test]
    fn unknown_places_and_states_outside_the_groups_have_no_region() {
        assert_eq!(region_of("Atlantis"), None);
        assert_eq!(region_of("Kiribati"), None);
        assert_eq!(region_of(""), None);
    }
}
