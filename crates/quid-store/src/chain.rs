//! The entries' hash chain: each entry's hash covers the previous hash and the entry's canonical
//! JSON. Schema 2 keys it (HMAC-SHA256 with the workspace's key), so a chain recomputed without
//! the key does not verify; schema 1 used plain SHA-256 and is read only to upgrade it.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Lower-case hexadecimal of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// How an entry's hash is computed.
#[derive(Clone)]
pub enum Chain {
    /// Schema 1: SHA-256 of `prev \n body`.
    Plain,
    /// Schema 2: HMAC-SHA256 of `prev \n body` under the workspace's key.
    Keyed([u8; 32]),
}

impl Chain {
    /// The hash of an entry whose predecessor's hash is `prev`.
    pub fn link(&self, prev: &str, body: &str) -> String {
        self.mac(&[prev.as_bytes(), b"\n", body.as_bytes()])
    }

    /// The hash (or MAC) of some parts, concatenated.
    pub fn mac(&self, parts: &[&[u8]]) -> String {
        match self {
            Chain::Plain => {
                let mut h = Sha256::new();
                for p in parts {
                    h.update(p);
                }
                hex(&h.finalize())
            }
            Chain::Keyed(key) => {
                // HMAC takes a key of any length; a 32-byte key cannot fail.
                let Ok(mut m) = Hmac::<Sha256>::new_from_slice(key) else {
                    return String::new();
                };
                for p in parts {
                    m.update(p);
                }
                hex(&m.finalize().into_bytes())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231 test case 2 (key "Jefe") checks the HMAC construction; the plain hash of "abc"
    /// is the FIPS 180-2 example.
    #[test]
    fn known_answers() {
        let mut key = [0u8; 32];
        key[..4].copy_from_slice(b"Jefe");
        // With a zero-padded 32-byte key HMAC equals HMAC with "Jefe" (keys are zero-padded
        // to the block size).
        assert_eq!(
            Chain::Keyed(key).mac(&[b"what do ya want ", b"for nothing?"]),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            Chain::Plain.mac(&[b"a", b"bc"]),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
