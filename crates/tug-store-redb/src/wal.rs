//! The write-ahead log: what makes a batch durable before redb persists it.
//!
//! # Why
//!
//! A durable redb commit rewrites every B-tree page a batch touched (copy-on-write: each leaf
//! and its path to the root) and fsyncs them: on this class of machine about 50 µs of device
//! time per scattered page, so a commit costs more the more keys it touches and group commit
//! stops paying off at ~20k writes/s. Appending the batch to a preallocated log and
//! `fdatasync`ing it is one contiguous write (~0.2 ms whatever the batch). So each batch is
//! made durable here, and committed to redb without an fsync (`Durability::None`: persisted
//! later; readers see it only once its record is durable, see the writer); from time to time a
//! *checkpoint* (a durable redb commit) persists everything, after which the log starts over.
//!
//! # Format
//!
//! A fixed-size file, zero-filled when created (so that appends never allocate blocks and an
//! `fdatasync` writes only data), written from offset 0 as a sequence of records:
//!
//! ```text
//! magic u32 | payload_len u32 | first_rev u64 | last_rev u64 | crc32c u32 | 0 u32 | payload
//! payload = for each revision first_rev..=last_rev: n u32, then n ops:
//!           kind u8 (0 put, 1 delete) | key_len u32 | key | (put: value_len u32 | value)
//! ```
//!
//! The checksum covers the header's first 24 bytes and the payload. A record holds the effects
//! of a batch (the ops that changed something, per revision), so replaying it is deterministic.
//!
//! # Recovery
//!
//! Records are read from offset 0 while they are intact and their revisions consecutive; the
//! first torn, zeroed or stale record ends the log (a record is acknowledged only after its
//! `fdatasync`, so whatever follows the last intact one was never acknowledged). Revisions at
//! or below the database's durable revision are skipped; the rest are applied and checkpointed.
//! The log starts over at offset 0 only right after a checkpoint, so every record before the
//! write position is either checkpointed or replayable, and stale records of an earlier round
//! have lower revisions than any new one, which ends the scan.

use std::sync::Arc;

use redb::StorageBackend;
use tug_store::{Event, EventKind, Op, Revision};

use crate::RedbError;

const MAGIC: u32 = u32::from_le_bytes(*b"TWAL");
const HEADER: usize = 32;
const PUT: u8 = 0;
const DELETE: u8 = 1;

/// The revisions a log holds beyond the database, to be applied on open.
pub(crate) type Replay = Vec<(Revision, Vec<Op>)>;

/// What [`Wal::append`] did.
#[cfg(test)]
pub(crate) enum Append {
    /// The record is durable.
    Written,
    /// The log has no room left: checkpoint (making the batch durable through redb) and
    /// [`Wal::restart`].
    Full,
}

/// The log's write position and format; the I/O of a record is [`write_record`], which the
/// writer runs on a thread of its own so that it overlaps with the next batch.
pub(crate) struct Wal {
    storage: Arc<dyn StorageBackend>,
    size: u64,
    pos: u64,
}

fn io(e: std::io::Error) -> RedbError {
    RedbError::Wal(e)
}

impl Wal {
    /// Opens the log on `storage`, growing it to `size` bytes (zero-filled) if it is smaller,
    /// and returns what it holds after `durable` (the database's revision).
    pub(crate) fn open(
        storage: Arc<dyn StorageBackend>,
        size: u64,
        durable: Revision,
    ) -> Result<(Self, Replay), RedbError> {
        let len = storage.len().map_err(io)?;
        if len < size {
            storage.set_len(size).map_err(io)?;
            // Write real zeros: blocks left as holes would be allocated by later appends, and
            // every fdatasync would then also write file-system metadata.
            const CHUNK: u64 = 1 << 20;
            let zeros = vec![0u8; CHUNK as usize];
            let mut at = len;
            while at < size {
                let n = (size - at).min(CHUNK);
                storage.write(at, &zeros[..n as usize]).map_err(io)?;
                at += n;
            }
            storage.sync_data().map_err(io)?;
        }
        let wal = Self {
            storage,
            size: size.max(len),
            pos: 0,
        };
        let replay = wal.scan(durable)?;
        Ok((wal, replay))
    }

    /// True when nothing was appended since the last restart.
    pub(crate) fn is_empty(&self) -> bool {
        self.pos == 0
    }

    /// Starts over at offset 0. Only after a checkpoint: everything appended so far must be
    /// durable in the database.
    pub(crate) fn restart(&mut self) {
        self.pos = 0;
    }

