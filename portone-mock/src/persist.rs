//! The state file: what `--state` (and [`MockServer::save_state`],
//! [`MockServerBuilder::load_state`]) keep across a restart.
//!
//! A JSON object that names its format and version first, so that a file of anything
//! else is refused before it is read, and never overwritten:
//!
//! ```json
//! {"format": "portone-mock-state", "version": 1, "clock": {...}, "ids": {...},
//!  "agency": [...], "stores": [{"tier": null, "records": {...}}]}
//! ```
//!
//! Kept: every tier's payments (with cancels and deposits), prepared amounts, billing keys
//! (the masked card and its company, never card data), schedules, cash receipts, escrow
//! shipping, Naver Pay orders and KCP prepares; the agency's tiers; the id counter (so no
//! id is handed out twice); and the clock (its offset, and where it stood). Not kept:
//! certifications (a birth date and a phone number have no business in a file), the access
//! token (clients fetch a new one on the `401`, as after any expiry), the request log,
//! faults, webhook deliveries, and the settings, which come from the builder or the flags
//! each start.
//!
//! [`MockServer::save_state`]: crate::MockServer::save_state
//! [`MockServerBuilder::load_state`]: crate::MockServerBuilder::load_state

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ids::Ids;
use crate::state::{State, Store, Tier};

/// The `format` of every state file.
pub(crate) const FORMAT: &str = "portone-mock-state";
/// The `version` this build writes and reads.
pub(crate) const VERSION: u64 = 1;

/// Why a state file could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// Reading or writing the file failed.
    #[error("state file `{}`", path.display())]
    Io {
        /// The state file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The file is not JSON: cut short, edited by hand, or another program's.
    #[error("state file `{}` is not JSON", path.display())]
    NotJson {
        /// The state file.
        path: PathBuf,
        /// Where the JSON broke (line and column; the file's content is not quoted).
        source: serde_json::Error,
    },
    /// The file is JSON, but not a portone-mock state file: it has no
    /// `"format": "portone-mock-state"`.
    #[error("`{}` is not a portone-mock state file (no \"format\": \"{FORMAT}\")", path.display())]
    Foreign {
        /// The file.
        path: PathBuf,
    },
    /// A portone-mock state file of a version this build does not read (a newer
    /// portone-mock wrote it).
    #[error(
        "state file `{}` has version {}; this portone-mock reads version {supported}",
        path.display(),
        found.map_or_else(|| "no number".to_owned(), |v| v.to_string())
    )]
    UnsupportedVersion {
        /// The state file.
        path: PathBuf,
        /// Its `version`, if it is a number.
        found: Option<u64>,
        /// The version this build reads and writes.
        supported: u64,
    },
    /// A state file of the right version whose records do not hold together (a field
    /// missing or of the wrong type).
    #[error("state file `{}` is damaged at `{at}`: {message}", path.display())]
    Invalid {
        /// The state file.
        path: PathBuf,
        /// The JSON path of the first bad value (`stores[0].records.payments[3].amount`).
        at: String,
        /// What is wrong there.
        message: String,
    },
}

impl StateError {
    /// Whether the file does not exist (a first start: nothing to load yet).
    #[must_use]
    pub fn is_not_found(&self) -> bool {
        matches!(self, StateError::Io { source, .. } if source.kind() == io::ErrorKind::NotFound)
    }

    /// The file the error is about.
    #[must_use]
    pub fn path(&self) -> &Path {
        match self {
            StateError::Io { path, .. }
            | StateError::NotJson { path, .. }
            | StateError::Foreign { path }
            | StateError::UnsupportedVersion { path, .. }
            | StateError::Invalid { path, .. } => path,
        }
    }
}

fn io_error(path: &Path, source: io::Error) -> StateError {
    StateError::Io {
        path: path.to_owned(),
        source,
    }
}

/// The clock when the file was written.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
struct SavedClock {
    /// Now on the mock clock, in unix milliseconds.
    now_ms: i64,
    /// What `advance` had added.
    offset_ms: i64,
}

#[derive(Serialize)]
struct Saved<'a> {
    format: &'static str,
    version: u64,
    clock: SavedClock,
    ids: &'a Ids,
    agency: Option<&'a [Tier]>,
    stores: Vec<SavedStore<'a>>,
}

#[derive(Serialize)]
struct SavedStore<'a> {
    tier: &'a Option<String>,
    records: &'a Store,
}

/// A state file, read and checked; applied to a new server by [`Loaded::restore`].
#[derive(Clone, Deserialize)]
pub(crate) struct Loaded {
    clock: SavedClock,
    ids: Ids,
    agency: Option<Vec<Tier>>,
    stores: Vec<LoadedStore>,
}

#[derive(Clone, Deserialize)]
struct LoadedStore {
    tier: Option<String>,
    records: Store,
}

