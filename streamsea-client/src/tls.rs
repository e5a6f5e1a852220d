//! The one rustls configuration shared by HTTPS and WSS: the built-in Mozilla
//! roots (`webpki-roots`) and any root certificates the user adds, with the
//! `ring` crypto provider. No native TLS library is involved.
//!
//! A certificate the user adds is also trusted as the server's own
//! certificate when the server presents exactly it, even with the `CA:TRUE`
//! basic constraint that `openssl req -x509` writes by default (webpki
//! refuses a CA certificate as an end entity): that is how a local server's
//! self-signed certificate is trusted. The name and validity checks still
//! apply.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

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
        roots.add(cert.clone()).map_err(|e| {
            BuildError::tls(
                format!(
                    "added root certificate {} of {} cannot be trusted: {e}",
                    i + 1,
                    extra_roots.len()
                ),
                e,
            )
        })?;
    }
    if roots.is_empty() {
        return Err(BuildError::Tls {
            reason: "no root certificate to trust: keep the built-in roots or add one".into(),
            source: None,
        });
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| BuildError::tls(format!("the protocol versions: {e}"), e))?;
    let config = if extra_roots.is_empty() {
        builder.with_root_certificates(roots).with_no_client_auth()
    } else {
        let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .map_err(|e| BuildError::tls(format!("the certificate verifier: {e}"), e))?;
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AddedCertificates {
                webpki,
                added: extra_roots.to_vec(),
            }))
            .with_no_client_auth()
    };
    Ok(Arc::new(config))
}

/// The webpki verifier, which also accepts a server certificate that is
/// exactly one the user added but that webpki refuses only for being a CA.
#[derive(Debug)]
struct AddedCertificates {
    webpki: Arc<WebPkiServerVerifier>,
    added: Vec<CertificateDer<'static>>,
}

impl ServerCertVerifier for AddedCertificates {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let refused = match self.webpki.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Ok(verified) => return Ok(verified),
            Err(e) => e,
        };
        // webpki checks the validity period before the basic constraints,
        // so this refusal means the certificate is current. rustls passes
        // this webpki error on as it is, inside `CertificateError::Other`.
        let only_a_ca = matches!(
            &refused,
            rustls::Error::InvalidCertificate(CertificateError::Other(other))
                if matches!(
                    other.0.downcast_ref::<webpki::Error>(),
                    Some(webpki::Error::CaUsedAsEndEntity)
                )
        );
        if only_a_ca && self.added.iter().any(|c| c.as_ref() == end_entity.as_ref()) {
            let parsed = ParsedCertificate::try_from(end_entity)?;
            rustls::client::verify_server_name(&parsed, server_name)?;
            return Ok(ServerCertVerified::assertion());
        }
        Err(refused)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}
