//! API tokens: 32 random bytes shown once as `quid_` and 64 hexadecimal digits; the database
//! keeps only the SHA-256 of the token text, so a copy of the database grants nothing.

use sha2::{Digest, Sha256};

/// A new random token.
pub fn generate() -> Result<String, String> {
    let mut b = [0u8; 32];
    getrandom::getrandom(&mut b).map_err(|e| format!("no random bytes for a token: {e}"))?;
    Ok(format!("quid_{}", hex(&b)))
}

/// The hash stored for a token: SHA-256 of its text, in hexadecimal.
pub fn hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
