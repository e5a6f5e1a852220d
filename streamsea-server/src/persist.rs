//! The state file (`--state FILE`): jails, clients (secret hashes, JWT public
//! keys) and schemas as JSON, written atomically (a temporary file in the
//! same directory, flushed to disk, then a rename over the old one, then the
//! directory flushed). Temporary files left by a crash are removed at start.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use streamsea_schema::SchemaDefinition;

/// The format number of the state file.
pub(crate) const FORMAT: u32 = 1;

/// The whole state file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct PersistedState {
    pub(crate) format: u32,
    pub(crate) root_jail: String,
    pub(crate) jails: Vec<PersistedJail>,
}

/// One jail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct PersistedJail {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) clients: Vec<PersistedClient>,
    pub(crate) schemas: Vec<SchemaDefinition>,
}

/// One client; only the SHA-256 of its secret is kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct PersistedClient {
    pub(crate) id: String,
    #[serde(default)]
    pub(crate) description: String,
    pub(crate) secret_sha256: String,
    #[serde(default)]
    pub(crate) jwt_public_key: Option<String>,
}

/// Reads the state file; `None` when it does not exist yet.
pub(crate) fn load(path: &Path) -> Result<Option<PersistedState>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read: {e}")),
    };
    let state: PersistedState =
        serde_json::from_str(&text).map_err(|e| format!("not a valid state file: {e}"))?;
    if state.format != FORMAT {
        return Err(format!(
            "format {} is not supported (expected {FORMAT})",
            state.format
        ));
    }
    Ok(Some(state))
}

/// The prefix of the state file's temporary files: `state.json.tmp-`.
fn temp_prefix(path: &Path) -> std::ffi::OsString {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "state".into());
    name.push(".tmp-");
    name
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = temp_prefix(path);
    name.push(std::process::id().to_string());
    path.with_file_name(name)
}

/// Removes the temporary files a crashed writer of the state file left
/// (`state.json.tmp-*` next to it); how many were removed.
pub(crate) fn remove_stale_temps(path: &Path) -> Result<usize, String> {
    let prefix = temp_prefix(path);
    let prefix = prefix.as_encoded_bytes();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(format!("cannot list {}: {e}", dir.display())),
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.as_encoded_bytes().starts_with(prefix) {
            std::fs::remove_file(entry.path())
                .map_err(|e| format!("cannot remove {}: {e}", entry.path().display()))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Writes the state file atomically: temporary file, flush to disk, rename.
pub(crate) fn save(path: &Path, state: &PersistedState) -> Result<(), String> {
    let text =
        serde_json::to_vec_pretty(state).map_err(|e| format!("cannot serialize the state: {e}"))?;
    let tmp = temp_path(path);
    let write = || -> std::io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        // Only the server's user may read the hashes of secrets it holds.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut f = options.open(&tmp)?;
        f.write_all(&text)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        // The rename itself is durable once the directory is flushed.
        #[cfg(unix)]
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write: {e}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_and_loads() {
        let dir = std::env::temp_dir().join(format!("streamsea-persist-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.json");
        assert_eq!(load(&path).unwrap(), None);
        let state = PersistedState {
            format: FORMAT,
            root_jail: "root".into(),
            jails: vec![PersistedJail {
                id: "root".into(),
                name: "Root".into(),
                clients: vec![PersistedClient {
                    id: "app".into(),
                    description: String::new(),
                    secret_sha256: "00".into(),
                    jwt_public_key: None,
                }],
                schemas: vec![SchemaDefinition::new("s", 1, vec![])],
            }],
        };
        save(&path, &state).unwrap();
        assert_eq!(load(&path).unwrap(), Some(state));
        assert!(!temp_path(&path).exists());
        std::fs::write(&path, "{").unwrap();
        assert!(load(&path).unwrap_err().contains("not a valid state file"));
        std::fs::write(dir.join("state.json.tmp-1"), "x").unwrap();
        std::fs::write(dir.join("state.json.tmp-22"), "x").unwrap();
        std::fs::write(dir.join("other.json.tmp-1"), "x").unwrap();
        assert_eq!(remove_stale_temps(&path).unwrap(), 2);
        assert!(!dir.join("state.json.tmp-1").exists());
        assert!(dir.join("other.json.tmp-1").exists());
        assert!(path.exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
