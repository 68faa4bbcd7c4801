//! The listener. warp serves every HTTP request; WebSocket upgrades on `/ws` are completed here, on
//! the same hyper connection, because warp's `ws()` filter cannot set tungstenite's read buffer:
//! its 128 KiB default per connection would cap how many screens one machine holds, where 4 KiB
//! costs nothing measurable for frames this small.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Request, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use shared::protocol::{MAX_CLIENT_MESSAGE_BYTES, PROTOCOL};
use shared::{Error, ErrorCode};
use tokio_rustls::TlsAcceptor;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use tokio_tungstenite::WebSocketStream;
use tower_service::Service;
use warp::reply::Response;
use warp::Reply;

use crate::limits::{AddressSlot, Refused, Route};
use crate::{api, connection, App};

/// tungstenite's buffers for every connection: small reads, bounded writes, bounded messages.
///
/// Clients send small messages (a hello with its token is well under 1 KiB); a 2 KiB read buffer
/// holds several, and tungstenite grows it for the rare larger frame, up to the 16 KiB limit. An
/// idle screen costs about 2 KiB less than with the ceiling's 4 KiB.
///
/// Frames fed in one burst are gathered up to 8 KiB and written with one syscall when the writer
/// flushes. With a write buffer of 0 every frame was its own `write` (and its own TCP segment for
/// the client to read), which cost a saturated broadcast 5× the CPU per delivery; with 2 KiB a
/// saturated broadcast still cost 2.5× the ceiling's CPU per delivery, with 4 KiB 1.7× and with
/// 8 KiB 1.1× (`make bench`, N = 1,000). The buffer only grows when a burst fills it, and then
/// keeps that size for the life of the connection: an idle screen costs the same, one that lived
/// through a saturated burst keeps up to 8 KiB more (see `connection::FRAGMENT`, which keeps
/// snapshots from growing it).
fn websocket_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(2 * 1024)
        .write_buffer_size(8 * 1024)
        .max_write_buffer_size(1024 * 1024)
        .max_message_size(Some(MAX_CLIENT_MESSAGE_BYTES))
        .max_frame_size(Some(MAX_CLIENT_MESSAGE_BYTES))
}

/// How long a connection turned away at accept has to send its request and read the 429.
const REFUSAL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);
/// Connections turned away that are answered at once; beyond these they are closed unanswered,
/// so that answering refusals never holds the files the caps keep free.
const REFUSALS_ANSWERED: usize = 256;

pub(crate) async fn accept_loop(listener: tokio::net::TcpListener, app: Arc<App>, tls: Option<TlsAcceptor>) {
    let routes = api::routes(app.clone());
    let warp_service = warp::service(routes);
    let headers = Arc::new(api::security_headers(&app.config.frame_ancestors, &app.public_url));
    let refusing = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut shutdown = app.shutdown.clone();
    let mut forget = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, usually: wait a little rather than spin.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = forget.tick() => {
                app.gate.forget_quiet();
                continue;
            }
            _ = shutdown.changed() => break,
        };
        let _ = stream.set_nodelay(true);
        let slot = match app.gate.admit(peer.ip()) {
            Ok(slot) => slot,
            Err(refused) => {
                turn_away(stream, tls.clone(), peer, refused, &headers, &refusing);
                continue;
            }
        };
        let header_timeout = app.config.limits.header_timeout;
        let app = app.clone();
        let warp_service = warp_service.clone();
        let headers = headers.clone();
        let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
            // The public forms count submissions per address (`api::forms`).
            req.extensions_mut().insert(api::forms::Peer(peer));
            let app = app.clone();
            let mut warp_service = warp_service.clone();
            let headers = headers.clone();
            let slot = slot.clone();
            async move {
                let route = Route::of(req.method().as_str(), req.uri().path());
                if let Err(slow) = app.gate.rates.check_address(route, peer.ip()) {
                    tracing::info!(%peer, route = <&str>::from(route), "too many requests from this address");
                    return Ok(api::too_many(slow, &headers));
                }
                if req.uri().path() == "/ws" && is_upgrade(&req) {
                    Ok::<_, Infallible>(upgrade(req, app, peer, slot, &headers))
                } else {
                    warp_service.call(req).await
                }
            }
        });
        // hyper starts the header timeout when the connection opens and again after each answer,
        // so it is the idle keep-alive timeout too; a TLS handshake has as long.
        tokio::spawn(serve_http(stream, tls.clone(), service, header_timeout, true, peer));
    }
    tracing::info!("stopped accepting connections");
}

