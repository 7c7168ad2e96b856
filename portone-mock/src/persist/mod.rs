//! The state file (`--state FILE`, [`MockServerBuilder::state_file`]): a SQLite database
//! (SQLite compiled into the binary, in WAL mode) that every change a client or the admin
//! API makes is written to, in one transaction, before its answer is sent. Only the records
//! that changed are written; a process killed at any point leaves the last committed
//! transaction, and SQLite rolls back a torn one when the file is opened again.
//!
//! A file is refused with the reason, and never written to, when it is not a SQLite
//! database (a JSON state file of an earlier portone-mock included), a database of another
//! program (`PRAGMA application_id` is not this mock's), or of a newer schema
//! (`PRAGMA user_version`). An empty file or a missing one becomes a new state file. While
//! a server has it open, no other can (SQLite's exclusive locking mode).
//!
//! Kept: every tier's records (payments with their cancels and deposits, prepared amounts,
//! billing keys, schedules, cash receipts, escrow shipping, Naver Pay orders, KCP Quick
//! prepares), the agency's tiers, the id counter, the clock, and the webhook settings. Not
//! kept: certifications (a birth date and a phone number have no business in a file), the
//! access token, the request log, faults and webhook deliveries.
//!
//! [`MockServerBuilder::state_file`]: crate::MockServerBuilder::state_file

mod error;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, Transaction, params};
use serde::{Deserialize, Serialize};

use crate::ids::Ids;
use crate::state::{Row, State, Store, Tier};
use crate::webhooks;
use error::{failure, undecodable};

pub use error::StateError;

/// `PRAGMA application_id` of every state file: `pmok` in ASCII.
const APPLICATION_ID: i32 = 0x706d_6f6b;
/// `PRAGMA user_version`: the schema this build writes and reads.
pub(crate) const SCHEMA: i64 = 1;

/// The schema: one row per record, keyed by tier (`""` for the account's own), kind and
/// id, with the order they were made in (`seq`); and the account's settings by name. Both
/// `WITHOUT ROWID`: a commit then writes one b-tree per table, not a table and its index.
const CREATE: &str = "
    CREATE TABLE records (
        tier TEXT NOT NULL,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        seq INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (tier, kind, key)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE meta (name TEXT PRIMARY KEY, body TEXT NOT NULL) STRICT, WITHOUT ROWID;
";
/// The id counter is written this far ahead, so that a commit writes it once in this many
/// ids, and a restart still never hands out an id twice.
const IDS_AHEAD: u64 = 1024;
/// Pages the WAL may grow to before SQLite copies it into the database (SQLite's default
/// is 1000): a checkpoint syncs the disk twice, so fewer of them keep a commit cheap.
const WAL_PAGES: i64 = 8192;

/// The clock when it was last moved.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
struct SavedClock {
    /// Now on the mock clock, in unix milliseconds.
    now_ms: i64,
    /// What `advance` had added.
    offset_ms: i64,
}

/// What a state file held when it was opened.
#[derive(Default)]
pub(crate) struct Loaded {
    clock: Option<SavedClock>,
    ids: Option<Ids>,
    /// The agency's tiers.
    pub(crate) agency: Option<Vec<Tier>>,
    /// The webhook settings of the last start.
    pub(crate) webhooks: Option<webhooks::Config>,
    stores: Vec<(Option<String>, Store)>,
}

impl Loaded {
    /// Puts the file's records, ids and clock into a new server's state. The clock goes on
    /// from where it stood, never back (see `Clock::resume`).
    pub(crate) fn restore(self, state: &mut State) {
        if let Some(clock) = self.clock {
            state.clock.resume(clock.now_ms, clock.offset_ms);
        }
        if let Some(ids) = self.ids {
            state.ids = ids;
        }
        state.stores = self.stores.into_iter().collect();
    }
}

/// An open state file, held by one server.
pub(crate) struct Db {
    conn: Connection,
    path: PathBuf,
    /// The settings rows as last written, so that a commit writes only what changed.
    written: HashMap<&'static str, String>,
    /// The clock's setting (offset, frozen time) when it was last written.
    clock: Option<(i64, Option<i64>)>,
    /// The id counter the file has: ids below it need no write.
    ids_kept: Option<u64>,
    /// The last record's `seq`.
    seq: i64,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("path", &self.path).finish()
    }
}

