//! The delegations that attend United Nations intergovernmental meetings, shipped as data rather
//! than typed as free text, and the reading of a secretariat's list of delegations (CSV).
//!
//! Sources, as taken in 2026:
//!
//! - the member states and their UN short names: the United Nations "Member States" page,
//!   <https://www.un.org/en/about-us/member-states>; the names themselves live in
//!   [`crate::region::COUNTRIES`] (with Kiribati, which belongs to no regional group);
//! - the regional groups: the Department for General Assembly and Conference Management (DGACM),
//!   "United Nations Regional Groups of Member States",
//!   <https://www.un.org/dgacm/en/content/regional-groups>;
//! - the non-member observer States and the intergovernmental organisations (and the few other
//!   entities) having a standing invitation to participate as observers in the sessions and the
//!   work of the General Assembly: "Intergovernmental and Other Organizations",
//!   <https://www.un.org/en/about-us/intergovernmental-and-other-organizations>. Of the
//!   organisations there, [`all`] carries those that usually take the floor in open-ended working
//!   groups, not the whole list.
//!
//! The groups of states on whose behalf a delegation speaks ([`GROUPS`]) are those whose statements
//! UN meetings hear; they carry no membership list, since Rostrum does not check who belongs to
//! which group.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::region::{self, fold, Region};
use crate::text;

/// What sort of delegation a [`Delegation`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum DelegationKind {
    /// A member state of the United Nations.
    MemberState,
    /// A non-member State with a standing invitation as observer: the Holy See and the State of
    /// Palestine.
    ObserverState,
    /// An intergovernmental organisation (or another entity, such as the International Committee of
    /// the Red Cross) with a standing invitation as observer.
    IntergovernmentalOrganisation,
}

impl DelegationKind {
    /// The kind as a sentence names it: "Member State", "Observer State", "Intergovernmental
    /// organisation".
    pub fn label(self) -> &'static str {
        match self {
            DelegationKind::MemberState => "Member State",
            DelegationKind::ObserverState => "Observer State",
            DelegationKind::IntergovernmentalOrganisation => "Intergovernmental organisation",
        }
    }
}

/// A delegation to a United Nations meeting: a member state, an observer State or an
/// intergovernmental organisation, by its name in English as the United Nations writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Delegation {
    /// The English short name of a state ("Türkiye", "Iran (Islamic Republic of)"), or the name of
    /// an organisation ("European Union").
    pub name: &'static str,
    /// Member state, observer State or organisation.
    pub kind: DelegationKind,
    /// The state's regional group; `None` for Kiribati, the Holy See and the organisations.
    pub region: Option<Region>,
}

/// The observer State that belongs to a regional group, and is listed in [`region::COUNTRIES`].
const STATE_OF_PALESTINE: &str = "State of Palestine";

/// The observer State that belongs to no regional group.
const HOLY_SEE: &str = "Holy See";

/// Other names of the Holy See, folded.
const HOLY_SEE_ALIASES: &[&str] = &["vatican", "vatican city", "vatican city state"];

/// States as ISO 3166 and many spreadsheets write them, with the qualifier after a comma, and the
/// UN short name each stands for, where the words come in another order than in the UN short name
/// ("Iran, Islamic Republic of" folds as "Iran (Islamic Republic of)" does, and needs no entry).
/// The UN short names and the common other names are in [`region::COUNTRIES`] and
/// [`region::ALIASES`].
const INVERTED_NAMES: &[(&str, &str)] = &[
    ("Congo, Democratic Republic of the", "Democratic Republic of the Congo"),
    ("Congo, The Democratic Republic of the", "Democratic Republic of the Congo"),
    ("Korea, Democratic People's Republic of", "Democratic People's Republic of Korea"),
    ("Korea, Republic of", "Republic of Korea"),
    ("Moldova, Republic of", "Republic of Moldova"),
    ("Palestine, State of", "State of Palestine"),
    ("Tanzania, United Republic of", "United Republic of Tanzania"),
];

