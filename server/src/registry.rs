//! Finds a meeting's actor by id. A `DashMap` so lookups from many connections never contend on one
//! lock; a guard is never held across an `.await` (handles are cloned out).

use std::sync::Arc;

use dashmap::DashMap;
use shared::{MeetingId, MeetingInfo};

use crate::clock;
use crate::meeting::{self, MeetingHandle};
use crate::store::{Store, StoreError, StoredMeeting};

/// Every meeting this server runs.
#[derive(Clone)]
pub struct Registry {
    meetings: Arc<DashMap<MeetingId, MeetingHandle>>,
    store: Arc<dyn Store>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry").field("meetings", &self.meetings.len()).finish()
    }
}

impl Registry {
    /// Rebuilds every stored meeting from its snapshot and the log after it, and starts its actor.
    pub fn load(store: Arc<dyn Store>) -> Result<Self, StoreError> {
        let registry = Registry { meetings: Arc::new(DashMap::new()), store: store.clone() };
        let (mut events, mut replayed, mut snapshots) = (0, 0, 0);
        let now = clock::now();
        for stored in store.meetings()? {
            let rebuilt = meeting::rebuild(&stored, store.as_ref())?;
            let from = rebuilt.recovery.snapshot.as_ref().map_or(0, |s| s.seq.0);
            events += rebuilt.state.seq.0;
            replayed += rebuilt.state.seq.0 - from;
            snapshots += usize::from(rebuilt.recovery.snapshot.is_some());
            let id = stored.info.id.clone();
            registry.meetings.insert(id, meeting::spawn(stored, rebuilt, store.clone(), now));
        }
        tracing::info!(
            meetings = registry.meetings.len(),
            events,
            snapshots,
            replayed,
            "meetings rebuilt from their snapshots and logs"
        );
        Ok(registry)
    }

    /// Starts the actors of the meetings another node created (several nodes on one database).
    pub async fn refresh(&self) {
        let registry = self.clone();
        let loaded = tokio::task::spawn_blocking(move || -> Result<usize, StoreError> {
            let mut loaded = 0;
            for stored in registry.store.meetings()? {
                if registry.meetings.contains_key(&stored.info.id) {
                    continue;
                }
                let rebuilt = meeting::rebuild(&stored, registry.store.as_ref())?;
                let id = stored.info.id.clone();
                let store = registry.store.clone();
                // A meeting this node is creating at the same moment keeps the actor it starts.
                registry.meetings.entry(id).or_insert_with(|| meeting::spawn(stored, rebuilt, store, clock::now()));
                loaded += 1;
            }
            Ok(loaded)
        })
        .await;
        match loaded {
            Ok(Ok(0)) => {}
            Ok(Ok(loaded)) => tracing::info!(meetings = loaded, "meetings created on another node"),
            Ok(Err(error)) => tracing::error!(%error, "could not read the meetings another node created"),
            Err(error) => tracing::error!(%error, "could not read the meetings another node created"),
        }
    }

    /// Has every meeting read its log for what other nodes appended.
    pub fn wake_all(&self) {
        for entry in self.meetings.iter() {
            entry.value().wake(shared::Seq(u64::MAX));
        }
    }

    /// The actor of a meeting.
    pub fn get(&self, id: &MeetingId) -> Option<MeetingHandle> {
        self.meetings.get(id).map(|entry| entry.value().clone())
    }

    /// Every meeting's info, sorted by id.
    pub fn list(&self) -> Vec<Arc<MeetingInfo>> {
        let mut infos: Vec<_> = self.meetings.iter().map(|entry| entry.value().info.clone()).collect();
        infos.sort_by(|a, b| a.id.cmp(&b.id));
        infos
    }

    /// Stores a new meeting and starts its actor.
    pub async fn create(&self, info: MeetingInfo) -> Result<MeetingHandle, StoreError> {
        if self.meetings.contains_key(&info.id) {
            return Err(StoreError::MeetingExists(info.id.to_string()));
        }
        let stored = StoredMeeting { info, epoch: crate::auth::random_id() };
        self.store.create_meeting(stored.clone(), clock::now()).await?;
        let rebuilt =
            meeting::Rebuilt { state: shared::Meeting::new(stored.info.clone()), recovery: Default::default() };
        let handle = meeting::spawn(stored.clone(), rebuilt, self.store.clone(), clock::now());
        self.meetings.insert(stored.info.id.clone(), handle.clone());
        tracing::info!(meeting = %stored.info.id, "meeting created");
        Ok(handle)
    }
}
