//! The store test suite: every test runs once on each backend, SQLite in a new directory and
//! PostgreSQL in a new database, and must pass on both.
//!
//! PostgreSQL is the one `ROSTRUM_TEST_POSTGRES` names (a URL to a database whose user may create
//! databases); `make test` starts one on loopback (`tests/postgres.sh`) and sets it. Without it the
//! suite fails and says so: a backend that is not tested is not known to work.
//!
//! The tests are synchronous: the PostgreSQL client blocks on a runtime of its own, which must not
//! be called from an async task. [`wait`] awaits the stores' commits.

mod accreditation;
mod events;
mod tokens;
mod webhooks;
mod written;

use std::future::Future;
use std::sync::Arc;

use shared::{MeetingId, MeetingInfo, Millis};

use super::postgres::scratch;
use super::{AccreditationStore, PgStore, SqliteStore, Store, StoredMeeting, TokenStore, WebhookStore, WrittenStore};

/// Every store trait: what a backend implements.
pub(crate) trait Stores: Store + AccreditationStore + TokenStore + WrittenStore + WebhookStore {}

impl<T: Store + AccreditationStore + TokenStore + WrittenStore + WebhookStore> Stores for T {}

/// A new, empty store of one backend; dropping it drops its directory or database.
pub(crate) struct Backend {
    /// `sqlite` or `postgres`, for the assertions' messages.
    pub name: &'static str,
    pub store: Arc<dyn Stores>,
    _keep: Option<tempfile::TempDir>,
    database: Option<(String, String)>,
}

impl Drop for Backend {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.database.take() {
            let _ = scratch::drop(&admin, &name);
        }
    }
}

/// The URL of the test PostgreSQL.
pub(crate) fn postgres_url() -> String {
    std::env::var("ROSTRUM_TEST_POSTGRES").unwrap_or_else(|_| {
        panic!(
            "ROSTRUM_TEST_POSTGRES is not set: the store suite runs on PostgreSQL too. \
             `make test` starts one; by hand: export ROSTRUM_TEST_POSTGRES=$(tests/postgres.sh start)"
        )
    })
}

/// A new store of each backend.
pub(crate) fn backends() -> Vec<Backend> {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Backend {
        name: "sqlite",
        store: Arc::new(SqliteStore::open(dir.path()).unwrap()),
        _keep: Some(dir),
        database: None,
    };
    let admin = postgres_url();
    let (name, url) = scratch::create(&admin).expect("the test PostgreSQL makes a database");
    let postgres = Backend {
        name: "postgres",
        store: Arc::new(PgStore::open(&url).unwrap()),
        _keep: None,
        database: Some((admin, name)),
    };
    vec![sqlite, postgres]
}

/// Awaits a store's future from a synchronous test.
pub(crate) fn wait<T>(future: impl Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(future)
}

/// Records a meeting `id` of process `oewg` with an empty log.
pub(crate) fn meeting(store: &dyn Stores, id: &str) -> MeetingId {
    let info: MeetingInfo = serde_json::from_value(serde_json::json!({
        "id": id, "title": "Meeting", "process": "oewg", "access": "open"
    }))
    .unwrap();
    let meeting = info.id.clone();
    wait(store.create_meeting(StoredMeeting { info, epoch: "e1".into() }, Millis(1))).unwrap();
    meeting
}