/// The intergovernmental organisations (and other entities) with a standing invitation as
/// observers in the General Assembly that usually attend open-ended working groups, by their
/// official English names, with the abbreviations and other names people write for them (folded:
/// lower case, no punctuation).
const ORGANISATIONS: &[(&str, &[&str])] = &[
    // Enhanced participation since General Assembly resolution 65/276 (2011).
    ("European Union", &["eu"]),
    ("African Union", &["au"]),
    ("League of Arab States", &["arab league", "las"]),
    ("Organisation of Islamic Cooperation", &["oic", "organization of islamic cooperation"]),
    ("Association of Southeast Asian Nations", &["asean"]),
    ("Organization of American States", &["oas"]),
    ("Council of Europe", &["coe"]),
    (
        "Organization for Security and Co-operation in Europe",
        &["osce", "organization for security and cooperation in europe"],
    ),
    ("Commonwealth Secretariat", &["commonwealth"]),
    (
        "International Organisation of La Francophonie",
        &[
            "oif",
            "francophonie",
            "international organization of la francophonie",
            "organisation internationale de la francophonie",
        ],
    ),
    ("Caribbean Community", &["caricom"]),
    ("Cooperation Council for the Arab States of the Gulf", &["gcc", "gulf cooperation council"]),
    ("Shanghai Cooperation Organisation", &["sco", "shanghai cooperation organization"]),
    ("Collective Security Treaty Organization", &["csto"]),
    ("Commonwealth of Independent States", &["cis"]),
    ("Central American Integration System", &["sica"]),
    ("Economic Community of West African States", &["ecowas"]),
    ("Southern African Development Community", &["sadc"]),
    ("Pacific Islands Forum", &["pif"]),
    (
        "International Criminal Police Organization (INTERPOL)",
        &["interpol", "international criminal police organization", "icpo"],
    ),
    ("International Criminal Court", &["icc"]),
    // The next three are not intergovernmental organisations: the United Nations lists them among
    // the "other entities" having a standing invitation as observers. They attend and take the
    // floor as the organisations do, so Rostrum lists them with them.
    ("International Committee of the Red Cross", &["icrc"]),
    ("International Federation of Red Cross and Red Crescent Societies", &["ifrc"]),
    ("Inter-Parliamentary Union", &["ipu"]),
];

/// Every delegation Rostrum knows: the 193 member states in the order the United Nations lists
/// them, then the two observer States (the Holy See, the State of Palestine), then the
/// intergovernmental organisations.
pub fn all() -> impl Iterator<Item = Delegation> {
    let mut states: Vec<Delegation> = region::COUNTRIES
        .iter()
        .filter(|(name, _)| *name != STATE_OF_PALESTINE)
        .map(|&(name, region)| Delegation { name, kind: DelegationKind::MemberState, region: Some(region) })
        .chain(region::OUTSIDE_THE_GROUPS.iter().map(|&name| Delegation {
            name,
            kind: DelegationKind::MemberState,
            region: None,
        }))
        .collect();
    states.sort_by_cached_key(|state| fold(state.name));
    states.into_iter().chain(observer_states()).chain(organisations())
}

fn observer_states() -> impl Iterator<Item = Delegation> {
    let palestine = region::region_of(STATE_OF_PALESTINE);
    [
        Delegation { name: HOLY_SEE, kind: DelegationKind::ObserverState, region: None },
        Delegation { name: STATE_OF_PALESTINE, kind: DelegationKind::ObserverState, region: palestine },
    ]
    .into_iter()
}

fn organisations() -> impl Iterator<Item = Delegation> {
    ORGANISATIONS.iter().map(|&(name, _)| Delegation {
        name,
        kind: DelegationKind::IntergovernmentalOrganisation,
        region: None,
    })
}

/// The delegation called `name`: a state by its UN short name or a common other name ("turkey" is
/// Türkiye, "Korea, Republic of" the Republic of Korea), an observer State ("Holy See",
/// "Palestine"), or an organisation by its name or abbreviation ("EU", "OSCE", "ICRC"). Case,
/// accents, punctuation and a leading "the" are ignored. `None` for anything else.
pub fn delegation_named(name: &str) -> Option<Delegation> {
    let wanted = fold(name);
    if wanted.is_empty() {
        return None;
    }
    if let Some(&(organisation, _)) = ORGANISATIONS
        .iter()
        .find(|(organisation, aliases)| fold(organisation) == wanted || aliases.contains(&wanted.as_str()))
    {
        return Some(Delegation {
            name: organisation,
            kind: DelegationKind::IntergovernmentalOrganisation,
            region: None,
        });
    }
    if fold(HOLY_SEE) == wanted || HOLY_SEE_ALIASES.contains(&wanted.as_str()) {
        return Some(Delegation { name: HOLY_SEE, kind: DelegationKind::ObserverState, region: None });
    }
    let state = INVERTED_NAMES.iter().find(|(inverted, _)| fold(inverted) == wanted).map_or(name, |(_, state)| state);
    let (name, region) = region::lookup(state)?;
    let kind = if name == STATE_OF_PALESTINE { DelegationKind::ObserverState } else { DelegationKind::MemberState };
    Some(Delegation { name, kind, region })
}

