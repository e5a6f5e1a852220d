//! The one rustls configuration shared by HTTPS and WSS: the built-in Mozilla
//! roots (`webpki-roots`) and any root certificates the user adds, with the
//! `ring` crypto provider. No native TLS library is involved.

use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::RootCertStore;

use crate::error::BuildError;

/// Builds the client TLS configuration.
pub(crate) fn client_config(
    built_in_roots: bool,
    extra_roots: &[CertificateDer<'static>],
) -> Result<Arc<rustls::ClientConfig>, BuildError> {
    let mut roots = RootCertStore::empty();
    if built_in_roots {
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    }
    for (i, cert) in extra_roots.iter().enumerate() {
        roots
            .add(cert.clone())
            .map_err(|e| BuildError::Tls(format!("certificate {}: {e}", i + 1)))?;
    }
    if roots.is_empty() {
        return Err(BuildError::Tls(
            "no root certificate to trust: keep the built-in roots or add one".into(),
        ));
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| BuildError::Tls(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}
