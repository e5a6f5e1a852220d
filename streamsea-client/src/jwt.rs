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
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::errors::ErrorKind;
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
/// The largest key size accepted: the largest the RS512 signer takes, so
/// that every generated key can sign.
pub const MAX_KEY_BITS: usize = 4096;

/// Signs `claims` with an RSA private key in PEM form (PKCS#8 `PRIVATE KEY`
/// or PKCS#1 `RSA PRIVATE KEY`), RS512, as a JWS compact token.
///
/// A filter in the claims is checked first ([`Filter::check`](streamsea_protocol::filter::Filter::check)),
/// so a malformed one is an error here rather than a token the server
/// refuses.
///
/// A key that is not an RSA private key in PEM form, or whose size the
/// signer refuses (RS512 signing takes 2048 to 4096 bits), is a
/// [`JwtError::Key`]; its source is the `jsonwebtoken::errors::Error`.
pub fn sign(claims: &Claims, private_key_pem: &str) -> Result<String, JwtError> {
    if let Some(filter) = &claims.filter {
        filter
            .check()
            .map_err(|e| JwtError::Filter(e.to_string()))?;
    }
    let algorithm: Algorithm = ALGORITHM.parse().map_err(|e| JwtError::Sign {
        reason: format!("algorithm {ALGORITHM}: {e}"),
        source: Some(Arc::new(e)),
    })?;
    let key = EncodingKey::from_rsa_pem(private_key_pem.as_bytes()).map_err(|e| JwtError::Key {
        reason: format!("it is not an RSA private key in PEM form (PKCS#1 or PKCS#8): {e}"),
        source: Some(Arc::new(e)),
    })?;
    jsonwebtoken::encode(&Header::new(algorithm), claims, &key).map_err(encode_error)
}

/// The error of signing with a key read from PEM: the signer checks the key
/// itself only now.
fn encode_error(e: jsonwebtoken::errors::Error) -> JwtError {
    match e.kind() {
        ErrorKind::InvalidRsaKey(_) | ErrorKind::InvalidKeyFormat => JwtError::Key {
            reason: format!(
                "the signer refuses it (RS512 signing takes an RSA key of 2048 to 4096 bits): {e}"
            ),
            source: Some(Arc::new(e)),
        },
        _ => JwtError::Sign {
            reason: e.to_string(),
            source: Some(Arc::new(e)),
        },
    }
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

/// Generates an RSA key pair of `bits` bits (2048 to 4096) from the operating
/// system's random source. This is CPU work (about a second for 2048 bits in
/// an optimized build): call it from `spawn_blocking` in async code.
///
/// Needs the `keygen` feature (it brings the `rsa` crate).
#[cfg(feature = "keygen")]
pub fn generate_key_pair(bits: usize) -> Result<KeyPair, JwtError> {
    if !(MIN_KEY_BITS..=MAX_KEY_BITS).contains(&bits) {
        return Err(JwtError::Generate {
            reason: format!("{bits} bits: the size must be within {MIN_KEY_BITS}..={MAX_KEY_BITS}"),
            source: None,
        });
    }
    let private = RsaPrivateKey::new(&mut OsRng, bits)
        .map_err(|e| JwtError::generate(&format!("{bits} bits"), e))?;
    let private_pem = private
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| JwtError::generate("PEM export of the private key", e))?;
    let public_pem = private
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| JwtError::generate("PEM export of the public key", e))?;
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

    /// The `jsonwebtoken` error at the end of `e`'s source chain.
    fn jwt_source(e: &JwtError) -> &jsonwebtoken::errors::Error {
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            if let Some(found) = s.downcast_ref::<jsonwebtoken::errors::Error>() {
                return found;
            }
            source = s.source();
        }
        panic!("no jsonwebtoken error in the chain of {e:?}")
    }

    #[test]
    fn refuses_bad_keys_and_filters() {
        let claims = Claims::default_for_tool();
        let e = sign(&claims, "not a key").unwrap_err();
        assert!(matches!(e, JwtError::Key { .. }), "{e:?}");
        assert!(e.to_string().contains("not an RSA private key"), "{e}");
        assert_eq!(jwt_source(&e).kind(), &ErrorKind::InvalidKeyFormat);
        let bad = Claims {
            filter: Some(Filter::path("a..b")),
            ..Claims::default_for_tool()
        };
        assert!(matches!(sign(&bad, PRIVATE), Err(JwtError::Filter(_))));
    }

    #[test]
    fn keys_the_signer_cannot_use_are_key_errors_with_their_cause() {
        // Well-formed RSA keys that PEM reading accepts and the signer
        // refuses: 1024 bits (too small) and 4608 bits (too large).
        let small = RsaPrivateKey::new(&mut OsRng, 1024).unwrap();
        let small = small.to_pkcs8_pem(LineEnding::LF).unwrap();
        let oversized = streamsea_testkit::fixtures::OVERSIZED_PRIVATE;
        for pem in [small.as_str(), oversized] {
            let e = sign(&Claims::default_for_tool(), pem).unwrap_err();
            assert!(matches!(e, JwtError::Key { .. }), "{e:?}");
            assert!(e.to_string().contains("2048 to 4096 bits"), "{e}");
            assert!(
                matches!(jwt_source(&e).kind(), ErrorKind::InvalidRsaKey(_)),
                "{e:?}"
            );
        }
    }

    #[test]
    fn signing_failures_keep_the_jwt_library_error() {
        let e = encode_error(ErrorKind::RsaFailedSigning.into());
        assert!(matches!(e, JwtError::Sign { .. }), "{e:?}");
        assert_eq!(e.to_string(), "signing failed: RsaFailedSigning");
        assert_eq!(jwt_source(&e).kind(), &ErrorKind::RsaFailedSigning);
    }

    #[test]
    fn generation_failures_keep_the_rsa_library_error() {
        let e = JwtError::generate("2048 bits", rsa::Error::NprimesTooSmall);
        assert!(e
            .to_string()
            .starts_with("RSA key generation failed: 2048 bits: "));
        let source = std::error::Error::source(&e).expect("a source");
        assert_eq!(
            source.downcast_ref::<rsa::Error>(),
            Some(&rsa::Error::NprimesTooSmall)
        );
        // A size out of range has no library error behind it.
        let e = generate_key_pair(1024).unwrap_err();
        assert!(
            matches!(e, JwtError::Generate { source: None, .. }),
            "{e:?}"
        );
        assert!(e.to_string().contains("1024 bits"), "{e}");
    }

    #[test]
    fn key_size_is_bounded_and_private_key_does_not_print() {
        assert!(generate_key_pair(1024).is_err());
        assert!(generate_key_pair(100_000).is_err());
        // Beyond what the signer takes: refused before any work, so no key
        // is ever generated that cannot sign.
        let e = generate_key_pair(MAX_KEY_BITS + 1).unwrap_err();
        assert!(e.to_string().contains("2048..=4096"), "{e}");
        let k = KeyPair::from_pem("SECRET", "PUBLIC");
        assert!(!format!("{k:?}").contains("SECRET"));
    }
}
