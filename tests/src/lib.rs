//! Shared helpers for the integration tests in `tests/tests/`.

use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::rustls;

/// A one-certificate HTTPS server on 127.0.0.1 that answers every request
/// with `response` (a full HTTP/1.1 response) and hands back the request
/// head it received. Returns the base URL and the CA certificate (PEM) a
/// client must trust.
pub struct TlsServer {
    pub base_url: String,
    pub ca_pem: String,
    pub requests: tokio::sync::mpsc::UnboundedReceiver<String>,
}

impl TlsServer {
    pub async fn start(response: &'static str) -> TlsServer {
        let key = rcgen::KeyPair::generate().expect("key");
        let params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).expect("params");
        let cert = params.self_signed(&key).expect("self-signed certificate");
        let ca_pem = cert.pem();
        let der = cert.der().clone();
        let key_der =
            rustls::pki_types::PrivateKeyDer::try_from(key.serialize_der()).expect("key der");
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("protocols")
        .with_no_client_auth()
        .with_single_cert(vec![der], key_der)
        .expect("server config");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            // Serve a bounded number of connections, then stop.
            for _ in 0..16 {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let acceptor = acceptor.clone();
                let tx = tx.clone();
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    let mut buf = vec![0u8; 16 * 1024];
                    let mut head = Vec::new();
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match tls.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let _ = tx.send(String::from_utf8_lossy(&head).into_owned());
                    let _ = tls.write_all(response.as_bytes()).await;
                    let _ = tls.shutdown().await;
                });
            }
        });
        TlsServer {
            base_url: format!("https://localhost:{port}"),
            ca_pem,
            requests: rx,
        }
    }
}
