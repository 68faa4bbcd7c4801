//! With `--tls-cert` and `--tls-key` Rostrum serves HTTPS and WSS itself, for a server reached
//! without a proxy: pages and the API over TLS with HSTS, screens over `wss://`, links in
//! `https://` (so HSTS is on); a certificate that cannot be read stops it with the file's name.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use rostrum_tests::{rostrum_bin, Server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{crypto, ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;
use tokio_tungstenite::tungstenite::Message;

/// A self-signed certificate for `localhost` and its key, written to `dir` as PEM files.
fn certificate(dir: &Path) -> (PathBuf, PathBuf, CertificateDer<'static>) {
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).expect("a certificate");
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert, made.cert.pem()).unwrap();
    std::fs::write(&key, made.key_pair.serialize_pem()).unwrap();
    (cert, key, made.cert.der().clone())
}

/// A TLS connection to the server, trusting only `trusted`.
async fn connect(server: &Server, trusted: &CertificateDer<'static>) -> TlsStream<TcpStream> {
    let mut roots = RootCertStore::empty();
    roots.add(trusted.clone()).unwrap();
    let mut config = ClientConfig::builder_with_provider(Arc::new(crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let tcp = TcpStream::connect(server.addr).await.unwrap();
    let name = ServerName::try_from("localhost").unwrap();
    TlsConnector::from(Arc::new(config)).connect(name, tcp).await.expect("a TLS handshake")
}

/// `GET path` on a stream of its own; the whole answer as text.
async fn get<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(mut stream: S, path: &str) -> String {
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(rostrum_tests::PATIENCE, stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_server_with_a_certificate_serves_https_and_wss_and_refuses_plain_http() {
    // Arrange: the demo meeting, served with a certificate of our own
    let dir = tempfile::tempdir().unwrap();
    let (cert, key, trusted) = certificate(dir.path());
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());
    let server = Server::start_with(dir.path(), &["--tls-cert", cert, "--tls-key", key, "--demo"]).await;

    // Act: a page's worth of API over HTTPS, a display over WSS, and a plain HTTP request
    let health = get(connect(&server, &trusted).await, "/healthz").await;
    let url = format!("wss://localhost:{}/ws", server.addr.port());
    let (mut ws, _) = tokio_tungstenite::client_async(url, connect(&server, &trusted).await).await.expect("wss");
    let hello = r#"{"type":"hello","protocol":"rostrum.v1","meeting":"demo"}"#;
    ws.send(Message::Text(hello.into())).await.unwrap();
    let welcome = ws.next().await.expect("an answer").expect("a frame");
    let plain = get(TcpStream::connect(server.addr).await.unwrap(), "/healthz").await;

    // Assert
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    // HSTS is sent when the public URL is https://, which it is by default with a certificate.
    assert!(health.to_ascii_lowercase().contains("strict-transport-security: max-age="), "{health}");
    assert!(welcome.to_text().unwrap().contains(r#""type":"welcome""#), "{welcome:?}");
    assert!(!plain.contains("200 OK"), "plain HTTP was answered: {plain}");
}

#[tokio::test]
async fn a_certificate_that_cannot_be_read_stops_the_server_naming_the_file() {
    // Arrange: a "certificate" that is not PEM, and a key without its certificate
    let dir = tempfile::tempdir().unwrap();
    let (_, key, _) = certificate(dir.path());
    let bad = dir.path().join("not-a-certificate.pem");
    std::fs::write(&bad, "hello").unwrap();
    let serve = |args: &[&std::ffi::OsStr]| {
        std::process::Command::new(rostrum_bin())
            .args(["serve", "--addr", "127.0.0.1:0", "--data"])
            .arg(dir.path().join("data"))
            .args(args)
            .env_remove("ROSTRUM_TLS_CERT")
            .env_remove("ROSTRUM_TLS_KEY")
            .output()
            .expect("run rostrum serve")
    };

    // Act
    let not_pem = serve(&["--tls-cert".as_ref(), bad.as_os_str(), "--tls-key".as_ref(), key.as_os_str()]);
    let half = serve(&["--tls-key".as_ref(), key.as_os_str()]);

    // Assert
    let said = String::from_utf8_lossy(&not_pem.stderr);
    assert!(!not_pem.status.success());
    assert!(said.contains("not-a-certificate.pem") && said.contains("no certificate"), "{said}");
    assert!(!half.status.success());
    assert!(String::from_utf8_lossy(&half.stderr).contains("--tls-cert"), "{}", String::from_utf8_lossy(&half.stderr));
}
