//! The web client's files over a slow link (issue 14): every address that is not the API or a file
//! gets the client, whose router knows the screens, in the page of the group of screens that holds
//! it; a file whose name carries its hash goes out in
//! the smallest encoding the browser takes and is cached for a year; the page itself is asked about
//! again on every visit and answered 304 when it has not changed.

use std::path::Path;

use rostrum_tests::{http_raw, RawResponse, Server};

const HASHED: &str = "rostrum_bg.0123456789abcdef.wasm";

/// A web directory as `make web` leaves it, with tell-tale contents in place of compressed bytes.
fn web_dir(dir: &Path) {
    std::fs::write(dir.join("index.html"), "<!doctype html><title>client</title>").unwrap();
    std::fs::write(dir.join("live.html"), "<!doctype html><title>live client</title>").unwrap();
    std::fs::write(dir.join("chair.html"), "<!doctype html><title>chair client</title>").unwrap();
    std::fs::write(dir.join("desk.html"), "<!doctype html><title>desk client</title>").unwrap();
    std::fs::write(dir.join("index.html.gz"), "page in gzip").unwrap();
    std::fs::write(dir.join("style.css"), "body {}").unwrap();
    std::fs::write(dir.join(HASHED), "plain module").unwrap();
    std::fs::write(dir.join(format!("{HASHED}.br")), "module in brotli").unwrap();
    std::fs::write(dir.join(format!("{HASHED}.gz")), "module in gzip").unwrap();
}

async fn server_with_web_dir() -> (Server, tempfile::TempDir, tempfile::TempDir) {
    let (data, web) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    web_dir(web.path());
    let server = Server::start_with(data.path(), &["--web-dir", web.path().to_str().unwrap()]).await;
    (server, data, web)
}

async fn get(server: &Server, path: &str, headers: &[(&str, &str)]) -> RawResponse {
    http_raw(None, server.addr, "GET", path, headers, b"").await
}

fn body(response: &RawResponse) -> String {
    String::from_utf8_lossy(&response.body).into_owned()
}

#[tokio::test]
async fn every_address_but_the_api_and_files_gets_the_client_which_knows_its_own_screens() {
    // Arrange
    let (server, _data, _web) = server_with_web_dir().await;

    // Act
    let pages = ["/", "/portal", "/no/such"];
    let mut screens = Vec::new();
    for path in pages.iter().chain(&["/speak", "/display/", "/booth", "/chair", "/secretariat"]) {
        screens.push((path, get(&server, path, &[]).await));
    }
    let file = get(&server, "/style.css", &[]).await;
    let (missing_file, unknown_api) = (get(&server, "/app.js", &[]).await, get(&server, "/api/nowhere", &[]).await);

    // Assert: each screen in the page of its group (which names that group's bundle).
    for (path, screen) in &screens {
        assert_eq!(screen.status, 200, "{path}: {}", screen.head);
        let group = match **path {
            "/speak" | "/display/" | "/booth" => "live ",
            "/chair" => "chair ",
            "/secretariat" => "desk ",
            _ => "",
        };
        assert_eq!(body(screen), format!("<!doctype html><title>{group}client</title>"), "{path}");
    }
    assert_eq!((file.status, body(&file).as_str()), (200, "body {}"));
    assert_eq!(missing_file.status, 404, "a missing file is not a screen");
    assert_eq!(unknown_api.status, 404, "an unknown API path is not a screen");
    assert!(!body(&unknown_api).contains("client"));
}

#[tokio::test]
async fn a_hashed_file_goes_out_in_the_best_encoding_the_browser_takes_and_is_cached_for_a_year() {
    // Arrange
    let (server, _data, _web) = server_with_web_dir().await;
    let path = format!("/{HASHED}");

    // Act
    let chromium = get(&server, &path, &[("Accept-Encoding", "gzip, deflate, br, zstd")]).await;
    let gzip_only = get(&server, &path, &[("Accept-Encoding", "gzip")]).await;
    let no_brotli = get(&server, &path, &[("Accept-Encoding", "br;q=0, gzip")]).await;
    let plain = get(&server, &path, &[]).await;
    let twin_by_name = get(&server, &format!("{path}.br"), &[]).await;
    let head = http_raw(None, server.addr, "HEAD", &path, &[("Accept-Encoding", "br")], b"").await;

    // Assert
    let seen = |r: &RawResponse| (r.status, body(r), r.header("content-encoding"));
    assert_eq!(seen(&chromium), (200, "module in brotli".into(), Some("br".into())));
    assert_eq!(seen(&gzip_only), (200, "module in gzip".into(), Some("gzip".into())));
    assert_eq!(seen(&no_brotli), (200, "module in gzip".into(), Some("gzip".into())));
    assert_eq!(seen(&plain), (200, "plain module".into(), None));
    for response in [&chromium, &gzip_only, &plain] {
        assert_eq!(response.header("content-type").as_deref(), Some("application/wasm"));
        assert_eq!(response.header("cache-control").as_deref(), Some("public, max-age=31536000, immutable"));
        assert_eq!(response.header("vary").as_deref(), Some("Accept-Encoding"));
    }
    assert_eq!(twin_by_name.status, 404, "a twin is never served without its encoding");
    assert_eq!((head.status, head.body.len(), head.header("content-encoding")), (200, 0, Some("br".into())));
}

#[tokio::test]
async fn the_page_is_asked_about_on_every_visit_and_answered_304_when_it_has_not_changed() {
    // Arrange
    let (server, _data, _web) = server_with_web_dir().await;
    let first = get(&server, "/portal", &[("Accept-Encoding", "gzip, br")]).await;
    let etag = first.header("etag").expect("an ETag on the page");

    // Act
    let again = get(&server, "/portal", &[("Accept-Encoding", "gzip, br"), ("If-None-Match", &etag)]).await;
    let elsewhere = get(&server, "/chair", &[("Accept-Encoding", "gzip, br"), ("If-None-Match", "\"other\"")]).await;

    // Assert
    assert_eq!((first.status, body(&first).as_str()), (200, "page in gzip"), "no brotli twin: the gzip one");
    assert_eq!(first.header("content-encoding").as_deref(), Some("gzip"));
    assert_eq!(first.header("cache-control").as_deref(), Some("no-cache"));
    assert_eq!(first.header("content-type").as_deref(), Some("text/html; charset=utf-8"));
    assert_eq!((again.status, again.body.len()), (304, 0));
    assert_eq!(again.header("etag"), Some(etag));
    assert_eq!(elsewhere.status, 200, "another ETag is not this page");
}
