//! A command's fingerprint: what tells a retry (the same id with the same command, answered with
//! the original ack) from an id reused for another command (refused with `id_reused`).
//!
//! The fingerprint is stored with the command's events, so it must not change between versions for
//! the same command: it hashes the command's JSON with object keys sorted, so that reordering a
//! struct's fields or a change of `serde_json`'s map order leaves it as it was.

use std::fmt::Write;

use sha2::{Digest, Sha256};
use shared::Command;

/// The first 128 bits of the SHA-256 of a command's canonical JSON: collisions between two
/// commands of one person under one id are out of reach, and the seen-commands map of a long
/// meeting stays small.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint([u8; 16]);

impl Fingerprint {
    /// The fingerprint of `command` as the client sent it.
    pub fn of(command: &Command) -> Fingerprint {
        let value = serde_json::to_value(command).expect("commands always serialize");
        let mut canonical = String::new();
        write_canonical(&value, &mut canonical);
        let digest = Sha256::digest(canonical.as_bytes());
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        Fingerprint(bytes)
    }

    /// As stored: 32 lower-case hex digits.
    pub fn to_hex(self) -> String {
        hex::encode(self.0)
    }

    /// A stored fingerprint; `None` when the text is not one.
    pub fn from_hex(text: &str) -> Option<Fingerprint> {
        let mut bytes = [0u8; 16];
        hex::decode_to_slice(text, &mut bytes).ok()?;
        Some(Fingerprint(bytes))
    }
}

/// Whether a command with `retry`'s fingerprint is the same command as the one first seen under its
/// id. A command stored before fingerprints existed has none and is taken as the same: before, every
/// retry was.
pub fn same_command(first: Option<Fingerprint>, retry: Fingerprint) -> bool {
    first.is_none_or(|first| first == retry)
}

/// JSON with every object's keys in sorted order and no spaces.
fn write_canonical(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (n, key) in keys.into_iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{}:", Value::String(key.clone()));
                write_canonical(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => {
            let _ = write!(out, "{scalar}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(value: serde_json::Value) -> Command {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn the_same_command_has_the_same_fingerprint_however_its_fields_were_ordered() {
        let one = command(
            serde_json::json!({"type": "request_floor", "kind": "statement", "presence": "remote", "language": "es"}),
        );
        let other = command(
            serde_json::json!({"language": "es", "presence": "remote", "kind": "statement", "type": "request_floor"}),
        );
        assert_eq!(Fingerprint::of(&one), Fingerprint::of(&other));
    }

    #[test]
    fn commands_that_differ_in_anything_have_different_fingerprints() {
        let ask = command(
            serde_json::json!({"type": "request_floor", "kind": "statement", "presence": "remote", "language": "es"}),
        );
        let other_language = command(
            serde_json::json!({"type": "request_floor", "kind": "statement", "presence": "remote", "language": "en"}),
        );
        let withdraw = command(serde_json::json!({"type": "withdraw"}));
        let fingerprints = [Fingerprint::of(&ask), Fingerprint::of(&other_language), Fingerprint::of(&withdraw)];
        assert_ne!(fingerprints[0], fingerprints[1]);
        assert_ne!(fingerprints[0], fingerprints[2]);
        assert_ne!(fingerprints[1], fingerprints[2]);
    }

    #[test]
    fn a_fingerprint_is_stable_across_versions() {
        // Stored fingerprints are compared with new ones after an upgrade: this value must never
        // change. It is the SHA-256 of `{"secs":60,"type":"extend_floor"}`, cut to 128 bits.
        let extend = Fingerprint::of(&Command::ExtendFloor { secs: 60 });
        assert_eq!(extend.to_hex(), "9a6e62bdc08a20730b1739035c50ae16");
    }

    #[test]
    fn a_fingerprint_reads_back_from_its_stored_form() {
        let fingerprint = Fingerprint::of(&Command::PauseFloor);
        assert_eq!(Fingerprint::from_hex(&fingerprint.to_hex()), Some(fingerprint));
        assert_eq!(Fingerprint::from_hex("not hex"), None);
        assert_eq!(Fingerprint::from_hex("abcd"), None);
    }

    #[test]
    fn a_retry_is_the_same_command_unless_its_fingerprint_differs() {
        let pause = Fingerprint::of(&Command::PauseFloor);
        let end = Fingerprint::of(&Command::EndFloor);
        assert!(same_command(Some(pause), pause));
        assert!(!same_command(Some(pause), end));
        assert!(same_command(None, end), "a command stored without a fingerprint");
    }
}
