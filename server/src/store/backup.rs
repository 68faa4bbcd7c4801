//! Online backup and restore of the database, with SQLite's backup API: a consistent copy taken
//! while the server runs and writes (WAL lets the copy read one snapshot while the writer goes on).

use std::path::{Path, PathBuf};

use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};

use super::StoreError;

/// The database file in a data directory.
pub const DATABASE: &str = "rostrum.db";

/// Copies the database of `data_dir` to `out` (which must not exist) as one consistent snapshot,
/// and gives every meeting of the copy a new epoch: a restored log is another incarnation, and
/// clients that saw events after the copy was taken must get a snapshot, not a replay.
pub fn backup(data_dir: &Path, out: &Path) -> Result<(), StoreError> {
    if out.exists() {
        return Err(StoreError::Exists(out.display().to_string()));
    }
    let source = Connection::open_with_flags(
        data_dir.join(DATABASE),
        // Read-write without create: a missing database is an error, and WAL needs its shared memory.
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    source.busy_timeout(std::time::Duration::from_secs(5))?;
    let partial = partial_path(out);
    let _ = std::fs::remove_file(&partial);
    {
        let mut copy = Connection::open(&partial)?;
        {
            // All pages in one step: one read transaction, so one consistent snapshot however busy
            // the writer is (a copy in several steps restarts whenever the source changes).
            copy_all(&Backup::new(&source, &mut copy)?)?;
        }
        new_epochs(&copy)?;
        copy.pragma_update(None, "journal_mode", "DELETE")?;
    }
    std::fs::File::open(&partial)?.sync_all()?;
    std::fs::rename(&partial, out)?;
    Ok(())
}

/// Puts the backup `from` in place as the database of `data_dir` (which must hold none, and which
/// the caller has locked), with new epochs again: each restore is its own incarnation.
pub fn restore(from: &Path, data_dir: &Path) -> Result<PathBuf, StoreError> {
    let target = data_dir.join(DATABASE);
    if target.exists() {
        return Err(StoreError::Exists(target.display().to_string()));
    }
    let source = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let integrity: String = source.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if integrity != "ok" {
        return Err(StoreError::Corrupt { meeting: "*".into(), seq: 0, reason: integrity });
    }
    let partial = partial_path(&target);
    let _ = std::fs::remove_file(&partial);
    {
        let mut copy = Connection::open(&partial)?;
        copy_all(&Backup::new(&source, &mut copy)?)?;
        new_epochs(&copy)?;
    }
    std::fs::File::open(&partial)?.sync_all()?;
    std::fs::rename(&partial, &target)?;
    Ok(target)
}

/// Copies every page in one step (`step(-1)`), waiting while the source is locked.
fn copy_all(backup: &Backup<'_, '_>) -> Result<(), StoreError> {
    use rusqlite::backup::StepResult;
    for _ in 0..500 {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More | StepResult::Busy | StepResult::Locked => {
                std::thread::sleep(std::time::Duration::from_millis(10))
            }
            _ => std::thread::sleep(std::time::Duration::from_millis(10)),
        }
    }
    Err(StoreError::from(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
        Some("the database stayed locked for 5 seconds".into()),
    )))
}

fn new_epochs(conn: &Connection) -> Result<(), StoreError> {
    // `meetings` is absent from a database that never held one; nothing to renew then.
    let has_meetings: bool =
        conn.query_row("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'meetings'", [], |r| {
            r.get(0)
        })?;
    if has_meetings {
        let meetings: Vec<String> =
            conn.prepare("SELECT id FROM meetings")?.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        for id in meetings {
            conn.execute("UPDATE meetings SET epoch = ?1 WHERE id = ?2", [crate::auth::random_id(), id])?;
        }
    }
    Ok(())
}

fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".partial");
    path.with_file_name(name)
}
