//! The key ring: every secret tokens may be signed with, each under a key id (the JWT `kid`) and
//! with an optional retirement time.
//!
//! The newest key that has not retired signs; every key that has not retired verifies. Rotating
//! adds a key and gives the older ones a retirement time (the overlap window), so that tokens
//! handed out before the rotation keep working until then and no longer.
//!
//! The ring lives in `keys.json` in the data directory (mode 0600). A deployment that predates key
//! ids has only `secret.key`: that secret is the key `k0`, and a token without a `kid` is taken as
//! signed by `k0` — those tokens were all signed with it — until `k0` retires.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rand::RngCore;
use serde::{Deserialize, Serialize};

/// The id of the key kept in `secret.key`, and of every token signed before keys had ids.
pub const LEGACY_KID: &str = "k0";
/// The ring's file in the data directory.
pub const KEYS_FILE: &str = "keys.json";
/// The legacy single secret in the data directory.
pub const SECRET_FILE: &str = "secret.key";

/// One key as stored.
#[derive(Clone, Serialize, Deserialize)]
pub struct StoredKey {
    pub kid: String,
    /// The secret, hex.
    pub secret: String,
    /// Seconds since the epoch.
    pub created_at: i64,
    /// From this time (seconds since the epoch) the key verifies nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retires_at: Option<i64>,
}

impl std::fmt::Debug for StoredKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret.
        f.debug_struct("StoredKey").field("kid", &self.kid).field("retires_at", &self.retires_at).finish()
    }
}

/// The ring as stored in `keys.json`, oldest key first.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct KeyFile {
    pub keys: Vec<StoredKey>,
}

impl KeyFile {
    /// The ring of `data_dir`: `keys.json`, else `secret.key` as the one key `k0` (created with 32
    /// random bytes when neither exists).
    pub fn load_or_create(data_dir: &Path, now_secs: i64) -> anyhow::Result<KeyFile> {
        if let Some(file) = Self::load(data_dir)? {
            return Ok(file);
        }
        let path = data_dir.join(SECRET_FILE);
        let hex = match fs::read_to_string(&path) {
            Ok(hex) => hex.trim().to_string(),
            Err(_) => {
                let hex = hex::encode(random_secret());
                write_private(&path, hex.as_bytes())?;
                tracing::info!(path = %path.display(), "generated a new token secret");
                hex
            }
        };
        super::decode_secret(&hex)?;
        Ok(KeyFile {
            keys: vec![StoredKey { kid: LEGACY_KID.into(), secret: hex, created_at: now_secs, retires_at: None }],
        })
    }

    /// `keys.json` of `data_dir`, if there is one.
    pub fn load(data_dir: &Path) -> anyhow::Result<Option<KeyFile>> {
        let path = data_dir.join(KEYS_FILE);
        match fs::read_to_string(&path) {
            Ok(text) => {
                let file: KeyFile = serde_json::from_str(&text)
                    .map_err(|e| anyhow::anyhow!("{} is not a Rostrum key ring: {e}", path.display()))?;
                anyhow::ensure!(!file.keys.is_empty(), "{} holds no key", path.display());
                Ok(Some(file))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(anyhow::anyhow!("cannot read {}: {e}", path.display())),
        }
    }

    /// Adds a new signing key and retires every older key `overlap_secs` from now (or sooner, if it
    /// was already due). Returns the new key's id.
    pub fn rotate(&mut self, now_secs: i64, overlap_secs: i64) -> String {
        let retire = now_secs + overlap_secs.max(0);
        for key in &mut self.keys {
            key.retires_at = Some(key.retires_at.map_or(retire, |at| at.min(retire)));
        }
        let next =
            self.keys.iter().filter_map(|k| k.kid.strip_prefix('k')?.parse::<u64>().ok()).max().map_or(1, |n| n + 1);
        let kid = format!("k{next}");
        self.keys.push(StoredKey {
            kid: kid.clone(),
            secret: hex::encode(random_secret()),
            created_at: now_secs,
            retires_at: None,
        });
        kid
    }

    /// Writes `keys.json` atomically (a new file renamed over the old one), readable by the owner only.
    pub fn save(&self, data_dir: &Path) -> anyhow::Result<PathBuf> {
        let path = data_dir.join(KEYS_FILE);
        let tmp = data_dir.join(format!("{KEYS_FILE}.tmp"));
        let _ = fs::remove_file(&tmp);
        let text = serde_json::to_string_pretty(self)?;
        write_private(&tmp, text.as_bytes())?;
        fs::rename(&tmp, &path)?;
        if let Ok(dir) = fs::File::open(data_dir) {
            let _ = dir.sync_all();
        }
        Ok(path)
    }
}

fn random_secret() -> [u8; 32] {
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    secret
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| anyhow::anyhow!("cannot create {}: {e}", path.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotating_retires_the_old_keys_after_the_overlap_and_adds_the_next_id() {
        let mut ring = KeyFile {
            keys: vec![StoredKey { kid: "k0".into(), secret: "00".repeat(32), created_at: 0, retires_at: None }],
        };
        let kid = ring.rotate(1000, 3600);
        assert_eq!(kid, "k1");
        assert_eq!(ring.keys[0].retires_at, Some(4600));
        assert_eq!(ring.keys[1].retires_at, None);
        let again = ring.rotate(2000, 0);
        assert_eq!(again, "k2");
        assert_eq!((ring.keys[0].retires_at, ring.keys[1].retires_at), (Some(2000), Some(2000)));
    }

    #[test]
    fn a_key_is_debug_printed_without_its_secret() {
        let key = StoredKey { kid: "k3".into(), secret: "ab".repeat(32), created_at: 0, retires_at: None };
        assert!(!format!("{key:?}").contains("abab"));
    }
}
