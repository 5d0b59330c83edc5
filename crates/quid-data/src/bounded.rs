//! Reading files with a size limit, and paths confined to the data folder.
//!
//! Every file quid reads goes through [`open`] or [`read_string`]: it must be a regular file
//! (a device such as `/dev/zero`, a FIFO or a folder is refused by name), no larger than the
//! limit, and a gzip file may not decompress past the limit either. [`confined`] resolves a
//! path named inside a data file (a list reference) and refuses one that leaves the data folder.
//!
//! ```
//! use quid_data::bounded::{confined, read_string};
//! let dir = std::env::temp_dir().join(format!("quid-doc-bounded-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! std::fs::write(dir.join("a.csv"), "hts8\n72081000\n").unwrap();
//! assert_eq!(read_string(&dir.join("a.csv"), 100).unwrap(), "hts8\n72081000\n");
//! let big = read_string(&dir.join("a.csv"), 4).unwrap_err().to_string();
//! assert!(big.ends_with("is 14 bytes, more than the limit of 4 bytes for this file"), "{big}");
//! assert_eq!(confined(&dir, "a.csv").unwrap(), dir.canonicalize().unwrap().join("a.csv"));
//! assert!(confined(&dir, "../a.csv").is_err());
//! assert!(confined(&dir, "/etc/passwd").is_err());
//! #[cfg(unix)]
//! {
//!     let zero = read_string(std::path::Path::new("/dev/zero"), 100).unwrap_err().to_string();
//!     assert_eq!(zero, "/dev/zero: not a regular file (a device, FIFO or folder); quid reads only regular files");
//! }
//! std::fs::remove_dir_all(&dir).unwrap();
//! ```

use crate::error::DataError;
use flate2::read::GzDecoder;
use std::io::{BufReader, Read};
use std::path::{Component, Path, PathBuf};

/// The largest file (after decompression) quid reads: the biggest bundled file is about a
/// tenth of this.
pub const MAX_FILE_BYTES: u64 = 512 << 20;

/// The largest file quid reads whole as text (measure files, the law file, ledgers, scenarios).
pub const MAX_TEXT_BYTES: u64 = 64 << 20;

fn invalid(path: &Path, message: String) -> DataError {
    DataError::at(path, None, None, message)
}

/// Checks that `path` is a regular file of at most `limit` bytes.
pub fn check_file(path: &Path, limit: u64) -> Result<u64, DataError> {
    let meta = std::fs::metadata(path).map_err(|source| DataError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if !meta.is_file() {
        return Err(invalid(
            path,
            "not a regular file (a device, FIFO or folder); quid reads only regular files".into(),
        ));
    }
    if meta.len() > limit {
        return Err(invalid(
            path,
            format!(
                "is {} bytes, more than the limit of {limit} bytes for this file",
                meta.len()
            ),
        ));
    }
    Ok(meta.len())
}

/// A reader that fails, rather than stops, past its limit.
struct Limited<R> {
    inner: R,
    left: u64,
    limit: u64,
    path: PathBuf,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // Read one byte past the limit to tell "exactly the limit" from "more".
        let want = buf
            .len()
            .min(usize::try_from(self.left + 1).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        if n as u64 > self.left {
            return Err(std::io::Error::other(format!(
                "{}: more than the limit of {} bytes once decompressed",
                self.path.display(),
                self.limit
            )));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// Opens a regular file of at most `limit` bytes for reading, decompressing it when its name
/// ends in `.gz` (the decompressed stream is limited too).
pub fn open_limited(path: &Path, limit: u64) -> Result<Box<dyn Read + Send>, DataError> {
    check_file(path, limit)?;
    let f = std::fs::File::open(path).map_err(|source| DataError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let limited = |inner: Box<dyn Read + Send>| Limited {
        inner,
        left: limit,
        limit,
        path: path.to_path_buf(),
    };
    let r = BufReader::with_capacity(1 << 16, limited(Box::new(f)));
    if path.extension().is_some_and(|e| e == "gz") {
        Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            limited(Box::new(GzDecoder::new(r))),
        )))
    } else {
        Ok(Box::new(r))
    }
}

/// [`open_limited`] with [`MAX_FILE_BYTES`].
pub fn open(path: &Path) -> Result<Box<dyn Read + Send>, DataError> {
    open_limited(path, MAX_FILE_BYTES)
}

/// Reads a whole file (decompressed) of at most `limit` bytes into a string.
pub fn read_string(path: &Path, limit: u64) -> Result<String, DataError> {
    let mut s = String::new();
    open_limited(path, limit)?
        .read_to_string(&mut s)
        .map_err(|source| DataError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(s)
}

/// A text file read whole, with [`MAX_TEXT_BYTES`].
pub fn read_text(path: &Path) -> Result<String, DataError> {
    read_string(path, MAX_TEXT_BYTES)
}

/// The path `rel`, named inside a file of the data folder `root`, resolved and checked to stay
/// inside it: a relative path without `..`, whose real path (symlinks resolved) is under the
/// real path of `root`. The error says which rule it broke.
pub fn confined(root: &Path, rel: &str) -> Result<PathBuf, String> {
    let p = Path::new(rel);
    if rel.is_empty() {
        return Err("an empty file name".into());
    }
    if p.is_absolute() || rel.starts_with('/') || rel.starts_with('\\') {
        return Err(format!(
            "{rel:?} is an absolute path; a list file is named relative to the data folder"
        ));
    }
    if p.components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(format!(
            "{rel:?} leaves the data folder (`..` or a drive prefix); a list file is named \
             relative to the data folder"
        ));
    }
    let root_real = root
        .canonicalize()
        .map_err(|e| format!("the data folder {}: {e}", root.display()))?;
    let real = root
        .join(p)
        .canonicalize()
        .map_err(|e| format!("{}: {e}", root.join(p).display()))?;
    if !real.starts_with(&root_real) {
        return Err(format!(
            "{rel:?} resolves to {}, outside the data folder {} (a symbolic link?)",
            real.display(),
            root_real.display()
        ));
    }
    Ok(real)
}
