//! Test-only keys and certificates, made for these tests and used nowhere
//! else.

use std::path::PathBuf;

/// An RSA private key (PKCS#8 PEM) for signing test JWTs.
pub const JWT_PRIVATE: &str = include_str!("../fixtures/jwt_private.pem");
/// The public half of [`JWT_PRIVATE`] (SubjectPublicKeyInfo PEM).
pub const JWT_PUBLIC: &str = include_str!("../fixtures/jwt_public.pem");
/// A second, unrelated private key: tokens it signs must not verify.
pub const OTHER_PRIVATE: &str = include_str!("../fixtures/other_private.pem");
/// The public half of [`OTHER_PRIVATE`].
pub const OTHER_PUBLIC: &str = include_str!("../fixtures/other_public.pem");
/// An RSA private key of 4608 bits (PKCS#8 PEM): well formed, and larger
/// than the 4096 bits RS512 signing takes.
pub const OVERSIZED_PRIVATE: &str = include_str!("../fixtures/oversized_private.pem");
/// A self-signed certificate for `localhost` and `127.0.0.1` (CA:FALSE).
pub const TLS_CERT: &str = include_str!("../fixtures/tls_cert.pem");
/// The private key of [`TLS_CERT`].
pub const TLS_KEY: &str = include_str!("../fixtures/tls_key.pem");

/// A self-signed certificate for `localhost` made the usual way
/// (`openssl req -x509 ...`), which marks it CA:TRUE.
pub const SELF_SIGNED_CA_CERT: &str = include_str!("../fixtures/self_signed_ca_cert.pem");
/// The private key of [`SELF_SIGNED_CA_CERT`].
pub const SELF_SIGNED_CA_KEY: &str = include_str!("../fixtures/self_signed_ca_key.pem");

/// The path of a fixture file (for tests that pass files to a binary), for
/// example `path("tls_cert.pem")`.
pub fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}
