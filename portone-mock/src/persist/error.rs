//! Why a state file could not be opened, read or written.

use std::io;
use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;

/// Why a state file could not be opened, read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// The file cannot be reached (its folder is missing, no permission).
    #[error("state file `{}`", path.display())]
    Io {
        /// The state file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The file is not a SQLite database: another program's file, or a JSON state file of
    /// an earlier portone-mock, which this one does not read. It was not written to.
    #[error(
        "`{}` is not a SQLite database, so not a portone-mock state file (portone-mock \
         0.1 keeps its state in SQLite, not in JSON): it was left as it is",
        path.display()
    )]
    NotDatabase {
        /// The file.
        path: PathBuf,
    },
    /// The file is a SQLite database of another program. It was not written to.
    #[error(
        "`{}` is a SQLite database of another program, not a portone-mock state file: it \
         was left as it is",
        path.display()
    )]
    Foreign {
        /// The file.
        path: PathBuf,
    },
    /// A state file of a schema this build does not read (a newer portone-mock wrote it).
    /// It was not written to.
    #[error(
        "state file `{}` has schema {found}; this portone-mock reads schema {supported}",
        path.display()
    )]
    UnsupportedVersion {
        /// The state file.
        path: PathBuf,
        /// Its schema (`PRAGMA user_version`).
        found: i64,
        /// The schema this build reads and writes.
        supported: i64,
    },
    /// A record of the file does not decode (edited by hand?).
    #[error("state file `{}` is damaged at {at}: {message}", path.display())]
    Invalid {
        /// The state file.
        path: PathBuf,
        /// Which record (its kind, id and tier).
        at: String,
        /// What is wrong with it.
        message: String,
    },
    /// Another server has the file open.
    #[error("state file `{}` is in use by another portone-mock", path.display())]
    InUse {
        /// The state file.
        path: PathBuf,
    },
    /// SQLite failed (a full disk, an I/O error).
    #[error("state file `{}`", path.display())]
    Database {
        /// The state file.
        path: PathBuf,
        /// What SQLite said.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl StateError {
    /// Whether the file (or its folder) does not exist.
    #[must_use]
    pub fn is_not_found(&self) -> bool {
        matches!(self, StateError::Io { source, .. } if source.kind() == io::ErrorKind::NotFound)
    }

    /// The file the error is about.
    #[must_use]
    pub fn path(&self) -> &Path {
        match self {
            StateError::Io { path, .. }
            | StateError::NotDatabase { path }
            | StateError::Foreign { path }
            | StateError::UnsupportedVersion { path, .. }
            | StateError::Invalid { path, .. }
            | StateError::InUse { path }
            | StateError::Database { path, .. } => path,
        }
    }
}

/// Names a SQLite failure on `path` for what it is.
pub(super) fn failure(path: &Path, e: rusqlite::Error) -> StateError {
    let path = path.to_owned();
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StateError::NotDatabase { path },
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StateError::InUse { path },
        _ => StateError::Database {
            path,
            source: Box::new(e),
        },
    }
}

pub(super) fn undecodable(path: &Path, at: String, e: &serde_json::Error) -> StateError {
    StateError::Invalid {
        path: path.to_owned(),
        at,
        message: e.to_string(),
    }
}
