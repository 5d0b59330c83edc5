//! The workspace's secret key: 32 random bytes created with the workspace and kept apart from
//! it, in a key folder of the user's (`QUID_KEY_DIR`, else `$XDG_CONFIG_HOME/quid/keys`, else
//! `~/.config/quid/keys`), one file per workspace named by the workspace's id, readable by its
//! owner only (0600 in a 0700 folder on Unix).

use crate::chain::hex;
use crate::StoreError;
use std::path::{Path, PathBuf};

/// Where workspace keys are kept.
#[derive(Debug, Clone)]
pub struct KeyStore {
    pub dir: PathBuf,
}

impl KeyStore {
    /// The key folder named by the environment (see the module's documentation).
    pub fn from_env() -> Result<KeyStore, StoreError> {
        let dir = match std::env::var_os("QUID_KEY_DIR") {
            Some(d) if !d.is_empty() => PathBuf::from(d),
            _ => std::env::var_os("XDG_CONFIG_HOME")
                .filter(|d| !d.is_empty())
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
                .map(|d| d.join("quid").join("keys"))
                .ok_or_else(|| {
                    StoreError::Key(
                        "no folder for workspace keys: set QUID_KEY_DIR (or HOME)".to_string(),
                    )
                })?,
        };
        Ok(KeyStore { dir })
    }

    /// A key folder at `dir` (tests, servers).
    pub fn at(dir: impl Into<PathBuf>) -> KeyStore {
        KeyStore { dir: dir.into() }
    }

    /// The key file of a workspace.
    pub fn path(&self, workspace_id: &str) -> PathBuf {
        self.dir.join(format!("{workspace_id}.key"))
    }

    /// Reads a workspace's key.
    pub fn read(&self, workspace_id: &str) -> Result<[u8; 32], StoreError> {
        let path = self.path(workspace_id);
        let text = crate::anchor::read_small(&path, 1024).map_err(|e| {
            StoreError::Key(format!(
                "the key of workspace {workspace_id} cannot be read from {}: {e} (the key is \
                 created with the workspace and kept apart from it; copy it from the machine \
                 the workspace was created on, or point QUID_KEY_DIR at its folder)",
                path.display()
            ))
        })?;
        parse_key(text.trim()).ok_or_else(|| {
            StoreError::Key(format!(
                "{} is not a workspace key (64 hexadecimal digits)",
                path.display()
            ))
        })
    }

    /// Creates and stores a new random key for a workspace.
    pub fn create(&self, workspace_id: &str) -> Result<[u8; 32], StoreError> {
        let key = random_bytes()?;
        let io = |e: std::io::Error, p: &Path| {
            StoreError::Key(format!(
                "cannot write the workspace key {}: {e}",
                p.display()
            ))
        };
        std::fs::create_dir_all(&self.dir).map_err(|e| io(e, &self.dir))?;
        restrict(&self.dir, 0o700);
        let path = self.path(workspace_id);
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts.open(&path).map_err(|e| io(e, &path))?;
        std::io::Write::write_all(&mut f, format!("{}\n", hex(&key)).as_bytes())
            .and_then(|()| f.sync_all())
            .map_err(|e| io(e, &path))?;
        Ok(key)
    }
}

/// 32 bytes from the operating system's random source.
pub fn random_bytes() -> Result<[u8; 32], StoreError> {
    let mut key = [0u8; 32];
    getrandom::getrandom(&mut key)
        .map_err(|e| StoreError::Key(format!("no random source for a workspace key: {e}")))?;
    Ok(key)
}

fn parse_key(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut key = [0u8; 32];
    for (i, k) in key.iter_mut().enumerate() {
        *k = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(key)
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    // Best effort: a folder we do not own keeps its permissions.
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
fn restrict(_: &Path, _: u32) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_round_trips_and_is_private() {
        let dir = std::env::temp_dir().join(format!("quid-keys-{}", std::process::id()));
        let ks = KeyStore::at(&dir);
        let k = ks.create("ws1").expect("create");
        assert_eq!(ks.read("ws1").expect("read"), k);
        // A second key for the same workspace is never written over the first.
        assert!(ks.create("ws1").is_err());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(ks.path("ws1"))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(parse_key("zz"), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
