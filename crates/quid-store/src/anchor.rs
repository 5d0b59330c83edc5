//! The anchor: a small text file beside the database (`<database>.anchor`) holding the number of
//! entries and the head hash of the chain, signed with the workspace's key. Deleting the last
//! rows or truncating the database leaves a chain that is consistent in itself but no longer
//! ends where the anchor says.
//!
//! While an import commits, the anchor also names the state before it (`previous`), so a
//! reader that looks between the anchor's write and the commit is not misled; the writer drops
//! `previous` once the commit is done.

use crate::chain::Chain;
use crate::StoreError;
use std::path::{Path, PathBuf};

/// A state of the chain: number of entries and the hash of the last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub entries: i64,
    pub hash: String,
}

impl std::fmt::Display for Head {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} entries, head {}", self.entries, self.hash)
    }
}

/// The anchor's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub workspace: String,
    pub head: Head,
    pub previous: Option<Head>,
}

const TITLE: &str = "quid workspace anchor 1";

/// Reads a small regular file whole (a FIFO or device is refused, not waited on).
pub(crate) fn read_small(path: &Path, limit: u64) -> std::io::Result<String> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    if meta.len() > limit {
        return Err(std::io::Error::other(format!(
            "{} bytes, more than the {limit} such a file holds",
            meta.len()
        )));
    }
    std::fs::read_to_string(path)
}

/// The anchor file of a database.
pub fn path_of(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(".anchor");
    PathBuf::from(s)
}

impl Anchor {
    fn body(&self) -> String {
        let mut s = format!(
            "{TITLE}\nworkspace {}\nentries {}\nhead {}\n",
            self.workspace, self.head.entries, self.head.hash
        );
        if let Some(p) = &self.previous {
            s.push_str(&format!("previous {} {}\n", p.entries, p.hash));
        }
        s
    }

    /// Writes the anchor atomically (a temporary file renamed into place).
    pub fn write(&self, path: &Path, chain: &Chain) -> Result<(), StoreError> {
        let body = self.body();
        let text = format!("{body}mac {}\n", chain.mac(&[body.as_bytes()]));
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(format!(".tmp{}", std::process::id()));
        let tmp = PathBuf::from(tmp);
        let io =
            |e: std::io::Error| StoreError::Anchor(format!("cannot write {}: {e}", path.display()));
        std::fs::write(&tmp, text).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// Reads and authenticates the anchor.
    pub fn read(path: &Path, chain: &Chain) -> Result<Anchor, StoreError> {
        let bad = |why: &str| StoreError::Anchor(format!("{}: {why}", path.display()));
        let text = read_small(path, 4096).map_err(|e| {
            StoreError::Anchor(format!(
                "the workspace's anchor {} cannot be read: {e}",
                path.display()
            ))
        })?;
        let (body, mac) = text.rsplit_once("mac ").ok_or_else(|| bad("no mac line"))?;
        if chain.mac(&[body.as_bytes()]) != mac.trim() {
            return Err(bad(
                "its signature does not match the workspace's key (the anchor was edited)",
            ));
        }
        let mut lines = body.lines();
        if lines.next() != Some(TITLE) {
            return Err(bad("not a quid workspace anchor"));
        }
        let mut field = |name: &str| {
            lines
                .next()
                .and_then(|l| l.strip_prefix(name))
                .and_then(|l| l.strip_prefix(' '))
                .map(str::to_string)
                .ok_or_else(|| bad(&format!("no {name} line")))
        };
        let workspace = field("workspace")?;
        let entries = field("entries")?
            .parse()
            .map_err(|_| bad("entries is not a number"))?;
        let hash = field("head")?;
        let previous = match field("previous") {
            Ok(p) => {
                let (n, h) = p.split_once(' ').ok_or_else(|| bad("bad previous line"))?;
                Some(Head {
                    entries: n.parse().map_err(|_| bad("bad previous line"))?,
                    hash: h.to_string(),
                })
            }
            Err(_) => None,
        };
        Ok(Anchor {
            workspace,
            head: Head { entries, hash },
            previous,
        })
    }

    /// True when the database's state is the anchored one (or, mid-commit, the previous one).
    pub fn accepts(&self, state: &Head) -> bool {
        self.head == *state || self.previous.as_ref() == Some(state)
    }
}