/// A group of states on whose behalf one delegation speaks ("on behalf of the Group of 77 and
/// China"), for the rule that statements on behalf of a group come first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct GroupOfStates {
    /// A stable identifier in snake_case ("g77_and_china"), as the protocol and stored data carry it.
    pub id: &'static str,
    /// The group's name as a chair announces it ("Group of 77 and China").
    pub name: &'static str,
}

/// The groups on whose behalf statements are made in United Nations meetings: the five regional
/// groups, then political, regional and negotiating groups. No membership is recorded.
pub const GROUPS: &[GroupOfStates] = &[
    // The regional groups, named after [`Region::label`].
    GroupOfStates { id: "african_group", name: "Group of African States" },
    GroupOfStates { id: "asia_pacific_group", name: "Group of Asia-Pacific States" },
    GroupOfStates { id: "eastern_european_group", name: "Group of Eastern European States" },
    GroupOfStates { id: "grulac", name: "Group of Latin American and Caribbean States" },
    GroupOfStates { id: "weog", name: "Group of Western European and other States" },
    // Political and negotiating groups.
    GroupOfStates { id: "g77_and_china", name: "Group of 77 and China" },
    GroupOfStates { id: "nam", name: "Movement of Non-Aligned Countries" },
    GroupOfStates { id: "arab_group", name: "Group of Arab States" },
    GroupOfStates { id: "oic", name: "Organisation of Islamic Cooperation" },
    GroupOfStates { id: "aosis", name: "Alliance of Small Island States" },
    GroupOfStates { id: "pacific_sids", name: "Pacific Small Island Developing States" },
    GroupOfStates { id: "ldc", name: "Group of Least Developed Countries" },
    GroupOfStates { id: "lldc", name: "Group of Landlocked Developing Countries" },
    // Regional organisations and groupings whose members speak through one of them.
    GroupOfStates { id: "eu", name: "European Union" },
    GroupOfStates { id: "asean", name: "Association of Southeast Asian Nations" },
    GroupOfStates { id: "caricom", name: "Caribbean Community" },
    GroupOfStates { id: "celac", name: "Community of Latin American and Caribbean States" },
    GroupOfStates { id: "sica", name: "Central American Integration System" },
    GroupOfStates { id: "gcc", name: "Cooperation Council for the Arab States of the Gulf" },
    GroupOfStates { id: "nordic", name: "Nordic countries" },
    GroupOfStates { id: "benelux", name: "Benelux countries" },
    GroupOfStates { id: "canz", name: "Canada, Australia and New Zealand" },
];

/// The group whose identifier is `id`, exactly as in [`GROUPS`]. `None` for anything else.
pub fn group(id: &str) -> Option<&'static GroupOfStates> {
    GROUPS.iter().find(|group| group.id == id)
}

/// The most rows a list of delegations may have, besides its header.
pub const MAX_LISTED_DELEGATIONS: usize = 400;

/// The most characters of a representative's name.
pub const MAX_REPRESENTATIVE_CHARS: usize = 120;

/// The most problems [`parse_list`] reports; it counts the others in [`ListErrors::unreported`].
pub const MAX_REPORTED_PROBLEMS: usize = 50;

/// The most characters of a delegation's cell; longer text names no delegation.
const MAX_DELEGATION_CHARS: usize = 200;

const DELEGATION_COLUMN: &str = "delegation";
const REPRESENTATIVE_COLUMN: &str = "representative";

/// One row of a secretariat's list of delegations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListedDelegation {
    /// The delegation the row names.
    pub delegation: Delegation,
    /// The name of its representative, if the list gives one.
    pub representative: Option<String>,
}

/// A problem in a list of delegations, on one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ListError {
    /// The line as a spreadsheet numbers it: the header is line 1.
    pub line: usize,
    /// What is wrong, as a sentence.
    pub message: String,
}

/// Every problem found in a list of delegations (up to [`MAX_REPORTED_PROBLEMS`]), one a line when
/// displayed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{}", problems(.errors, *.unreported))]
pub struct ListErrors {
    /// The problems, in the order of the lines.
    pub errors: Vec<ListError>,
    /// How many more problems were found and not reported.
    pub unreported: usize,
}

fn problems(errors: &[ListError], unreported: usize) -> String {
    let mut lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    match unreported {
        0 => {}
        1 => lines.push("and 1 more problem".into()),
        n => lines.push(format!("and {n} more problems")),
    }
    lines.join("\n")
}

/// The problems found so far, the first [`MAX_REPORTED_PROBLEMS`] kept.
#[derive(Default)]
struct Problems(ListErrors);

impl Problems {
    fn add(&mut self, line: usize, message: impl Into<String>) {
        if self.0.errors.len() < MAX_REPORTED_PROBLEMS {
            self.0.errors.push(ListError { line, message: message.into() });
        } else {
            self.0.unreported += 1;
        }
    }

