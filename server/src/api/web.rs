//! The web client's files, as `make web` leaves them in `--web-dir`: names that carry a hash of
//! their content (`rostrum_bg.3f2a9c0d1e4b5a6f.wasm`), each beside its brotli (`.br`) and gzip
//! (`.gz`) twin. A hashed file never changes, so it is cached for a year and never asked for
//! again; the pages, which name them, are revalidated on every visit (an `ETag`, answered 304
//! when it has not changed). Each file goes out in the smallest encoding the browser accepts.
//!
//! Every address that [`may_be_screen`] answers with a page of the client: the client's router
//! (`leptos_router`, in `web-client/src/app.rs`) is the one list of screens. The client is built
//! once per group of screens, and each group has its own page ([`page_of`]), which names that
//! group's glue and module in preload links, so that the browser fetches them as soon as the
//! page arrives rather than one after the other.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use warp::http::{header, HeaderValue, StatusCode};
use warp::path::FullPath;
use warp::reply::Response;
use warp::{Filter, Rejection as WarpRejection, Reply};

/// How long a browser keeps a file whose name carries its hash: it never changes.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// What the page itself gets: kept, but asked about again on every visit.
const REVALIDATE: &str = "no-cache";

/// The encodings served, best first, with the suffix of their precompressed files.
const ENCODINGS: [(&str, &str); 2] = [("br", ".br"), ("gzip", ".gz")];

const NOT_BUILT: &str = "<!doctype html><meta charset=utf-8><title>Rostrum</title>\
<p>The Rostrum server is running, but its web client has not been built. Run <code>make run</code> \
from the repository, or start the server with <code>--web-dir</code> pointing at the built client.";

/// Whether `path` may be one of the web client's screens, which all serve a page. The API,
/// the WebSocket and files (a name with a dot) are never a screen, so that a mistyped API path or
/// a missing asset is still a plain 404.
pub fn may_be_screen(path: &str) -> bool {
    let path = path.trim_start_matches('/');
    let first = path.split('/').next().unwrap_or_default();
    let last = path.rsplit('/').next().unwrap_or_default();
    !matches!(first, "api" | "ws" | "healthz" | "metrics") && !last.contains('.')
}

/// The page for a screen's address: the one of the group of screens that holds it
/// (`web-client/Cargo.toml`'s features, `web-client/publish.sh`). Every other address gets
/// `index.html`, the page of the public pages, whose home page says when an address names no
/// screen.
pub fn page_of(path: &str) -> &'static str {
    match path.trim_matches('/') {
        "speak" | "display" | "booth" => "live.html",
        "chair" => "chair.html",
        "secretariat" => "desk.html",
        _ => "index.html",
    }
}

/// The web client's files from `dir` (none: every screen says the client is not built).
pub fn routes(
    dir: Option<PathBuf>,
) -> impl Filter<Extract = (Response,), Error = WarpRejection> + Clone + Send + Sync + 'static {
    let dir = dir.filter(|d| d.join("index.html").is_file());
    // HEAD as GET: hyper sends the headers and leaves the body out.
    warp::get()
        .or(warp::head())
        .unify()
        .and(warp::path::full())
        .and(warp::header::optional::<String>("accept-encoding"))
        .and(warp::header::optional::<String>("if-none-match"))
        .and_then(move |path: FullPath, accept: Option<String>, if_none_match: Option<String>| {
            let dir = dir.clone();
            async move { serve(dir.as_deref(), path.as_str(), accept.as_deref(), if_none_match.as_deref()).await }
        })
}

async fn serve(
    dir: Option<&Path>,
    path: &str,
    accept: Option<&str>,
    if_none_match: Option<&str>,
) -> Result<Response, WarpRejection> {
    let screen = may_be_screen(path);
    let name = if screen { page_of(path).to_string() } else { file_name(path).ok_or_else(warp::reject::not_found)? };
    let Some(dir) = dir else {
        if screen {
            return Ok(
                warp::reply::with_status(warp::reply::html(NOT_BUILT), StatusCode::SERVICE_UNAVAILABLE).into_response()
            );
        }
        return Err(warp::reject::not_found());
    };
    let file = dir.join(&name);
    if !tokio::fs::metadata(&file).await.is_ok_and(|m| m.is_file()) {
        return Err(warp::reject::not_found());
    }
    let (body, encoding) = read_best(&file, accept).await.ok_or_else(warp::reject::not_found)?;

    let hashed = is_hashed(&name);
    let etag = (!hashed).then(|| {
        let digest = hex::encode(&Sha256::digest(&body)[..8]);
        format!("\"{digest}{}\"", encoding.map(|e| format!("-{e}")).unwrap_or_default())
    });
    let fresh = etag.as_deref().is_some_and(|etag| if_none_match.is_some_and(|m| matches_etag(m, etag)));
    let mut response = if fresh {
        warp::reply::with_status(warp::reply(), StatusCode::NOT_MODIFIED).into_response()
    } else {
        Response::new(body.into())
    };
    let headers = response.headers_mut();
    if !fresh {
        headers.insert(header::CONTENT_TYPE, content_type(&name));
        if let Some(encoding) = encoding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
    }
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(if hashed { IMMUTABLE } else { REVALIDATE }));
    if let Some(etag) = etag.and_then(|e| HeaderValue::from_str(&e).ok()) {
        headers.insert(header::ETAG, etag);
    }
    Ok(response)
}

