//! Names the shape of a meeting's state as this build serializes it: a hash of the `shared` crate's
//! source. A stored snapshot of a meeting is read back only by a build of the same shape; any other
//! replays the log from the start (and writes a snapshot of its own shape), so a change to the
//! state's types can never be read from a snapshot written before it.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

fn main() {
    // Read at run time: `env!` would bake in the directory the script was first compiled in.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let shared = Path::new(&manifest).join("../shared/src");
    println!("cargo:rerun-if-changed={}", shared.display());
    let mut files = Vec::new();
    collect(&shared, &mut files);
    files.sort();
    let mut hash = Sha256::new();
    for file in &files {
        let relative = file.strip_prefix(&shared).expect("under shared/src");
        hash.update(relative.to_string_lossy().as_bytes());
        hash.update([0]);
        hash.update(std::fs::read(file).expect("a source file of shared is readable"));
        hash.update([0]);
    }
    let digest = hash.finalize();
    let shape: String = digest.iter().take(8).map(|byte| format!("{byte:02x}")).collect();
    println!("cargo:rustc-env=ROSTRUM_STATE_SHAPE={shape}");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("shared/src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}