    fn is_empty(&self) -> bool {
        self.0.errors.is_empty()
    }
}

/// Where the columns of a list are.
struct Columns {
    delegation: usize,
    representative: Option<usize>,
}

/// Reads a secretariat's list of delegations: CSV text whose first row is a header with a
/// `delegation` column and, optionally, a `representative` column (in any order, any case), then
/// one row per delegation.
///
/// The cells are separated by commas, or by semicolons when the header has semicolons and no comma
/// (spreadsheets in French or Spanish export so). A byte order mark and blank rows are ignored. A
/// name that contains the separator must be in double quotes (`"Korea, Republic of"`), as
/// spreadsheets write it. Each delegation is found as [`delegation_named`] finds it, at most once;
/// a representative's name is one line of at most [`MAX_REPRESENTATIVE_CHARS`] characters, and an
/// empty cell means none. A list has 1 to [`MAX_LISTED_DELEGATIONS`] delegations.
///
/// Every problem is reported, with its line, not only the first.
///
/// ```
/// let list = shared::delegations::parse_list("Delegation;Representative\nTurkey;Ayşe Demir\n").unwrap();
/// assert_eq!(list[0].delegation.name, "Türkiye");
/// assert_eq!(list[0].representative.as_deref(), Some("Ayşe Demir"));
/// ```
pub fn parse_list(text: &str) -> Result<Vec<ListedDelegation>, ListErrors> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let header_line = text.lines().find(|line| !line.trim().is_empty()).unwrap_or("");
    let delimiter = if header_line.contains(';') && !header_line.contains(',') { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut problems = Problems::default();
    let mut records = reader.records();

    let mut header = None;
    for result in records.by_ref() {
        match result {
            Ok(record) if is_blank(&record) => continue,
            Ok(record) => {
                header = Some(record);
                break;
            }
            Err(error) => {
                problems.add(error_line(&error), unreadable(&error));
                return Err(problems.0);
            }
        }
    }
    let Some(header) = header else {
        problems.add(
            1,
            "the list is empty; its first row must name the columns \"delegation\" and, optionally, \"representative\"",
        );
        return Err(problems.0);
    };
    let Some(columns) = columns(&header, &mut problems) else {
        return Err(problems.0);
    };

    let mut rows = Vec::new();
    for result in records {
        match result {
            Ok(record) if is_blank(&record) => {}
            Ok(record) => rows.push(record),
            Err(error) => problems.add(error_line(&error), unreadable(&error)),
        }
    }
    if let Some(extra) = rows.get(MAX_LISTED_DELEGATIONS) {
        let mut problems = Problems::default();
        problems.add(
            record_line(extra),
            format!(
                "a list has at most {MAX_LISTED_DELEGATIONS} delegations and this one has {}; split it",
                rows.len()
            ),
        );
        return Err(problems.0);
    }

    let mut listed: Vec<ListedDelegation> = Vec::new();
    let mut first_lines: HashMap<&'static str, usize> = HashMap::new();
    for record in &rows {
        let line = record_line(record);
        if let Some(row) = read_row(record, &columns, line, &mut problems) {
            if let Some(first) = first_lines.get(row.delegation.name) {
                problems.add(line, format!("{} is listed twice, on lines {first} and {line}", row.delegation.name));
                continue;
            }
            first_lines.insert(row.delegation.name, line);
            listed.push(row);
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.add(
            record_line(&header),
            "the list names no delegation; put one delegation a row under the header".to_string(),
        );
    }
    if problems.is_empty() {
        Ok(listed)
    } else {
        Err(problems.0)
    }
}

/// Where the columns are, from the header; `None`, with the problems added, if it is not a header
/// Rostrum reads.
fn columns(header: &csv::StringRecord, problems: &mut Problems) -> Option<Columns> {
    let line = record_line(header);
    let accepted = "the columns are \"delegation\" (required) and \"representative\" (optional)";
    let mut delegation = None;
    let mut representative = None;
    let mut refused = false;
    for (index, cell) in header.iter().enumerate() {
        let name = cell.trim();
        let column = match name.to_lowercase().as_str() {
            DELEGATION_COLUMN => &mut delegation,
            REPRESENTATIVE_COLUMN => &mut representative,
            // A column without a heading, as a trailing separator makes, is allowed while it is empty.
            "" => continue,
            _ => {
                refused = true;
                let shown = quoted(name);
                if delegation_named(name).is_some() {
                    let problem = "the first row must be the header, which names the columns, not a delegation";
                    problems.add(line, format!("{problem} ({shown}); {accepted}"));
                    return None;
                }
                problems.add(line, format!("unknown column {shown}; {accepted}"));
                continue;
            }
        };
        if column.is_some() {
            refused = true;
            problems.add(line, format!("the column \"{}\" appears twice", name.to_lowercase()));
        }
        *column = Some(index);
    }
    if delegation.is_none() {
        problems.add(line, format!("the header has no \"delegation\" column; {accepted}"));
        return None;
    }
    if refused {
        return None;
    }
    Some(Columns { delegation: delegation?, representative })
}

/// The delegation and representative of a row; `None`, with the problems added, if the row is
/// wrong.
fn read_row(
    record: &csv::StringRecord,
    columns: &Columns,
    line: usize,
    problems: &mut Problems,
) -> Option<ListedDelegation> {
    let before = problems.0.errors.len() + problems.0.unreported;
    for (index, cell) in record.iter().enumerate() {
        if index != columns.delegation && Some(index) != columns.representative && !cell.trim().is_empty() {
            problems.add(
                line,
                format!(
                    "{} is in a column without a heading; a name that contains the separator must be in double quotes",
                    quoted(cell)
                ),
            );
        }
    }

    let cell = record.get(columns.delegation).unwrap_or("");
    let delegation = match text::line("delegation", cell, MAX_DELEGATION_CHARS) {
        Err(text::TextError::Empty { .. }) => {
            problems.add(line, "the delegation is missing");
            None
        }
        Err(error) => {
            problems.add(line, error.to_string());
            None
        }
        Ok(name) => {
            let found = delegation_named(&name);
            if found.is_none() {
                problems.add(
                    line,
                    format!(
                        "{} is not a member state, observer state or intergovernmental organisation known to Rostrum",
                        quoted(&name)
                    ),
                );
            }
            found
        }
    };

    let cell = columns.representative.and_then(|index| record.get(index)).unwrap_or("");
    let representative = if cell.trim().is_empty() {
        None
    } else {
        match text::line("representative's name", cell, MAX_REPRESENTATIVE_CHARS) {
            Ok(name) => Some(name),
            Err(error) => {
                problems.add(line, error.to_string());
                None
            }
        }
    };

    let wrong = problems.0.errors.len() + problems.0.unreported > before;
    match delegation {
        Some(delegation) if !wrong => Some(ListedDelegation { delegation, representative }),
        _ => None,
    }
}

/// A cell's text in double quotes for a message: trimmed, at most 80 characters, control
/// characters shown as U+FFFD.
fn quoted(cell: &str) -> String {
    const MAX_SHOWN: usize = 80;
    let cell = cell.trim();
    let mut shown: String =
        cell.chars().take(MAX_SHOWN).map(|c| if c.is_control() { char::REPLACEMENT_CHARACTER } else { c }).collect();
    if cell.chars().count() > MAX_SHOWN {
        shown.push('…');
    }
    format!("\"{shown}\"")
}

fn is_blank(record: &csv::StringRecord) -> bool {
    record.iter().all(|cell| cell.trim().is_empty())
}

fn record_line(record: &csv::StringRecord) -> usize {
    record.position().map_or(1, |position| usize::try_from(position.line()).unwrap_or(usize::MAX))
}

fn error_line(error: &csv::Error) -> usize {
    error.position().map_or(1, |position| usize::try_from(position.line()).unwrap_or(usize::MAX))
}

fn unreadable(error: &csv::Error) -> String {
    format!("the row cannot be read as CSV ({error})")
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use strum::VariantArray;

    fn count(kind: DelegationKind) -> usize {
        all().filter(|delegation| delegation.kind == kind).count()
    }

    fn problems_of(text: &str) -> Vec<String> {
        parse_list(text).unwrap_err().errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn there_are_193_member_states_and_2_observer_states() {
        assert_eq!(count(DelegationKind::MemberState), 193);
        assert_eq!(count(DelegationKind::ObserverState), 2);
        assert!(count(DelegationKind::IntergovernmentalOrganisation) >= 20);
    }

    #[test]
    fn member_states_come_in_the_order_the_united_nations_lists_them() {
        let states: Vec<&str> = all().filter(|d| d.kind == DelegationKind::MemberState).map(|d| d.name).collect();

        assert_eq!(states.first(), Some(&"Afghanistan"));
        assert_eq!(states.last(), Some(&"Zimbabwe"));
        let kiribati = states.iter().position(|name| *name == "Kiribati").unwrap();
        assert_eq!((states[kiribati - 1], states[kiribati + 1]), ("Kenya", "Kuwait"));
        let grouped = region::COUNTRIES.iter().map(|(name, _)| *name).filter(|name| *name != STATE_OF_PALESTINE);
        assert!(states.iter().copied().filter(|name| *name != "Kiribati").eq(grouped));
    }

    #[test]
    fn no_name_or_other_name_belongs_to_two_delegations() {
        let mut seen = HashSet::new();
        let names = all()
            .map(|d| fold(d.name))
            .chain(region::ALIASES.iter().map(|(alias, _)| fold(alias)))
            .chain(INVERTED_NAMES.iter().map(|(inverted, _)| fold(inverted)))
            .chain(HOLY_SEE_ALIASES.iter().map(|alias| fold(alias)))
            .chain(ORGANISATIONS.iter().flat_map(|(_, aliases)| aliases.iter().map(|alias| fold(alias))));

        for name in names {
            assert!(seen.insert(name.clone()), "{name} is there twice");
        }
    }

    #[test]
    fn other_names_are_written_folded_and_lead_to_a_known_delegation() {
        for alias in ORGANISATIONS.iter().flat_map(|(_, aliases)| aliases.iter()).chain(HOLY_SEE_ALIASES) {
            assert_eq!(fold(alias), *alias);
        }
        for (inverted, state) in INVERTED_NAMES {
            assert_eq!(delegation_named(inverted).map(|d| d.name), Some(*state), "{inverted}");
        }
    }

    #[test]
    fn every_member_state_but_kiribati_has_a_region_and_no_organisation_has_one() {
        for delegation in all() {
            match (delegation.kind, delegation.name) {
                (DelegationKind::MemberState, "Kiribati") => assert_eq!(delegation.region, None),
                (DelegationKind::MemberState, name) => assert!(delegation.region.is_some(), "{name}"),
                (DelegationKind::ObserverState, _) => {}
                (DelegationKind::IntergovernmentalOrganisation, name) => assert_eq!(delegation.region, None, "{name}"),
            }
        }
    }

    #[test]
    fn the_observer_states_are_the_holy_see_outside_the_groups_and_palestine_in_asia_pacific() {
        let observers: Vec<Delegation> = all().filter(|d| d.kind == DelegationKind::ObserverState).collect();

        assert_eq!(
            observers,
            [
                Delegation { name: "Holy See", kind: DelegationKind::ObserverState, region: None },
                Delegation {
                    name: "State of Palestine",
                    kind: DelegationKind::ObserverState,
                    region: Some(Region::AsiaPacific)
                },
            ]
        );
    }

    #[test]
    fn states_are_found_by_their_un_names_and_common_other_names() {
        let turkiye = delegation_named("turkey").unwrap();
        assert_eq!(turkiye.name, "Türkiye");
        assert_eq!(turkiye.kind, DelegationKind::MemberState);
        assert_eq!(turkiye.region, Some(Region::WesternEuropeanAndOther));
        assert_eq!(delegation_named("  the Netherlands ").unwrap().name, "Netherlands (Kingdom of the)");
        assert_eq!(delegation_named("COTE D'IVOIRE").unwrap().name, "Côte d'Ivoire");
        assert_eq!(delegation_named("Korea, Republic of").unwrap().name, "Republic of Korea");
        assert_eq!(delegation_named("Iran, Islamic Republic of").unwrap().name, "Iran (Islamic Republic of)");
        assert_eq!(delegation_named("kiribati").unwrap().region, None);
    }

    #[test]
    fn observer_states_are_found_by_name() {
        assert_eq!(
            delegation_named("Holy See"),
            Some(Delegation { name: "Holy See", kind: DelegationKind::ObserverState, region: None })
        );
        assert_eq!(delegation_named("the Vatican").unwrap().name, "Holy See");
        let palestine = delegation_named("Palestine").unwrap();
        assert_eq!(palestine.name, "State of Palestine");
        assert_eq!(palestine.kind, DelegationKind::ObserverState);
    }

    #[test]
    fn organisations_are_found_by_name_or_abbreviation() {
        let eu =
            Delegation { name: "European Union", kind: DelegationKind::IntergovernmentalOrganisation, region: None };

        assert_eq!(delegation_named("eu"), Some(eu));
        assert_eq!(delegation_named("European Union"), Some(eu));
        assert_eq!(delegation_named("the European union"), Some(eu));
        assert_eq!(delegation_named("OSCE").unwrap().name, "Organization for Security and Co-operation in Europe");
        assert_eq!(
            delegation_named("Organization for Security and Cooperation in Europe").unwrap().name,
            "Organization for Security and Co-operation in Europe"
        );
        assert_eq!(delegation_named("ICRC").unwrap().name, "International Committee of the Red Cross");
        assert_eq!(delegation_named("Interpol").unwrap().name, "International Criminal Police Organization (INTERPOL)");
        assert_eq!(delegation_named("CARICOM").unwrap().name, "Caribbean Community");
        assert_eq!(delegation_named("IPU").unwrap().name, "Inter-Parliamentary Union");
    }

    #[test]
    fn unknown_names_find_no_delegation() {
        assert_eq!(delegation_named("Atlantis"), None);
        assert_eq!(delegation_named("Access Now"), None);
        assert_eq!(delegation_named(""), None);
        assert_eq!(delegation_named("  the "), None);
    }

    #[test]
    fn kinds_are_written_in_snake_case_and_labelled_for_people() {
        let written: Vec<String> =
            DelegationKind::VARIANTS.iter().map(|kind| serde_json::to_string(kind).unwrap()).collect();
        let named: Vec<&str> = DelegationKind::VARIANTS.iter().map(|kind| kind.into()).collect();

        assert_eq!(written, ["\"member_state\"", "\"observer_state\"", "\"intergovernmental_organisation\""]);
        assert_eq!(named, ["member_state", "observer_state", "intergovernmental_organisation"]);
        assert_eq!("observer_state".parse::<DelegationKind>().unwrap(), DelegationKind::ObserverState);
        assert_eq!(DelegationKind::IntergovernmentalOrganisation.label(), "Intergovernmental organisation");
    }

    #[test]
    fn group_ids_are_unique_and_in_snake_case_and_names_are_unique() {
        let ids: HashSet<&str> = GROUPS.iter().map(|g| g.id).collect();
        let names: HashSet<&str> = GROUPS.iter().map(|g| g.name).collect();

        assert_eq!(ids.len(), GROUPS.len());
        assert_eq!(names.len(), GROUPS.len());
        for id in ids {
            let snake = id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            assert!(snake && !id.starts_with('_') && !id.ends_with('_') && !id.contains("__"), "{id}");
        }
    }

    #[test]
    fn the_regional_groups_are_named_after_their_regions() {
        let ids = ["african_group", "asia_pacific_group", "eastern_european_group", "grulac", "weog"];

        for (id, region) in ids.into_iter().zip(Region::ALL) {
            assert_eq!(group(id).unwrap().name, format!("Group of {}", region.label()));
        }
    }

    #[test]
    fn a_group_is_found_by_its_id_and_nothing_else() {
        assert_eq!(group("eu").unwrap().name, "European Union");
        assert_eq!(group("g77_and_china").unwrap().name, "Group of 77 and China");
        assert_eq!(group("EU"), None);
        assert_eq!(group("g20"), None);
    }

    #[test]
    fn a_list_exported_with_commas_is_read() {
        let text = "delegation,representative\r\nKenya,Amina Yusuf\r\nEU,\r\nHoly See, Mgr Paolo Rossi \r\n";

        let list = parse_list(text).unwrap();

        let read: Vec<(&str, Option<&str>)> =
            list.iter().map(|row| (row.delegation.name, row.representative.as_deref())).collect();
        assert_eq!(
            read,
            [("Kenya", Some("Amina Yusuf")), ("European Union", None), ("Holy See", Some("Mgr Paolo Rossi"))]
        );
    }

    #[test]
    fn a_list_exported_with_semicolons_is_read() {
        let text = "Representative ; DELEGATION\nOchieng, Mary;Kenya\n;Türkiye\n";

        let list = parse_list(text).unwrap();

        assert_eq!(list.len(), 2);
        assert_eq!(list[0].delegation.name, "Kenya");
        assert_eq!(list[0].representative.as_deref(), Some("Ochieng, Mary"));
        assert_eq!(list[1].delegation.name, "Türkiye");
        assert_eq!(list[1].representative, None);
    }

    #[test]
    fn a_list_with_only_a_delegation_column_and_a_byte_order_mark_is_read() {
        let text = "\u{FEFF}Delegation\nChile\nViet Nam\n";

        let list = parse_list(text).unwrap();

        let names: Vec<&str> = list.iter().map(|row| row.delegation.name).collect();
        assert_eq!(names, ["Chile", "Viet Nam"]);
    }

    #[test]
    fn quoted_names_may_contain_the_separator() {
        let text =
            "delegation,representative\n\"Korea, Republic of\",\"Kim, Min-jun\"\n\"Iran (Islamic Republic of)\",\n";

        let list = parse_list(text).unwrap();

        assert_eq!(list[0].delegation.name, "Republic of Korea");
        assert_eq!(list[0].representative.as_deref(), Some("Kim, Min-jun"));
        assert_eq!(list[1].delegation.name, "Iran (Islamic Republic of)");
    }

    #[test]
    fn blank_rows_are_skipped_and_lines_are_counted_as_a_spreadsheet_shows_them() {
        let text = "delegation\n\nKenya\n,\nAtlantis\n";

        let problems = problems_of(text);

        assert_eq!(
            problems,
            ["line 5: \"Atlantis\" is not a member state, observer state or intergovernmental organisation known to Rostrum"]
        );
    }

    #[test]
    fn an_unknown_column_is_refused_with_the_accepted_ones_named() {
        let text = "delegation,country\nKenya,Kenya\n";

        let problems = problems_of(text);

        assert_eq!(
            problems,
            ["line 1: unknown column \"country\"; the columns are \"delegation\" (required) and \"representative\" (optional)"]
        );
    }

    #[test]
    fn a_long_cell_is_shortened_in_the_message() {
        let text = format!("delegation,{}\n", "x".repeat(500));

        let problems = problems_of(&text);

        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with(&format!("line 1: unknown column \"{}…\";", "x".repeat(80))),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn a_list_without_a_delegation_column_is_refused() {
        let problems = problems_of("representative\nAmina Yusuf\n");

        assert_eq!(
            problems,
            ["line 1: the header has no \"delegation\" column; the columns are \"delegation\" (required) and \"representative\" (optional)"]
        );
    }

    #[test]
    fn a_list_without_a_header_is_refused_as_such() {
        let problems = problems_of("Kenya\nChile\n");

        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("line 1: the first row must be the header"), "{}", problems[0]);
    }

    #[test]
    fn an_unknown_delegation_is_named_with_its_line() {
        let text = "delegation\nKenya\nChile\nAtlantis\n";

        let error = parse_list(text).unwrap_err();

        assert_eq!(
            error.to_string(),
            "line 4: \"Atlantis\" is not a member state, observer state or intergovernmental organisation known to Rostrum"
        );
    }

    #[test]
    fn a_delegation_listed_twice_is_refused_with_both_lines() {
        let text = "delegation\nTürkiye\nChile\nTurkey\n";

        let problems = problems_of(text);

        assert_eq!(problems, ["line 4: Türkiye is listed twice, on lines 2 and 4"]);
    }

    #[test]
    fn an_empty_list_is_refused() {
        assert_eq!(
            problems_of("delegation,representative\n\n"),
            ["line 1: the list names no delegation; put one delegation a row under the header"]
        );
        assert_eq!(problems_of("").len(), 1);
        assert_eq!(problems_of("\u{FEFF}").len(), 1);
    }

    #[test]
    fn a_list_of_more_than_400_delegations_is_refused() {
        let mut text = String::from("delegation\n");
        for _ in 0..MAX_LISTED_DELEGATIONS + 1 {
            text.push_str("Kenya\n");
        }

        let error = parse_list(&text).unwrap_err();

        assert_eq!(error.to_string(), "line 402: a list has at most 400 delegations and this one has 401; split it");
    }

    #[test]
    fn a_representative_name_too_long_or_with_a_control_character_is_refused() {
        let long = "a".repeat(MAX_REPRESENTATIVE_CHARS + 1);
        let text = format!("delegation,representative\nKenya,{long}\nChile,\"Ana\u{7}\"\nPeru,{}\n", "b".repeat(120));

        let problems = problems_of(&text);

        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0], "line 2: The representative's name is at most 120 characters.");
        assert!(problems[1].starts_with("line 3: The representative's name contains U+0007"), "{}", problems[1]);
    }

    #[test]
    fn an_unquoted_name_with_the_separator_is_refused_with_a_hint() {
        // Unquoted, the row reads as "Congo" and a second cell: the wrong state, so it is refused.
        let problems = problems_of("delegation\nCongo, Democratic Republic of the\n");

        assert_eq!(
            problems,
            ["line 2: \"Democratic Republic of the\" is in a column without a heading; a name that contains the separator must be in double quotes"]
        );
    }

    #[test]
    fn every_problem_is_reported_not_only_the_first() {
        let text = "delegation,representative\nAtlantis,\n,Amina Yusuf\nKenya,\nKenya,\n";

        let lines: Vec<usize> = parse_list(text).unwrap_err().errors.iter().map(|e| e.line).collect();

        assert_eq!(lines, [2, 3, 5]);
    }

    #[test]
    fn at_most_50_problems_are_reported_and_the_others_counted() {
        let mut text = String::from("delegation\n");
        for n in 0..60 {
            text.push_str(&format!("Atlantis {n}\n"));
        }

        let error = parse_list(&text).unwrap_err();

        assert_eq!(error.errors.len(), MAX_REPORTED_PROBLEMS);
        assert_eq!(error.unreported, 10);
        let shown = error.to_string();
        assert_eq!(shown.lines().count(), 51);
        assert!(shown.ends_with("\nand 10 more problems"));
    }
}