    /// The storage the records go to (shared with the thread that writes them).
    pub(crate) fn storage(&self) -> Arc<dyn StorageBackend> {
        self.storage.clone()
    }

    /// Encodes the record of consecutive revisions (at least one) into `buf` and reserves its
    /// place: returns the offset to [`write_record`] it at, or None if the log has no room
    /// left (then checkpoint, making the batch durable through redb, and [`Wal::restart`]).
    pub(crate) fn encode(
        &mut self,
        revisions: &[(Revision, Vec<Event>)],
        buf: &mut Vec<u8>,
    ) -> Option<u64> {
        let (Some((first, _)), Some((last, _))) = (revisions.first(), revisions.last()) else {
            return None;
        };
        buf.clear();
        buf.resize(HEADER, 0);
        for (_, events) in revisions {
            buf.extend_from_slice(&len32(events.len()).to_le_bytes());
            for e in events {
                buf.push(match e.kind {
                    EventKind::Put => PUT,
                    EventKind::Delete => DELETE,
                });
                buf.extend_from_slice(&len32(e.kv.key.len()).to_le_bytes());
                buf.extend_from_slice(e.kv.key.as_bytes());
                if e.kind == EventKind::Put {
                    buf.extend_from_slice(&len32(e.kv.value.len()).to_le_bytes());
                    buf.extend_from_slice(&e.kv.value);
                }
            }
        }
        let payload_len = buf.len() - HEADER;
        if self.pos + buf.len() as u64 > self.size || u32::try_from(payload_len).is_err() {
            return None;
        }
        buf[0..4].copy_from_slice(&MAGIC.to_le_bytes());
        buf[4..8].copy_from_slice(&len32(payload_len).to_le_bytes());
        buf[8..16].copy_from_slice(&first.to_le_bytes());
        buf[16..24].copy_from_slice(&last.to_le_bytes());
        let crc = crc32c_extend(crc32c_extend(!0, &buf[0..24]), &buf[HEADER..]);
        buf[24..28].copy_from_slice(&crc.to_le_bytes());
        let at = self.pos;
        self.pos += buf.len() as u64;
        Some(at)
    }

    /// Appends the record of consecutive revisions and makes it durable, in the caller's
    /// thread.
    #[cfg(test)]
    pub(crate) fn append(
        &mut self,
        revisions: &[(Revision, Vec<Event>)],
    ) -> Result<Append, RedbError> {
        let mut buf = Vec::new();
        match self.encode(revisions, &mut buf) {
            Some(at) => {
                write_record(self.storage.as_ref(), at, &buf).map_err(io)?;
                Ok(Append::Written)
            }
            None => Ok(Append::Full),
        }
    }

    fn read(&self, at: u64, len: usize) -> Result<Vec<u8>, RedbError> {
        let mut out = vec![0u8; len];
        self.storage.read(at, &mut out).map_err(io)?;
        Ok(out)
    }

    fn scan(&self, durable: Revision) -> Result<Replay, RedbError> {
        let mut replay = Vec::new();
        let mut pos = 0u64;
        let mut expected: Option<Revision> = None;
        while pos + HEADER as u64 <= self.size {
            let header = self.read(pos, HEADER)?;
            let word = |i: usize| {
                u32::from_le_bytes([header[i], header[i + 1], header[i + 2], header[i + 3]])
            };
            let rev = |i: usize| {
                let mut b = [0u8; 8];
                b.copy_from_slice(&header[i..i + 8]);
                Revision::from_le_bytes(b)
            };
            if word(0) != MAGIC {
                break;
            }
            let payload_len = word(4) as u64;
            let (first, last) = (rev(8), rev(16));
            if pos + HEADER as u64 + payload_len > self.size || first > last || first < 1 {
                break;
            }
            let payload = self.read(pos + HEADER as u64, payload_len as usize)?;
            if crc32c_extend(crc32c_extend(!0, &header[0..24]), &payload) != word(24) {
                break;
            }
            match expected {
                None if first > durable + 1 => {
                    return Err(RedbError::Corrupt(format!(
                        "the write-ahead log starts at revision {first} but the database ends at {durable}"
                    )));
                }
                Some(e) if first != e => break,
                _ => {}
            }
            for (rev, ops) in decode_payload(&payload, first, last)? {
                if rev > durable {
                    replay.push((rev, ops));
                }
            }
            expected = Some(last + 1);
            pos += HEADER as u64 + payload_len;
        }
        Ok(replay)
    }
}