/// Answers a connection over the caps with 429 (its address's) or 503 (the server's) and closes
/// it, within [`REFUSAL_TIMEOUT`]; when too many are being turned away already, closes it at once.
fn turn_away(
    stream: tokio::net::TcpStream,
    tls: Option<TlsAcceptor>,
    peer: SocketAddr,
    refused: Refused,
    headers: &Arc<hyper::HeaderMap>,
    refusing: &Arc<std::sync::atomic::AtomicUsize>,
) {
    use std::sync::atomic::Ordering;
    match refused {
        Refused::Address => tracing::debug!(%peer, "refused a connection: too many from this address"),
        Refused::Full => tracing::warn!(%peer, "refused a connection: the server holds all it may"),
    }
    if refusing.fetch_add(1, Ordering::Relaxed) >= REFUSALS_ANSWERED {
        refusing.fetch_sub(1, Ordering::Relaxed);
        return;
    }
    let (headers, refusing) = (headers.clone(), refusing.clone());
    tokio::spawn(async move {
        let service = hyper::service::service_fn(move |_req: Request<Incoming>| {
            let response = match refused {
                Refused::Address => refuse(
                    ErrorCode::TooManyConnections,
                    "Too many connections from this address; close some and try again.",
                    &headers,
                ),
                Refused::Full => refuse(
                    ErrorCode::Unavailable,
                    "The server holds as many connections as it can; try again in a moment.",
                    &headers,
                ),
            };
            async move { Ok::<_, Infallible>(response) }
        });
        let answer = serve_http(stream, tls, service, REFUSAL_TIMEOUT, false, peer);
        let _ = tokio::time::timeout(REFUSAL_TIMEOUT * 2, answer).await;
        refusing.fetch_sub(1, Ordering::Relaxed);
    });
}

/// Serves one connection's HTTP (and its upgrade to a WebSocket), over TLS when the server has a
/// certificate: the handshake has `timeout`, as the request's headers then have.
async fn serve_http<S, F>(
    stream: tokio::net::TcpStream,
    tls: Option<TlsAcceptor>,
    service: S,
    timeout: std::time::Duration,
    keep_alive: bool,
    peer: SocketAddr,
) where
    S: hyper::service::Service<Request<Incoming>, Response = Response, Error = Infallible, Future = F> + Send + 'static,
    F: std::future::Future<Output = Result<Response, Infallible>> + Send + 'static,
{
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(timeout).keep_alive(keep_alive);
    let served = match tls {
        None => http.serve_connection(TokioIo::new(stream), service).with_upgrades().await,
        Some(tls) => match tokio::time::timeout(timeout, tls.accept(stream)).await {
            Ok(Ok(stream)) => http.serve_connection(TokioIo::new(stream), service).with_upgrades().await,
            Ok(Err(error)) => return tracing::debug!(%error, %peer, "TLS handshake failed"),
            Err(_) => return tracing::debug!(%peer, "TLS handshake timed out"),
        },
    };
    if let Err(error) = served {
        tracing::debug!(%error, %peer, "http connection ended with an error");
    }
}

fn is_upgrade(req: &Request<Incoming>) -> bool {
    let has = |name, value: &str| {
        req.headers()
            .get_all(name)
            .iter()
            .any(|v| v.to_str().is_ok_and(|v| v.split(',').any(|part| part.trim().eq_ignore_ascii_case(value))))
    };
    has(header::CONNECTION, "upgrade") && has(header::UPGRADE, "websocket")
}

