//! The names strum gives the protocol's enums — in logs, CSV, SQL columns, forms and the CLI — are
//! the names serde writes on the wire, variant for variant, both ways.

use std::fmt::Debug;
use std::str::FromStr;

use serde::de::DeserializeOwned;
use serde::Serialize;
use shared::accreditation::{Constituency, DocumentKind, Status};
use shared::written::SubmitterKind;
use shared::{Access, Gender, Inscription, Ordering, Presence, Region, RequestKind, Role};
use strum::VariantArray;

fn names_are_serde_names<T>()
where
    T: VariantArray + Copy + Debug + PartialEq + Serialize + DeserializeOwned + Into<&'static str> + FromStr,
{
    for &variant in T::VARIANTS {
        let name: &'static str = variant.into();
        assert_eq!(serde_json::to_value(variant).unwrap(), serde_json::json!(name), "{variant:?}");
        assert_eq!(serde_json::from_value::<T>(serde_json::json!(name)).unwrap(), variant, "{name}");
        assert_eq!(name.parse::<T>().ok(), Some(variant), "{name}");
        assert_eq!(shared::report::key(&variant), name);
    }
    assert!("no_such_variant".parse::<T>().is_err());
}

#[test]
fn every_enum_s_name_is_its_serde_name() {
    names_are_serde_names::<Role>();
    names_are_serde_names::<Presence>();
    names_are_serde_names::<Gender>();
    names_are_serde_names::<Constituency>();
    names_are_serde_names::<Status>();
    names_are_serde_names::<DocumentKind>();
    names_are_serde_names::<Region>();
    names_are_serde_names::<Inscription>();
    names_are_serde_names::<RequestKind>();
    names_are_serde_names::<Ordering>();
    names_are_serde_names::<Access>();
    names_are_serde_names::<SubmitterKind>();
}

#[test]
fn names_are_case_sensitive_as_serde_s_are() {
    assert!("Chair".parse::<Role>().is_err() && serde_json::from_str::<Role>("\"Chair\"").is_err());
    assert_eq!("in_room".parse::<Presence>(), Ok(Presence::InRoom));
}