/// Writes an encoded record at its reserved offset and makes it durable.
pub(crate) fn write_record(
    storage: &dyn StorageBackend,
    at: u64,
    record: &[u8],
) -> Result<(), std::io::Error> {
    storage.write(at, record)?;
    storage.sync_data()
}

fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn decode_payload(payload: &[u8], first: Revision, last: Revision) -> Result<Replay, RedbError> {
    let corrupt = || RedbError::Corrupt("write-ahead log record does not parse".into());
    let mut out = Vec::new();
    let mut reader = PayloadReader { rest: payload };
    for rev in first..=last {
        let n = reader.u32()?;
        let mut ops = Vec::with_capacity(n);
        for _ in 0..n {
            let kind = reader.take(1)?[0];
            let key_len = reader.u32()?;
            let key = std::str::from_utf8(reader.take(key_len)?)
                .map_err(|_| corrupt())?
                .to_string();
            ops.push(match kind {
                PUT => {
                    let len = reader.u32()?;
                    Op::Put {
                        key,
                        value: bytes::Bytes::copy_from_slice(reader.take(len)?),
                    }
                }
                DELETE => Op::Delete { key },
                _ => return Err(corrupt()),
            });
        }
        out.push((rev, ops));
    }
    if !reader.rest.is_empty() {
        return Err(corrupt());
    }
    Ok(out)
}

struct PayloadReader<'a> {
    rest: &'a [u8],
}

impl<'a> PayloadReader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], RedbError> {
        if self.rest.len() < n {
            return Err(RedbError::Corrupt(
                "write-ahead log record is truncated".into(),
            ));
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    fn u32(&mut self) -> Result<usize, RedbError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }
}

/// CRC-32C (Castagnoli), slicing by 8. `crc` is the running register: start with `!0` and
/// chain calls; the standard checksum is the final register inverted.
fn crc32c_extend(crc: u32, data: &[u8]) -> u32 {
    let mut crc = crc;
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let lo = crc ^ u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        let hi = u32::from_le_bytes([c[4], c[5], c[6], c[7]]);
        crc = CRC_TABLES[7][(lo & 0xff) as usize]
            ^ CRC_TABLES[6][((lo >> 8) & 0xff) as usize]
            ^ CRC_TABLES[5][((lo >> 16) & 0xff) as usize]
            ^ CRC_TABLES[4][(lo >> 24) as usize]
            ^ CRC_TABLES[3][(hi & 0xff) as usize]
            ^ CRC_TABLES[2][((hi >> 8) & 0xff) as usize]
            ^ CRC_TABLES[1][((hi >> 16) & 0xff) as usize]
            ^ CRC_TABLES[0][(hi >> 24) as usize];
    }
    for &b in chunks.remainder() {
        crc = CRC_TABLES[0][((crc ^ u32::from(b)) & 0xff) as usize] ^ (crc >> 8);
    }
    crc
}

const CRC_TABLES: [[u32; 256]; 8] = crc_tables();

