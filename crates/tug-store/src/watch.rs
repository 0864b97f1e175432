//! Watch fan-out shared by every backend: a hub of subscribers fed by the single place that
//! commits revisions.
//!
//! # The contract between a backend and the hub
//!
//! * The backend calls [`WatchHub::publish`] once per committed revision that produced events,
//!   in strictly increasing revision order, only after the revision is durable and readable.
//! * To open a watch, the backend calls [`WatchHub::subscribe`]. The returned
//!   [`Subscription::revision`] splits the work without a gap or a duplicate: every revision
//!   `> revision()` reaches the subscription live, every revision `<= revision()` is already
//!   committed and readable, and must be replayed by the backend from its history.
//! * Writers never block on watchers: each subscription has a bounded queue, and a subscriber
//!   whose queue is full is cut off. Its stream yields the events it had queued, then
//!   [`StoreError::WatchLagged`], then ends.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use futures::StreamExt;
use tokio::sync::mpsc;

use crate::{Event, Revision, StoreError, WatchStream};

/// The default number of live events a watcher may have queued before it is cut off.
pub const DEFAULT_WATCH_CAPACITY: usize = 4096;

/// A set of live watchers and the revision published last.
pub struct WatchHub {
    capacity: usize,
    state: Mutex<HubState>,
}

struct HubState {
    last_published: Revision,
    subscribers: Vec<Subscriber>,
}

struct Subscriber {
    prefix: String,
    tx: mpsc::Sender<Event>,
    lagged: Arc<AtomicBool>,
}

impl std::fmt::Debug for WatchHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.lock();
        f.debug_struct("WatchHub")
            .field("capacity", &self.capacity)
            .field("last_published", &state.last_published)
            .field("subscribers", &state.subscribers.len())
            .finish()
    }
}

