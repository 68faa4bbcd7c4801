//! Nothing the server keeps is left open on disk: the data directory holds contact emails,
//! closed meetings' files and the signing keys, so only the account that runs Rostrum reads it.

use std::io;
use std::net::SocketAddr;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use rustix::fs::Mode;

/// Mode of the data directory and every directory in it.
pub const DIRECTORY_MODE: u32 = 0o700;
/// Mode of every file the server writes: the database, its WAL and shared memory, backups, keys.
pub const FILE_MODE: u32 = 0o600;

/// Makes every file and directory this process creates from now on private to its user (umask
/// 077): SQLite's WAL and shared-memory files, backups and key rings are created by code that
/// does not choose their mode. Called first thing by the `rostrum` binary.
pub fn private_from_now_on() {
    rustix::process::umask(Mode::from_raw_mode(0o077));
}

/// Closes what an earlier version (or a careless copy) left open: `dir` becomes 0700, every
/// directory under it 0700 and every file 0600. Returns how many modes it changed.
pub fn tighten(dir: &Path) -> io::Result<usize> {
    let mut changed = set_mode(dir, DIRECTORY_MODE)?;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            changed += tighten(&entry.path())?;
        } else if kind.is_file() {
            changed += set_mode(&entry.path(), FILE_MODE)?;
        }
    }
    Ok(changed)
}

fn set_mode(path: &Path, mode: u32) -> io::Result<usize> {
    let current = std::fs::metadata(path)?.permissions().mode() & 0o777;
    if current == mode {
        return Ok(0);
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    Ok(1)
}

/// What to say at start when tokens would cross a network in clear: the server listens beyond
/// loopback and its public address is not `https://` (Rostrum speaks plain HTTP; TLS is a proxy's
/// job, and `--public-url https://…` says one is in front).
pub fn clear_text_warning(addr: SocketAddr, public_url: &str) -> Option<String> {
    if addr.ip().is_loopback() || public_url.starts_with("https://") {
        return None;
    }
    Some(format!(
        "listening on {addr} without TLS: access tokens and contact details would cross the network in clear. Put a TLS proxy in front and pass --public-url https://… (see \"Running it for real\" in the README), or listen on 127.0.0.1."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listening_beyond_loopback_without_tls_is_warned_about() {
        let everywhere: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        let loopback: SocketAddr = "127.0.0.1:8080".parse().unwrap();

        assert!(clear_text_warning(everywhere, "http://192.0.2.10:8080").is_some());
        assert!(clear_text_warning(everywhere, "https://rostrum.example.org").is_none());
        assert!(clear_text_warning(loopback, "http://127.0.0.1:8080").is_none());
    }

    #[test]
    fn a_directory_left_open_is_closed_all_the_way_down() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("uploads");
        std::fs::create_dir(&nested).unwrap();
        std::fs::write(dir.path().join("rostrum.db"), b"").unwrap();
        std::fs::write(nested.join("file"), b"").unwrap();
        for path in [dir.path(), &nested] {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        for file in [dir.path().join("rostrum.db"), nested.join("file")] {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        }

        let changed = tighten(dir.path()).unwrap();

        assert_eq!(changed, 4);
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!((mode(dir.path()), mode(&nested)), (0o700, 0o700));
        assert_eq!((mode(&dir.path().join("rostrum.db")), mode(&nested.join("file"))), (0o600, 0o600));
        assert_eq!(tighten(dir.path()).unwrap(), 0, "a second pass changes nothing");
    }
}
