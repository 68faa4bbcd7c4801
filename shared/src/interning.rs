//! One allocation for each person a meeting's record names, while a stored meeting is read.
//!
//! A meeting's record repeats its speakers and moderators in every intervention: a delegate who
//! spoke forty times, and the chair who gave and ended every floor. [`Intervention`] holds them
//! behind an [`Arc`]; reading a snapshot or a log inside [`sharing`] gives equal people one shared
//! allocation, which is most of what a long meeting's state weighs in memory. Outside it, each
//! person read gets their own, as before.
//!
//! The tables live only as long as the read, on its thread. A crate that interns for the whole
//! process (`internment`) would keep every name ever read and bring a concurrent map into the
//! browser client, which reads one meeting and needs none of this.
//!
//! [`Intervention`]: crate::Intervention

use std::cell::RefCell;
use std::collections::HashSet;
use std::hash::Hash;
use std::sync::Arc;

use serde::{Deserialize, Deserializer};

use crate::intervention::Moderator;
use crate::participant::Participant;

/// The people read so far in the current [`sharing`] scope.
#[derive(Default)]
pub(crate) struct Tables {
    participants: HashSet<Arc<Participant>>,
    moderators: HashSet<Arc<Moderator>>,
}

thread_local! {
    static TABLES: RefCell<Option<Tables>> = const { RefCell::new(None) };
}

/// A value that equal copies read in one [`sharing`] scope share.
pub(crate) trait Interned: Hash + Eq + Sized {
    fn table(tables: &mut Tables) -> &mut HashSet<Arc<Self>>;
}

impl Interned for Participant {
    fn table(tables: &mut Tables) -> &mut HashSet<Arc<Self>> {
        &mut tables.participants
    }
}

impl Interned for Moderator {
    fn table(tables: &mut Tables) -> &mut HashSet<Arc<Self>> {
        &mut tables.moderators
    }
}

/// Runs `read` (typically deserializing a meeting's snapshot and replaying its events) so that
/// equal people read in it share one allocation. Scopes nest; each has its own tables.
pub fn sharing<R>(read: impl FnOnce() -> R) -> R {
    /// Puts the outer scope's tables back, also when `read` panics.
    struct Restore(Option<Tables>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let outer = self.0.take();
            TABLES.with(|tables| *tables.borrow_mut() = outer);
        }
    }
    let _restore = Restore(TABLES.with(|tables| tables.borrow_mut().replace(Tables::default())));
    read()
}

/// `value` behind an `Arc`: the one already read in this scope when there is an equal one.
pub(crate) fn intern<T: Interned>(value: T) -> Arc<T> {
    TABLES.with(|tables| match tables.borrow_mut().as_mut() {
        None => Arc::new(value),
        Some(tables) => {
            let table = T::table(tables);
            if let Some(shared) = table.get(&value) {
                return shared.clone();
            }
            let shared = Arc::new(value);
            table.insert(shared.clone());
            shared
        }
    })
}

/// `deserialize_with` for a shared value.
pub(crate) fn shared<'de, T, D>(deserializer: D) -> Result<Arc<T>, D::Error>
where
    T: Interned + Deserialize<'de>,
    D: Deserializer<'de>,
{
    T::deserialize(deserializer).map(intern)
}

/// `deserialize_with` for an optional shared value (with `#[serde(default)]` when it may be absent).
pub(crate) fn shared_option<'de, T, D>(deserializer: D) -> Result<Option<Arc<T>>, D::Error>
where
    T: Interned + Deserialize<'de>,
    D: Deserializer<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.map(intern))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Intervention;

    fn record() -> String {
        let one = |id: u64| {
            serde_json::json!({
                "id": id, "segment": 1, "speaker": {"id": "d1", "name": "Delegate", "role": "delegate"},
                "kind": "statement", "presence": "remote", "language": "en", "started_at": 1,
                "time_limit_ms": 1, "extended_ms": 0, "pauses": [],
                "given_by": {"id": "c", "name": "Chair", "role": "chair"},
                "ended_by": {"id": "c", "name": "Chair", "role": "chair"}
            })
        };
        serde_json::to_string(&[one(1), one(2)]).unwrap()
    }

    #[test]
    fn equal_people_read_in_one_scope_share_one_allocation() {
        let read: Vec<Intervention> = sharing(|| serde_json::from_str(&record()).unwrap());

        assert!(Arc::ptr_eq(&read[0].speaker, &read[1].speaker));
        let (given, ended) = (read[0].given_by.as_ref().unwrap(), read[1].ended_by.as_ref().unwrap());
        assert!(Arc::ptr_eq(given, ended));
    }

    #[test]
    fn people_read_outside_a_scope_are_equal_but_not_shared() {
        let read: Vec<Intervention> = serde_json::from_str(&record()).unwrap();

        assert_eq!(read[0].speaker, read[1].speaker);
        assert!(!Arc::ptr_eq(&read[0].speaker, &read[1].speaker));
    }

    #[test]
    fn a_scope_ends_with_its_read_and_shares_nothing_with_the_next() {
        let first: Vec<Intervention> = sharing(|| serde_json::from_str(&record()).unwrap());
        let second: Vec<Intervention> = sharing(|| serde_json::from_str(&record()).unwrap());

        assert!(!Arc::ptr_eq(&first[0].speaker, &second[0].speaker));
        assert!(TABLES.with(|tables| tables.borrow().is_none()));
    }

    #[test]
    fn a_panic_inside_a_scope_leaves_no_tables_behind() {
        let panicked = std::panic::catch_unwind(|| sharing(|| panic!("a read that fails")));

        assert!(panicked.is_err());
        assert!(TABLES.with(|tables| tables.borrow().is_none()));
    }
}