impl WatchHub {
    /// A hub whose history so far ends at `revision` (the backend's current revision when the
    /// hub is created). `capacity` is the bound of every subscriber's live queue (at least 1).
    pub fn new(capacity: usize, revision: Revision) -> Self {
        Self {
            capacity: capacity.max(1),
            state: Mutex::new(HubState {
                last_published: revision,
                subscribers: Vec::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HubState> {
        // A panic while holding this lock cannot leave the state half-updated in a way that
        // matters (the worst is a subscriber that missed one revision and never learns it), and
        // writers must keep going, so a poisoned lock is used as it is.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The bound of every subscriber's live queue.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The last revision handed to [`Self::publish`] (or the hub's initial revision).
    pub fn last_published(&self) -> Revision {
        self.lock().last_published
    }

    /// The number of live subscribers (dropped streams are pruned on the next publish).
    pub fn subscriber_count(&self) -> usize {
        self.lock().subscribers.len()
    }

    /// Registers a watcher of keys starting with `prefix`. Every revision published after this
    /// call (all revisions `> Subscription::revision()`) is delivered to the subscription.
    pub fn subscribe(&self, prefix: &str) -> Subscription {
        let (tx, rx) = mpsc::channel(self.capacity);
        let lagged = Arc::new(AtomicBool::new(false));
        let mut state = self.lock();
        state.subscribers.push(Subscriber {
            prefix: prefix.to_string(),
            tx,
            lagged: lagged.clone(),
        });
        Subscription {
            rx,
            lagged,
            revision: state.last_published,
        }
    }

    /// Delivers the events of one committed revision to every subscriber whose prefix matches.
    ///
    /// Must be called in strictly increasing revision order; `events` all carry `revision`
    /// (it may be empty, which only advances [`Self::last_published`]). Never blocks: a
    /// subscriber without room for the events is cut off with [`StoreError::WatchLagged`].
    pub fn publish(&self, revision: Revision, events: &[Event]) {
        let mut state = self.lock();
        debug_assert!(
            revision > state.last_published,
            "revisions published out of order"
        );
        state.last_published = revision;
        state.subscribers.retain(|sub| {
            if sub.tx.is_closed() {
                return false;
            }
            for event in events {
                if !event.kv.key.starts_with(sub.prefix.as_str()) {
                    continue;
                }
                match sub.tx.try_send(event.clone()) {
                    Ok(()) => {}
                    Err(mpsc::error::TrySendError::Full(_)) => {
                        // Flag before the sender is dropped, so that the stream sees the flag
                        // when it observes the closed channel.
                        sub.lagged.store(true, Ordering::Release);
                        return false;
                    }
                    Err(mpsc::error::TrySendError::Closed(_)) => return false,
                }
            }
            true
        });
    }
}

/// A registered watcher: its live queue and the revision up to which the backend must replay.
#[derive(Debug)]
pub struct Subscription {
    rx: mpsc::Receiver<Event>,
    lagged: Arc<AtomicBool>,
    revision: Revision,
}

impl Subscription {
    /// Revisions `> revision()` arrive through this subscription; revisions `<= revision()`
    /// were committed before it existed and must be replayed by the caller.
    pub fn revision(&self) -> Revision {
        self.revision
    }

    /// The watch stream: `replay` first (the caller's events with revisions in
    /// `(after, revision()]`, in order), then live events with revision `> after`.
    /// Ends with [`StoreError::WatchLagged`] if the subscriber was cut off, or
    /// [`StoreError::Closed`] if the hub went away (the backend was dropped).
    pub fn into_stream(self, replay: Vec<Event>, after: Revision) -> WatchStream {
        let Subscription { rx, lagged, .. } = self;
        let live = futures::stream::unfold(Some((rx, lagged)), move |state| async move {
            let (mut rx, lagged) = state?;
            loop {
                match rx.recv().await {
                    // A watch from a future revision skips what it did not ask for.
                    Some(event) if event.kv.mod_revision <= after => continue,
                    Some(event) => return Some((Ok(event), Some((rx, lagged)))),
                    None => {
                        let err = if lagged.load(Ordering::Acquire) {
                            StoreError::WatchLagged
                        } else {
                            StoreError::Closed
                        };
                        return Some((Err(err), None));
                    }
                }
            }
        });
        futures::stream::iter(replay.into_iter().map(Ok))
            .chain(live)
            .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EventKind, KeyValue};
    use bytes::Bytes;

    fn put(key: &str, rev: Revision) -> Event {
        Event {
            kind: EventKind::Put,
            kv: KeyValue {
                key: key.to_string(),
                value: Bytes::from_static(b"v"),
                create_revision: rev,
                mod_revision: rev,
            },
            prev: None,
        }
    }

    #[tokio::test]
    async fn a_subscriber_receives_matching_events_after_its_replay() {
        let hub = WatchHub::new(16, 3);
        let sub = hub.subscribe("/a/");
        assert_eq!(sub.revision(), 3);
        hub.publish(4, &[put("/a/x", 4), put("/b/x", 4)]);
        hub.publish(5, &[put("/a/y", 5)]);
        let mut stream = sub.into_stream(vec![put("/a/old", 2)], 1);
        let keys: Vec<String> = vec![
            stream.next().await,
            stream.next().await,
            stream.next().await,
        ]
        .into_iter()
        .map(|e| e.and_then(|r| r.ok()).map(|e| e.kv.key).unwrap_or_default())
        .collect();
        assert_eq!(keys, ["/a/old", "/a/x", "/a/y"]);
    }

    #[tokio::test]
    async fn a_full_subscriber_is_cut_off_with_lagged_after_its_queued_events() {
        let hub = WatchHub::new(2, 0);
        let sub = hub.subscribe("");
        hub.publish(1, &[put("/a", 1), put("/b", 1), put("/c", 1)]);
        assert_eq!(hub.subscriber_count(), 0);
        // The writer went on without waiting.
        hub.publish(2, &[put("/d", 2)]);
        let items: Vec<_> = sub.into_stream(Vec::new(), 0).collect().await;
        assert_eq!(items.len(), 3);
        assert!(items[0].is_ok() && items[1].is_ok());
        assert_eq!(items[2], Err(StoreError::WatchLagged));
    }

    #[tokio::test]
    async fn dropped_streams_are_pruned_on_the_next_publish() {
        let hub = WatchHub::new(4, 0);
        drop(hub.subscribe(""));
        let _kept = hub.subscribe("");
        hub.publish(1, &[]);
        assert_eq!(hub.subscriber_count(), 1);
    }

    #[tokio::test]
    async fn a_stream_ends_with_closed_when_the_hub_is_dropped() {
        let hub = WatchHub::new(4, 0);
        let sub = hub.subscribe("");
        drop(hub);
        let items: Vec<_> = sub.into_stream(Vec::new(), 0).collect().await;
        assert_eq!(items, vec![Err(StoreError::Closed)]);
    }

    #[tokio::test]
    async fn a_watch_from_a_future_revision_skips_earlier_live_events() {
        let hub = WatchHub::new(4, 0);
        let sub = hub.subscribe("");
        hub.publish(1, &[put("/a", 1)]);
        hub.publish(2, &[put("/b", 2)]);
        let mut stream = sub.into_stream(Vec::new(), 1);
        let first = stream.next().await.and_then(|r| r.ok()).map(|e| e.kv.key);
        assert_eq!(first.as_deref(), Some("/b"));
    }
}
