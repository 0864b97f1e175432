//! Byte layouts of the redb tables. All integers are little-endian.
//!
//! * `objects` value: `create_rev u64 | mod_rev u64 | value…`
//! * `history` value: `kind u8 (0 put, 1 tombstone) | create_rev u64 | value…` (the key of the
//!   table holds the version's mod revision)
//! * `log` value (one per committed batch, keyed by its first revision): for each revision of
//!   the batch `revision u64 | n u32` and `n` events, each
//!   `kind u8 | inline u8 | key_len u32 | key | create_rev u64 | prev_mod_rev u64 |
//!   [value_len u32 | value]` — the value is inline only when the event's write was overwritten
//!   within its own transaction (otherwise it is found in `objects` or `history`);
//!   `prev_mod_rev` is 0 when the key was absent before the event.

use bytes::Bytes;
use tug_store::EventKind;

use crate::RedbError;

/// A decoded `objects` value.
pub(crate) struct Object<'a> {
    pub create_revision: u64,
    pub mod_revision: u64,
    pub value: &'a [u8],
}

pub(crate) fn encode_object(create_revision: u64, mod_revision: u64, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + value.len());
    out.extend_from_slice(&create_revision.to_le_bytes());
    out.extend_from_slice(&mod_revision.to_le_bytes());
    out.extend_from_slice(value);
    out
}

pub(crate) fn decode_object(bytes: &[u8]) -> Result<Object<'_>, RedbError> {
    let mut r = Reader::new(bytes);
    let create_revision = r.u64()?;
    let mod_revision = r.u64()?;
    Ok(Object {
        create_revision,
        mod_revision,
        value: r.rest(),
    })
}

/// A decoded `history` value: `value` is None for a tombstone.
pub(crate) struct Version<'a> {
    pub create_revision: u64,
    pub value: Option<&'a [u8]>,
}

const PUT: u8 = 0;
const TOMBSTONE: u8 = 1;

pub(crate) fn encode_version(create_revision: u64, value: Option<&[u8]>) -> Vec<u8> {
    let body = value.unwrap_or_default();
    let mut out = Vec::with_capacity(9 + body.len());
    out.push(if value.is_some() { PUT } else { TOMBSTONE });
    out.extend_from_slice(&create_revision.to_le_bytes());
    out.extend_from_slice(body);
    out
}

pub(crate) fn decode_version(bytes: &[u8]) -> Result<Version<'_>, RedbError> {
    let mut r = Reader::new(bytes);
    let kind = r.u8()?;
    let create_revision = r.u64()?;
    let value = match kind {
        PUT => Some(r.rest()),
        TOMBSTONE => None,
        other => return Err(RedbError::Corrupt(format!("history kind {other}"))),
    };
    Ok(Version {
        create_revision,
        value,
    })
}

/// One event of a `log` entry, as stored.
pub(crate) struct LogEvent<'a> {
    pub kind: EventKind,
    pub key: &'a str,
    pub create_revision: u64,
    pub prev_mod_revision: u64,
    pub inline_value: Option<&'a [u8]>,
}

pub(crate) fn encode_log_event(out: &mut Vec<u8>, event: &LogEvent<'_>) {
    out.push(match event.kind {
        EventKind::Put => PUT,
        EventKind::Delete => TOMBSTONE,
    });
    out.push(u8::from(event.inline_value.is_some()));
    out.extend_from_slice(&len_u32(event.key.len()).to_le_bytes());
    out.extend_from_slice(event.key.as_bytes());
    out.extend_from_slice(&event.create_revision.to_le_bytes());
    out.extend_from_slice(&event.prev_mod_revision.to_le_bytes());
    if let Some(value) = event.inline_value {
        out.extend_from_slice(&len_u32(value.len()).to_le_bytes());
        out.extend_from_slice(value);
    }
}