/// `file` in the best encoding `accept` allows that was built beside it, or as it is.
async fn read_best(file: &Path, accept: Option<&str>) -> Option<(Vec<u8>, Option<&'static str>)> {
    for (encoding, suffix) in ENCODINGS {
        if accept.is_some_and(|a| accepts(a, encoding)) {
            let mut twin = file.as_os_str().to_owned();
            twin.push(suffix);
            if let Ok(body) = tokio::fs::read(PathBuf::from(twin)).await {
                return Some((body, Some(encoding)));
            }
        }
    }
    tokio::fs::read(file).await.ok().map(|body| (body, None))
}

/// The file a request's path names inside the web directory: no `..`, no hidden file, and never
/// a precompressed twin by its own name (it would go out without its `Content-Encoding`).
fn file_name(path: &str) -> Option<String> {
    let path = path.trim_start_matches('/');
    let segments: Vec<&str> = path.split('/').collect();
    let plain = |s: &&str| !s.is_empty() && !s.starts_with('.') && !s.contains('\\');
    let twin = ENCODINGS.iter().any(|(_, suffix)| path.ends_with(suffix));
    (segments.iter().all(plain) && !twin).then(|| path.to_string())
}

/// Whether an `Accept-Encoding` header takes `encoding` (named, and not with `q=0`).
fn accepts(header: &str, encoding: &str) -> bool {
    header.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let refused = parts.any(|p| p.strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()) == Some(0.0));
        name.eq_ignore_ascii_case(encoding) && !refused
    })
}

/// Whether an `If-None-Match` header names `etag` (or `*`).
fn matches_etag(header: &str, etag: &str) -> bool {
    header.split(',').map(str::trim).any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
}

/// Whether a file's name carries the hash of its content: `stem.<16 hex digits>.extension`.
fn is_hashed(name: &str) -> bool {
    let last = name.rsplit('/').next().unwrap_or(name);
    let parts: Vec<&str> = last.split('.').collect();
    parts.len() >= 3 && {
        let hash = parts[parts.len() - 2];
        hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    }
}

/// The media type of a file by its extension, with UTF-8 for text.
fn content_type(name: &str) -> HeaderValue {
    let mime = mime_guess::from_path(name).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT || mime.subtype() == mime_guess::mime::JAVASCRIPT;
    let value = if text { format!("{}; charset=utf-8", mime.essence_str()) } else { mime.essence_str().to_string() };
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("application/octet-stream"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_the_socket_and_files_are_never_screens() {
        assert!(may_be_screen("/") && may_be_screen("/chair") && may_be_screen("/no/such/screen"));
        assert!(!may_be_screen("/api/nowhere") && !may_be_screen("/ws") && !may_be_screen("/healthz"));
        assert!(!may_be_screen("/metrics"));
        assert!(!may_be_screen("/style.css") && !may_be_screen("/rostrum_bg.0123456789abcdef.wasm"));
    }

    #[test]
    fn a_path_outside_the_directory_a_hidden_file_or_a_twin_by_its_name_is_no_file() {
        assert_eq!(file_name("/boot.0123456789abcdef.js").as_deref(), Some("boot.0123456789abcdef.js"));
        for path in ["/../secret", "/a/../../b", "/.env", "/a//b", "/a\\b", "/rostrum.js.br", "/style.css.gz"] {
            assert_eq!(file_name(path), None, "{path}");
        }
    }

    #[test]
    fn an_encoding_is_accepted_when_named_without_q_zero() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip;q=1.0, br;q=0.5", "br"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(!accepts("gzip", "br"));
        assert!(accepts("GZIP", "gzip"));
    }

    #[test]
    fn each_screen_gets_the_page_of_its_group_and_any_other_address_the_home_pages() {
        assert_eq!(page_of("/speak"), "live.html");
        assert_eq!(page_of("/display/"), "live.html");
        assert_eq!(page_of("/chair"), "chair.html");
        assert_eq!(page_of("/booth"), "live.html");
        assert_eq!(page_of("/secretariat"), "desk.html");
        for other in ["/", "/portal", "/speak/more", "/nowhere"] {
            assert_eq!(page_of(other), "index.html", "{other}");
        }
    }

    #[test]
    fn only_a_name_with_sixteen_hex_digits_before_its_extension_is_hashed() {
        assert!(is_hashed("rostrum_bg.0123456789abcdef.wasm"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("style.css"));
        assert!(!is_hashed("rostrum_bg.0123456789ABCDEF.wasm"));
        assert!(!is_hashed("a.0123456789abcde.js"));
    }

    #[test]
    fn an_etag_matches_itself_a_weak_form_of_itself_a_list_holding_it_or_a_star() {
        assert!(matches_etag("\"ab\"", "\"ab\""));
        assert!(matches_etag("W/\"ab\"", "\"ab\""));
        assert!(matches_etag("\"x\", \"ab\"", "\"ab\""));
        assert!(matches_etag("*", "\"ab\""));
        assert!(!matches_etag("\"ab-br\"", "\"ab\""));
    }

    #[test]
    fn text_goes_out_as_utf_8_and_the_module_as_wasm() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("boot.0123456789abcdef.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("rostrum_bg.0123456789abcdef.wasm"), "application/wasm");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
    }
}