/// A refusal outside warp's routes: the code's HTTP status, the body every API error has, and the
/// headers every answer has.
fn refuse(code: ErrorCode, message: &str, headers: &hyper::HeaderMap) -> Response {
    crate::metrics::metrics().rejected(code, crate::metrics::Via::Http);
    let status = StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = warp::reply::with_status(warp::reply::json(&Error::new(code, message)), status).into_response();
    response.headers_mut().extend(headers.clone());
    if code.http_status() == 429 || code.http_status() == 503 {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("10"));
    }
    response
}

/// Completes the WebSocket handshake and hands the socket to a connection task.
fn upgrade(
    mut req: Request<Incoming>,
    app: Arc<App>,
    peer: SocketAddr,
    slot: AddressSlot,
    refusal_headers: &hyper::HeaderMap,
) -> Response {
    let refuse = |code, message: &str| refuse(code, message, refusal_headers);
    let headers = req.headers();
    if headers.get(header::SEC_WEBSOCKET_VERSION).map(HeaderValue::as_bytes) != Some(b"13") {
        return refuse(ErrorCode::BadHandshake, "WebSocket version 13 is required.");
    }
    let Some(key) = headers.get(header::SEC_WEBSOCKET_KEY) else {
        return refuse(ErrorCode::BadHandshake, "The Sec-WebSocket-Key header is missing.");
    };
    if !origin_allowed(headers, &app.config.allowed_origins) {
        tracing::info!(%peer, "refused a WebSocket from a foreign origin");
        return refuse(ErrorCode::ForbiddenOrigin, "WebSockets from this origin are not allowed.");
    }
    let accept = derive_accept_key(key.as_bytes());
    let offers_protocol = headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').any(|p| p.trim() == PROTOCOL));
    let on_upgrade = hyper::upgrade::on(&mut req);
    tokio::spawn(async move {
        match on_upgrade.await {
            Ok(upgraded) => {
                let ws =
                    WebSocketStream::from_raw_socket(TokioIo::new(upgraded), Role::Server, Some(websocket_config()))
                        .await;
                connection::serve(Box::new(ws), app, peer, slot).await;
            }
            Err(error) => tracing::debug!(%error, %peer, "websocket upgrade failed"),
        }
    });
    let mut response = warp::reply::with_status(warp::reply(), StatusCode::SWITCHING_PROTOCOLS).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONNECTION, HeaderValue::from_static("upgrade"));
    headers.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
    headers.insert(header::SEC_WEBSOCKET_ACCEPT, HeaderValue::from_str(&accept).expect("base64 is a valid header"));
    if offers_protocol {
        headers.insert(header::SEC_WEBSOCKET_PROTOCOL, HeaderValue::from_static(PROTOCOL));
    }
    response
}

/// Browsers send `Origin`; a page from another site must not drive a chair's session. Clients that
/// are not browsers send none and are let through (they hold a token or watch an open meeting).
fn origin_allowed(headers: &hyper::HeaderMap, allowed: &[String]) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else { return true };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest).trim_end_matches('/');
    origin_host.eq_ignore_ascii_case(host)
        || allowed.iter().any(|a| a.trim_end_matches('/').eq_ignore_ascii_case(origin))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(origin: Option<&str>, host: &str) -> hyper::HeaderMap {
        let mut map = hyper::HeaderMap::new();
        map.insert(header::HOST, HeaderValue::from_str(host).unwrap());
        if let Some(origin) = origin {
            map.insert(header::ORIGIN, HeaderValue::from_str(origin).unwrap());
        }
        map
    }

    #[test]
    fn a_page_served_by_the_server_itself_may_open_a_websocket() {
        assert!(origin_allowed(&headers(Some("http://127.0.0.1:8080"), "127.0.0.1:8080"), &[]));
    }

    #[test]
    fn a_foreign_origin_is_refused_unless_allowed() {
        let h = headers(Some("https://evil.example"), "127.0.0.1:8080");
        assert!(!origin_allowed(&h, &[]));
        assert!(origin_allowed(&h, &["https://evil.example".into()]));
    }

    #[test]
    fn a_client_without_an_origin_is_let_through() {
        assert!(origin_allowed(&headers(None, "127.0.0.1:8080"), &[]));
    }
}