/// Lengths are bounded by what a transaction can carry; saturate rather than wrap for the
/// impossible case so that decoding fails loudly instead of misreading.
fn len_u32(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

/// Decodes one `log` record: its revisions in order, each with its events.
pub(crate) fn decode_log(bytes: &[u8]) -> Result<Vec<(u64, Vec<LogEvent<'_>>)>, RedbError> {
    let mut it = LogIter {
        r: Reader::new(bytes),
    };
    let mut out = Vec::new();
    while !it.r.is_empty() {
        let revision = it.r.u64()?;
        let n = it.r.u32()? as usize;
        let mut events = Vec::with_capacity(n.min(1024));
        for _ in 0..n {
            events.push(it.event()?);
        }
        out.push((revision, events));
    }
    Ok(out)
}

struct LogIter<'a> {
    r: Reader<'a>,
}

impl<'a> LogIter<'a> {
    fn event(&mut self) -> Result<LogEvent<'a>, RedbError> {
        let kind = match self.r.u8()? {
            PUT => EventKind::Put,
            TOMBSTONE => EventKind::Delete,
            other => return Err(RedbError::Corrupt(format!("log event kind {other}"))),
        };
        let inline = self.r.u8()? != 0;
        let key_len = self.r.u32()? as usize;
        let key = std::str::from_utf8(self.r.take(key_len)?)
            .map_err(|e| RedbError::Corrupt(format!("log key: {e}")))?;
        let create_revision = self.r.u64()?;
        let prev_mod_revision = self.r.u64()?;
        let inline_value = if inline {
            let len = self.r.u32()? as usize;
            Some(self.r.take(len)?)
        } else {
            None
        };
        Ok(LogEvent {
            kind,
            key,
            create_revision,
            prev_mod_revision,
            inline_value,
        })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }

    fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], RedbError> {
        if self.bytes.len() < n {
            return Err(RedbError::Corrupt(format!(
                "record truncated: wanted {n} bytes, {} left",
                self.bytes.len()
            )));
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], RedbError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8, RedbError> {
        Ok(self.array::<1>()?[0])
    }

    fn u32(&mut self) -> Result<u32, RedbError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn u64(&mut self) -> Result<u64, RedbError> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.bytes)
    }
}

/// Copies stored bytes out of a redb page into an owned value.
pub(crate) fn owned(bytes: &[u8]) -> Bytes {
    Bytes::copy_from_slice(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_events_round_trip_with_and_without_inline_values() {
        let mut out = Vec::new();
        out.extend_from_slice(&9u64.to_le_bytes());
        out.extend_from_slice(&2u32.to_le_bytes());
        encode_log_event(
            &mut out,
            &LogEvent {
                kind: EventKind::Put,
                key: "/a",
                create_revision: 3,
                prev_mod_revision: 2,
                inline_value: Some(b"xyz"),
            },
        );
        encode_log_event(
            &mut out,
            &LogEvent {
                kind: EventKind::Delete,
                key: "/b",
                create_revision: 0,
                prev_mod_revision: 7,
                inline_value: None,
            },
        );
        let mut revisions = decode_log(&out).expect("decode");
        assert_eq!(revisions.len(), 1);
        let (revision, events) = revisions.remove(0);
        assert_eq!(revision, 9);
        assert_eq!(events.len(), 2);
        assert_eq!(
            (events[0].kind, events[0].key, events[0].inline_value),
            (EventKind::Put, "/a", Some(&b"xyz"[..]))
        );
        assert_eq!(
            (events[1].kind, events[1].key, events[1].prev_mod_revision),
            (EventKind::Delete, "/b", 7)
        );
    }

    #[test]
    fn a_truncated_record_is_reported_as_corrupt() {
        let bytes = encode_object(1, 2, b"v");
        assert!(decode_object(&bytes[..10]).is_err());
        let mut log = Vec::new();
        log.extend_from_slice(&1u64.to_le_bytes());
        log.extend_from_slice(&1u32.to_le_bytes());
        encode_log_event(
            &mut log,
            &LogEvent {
                kind: EventKind::Put,
                key: "/k",
                create_revision: 1,
                prev_mod_revision: 0,
                inline_value: None,
            },
        );
        log.pop();
        assert!(decode_log(&log).is_err());
    }
}