/// The state as a state file.
pub(crate) fn encode(state: &State) -> Vec<u8> {
    let mut stores: Vec<SavedStore<'_>> = state
        .stores
        .iter()
        .map(|(tier, records)| SavedStore { tier, records })
        .collect();
    // A stable order, so that saving twice writes the same file.
    stores.sort_by(|a, b| a.tier.cmp(b.tier));
    let saved = Saved {
        format: FORMAT,
        version: VERSION,
        clock: SavedClock {
            now_ms: state.clock.now_ms(),
            offset_ms: state.clock.offset_ms(),
        },
        ids: &state.ids,
        agency: state.agency.as_deref(),
        stores,
    };
    // Nothing in the state has a map with non-string keys: this cannot fail.
    serde_json::to_vec_pretty(&saved).unwrap_or_default()
}

/// Reads and checks the format marker and the version of a JSON value.
fn check_header(path: &Path, value: &Value) -> Result<(), StateError> {
    if value.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(StateError::Foreign {
            path: path.to_owned(),
        });
    }
    let found = value.get("version").and_then(Value::as_u64);
    if found != Some(VERSION) {
        return Err(StateError::UnsupportedVersion {
            path: path.to_owned(),
            found,
            supported: VERSION,
        });
    }
    Ok(())
}

/// Reads a state file.
pub(crate) fn read(path: &Path) -> Result<Loaded, StateError> {
    let bytes = fs::read(path).map_err(|e| io_error(path, e))?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|source| StateError::NotJson {
        path: path.to_owned(),
        source,
    })?;
    check_header(path, &value)?;
    serde_path_to_error::deserialize(value).map_err(|e| StateError::Invalid {
        path: path.to_owned(),
        at: e.path().to_string(),
        message: e.into_inner().to_string(),
    })
}

/// Writes `bytes` to `path` whole or not at all: into a file beside it, flushed to disk,
/// then renamed over it. Refuses to replace a file that is not a state file this build
/// could read back.
pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<(), StateError> {
    match fs::read(path) {
        Ok(existing) => {
            let value: Value =
                serde_json::from_slice(&existing).map_err(|source| StateError::NotJson {
                    path: path.to_owned(),
                    source,
                })?;
            check_header(path, &value)?;
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error(path, e)),
    }
    let name = path
        .file_name()
        .ok_or_else(|| io_error(path, io::Error::other("the path names no file")))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let written = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(io_error(path, e));
    }
    // Makes the rename itself durable; where directories cannot be opened, the rename
    // has still happened.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(dir) = fs::File::open(dir)
    {
        let _ = dir.sync_all();
    }
    Ok(())
}

impl Loaded {
    /// The agency's tiers the file knows.
    pub(crate) fn tiers(&self) -> Option<&[Tier]> {
        self.agency.as_deref()
    }

    /// Puts the file's records, ids and clock into a new server's state. The clock goes on
    /// from where it stood, never back (see `Clock::resume`).
    pub(crate) fn restore(&self, state: &mut State) {
        state.clock.resume(self.clock.now_ms, self.clock.offset_ms);
        state.ids = self.ids.clone();
        state.stores = self
            .stores
            .iter()
            .map(|s| {
                let mut records = s.records.clone();
                records.reindex();
                (s.tier.clone(), records)
            })
            .collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "portone-mock-persist-{name}-{}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        dir
    }

    #[test]
    fn refuses_foreign_newer_and_broken_files_and_leaves_them_alone() {
        let dir = temp_dir("refuse");
        let cases: [(&str, &str); 5] = [
            ("not-json", "{\"format\": \"portone-mock-st"),
            ("foreign", r#"{"name": "my-app", "version": 1}"#),
            (
                "newer",
                r#"{"format": "portone-mock-state", "version": 99}"#,
            ),
            ("no-version", r#"{"format": "portone-mock-state"}"#),
            (
                "damaged",
                r#"{"format": "portone-mock-state", "version": 1, "clock": {"now_ms": "soon"}}"#,
            ),
        ];
        for (name, text) in cases {
            let path = dir.join(name);
            fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
            let err = read(&path).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(!err.is_empty(), "{name} was read");
            let wrote = write(&path, b"{}");
            // A damaged file of our own version may be replaced; anything else may not.
            if name == "damaged" {
                assert!(wrote.is_ok(), "{name}: {wrote:?}");
            } else {
                assert!(wrote.is_err(), "{name} was overwritten");
                assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some(text));
            }
        }
        let missing = read(&dir.join("missing")).err();
        assert!(missing.is_some_and(|e| e.is_not_found()));
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn messages_name_the_problem() {
        let dir = temp_dir("messages");
        let path = dir.join("state.json");
        fs::write(&path, r#"{"format": "portone-mock-state", "version": 2}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        let msg = read(&path).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            msg.contains("version 2") && msg.contains("reads version 1"),
            "{msg}"
        );
        fs::write(
            &path,
            r#"{"format": "portone-mock-state", "version": 1, "clock": {"now_ms": 1, "offset_ms": 0},
                "ids": {"seed": 1, "counter": 2}, "agency": null,
                "stores": [{"tier": null, "records": {"payments": 3}}]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let msg = read(&path).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("stores[0].records.payments"), "{msg}");
        let _ = fs::remove_dir_all(&dir);
    }
}
