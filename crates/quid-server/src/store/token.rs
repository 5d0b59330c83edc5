//! API tokens: 32 random bytes shown once as `quid_` and 64 hexadecimal digits; the database
//! keeps only the SHA-256 of the token text, so a copy of the database grants nothing.

use quid_store::{hex, random_bytes, Chain};

/// A new random token (the workspace's own source of random bytes).
pub fn generate() -> Result<String, String> {
    let b = random_bytes().map_err(|e| format!("no random bytes for a token: {e}"))?;
    Ok(format!("quid_{}", hex(&b)))
}

/// The hash stored for a token: SHA-256 of its text, in hexadecimal (the workspace's plain
/// chain hash of one part).
pub fn hash(token: &str) -> String {
    Chain::Plain.mac(&[token.as_bytes()])
}

#[cfg(test)]
mod tests {
    #[test]
    fn hash_is_sha256_of_the_text() {
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(
            super::hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let t = super::generate().unwrap();
        assert!(t.starts_with("quid_") && t.len() == 69);
    }
}
