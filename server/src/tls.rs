//! HTTPS and WSS served by Rostrum itself (`--tls-cert`, `--tls-key`), with rustls, for a server
//! reached without a proxy in front. Behind a proxy that holds the certificate
//! (docs/operations.md) Rostrum speaks plain HTTP and this is unused.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{anyhow, bail};
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::{crypto, ServerConfig};
use tokio_rustls::TlsAcceptor;

/// The certificate chain and its private key, both PEM files (as Let's Encrypt's `fullchain.pem`
/// and `privkey.pem`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// Reads the files once, at start: a renewed certificate takes a restart, which is graceful.
pub fn acceptor(files: &TlsFiles) -> anyhow::Result<TlsAcceptor> {
    let read = |path: &Path| std::fs::read(path).map_err(|e| anyhow!("cannot read {}: {e}", path.display()));
    let certs = CertificateDer::pem_slice_iter(&read(&files.cert)?)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow!("{} is not a PEM certificate chain: {e}", files.cert.display()))?;
    if certs.is_empty() {
        bail!("{} holds no certificate (-----BEGIN CERTIFICATE-----)", files.cert.display());
    }
    // The error names the file, never what is in it.
    let key = PrivateKeyDer::from_pem_slice(&read(&files.key)?)
        .map_err(|e| anyhow!("{} holds no PEM private key: {e}", files.key.display()))?;
    let mut config = ServerConfig::builder_with_provider(Arc::new(crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| anyhow!("the key in {} does not fit the certificate: {e}", files.key.display()))?;
    // HTTP/1.1 only: the WebSocket upgrade is an HTTP/1.1 request, and the server speaks no h2.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}
