//! Reads on a published [`Snapshot`]: each call sees one consistent, durable revision.

use std::collections::HashMap;
use std::ops::Bound;

use bytes::Bytes;
use redb::{AccessGuard, Range, ReadOnlyTable};
use tug_store::{
    Event, EventKind, KeyValue, ListRequest, ListResponse, Revision, check_watch_revision,
    resolve_read_revision,
};

use crate::codec::{decode_log, decode_object, decode_version, owned};
use crate::{OpError, Snapshot, to_i64, to_u64};

type R<T> = Result<T, OpError>;

fn object_kv(key: &str, bytes: &[u8]) -> R<KeyValue> {
    let o = decode_object(bytes)?;
    Ok(KeyValue {
        key: key.to_string(),
        value: owned(o.value),
        create_revision: to_i64(o.create_revision),
        mod_revision: to_i64(o.mod_revision),
    })
}

/// A `history` version as a value, or None for a tombstone.
fn version_kv(key: &str, mod_revision: u64, bytes: &[u8]) -> R<Option<KeyValue>> {
    let v = decode_version(bytes)?;
    Ok(v.value.map(|value| KeyValue {
        key: key.to_string(),
        value: owned(value),
        create_revision: to_i64(v.create_revision),
        mod_revision: to_i64(mod_revision),
    }))
}

/// The value of `key` visible at revision `at` (which the caller validated).
fn value_at(
    objects: &ReadOnlyTable<&str, &[u8]>,
    history: &ReadOnlyTable<(&str, u64), &[u8]>,
    key: &str,
    at: u64,
    current: bool,
) -> R<Option<KeyValue>> {
    if let Some(guard) = objects.get(key)? {
        let o = decode_object(guard.value())?;
        if o.mod_revision <= at {
            return Ok(Some(object_kv(key, guard.value())?));
        }
    }
    if current {
        // At the current revision `objects` is the whole truth.
        return Ok(None);
    }
    let mut versions = history.range((key, 0)..=(key, at))?;
    match versions.next_back() {
        Some(entry) => {
            let (k, v) = entry?;
            version_kv(key, k.value().1, v.value())
        }
        None => Ok(None),
    }
}

/// A get: see [`tug_store::Backend::get`].
pub(crate) fn get(
    snap: &Snapshot,
    key: &str,
    revision: Revision,
) -> R<(Option<KeyValue>, Revision)> {
    let at = resolve_read_revision(revision, snap.revision, snap.compacted)?;
    let kv = value_at(
        &snap.objects,
        &snap.history,
        key,
        to_u64(at),
        at == snap.revision,
    )?;
    Ok((kv, at))
}

/// The first key a list visits: the prefix itself, or what follows `start_after`.
fn lower_bound(req: &ListRequest) -> Bound<&str> {
    match &req.start_after {
        Some(after) if after.as_str() >= req.prefix.as_str() => Bound::Excluded(after.as_str()),
        _ => Bound::Included(req.prefix.as_str()),
    }
}

/// Collects visible values in key order until `limit`, then says whether one more follows.
struct Page {
    items: Vec<KeyValue>,
    limit: usize,
    more: bool,
}

impl Page {
    fn new(limit: usize) -> Self {
        Self {
            items: Vec::new(),
            limit,
            more: false,
        }
    }

    /// Offers the next visible value; false once the page is full (and `more` is set).
    fn offer(&mut self, kv: impl FnOnce() -> R<KeyValue>) -> R<bool> {
        if self.limit > 0 && self.items.len() == self.limit {
            self.more = true;
            return Ok(false);
        }
        self.items.push(kv()?);
        Ok(true)
    }
}

/// A list: see [`tug_store::Backend::list`].
pub(crate) fn list(snap: &Snapshot, req: &ListRequest) -> R<ListResponse> {
    let at = resolve_read_revision(req.revision, snap.revision, snap.compacted)?;
    let mut page = Page::new(req.limit);
    if at == snap.revision {
        for entry in snap
            .objects
            .range::<&str>((lower_bound(req), Bound::Unbounded))?
        {
            let (k, v) = entry?;
            let key = k.value();
            if !key.starts_with(req.prefix.as_str()) {
                break;
            }
            if !page.offer(|| object_kv(key, v.value()))? {
                break;
            }
        }
    } else {
        list_past(&snap.objects, &snap.history, req, to_u64(at), &mut page)?;
    }
    Ok(ListResponse {
        items: page.items,
        revision: at,
        more: page.more,
    })
}

type Guard<'a> = AccessGuard<'a, &'static [u8]>;