const fn crc_tables() -> [[u32; 256]; 8] {
    const POLY: u32 = 0x82F6_3B78;
    let mut t = [[0u32; 256]; 8];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { (c >> 1) ^ POLY } else { c >> 1 };
            k += 1;
        }
        t[0][i] = c;
        i += 1;
    }
    let mut s = 1;
    while s < 8 {
        let mut i = 0;
        while i < 256 {
            let prev = t[s - 1][i];
            t[s][i] = (prev >> 8) ^ t[0][(prev & 0xff) as usize];
            i += 1;
        }
        s += 1;
    }
    t
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use redb::backends::InMemoryBackend;
    use tug_store::KeyValue;

    use super::*;

    /// A storage handle the test keeps while the log owns another one.
    #[derive(Debug, Clone, Default)]
    struct Shared(Arc<InMemoryBackend>);

    impl StorageBackend for Shared {
        fn len(&self) -> Result<u64, std::io::Error> {
            self.0.len()
        }
        fn read(&self, offset: u64, out: &mut [u8]) -> Result<(), std::io::Error> {
            self.0.read(offset, out)
        }
        fn set_len(&self, len: u64) -> Result<(), std::io::Error> {
            self.0.set_len(len)
        }
        fn sync_data(&self) -> Result<(), std::io::Error> {
            self.0.sync_data()
        }
        fn write(&self, offset: u64, data: &[u8]) -> Result<(), std::io::Error> {
            self.0.write(offset, data)
        }
    }

    fn put(rev: Revision, key: &str, value: &str) -> (Revision, Vec<Event>) {
        (
            rev,
            vec![Event {
                kind: EventKind::Put,
                kv: KeyValue {
                    key: key.into(),
                    value: Bytes::copy_from_slice(value.as_bytes()),
                    create_revision: rev,
                    mod_revision: rev,
                },
                prev: None,
            }],
        )
    }

    fn revisions(replay: &Replay) -> Vec<Revision> {
        replay.iter().map(|(r, _)| *r).collect()
    }

    fn append(wal: &mut Wal, batch: &[(Revision, Vec<Event>)]) {
        assert!(matches!(wal.append(batch), Ok(Append::Written)));
    }

    #[test]
    fn a_log_replays_what_follows_the_durable_revision() {
        let storage = Shared::default();
        let (mut wal, replay) = Wal::open(Arc::new(storage.clone()), 4096, 0).expect("open");
        assert!(replay.is_empty());
        append(&mut wal, &[put(1, "/a", "1"), put(2, "/b", "2")]);
        append(&mut wal, &[put(3, "/a", "3")]);
        let (_, replay) = Wal::open(Arc::new(storage.clone()), 4096, 1).expect("reopen");
        assert_eq!(revisions(&replay), [2, 3]);
        assert_eq!(
            replay[1].1,
            vec![Op::Put {
                key: "/a".into(),
                value: Bytes::from_static(b"3")
            }]
        );
    }

    #[test]
    fn a_torn_record_ends_the_log() {
        let storage = Shared::default();
        let (mut wal, _) = Wal::open(Arc::new(storage.clone()), 4096, 0).expect("open");
        append(&mut wal, &[put(1, "/a", "1")]);
        let second_at = wal.pos;
        append(&mut wal, &[put(2, "/b", "2")]);
        append(&mut wal, &[put(3, "/c", "3")]);
        // Flip a byte in the payload of the second record.
        let at = second_at + HEADER as u64 + 2;
        let mut byte = [0u8];
        storage.read(at, &mut byte).expect("read");
        storage.write(at, &[byte[0] ^ 0xff]).expect("write");
        let (_, replay) = Wal::open(Arc::new(storage), 4096, 0).expect("reopen");
        assert_eq!(revisions(&replay), [1]);
    }

    #[test]
    fn records_of_an_earlier_round_are_not_replayed_after_a_restart() {
        let storage = Shared::default();
        let (mut wal, _) = Wal::open(Arc::new(storage.clone()), 4096, 0).expect("open");
        append(&mut wal, &[put(1, "/a", &"x".repeat(100))]);
        append(&mut wal, &[put(2, "/b", "2")]);
        append(&mut wal, &[put(3, "/c", "3")]);
        // Checkpointed at 3; the next round overwrites the start of the log.
        wal.restart();
        append(&mut wal, &[put(4, "/d", "4")]);
        let (_, replay) = Wal::open(Arc::new(storage.clone()), 4096, 3).expect("reopen");
        assert_eq!(revisions(&replay), [4]);
        let (_, replay) = Wal::open(Arc::new(storage), 4096, 4).expect("reopen");
        assert!(replay.is_empty());
    }

    #[test]
    fn a_log_that_begins_after_the_database_ends_is_reported_as_corrupt() {
        let storage = Shared::default();
        let (mut wal, _) = Wal::open(Arc::new(storage.clone()), 4096, 0).expect("open");
        append(&mut wal, &[put(5, "/a", "1")]);
        assert!(Wal::open(Arc::new(storage), 4096, 3).is_err());
    }

    #[test]
    fn a_record_that_does_not_fit_asks_for_a_checkpoint() {
        let (mut wal, _) = Wal::open(Arc::new(Shared::default()), 128, 0).expect("open");
        append(&mut wal, &[put(1, "/a", "1")]);
        assert!(matches!(
            wal.append(&[put(2, "/b", &"x".repeat(200))]),
            Ok(Append::Full)
        ));
    }

    #[test]
    fn crc32c_matches_the_standard_check_value() {
        assert_eq!(!crc32c_extend(!0, b"123456789"), 0xE306_9283);
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        let whole = crc32c_extend(!0, &data);
        let split = crc32c_extend(crc32c_extend(!0, &data[..13]), &data[13..]);
        assert_eq!(whole, split);
    }
}
