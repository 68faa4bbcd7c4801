//! Nothing Rostrum keeps is left open on disk (issue 12): the data directory is 0700, and the
//! database, its WAL and shared-memory files, the key ring, uploads and backups are 0600. The
//! binary runs here, since the file modes come from what it does at start.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use rostrum_tests::{rostrum_bin, segment, Server};

/// Every directory and file under `dir` (itself included), with its mode.
fn modes(dir: &Path) -> Vec<(PathBuf, u32)> {
    let mut all = vec![(dir.to_path_buf(), std::fs::metadata(dir).unwrap().permissions().mode() & 0o777)];
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            all.extend(modes(&entry.path()));
        } else {
            all.push((entry.path(), entry.metadata().unwrap().permissions().mode() & 0o777));
        }
    }
    all
}

fn open_to_others(dir: &Path) -> Vec<String> {
    modes(dir)
        .into_iter()
        .filter(|(_, mode)| mode & 0o077 != 0)
        .map(|(path, mode)| format!("{} is {mode:o}", path.display()))
        .collect()
}

#[tokio::test]
async fn everything_the_server_writes_and_its_backups_are_private_to_its_user() {
    // Arrange
    let server = Server::start().await;
    let sec = server.meeting("m1", "open", &[segment("General debate", "all", 180)]).await;
    server.upload(&sec, "m1").await;
    let backups = tempfile::tempdir().unwrap();
    let backup = backups.path().join("rostrum-backup.db");

    // Act
    let out = Process::new(rostrum_bin()).args(["backup", "--data"]).arg(&server.data).arg(&backup).output().unwrap();

    // Assert
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let written = modes(&server.data);
    assert!(written.iter().any(|(p, _)| p.ends_with("rostrum.db-wal")), "the WAL is there to check: {written:?}");
    assert_eq!(open_to_others(&server.data), Vec::<String>::new());
    assert_eq!(std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777, 0o600);
}

#[tokio::test]
async fn a_data_directory_left_open_is_made_private_when_the_server_starts() {
    // Arrange: a data directory as an earlier version left it
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let first = Server::start_in(&data).await;
    first.meeting("m1", "open", &[]).await;
    drop(first);
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(data.join("rostrum.db"), std::fs::Permissions::from_mode(0o644)).unwrap();

    // Act
    let _second = Server::start_in(&data).await;

    // Assert
    assert_eq!(open_to_others(&data), Vec::<String>::new());
}