/// A list at a past revision: merges `objects` and `history` in key order and picks, per key,
/// the version visible at `at`.
fn list_past(
    objects: &ReadOnlyTable<&str, &[u8]>,
    history: &ReadOnlyTable<(&str, u64), &[u8]>,
    req: &ListRequest,
    at: u64,
    page: &mut Page,
) -> R<()> {
    let prefix = req.prefix.as_str();
    let mut objs = objects.range::<&str>((lower_bound(req), Bound::Unbounded))?;
    let hist_lower = match lower_bound(req) {
        Bound::Excluded(k) => Bound::Excluded((k, u64::MAX)),
        Bound::Included(k) => Bound::Included((k, 0)),
        Bound::Unbounded => Bound::Unbounded,
    };
    let mut hist = history.range::<(&str, u64)>((hist_lower, Bound::Unbounded))?;

    let mut obj_head = next_obj(&mut objs, prefix)?;
    let mut hist_head = next_hist(&mut hist, prefix)?;
    loop {
        let key = match (&obj_head, &hist_head) {
            (None, None) => return Ok(()),
            (Some((o, _)), None) => o.clone(),
            (None, Some((h, _, _))) => h.clone(),
            (Some((o, _)), Some((h, _, _))) => o.min(h).clone(),
        };
        // The newest superseded version at or below `at`.
        let mut best: Option<(u64, Guard<'_>)> = None;
        while let Some((hk, rev, _)) = &hist_head {
            if *hk != key {
                break;
            }
            let rev = *rev;
            let taken = std::mem::replace(&mut hist_head, next_hist(&mut hist, prefix)?);
            if rev <= at
                && let Some((_, _, guard)) = taken
            {
                best = Some((rev, guard));
            }
        }
        let mut visible = None;
        if obj_head.as_ref().is_some_and(|(ok, _)| *ok == key)
            && let Some((_, guard)) = std::mem::replace(&mut obj_head, next_obj(&mut objs, prefix)?)
            && decode_object(guard.value())?.mod_revision <= at
        {
            visible = Some(object_kv(&key, guard.value())?);
        }
        if visible.is_none()
            && let Some((rev, guard)) = best
        {
            visible = version_kv(&key, rev, guard.value())?;
        }
        if let Some(kv) = visible
            && !page.offer(|| Ok(kv))?
        {
            return Ok(());
        }
    }
}

/// The next `objects` entry if it is under `prefix`.
fn next_obj<'a>(
    it: &mut Range<'a, &'static str, &'static [u8]>,
    prefix: &str,
) -> R<Option<(String, Guard<'a>)>> {
    match it.next() {
        Some(entry) => {
            let (k, v) = entry?;
            let key = k.value();
            Ok(key.starts_with(prefix).then(|| (key.to_string(), v)))
        }
        None => Ok(None),
    }
}

/// The next `history` entry if its key is under `prefix`.
fn next_hist<'a>(
    it: &mut Range<'a, (&'static str, u64), &'static [u8]>,
    prefix: &str,
) -> R<Option<(String, u64, Guard<'a>)>> {
    match it.next() {
        Some(entry) => {
            let (k, v) = entry?;
            let (key, rev) = k.value();
            Ok(key.starts_with(prefix).then(|| (key.to_string(), rev, v)))
        }
        None => Ok(None),
    }
}

/// A count at the current revision.
pub(crate) fn count(snap: &Snapshot, prefix: &str) -> R<u64> {
    let mut n = 0;
    for entry in snap.objects.range::<&str>(prefix..)? {
        let (k, _) = entry?;
        if !k.value().starts_with(prefix) {
            break;
        }
        n += 1;
    }
    Ok(n)
}

/// The version of `key` written at exactly `revision`: superseded (in `history`) or current.
fn version_written_at(
    objects: &ReadOnlyTable<&str, &[u8]>,
    history: &ReadOnlyTable<(&str, u64), &[u8]>,
    key: &str,
    revision: u64,
) -> R<Option<KeyValue>> {
    if let Some(guard) = history.get((key, revision))? {
        return version_kv(key, revision, guard.value());
    }
    if let Some(guard) = objects.get(key)?
        && decode_object(guard.value())?.mod_revision == revision
    {
        return Ok(Some(object_kv(key, guard.value())?));
    }
    Ok(None)
}

fn missing(key: &str, revision: u64) -> OpError {
    OpError::Redb(crate::RedbError::Corrupt(format!(
        "version of {key} at revision {revision} is missing"
    )))
}

/// The events under `prefix` with revisions in `(after, upto]`, rebuilt from the log.
/// Fails with `Compacted` if `after` is below the compacted revision of the snapshot.
pub(crate) fn replay(
    snap: &Snapshot,
    prefix: &str,
    after: Revision,
    upto: Revision,
) -> R<Vec<Event>> {
    check_watch_revision(after, snap.compacted)?;
    if after >= upto {
        return Ok(Vec::new());
    }
    let (objects, history, log) = (&snap.objects, &snap.history, &snap.log);
    let (after, upto) = (to_u64(after), to_u64(upto));
    // Records are keyed by the first revision of their batch: start with the one holding
    // `after + 1`.
    let first = match log.range(..=after + 1)?.next_back() {
        Some(entry) => entry?.0.value(),
        None => after + 1,
    };
    let mut out = Vec::new();
    for entry in log.range(first..=upto)? {
        let (_, record) = entry?;
        for (rev, events) in decode_log(record.value())? {
            if rev <= after || rev > upto {
                continue;
            }
            // The state of each key within this revision, for events that follow another
            // write of the same key in the same transaction.
            let mut in_txn: HashMap<&str, Option<KeyValue>> = HashMap::new();
            for event in events {
                if !event.key.starts_with(prefix) {
                    continue;
                }
                let key = event.key;
                let prev = match event.prev_mod_revision {
                    0 => None,
                    m if m == rev => in_txn.get(key).cloned().flatten(),
                    m => Some(
                        version_written_at(objects, history, key, m)?
                            .ok_or_else(|| missing(key, m))?,
                    ),
                };
                let (kind, kv) = match event.kind {
                    EventKind::Put => {
                        let kv = match event.inline_value {
                            Some(value) => KeyValue {
                                key: key.to_string(),
                                value: owned(value),
                                create_revision: to_i64(event.create_revision),
                                mod_revision: to_i64(rev),
                            },
                            None => version_written_at(objects, history, key, rev)?
                                .ok_or_else(|| missing(key, rev))?,
                        };
                        in_txn.insert(key, Some(kv.clone()));
                        (EventKind::Put, kv)
                    }
                    EventKind::Delete => {
                        in_txn.insert(key, None);
                        (
                            EventKind::Delete,
                            KeyValue {
                                key: key.to_string(),
                                value: Bytes::new(),
                                create_revision: 0,
                                mod_revision: to_i64(rev),
                            },
                        )
                    }
                };
                out.push(Event { kind, kv, prev });
            }
        }
    }
    Ok(out)
}
