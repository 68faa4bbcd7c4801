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
    /// Rebuilds every stored meeting by replaying its log, and starts its actor.
    pub fn load(store: Arc<dyn Store>) -> Result<Self, StoreError> {
        let registry = Registry { meetings: Arc::new(DashMap::new()), store: store.clone() };
        let mut events_total = 0;
        for stored in store.meetings()? {
            let events = store.events(&stored.info.id)?;
            events_total += events.len();
            let id = stored.info.id.clone();
            registry.meetings.insert(id, meeting::spawn(stored, events, store.clone())?);
        }
        tracing::info!(meetings = registry.meetings.len(), events = events_total, "meetings rebuilt from the log");
        Ok(registry)
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
        let handle = meeting::spawn(stored.clone(), Vec::new(), self.store.clone())?;
        self.meetings.insert(stored.info.id.clone(), handle.clone());
        tracing::info!(meeting = %stored.info.id, "meeting created");
        Ok(handle)
    }
}
