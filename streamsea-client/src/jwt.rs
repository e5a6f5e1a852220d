//! JWT access (PROTOCOL.md section 6): signing claims with an RSA private key
//! (RS512, JWS compact form) and generating RSA key pairs in PEM.
//!
//! The flow: generate a key pair once, register its public half with
//! [`Client::rotate_jwt_public_key`](crate::Client::rotate_jwt_public_key),
//! keep the private half, and sign short-lived tokens for the parties that
//! should subscribe as the client, optionally limited by a
//! [`Filter`](streamsea_protocol::filter::Filter).
//!
//! ```
//! use std::time::Duration;
//! use streamsea_client::jwt::{self, Claims};
//! use streamsea_client::Filter;
//!
//! # let keys = jwt::KeyPair::from_pem(
//! #     streamsea_testkit::fixtures::JWT_PRIVATE,
//! #     streamsea_testkit::fixtures::JWT_PUBLIC);
//! // let keys = jwt::generate_key_pair(jwt::DEFAULT_KEY_BITS)?;  (a second or so)
//! let claims = Claims {
//!     exp: jwt::expires_in(Duration::from_secs(3600)),
//!     must_fanout: true,
//!     filter: Some(Filter::path("site").eq(Filter::string("north"))),
//! };
//! let token = jwt::sign(&claims, keys.private_pem()).unwrap();
//! assert_eq!(token.split('.').count(), 3);
//! ```

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
#[cfg(feature = "keygen")]
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
#[cfg(feature = "keygen")]
use rsa::rand_core::OsRng;
#[cfg(feature = "keygen")]
use rsa::RsaPrivateKey;

pub use streamsea_protocol::jwt::{Claims, ALGORITHM};

use crate::error::JwtError;

/// The key size [`generate_key_pair`] is usually called with.
pub const DEFAULT_KEY_BITS: usize = 2048;
/// The smallest key size accepted.
pub const MIN_KEY_BITS: usize = 2048;
/// The largest key size accepted (generation time grows fast with size).
pub const MAX_KEY_BITS: usize = 8192;

/// Signs `claims` with an RSA private key in PEM form (PKCS#8 `PRIVATE KEY`
/// or PKCS#1 `RSA PRIVATE KEY`), RS512, as a JWS compact token.
///
/// A filter in the claims is checked first ([`Filter::check`](streamsea_protocol::filter::Filter::check)),
/// so a malformed one is an error here rather than a token the server
/// refuses.
pub fn sign(claims: &Claims, private_key_pem: &str) -> Result<String, JwtError> {
    if let Some(filter) = &claims.filter {
        filter
            .check()
            .map_err(|e| JwtError::Filter(e.to_string()))?;
    }
    let algorithm: Algorithm = ALGORITHM
        .parse()
        .map_err(|e| JwtError::Sign(format!("algorithm {ALGORITHM}: {e}")))?;
    let key = EncodingKey::from_rsa_pem(private_key_pem.as_bytes())
        .map_err(|e| JwtError::Key(e.to_string()))?;
    jsonwebtoken::encode(&Header::new(algorithm), claims, &key)
        .map_err(|e| JwtError::Sign(e.to_string()))
}

/// The UNIX time (seconds) `after` from now, for [`Claims::exp`].
pub fn expires_in(after: Duration) -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        .saturating_add(after.as_secs())
}

/// An RSA key pair in PEM form: the private key as PKCS#8
/// (`-----BEGIN PRIVATE KEY-----`), the public key as SubjectPublicKeyInfo
/// (`-----BEGIN PUBLIC KEY-----`), the form "rotate JWT public key" takes.
///
/// `Debug` does not show the private key.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyPair {
    private_pem: String,
    public_pem: String,
}

impl KeyPair {
    /// A key pair from PEM text kept elsewhere.
    pub fn from_pem(private_pem: impl Into<String>, public_pem: impl Into<String>) -> KeyPair {
        KeyPair {
            private_pem: private_pem.into(),
            public_pem: public_pem.into(),
        }
    }

    /// The private key, PKCS#8 PEM: keep it secret.
    pub fn private_pem(&self) -> &str {
        &self.private_pem
    }

    /// The public key, SubjectPublicKeyInfo PEM: register it with the server.
    pub fn public_pem(&self) -> &str {
        &self.public_pem
    }
}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyPair")
            .field("private_pem", &"***")
            .field("public_pem", &self.public_pem)
            .finish()
    }
}

/// Generates an RSA key pair of `bits` bits (2048 to 8192) from the operating
/// system's random source. This is CPU work (about a second for 2048 bits in
/// an optimized build): call it from `spawn_blocking` in async code.
///
/// Needs the `keygen` feature (it brings the `rsa` crate).
#[cfg(feature = "keygen")]
pub fn generate_key_pair(bits: usize) -> Result<KeyPair, JwtError> {
    if !(MIN_KEY_BITS..=MAX_KEY_BITS).contains(&bits) {
        return Err(JwtError::Generate(format!(
            "{bits} bits: the size must be within {MIN_KEY_BITS}..={MAX_KEY_BITS}"
        )));
    }
    let private =
        RsaPrivateKey::new(&mut OsRng, bits).map_err(|e| JwtError::Generate(e.to_string()))?;
    let private_pem = private
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| JwtError::Generate(format!("PEM export of the private key: {e}")))?;
    let public_pem = private
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| JwtError::Generate(format!("PEM export of the public key: {e}")))?;
    Ok(KeyPair {
        private_pem: private_pem.to_string(),
        public_pem,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use streamsea_protocol::filter::Filter;

    const PRIVATE: &str = streamsea_testkit::fixtures::JWT_PRIVATE;

    #[test]
    fn signs_rs512_compact_tokens() {
        let claims = Claims {
            exp: 1_893_456_000,
            must_fanout: true,
            filter: None,
        };
        let token = sign(&claims, PRIVATE).unwrap();
        let header = jsonwebtoken::decode_header(&token).unwrap();
        assert_eq!(header.alg, Algorithm::RS512);
    }

    #[test]
    fn refuses_bad_keys_and_filters() {
        let claims = Claims::default_for_tool();
        assert!(matches!(sign(&claims, "not a key"), Err(JwtError::Key(_))));
        let bad = Claims {
            filter: Some(Filter::path("a..b")),
            ..Claims::default_for_tool()
        };
        assert!(matches!(sign(&bad, PRIVATE), Err(JwtError::Filter(_))));
    }

    #[test]
    fn key_size_is_bounded_and_private_key_does_not_print() {
        assert!(generate_key_pair(1024).is_err());
        assert!(generate_key_pair(100_000).is_err());
        let k = KeyPair::from_pem("SECRET", "PUBLIC");
        assert!(!format!("{k:?}").contains("SECRET"));
    }
}