/// Opens `path` (a new state file if it is missing or empty), refusing anything that is
/// not this mock's; holds it for this connection alone.
fn connect(path: &Path) -> Result<Connection, StateError> {
    let fail = |e| failure(path, e);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Err(source) = std::fs::metadata(dir)
    {
        return Err(StateError::Io {
            path: path.to_owned(),
            source,
        });
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(fail)?;
    // Nothing below writes until the file is known to be this mock's (or new).
    conn.pragma_update(None, "locking_mode", "EXCLUSIVE")
        .map_err(fail)?;
    let app: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(fail)?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(fail)?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .map_err(fail)?;
    let fresh = match (app, version, tables) {
        (APPLICATION_ID, SCHEMA, _) => false,
        (APPLICATION_ID, found, _) => {
            return Err(StateError::UnsupportedVersion {
                path: path.to_owned(),
                found,
                supported: SCHEMA,
            });
        }
        (0, 0, 0) => true,
        _ => {
            return Err(StateError::Foreign {
                path: path.to_owned(),
            });
        }
    };
    conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
        .map_err(fail)?;
    // In WAL mode a commit is in the log before the answer goes out: a killed process
    // loses nothing; only a power cut may lose the last commits, never the file.
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(fail)?;
    conn.pragma_update(None, "wal_autocheckpoint", WAL_PAGES)
        .map_err(fail)?;
    let init = if fresh {
        format!(
            "BEGIN EXCLUSIVE; {CREATE} PRAGMA application_id = {APPLICATION_ID}; \
             PRAGMA user_version = {SCHEMA}; COMMIT;"
        )
    } else {
        // Takes the exclusive lock now: a second server fails at its start.
        "BEGIN EXCLUSIVE; COMMIT;".to_owned()
    };
    conn.execute_batch(&init).map_err(fail)?;
    Ok(conn)
}

/// Reads every record and setting of an open state file.
fn read(conn: &Connection, path: &Path) -> Result<Loaded, StateError> {
    let fail = |e| failure(path, e);
    let mut loaded = Loaded::default();
    let mut stores: HashMap<Option<String>, Store> = HashMap::new();
    let mut order: Vec<Option<String>> = Vec::new();
    let mut stmt = conn
        .prepare("SELECT tier, kind, key, body FROM records ORDER BY seq")
        .map_err(fail)?;
    let mut rows = stmt.query([]).map_err(fail)?;
    while let Some(row) = rows.next().map_err(fail)? {
        let tier: String = row.get(0).map_err(fail)?;
        let kind: String = row.get(1).map_err(fail)?;
        let key: String = row.get(2).map_err(fail)?;
        let body: String = row.get(3).map_err(fail)?;
        let tier = (!tier.is_empty()).then_some(tier);
        let store = stores.entry(tier.clone()).or_insert_with(|| {
            order.push(tier.clone());
            Store::new(true)
        });
        store
            .restore(&kind, key.clone(), &body)
            .map_err(|message| {
                let within = tier
                    .as_deref()
                    .map(|t| format!(" of tier {t}"))
                    .unwrap_or_default();
                StateError::Invalid {
                    path: path.to_owned(),
                    at: format!("{kind} `{key}`{within}"),
                    message,
                }
            })?;
    }
    loaded.stores = order
        .into_iter()
        .filter_map(|tier| stores.remove(&tier).map(|s| (tier, s)))
        .collect();
    let mut stmt = conn.prepare("SELECT name, body FROM meta").map_err(fail)?;
    let mut rows = stmt.query([]).map_err(fail)?;
    while let Some(row) = rows.next().map_err(fail)? {
        let name: String = row.get(0).map_err(fail)?;
        let body: String = row.get(1).map_err(fail)?;
        let at = || format!("setting `{name}`");
        match name.as_str() {
            "clock" => {
                loaded.clock =
                    Some(serde_json::from_str(&body).map_err(|e| undecodable(path, at(), &e))?);
            }
            "ids" => {
                loaded.ids =
                    Some(serde_json::from_str(&body).map_err(|e| undecodable(path, at(), &e))?);
            }
            "agency" => {
                loaded.agency =
                    serde_json::from_str(&body).map_err(|e| undecodable(path, at(), &e))?;
            }
            "webhooks" => {
                loaded.webhooks =
                    Some(serde_json::from_str(&body).map_err(|e| undecodable(path, at(), &e))?);
            }
            // A setting a later build of the same schema may add: not this build's.
            _ => {}
        }
    }
    Ok(loaded)
}

/// The settings rows of `state`, but the clock and the ids.
fn settings(state: &State) -> serde_json::Result<[(&'static str, String); 2]> {
    Ok([
        ("agency", serde_json::to_string(&state.agency)?),
        (
            "webhooks",
            serde_json::to_string(&state.webhook_settings())?,
        ),
    ])
}

fn clock_row(state: &State) -> serde_json::Result<String> {
    serde_json::to_string(&SavedClock {
        now_ms: state.clock.now_ms(),
        offset_ms: state.clock.offset_ms(),
    })
}

fn tier_key(tier: &Option<String>) -> &str {
    tier.as_deref().unwrap_or("")
}

fn put_setting(tx: &Transaction<'_>, name: &str, body: &str) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO meta (name, body) VALUES (?1, ?2)
         ON CONFLICT (name) DO UPDATE SET body = excluded.body",
    )?
    .execute(params![name, body])
    .map(drop)
}

/// Writes `rows`; a new record takes the next `seq` (`seq` counts on), a changed one keeps
/// its own.
fn put_rows(tx: &Transaction<'_>, tier: &str, rows: &[Row], seq: &mut i64) -> rusqlite::Result<()> {
    let mut upsert = tx.prepare_cached(
        "INSERT INTO records (tier, kind, key, seq, body) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (tier, kind, key) DO UPDATE SET body = excluded.body",
    )?;
    let mut delete =
        tx.prepare_cached("DELETE FROM records WHERE tier = ?1 AND kind = ?2 AND key = ?3")?;
    for row in rows {
        match &row.body {
            Some(body) => {
                *seq += 1;
                upsert.execute(params![tier, row.kind, row.key, *seq, body])?
            }
            None => delete.execute(params![tier, row.kind, row.key])?,
        };
    }
    Ok(())
}

impl Db {
    /// Opens the state file at `path` and reads it.
    pub(crate) fn open(path: &Path) -> Result<(Db, Loaded), StateError> {
        let conn = connect(path)?;
        let loaded = read(&conn, path)?;
        let seq = conn
            .query_row("SELECT coalesce(max(seq), 0) FROM records", [], |r| {
                r.get(0)
            })
            .map_err(|e| failure(path, e))?;
        let db = Db {
            conn,
            path: path.to_owned(),
            written: HashMap::new(),
            clock: None,
            ids_kept: None,
            seq,
        };
        Ok((db, loaded))
    }

    /// Writes what changed in `state` since the last commit, in one transaction; nothing
    /// at all when nothing changed.
    pub(crate) fn commit(&mut self, state: &mut State) -> Result<(), StateError> {
        let path = self.path.clone();
        let json = |e: serde_json::Error| undecodable(&path, "a record to write".into(), &e);
        let mut records = Vec::new();
        for (tier, store) in &state.stores {
            let rows = store.changed_rows().map_err(json)?;
            if !rows.is_empty() {
                records.push((tier_key(tier).to_owned(), rows));
            }
        }
        let settings: Vec<(&'static str, String)> = settings(state)
            .map_err(json)?
            .into_iter()
            .filter(|(name, body)| self.written.get(name) != Some(body))
            .collect();
        let clock = state.clock.setting();
        let clock_row = if self.clock == Some(clock) {
            None
        } else {
            Some(clock_row(state).map_err(json)?)
        };
        let ids_row = if self.ids_kept.is_some_and(|kept| state.ids.counter() < kept) {
            None
        } else {
            let ahead = state.ids.ahead(IDS_AHEAD);
            Some((
                ahead.counter(),
                serde_json::to_string(&ahead).map_err(json)?,
            ))
        };
        if records.is_empty() && settings.is_empty() && clock_row.is_none() && ids_row.is_none() {
            return Ok(());
        }
        let fail = |e| failure(&path, e);
        let tx = self.conn.transaction().map_err(fail)?;
        let mut seq = self.seq;
        for (tier, rows) in &records {
            put_rows(&tx, tier, rows, &mut seq).map_err(fail)?;
        }
        for (name, body) in &settings {
            put_setting(&tx, name, body).map_err(fail)?;
        }
        if let Some(body) = &clock_row {
            put_setting(&tx, "clock", body).map_err(fail)?;
        }
        if let Some((_, body)) = &ids_row {
            put_setting(&tx, "ids", body).map_err(fail)?;
        }
        tx.commit().map_err(fail)?;
        self.seq = seq;
        if let Some((kept, _)) = ids_row {
            self.ids_kept = Some(kept);
        }
        for store in state.stores.values_mut() {
            store.clear_changes();
        }
        self.written.extend(settings);
        self.clock = Some(clock);
        Ok(())
    }

    /// After a reset: every record goes, and the settings are written again on the next
    /// commit.
    pub(crate) fn wipe(&mut self) -> Result<(), StateError> {
        self.conn
            .execute("DELETE FROM records", [])
            .map_err(|e| failure(&self.path, e))?;
        self.written.clear();
        self.clock = None;
        self.ids_kept = None;
        Ok(())
    }
}

/// Writes every record and setting of `state` into the state file at `path` (new, or one
/// of this mock's whose content it replaces), in one transaction.
pub(crate) fn save(path: &Path, state: &State) -> Result<(), StateError> {
    let fail = |e| failure(path, e);
    let json = |e: serde_json::Error| undecodable(path, "a record to write".into(), &e);
    let mut conn = connect(path)?;
    let tx = conn.transaction().map_err(fail)?;
    tx.execute_batch("DELETE FROM records; DELETE FROM meta;")
        .map_err(fail)?;
    let mut seq = 0;
    let mut tiers: Vec<&Option<String>> = state.stores.keys().collect();
    tiers.sort();
    for tier in tiers {
        if let Some(store) = state.stores.get(tier) {
            let rows = store.all_rows().map_err(json)?;
            put_rows(&tx, tier_key(tier), &rows, &mut seq).map_err(fail)?;
        }
    }
    for (name, body) in settings(state).map_err(json)? {
        put_setting(&tx, name, &body).map_err(fail)?;
    }
    let ids = serde_json::to_string(&state.ids).map_err(json)?;
    put_setting(&tx, "ids", &ids).map_err(fail)?;
    put_setting(&tx, "clock", &clock_row(state).map_err(json)?).map_err(fail)?;
    tx.commit().map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "portone-mock-persist-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        dir
    }

    #[test]
    fn refuses_what_is_not_its_own_and_leaves_it_alone() {
        let dir = temp_dir("refuse");
        let json = dir.join("state.json");
        let text = r#"{"format": "portone-mock-state", "version": 1}"#;
        std::fs::write(&json, text).unwrap_or_else(|e| panic!("{e}"));
        let err = Db::open(&json).err();
        assert!(
            matches!(err, Some(StateError::NotDatabase { .. })),
            "{err:?}"
        );
        assert_eq!(std::fs::read_to_string(&json).ok().as_deref(), Some(text));

        let other = dir.join("other.db");
        let conn = Connection::open(&other).unwrap_or_else(|e| panic!("{e}"));
        conn.execute_batch("CREATE TABLE orders (id INTEGER); INSERT INTO orders VALUES (7);")
            .unwrap_or_else(|e| panic!("{e}"));
        drop(conn);
        let before = std::fs::read(&other).unwrap_or_default();
        let err = Db::open(&other).err();
        assert!(matches!(err, Some(StateError::Foreign { .. })), "{err:?}");
        assert_eq!(std::fs::read(&other).unwrap_or_default(), before);

        let newer = dir.join("newer.db");
        let conn = Connection::open(&newer).unwrap_or_else(|e| panic!("{e}"));
        conn.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 2; {CREATE}"
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        drop(conn);
        let msg = Db::open(&newer)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            msg.contains("schema 2") && msg.contains("reads schema 1"),
            "{msg}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_second_opener_is_told_the_file_is_in_use() {
        let dir = temp_dir("in-use");
        let file = dir.join("state.db");
        let first = Db::open(&file);
        assert!(first.is_ok(), "{:?}", first.err());
        let second = Db::open(&file).err();
        assert!(
            matches!(second, Some(StateError::InUse { .. })),
            "{second:?}"
        );
        drop(first);
        assert!(
            Db::open(&file).is_ok(),
            "free again once the first is closed"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
