//! What a phone on a slow link downloads (issue 14), measured by the browser itself through the
//! Resource Timing API: the first load comes compressed, and a repeat visit asks only whether the
//! page changed — the module, its glue, the style and the boot script come from the cache.
//!
//! Run by `make test` (see `e2e_browser.rs`).

use std::time::Duration;

use rostrum_tests::browser::*;
use serde_json::{json, Value};

/// Every file the page loaded (not the API's answers): its name, bytes on the wire, and bytes
/// before and after decoding; the page itself first.
const LOADED: &str =
    "return [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]\
     .filter(e => !new URL(e.name).pathname.startsWith('/api/'))\
     .map(e => [new URL(e.name).pathname, e.transferSize, e.encodedBodySize, e.decodedBodySize]);";

fn bytes(entry: &Value, i: usize) -> u64 {
    entry[i].as_u64().unwrap_or_else(|| panic!("a size in {entry}"))
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn a_participants_first_load_comes_compressed_and_a_repeat_visit_fetches_only_the_page() {
    // Arrange
    let data = tempfile::tempdir().unwrap();
    let (server, _sec) = server_with_meeting(data.path()).await;
    let delegate = delegate_token(&server, "chile-1", "Ana Rojas", "Chile");
    let driver = Driver::start().await;
    let phone = driver.browser("phone", 390, 844).await;

    // Act: the first visit; a while later, the same link again (after another page, so that the
    // browser does not take it for a reload).
    phone.goto(&link(&server, "speak", Some(&delegate))).await.unwrap();
    until(&phone, "the request form", &exists(r#"button[data-action="ask"]"#)).await;
    let first = phone.execute(LOADED, vec![]).await.unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    phone.goto("about:blank").await.unwrap();
    phone.goto(&link(&server, "speak", Some(&delegate))).await.unwrap();
    until(&phone, "the request form again", &exists(r#"button[data-action="ask"]"#)).await;
    let repeat = phone.execute(LOADED, vec![]).await.unwrap();

    // Assert: only the participant's and the display's bundle was loaded, in brotli (about 30 % of its size); the repeat visit moved the
    // page's headers and nothing else.
    let first = first.as_array().expect("entries");
    // The page carries its icon: no round trip for /favicon.ico, which the server does not have.
    assert!(!first.iter().any(|e| e[0] == "/favicon.ico"), "no look for a favicon: {first:?}");
    let modules: Vec<&Value> = first.iter().filter(|e| e[0].as_str().is_some_and(|p| p.ends_with(".wasm"))).collect();
    assert_eq!(modules.len(), 1, "one module: {modules:?}");
    let module = modules[0];
    assert!(module[0].as_str().unwrap().starts_with("/rostrum-live_bg."), "the participant's bundle: {module}");
    assert!(bytes(module, 2) * 10 < bytes(module, 3) * 4, "the module came compressed: {module}");
    let repeat = repeat.as_array().expect("entries");
    // The same files; the page preloads its bundle, so the others may come in any order.
    let paths = |entries: &[Value]| {
        let mut paths: Vec<String> = entries.iter().skip(1).map(|e| e[0].to_string()).collect();
        paths.sort();
        (entries[0][0].to_string(), paths)
    };
    assert_eq!(paths(repeat), paths(first), "the same files");
    let moved: u64 = repeat.iter().map(|e| bytes(e, 1)).sum();
    let from_cache: Vec<&Value> = repeat.iter().skip(1).filter(|e| bytes(e, 1) == 0).collect();
    assert_eq!(from_cache.len(), repeat.len() - 1, "every file but the page from the cache: {repeat:?}");
    assert!(moved <= 5 * 1024, "a repeat visit moved {moved} bytes: {}", json!(repeat));
    phone.close().await.unwrap();
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn a_link_from_the_home_page_to_the_display_loads_the_bundle_that_holds_the_display() {
    // Arrange: the home page, which the bundle of the public pages draws.
    let data = tempfile::tempdir().unwrap();
    let (server, _sec) = server_with_meeting(data.path()).await;
    let driver = Driver::start().await;
    let laptop = driver.browser("laptop", 1280, 800).await;
    laptop.goto(&server.url()).await.unwrap();
    until(&laptop, "the home page", &exists("main.home form input[name=meeting]")).await;

    // Act: open the display from the home page's form.
    fill(&laptop, "main.home form input[name=meeting]", MEETING).await;
    click(&laptop, "main.home form button[type=submit]").await;
    until(&laptop, "the room display", &exists("main.display")).await;

    // Assert: the display runs on the live bundle, loaded after the page was loaded again.
    let modules = laptop
        .execute(
            "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)\
             .filter(p => p.endsWith('.wasm'));",
            vec![],
        )
        .await
        .unwrap();
    let modules: Vec<&str> = modules.as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert_eq!(modules.len(), 1, "{modules:?}");
    assert!(modules[0].starts_with("/rostrum-live_bg."), "{modules:?}");
    laptop.close().await.unwrap();
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn a_participants_page_opens_its_socket_and_says_hello_from_the_boot_script_and_the_client_takes_it_over() {
    // Arrange: a phone whose every WebSocket is counted, with the script that opened it.
    let data = tempfile::tempdir().unwrap();
    let (server, delegate, _driver, phone) = phone_that_keeps_its_sockets(data.path()).await;

    // Act
    ask_for_the_floor(&phone, &link(&server, "speak", Some(&delegate))).await;

    // Assert: one socket, opened by the boot script (not by the module, a round trip after it
    // arrived), which also said the only hello on it; the session runs on it.
    let seen = phone
        .execute(
            "return { sockets: window.__sockets.map(s => s.openedBy), left: window.rostrumSocket ?? null,
                      hellos: window.__sockets.flatMap(s => s.sent.filter(([, data]) => JSON.parse(data).type === 'hello')) };",
            vec![],
        )
        .await
        .unwrap();
    let sockets = seen["sockets"].as_array().expect("the sockets opened");
    assert_eq!(sockets.len(), 1, "one socket, taken over by the client: {seen}");
    assert!(sockets[0].as_str().unwrap_or_default().contains("/boot."), "opened by boot.js: {seen}");
    assert_eq!(seen["left"], Value::Null, "the client took the socket: {seen}");
    let hellos = seen["hellos"].as_array().expect("the hellos sent");
    assert_eq!(hellos.len(), 1, "one hello: {seen}");
    assert!(hellos[0][0].as_str().unwrap_or_default().contains("/boot."), "said by boot.js: {seen}");
    phone.close().await.unwrap();
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn a_socket_whose_early_hello_is_not_the_clients_own_is_closed_and_the_client_opens_its_own() {
    // Arrange: a phone whose boot script's hello differs from the one the client would send (as a
    // boot script that read the link otherwise would); every socket is counted.
    let data = tempfile::tempdir().unwrap();
    let (server, delegate, _driver, phone) = phone_that_keeps_its_sockets(data.path()).await;
    let other_hello = "Object.defineProperty(WebSocket.prototype, 'hello', { configurable: true,
        get() { return this._hello; }, set(hello) { this._hello = hello.replace('{', '{ '); } });";
    cdp(&phone, "Page.addScriptToEvaluateOnNewDocument", json!({ "source": other_hello })).await;

    // Act
    ask_for_the_floor(&phone, &link(&server, "speak", Some(&delegate))).await;

    // Assert: the boot script's socket closed, and the client's own carried the session.
    let states = phone
        .execute("return window.__sockets.map(s => [s.openedBy.includes('/boot.'), s.readyState]);", vec![])
        .await
        .unwrap();
    assert_eq!(states, json!([[true, 3], [false, 1]]), "boot.js's socket closed, the client's open");
    phone.close().await.unwrap();
}

#[tokio::test]
#[ignore = "browser: run by make test with --ignored"]
async fn a_meeting_link_with_an_invalid_id_says_so_and_closes_the_socket_its_page_opened() {
    // Arrange: a phone that keeps every WebSocket opened.
    let data = tempfile::tempdir().unwrap();
    let (server, _sec) = server_with_meeting(data.path()).await;
    let driver = Driver::start().await;
    let phone = driver.browser("phone", 390, 844).await;
    keep_sockets(&phone).await;

    // Act
    phone.goto(&format!("{}/speak?meeting=not%20an%20id", server.url())).await.unwrap();
    let problem = until(&phone, "the problem", &text_of("main.home p.notice")).await;

    // Assert: the home page says what is wrong; the socket boot.js opened is closing or closed.
    assert!(problem.as_str().unwrap_or_default().contains("is not a valid meeting id"), "{problem}");
    // Read at once, not waited for: the server would close it too, after its 10 s wait for a hello.
    let states = phone.execute("return window.__sockets.map(w => w.readyState);", vec![]).await.unwrap();
    let states: Vec<u64> = states.as_array().unwrap().iter().filter_map(Value::as_u64).collect();
    assert_eq!(states.len(), 1, "one socket, from boot.js: {states:?}");
    assert!(states.iter().all(|r| *r >= 2), "the early socket closing or closed: {states:?}");
    phone.close().await.unwrap();
}

/// A server with the test's meeting, a delegate's token, and a phone that keeps its sockets
/// ([`keep_sockets`]); the driver keeps the browser alive.
async fn phone_that_keeps_its_sockets(
    data: &std::path::Path,
) -> (rostrum_tests::Server, String, Driver, fantoccini::Client) {
    let (server, _sec) = server_with_meeting(data).await;
    let delegate = delegate_token(&server, "chile-1", "Ana Rojas", "Chile");
    let driver = Driver::start().await;
    let phone = driver.browser("phone", 390, 844).await;
    keep_sockets(&phone).await;
    (server, delegate, driver, phone)
}

/// Opens the participant's `link` on `phone` and asks for the floor, until position 1 shows.
async fn ask_for_the_floor(phone: &fantoccini::Client, link: &str) {
    phone.goto(link).await.unwrap();
    until(phone, "the request form", &exists(r#"button[data-action="ask"]"#)).await;
    click(phone, r#"button[data-action="ask"]"#).await;
    until(phone, "position 1", &exists(r#".position[data-position="1"]"#)).await;
}

/// Makes every page of `browser` keep the WebSockets it opens in `window.__sockets`, each with the
/// stack of the script that opened it (`openedBy`) and the frames sent on it, each with the stack
/// of the script that sent it (`sent`).
async fn keep_sockets(browser: &fantoccini::Client) {
    let keep = "const Native = WebSocket; window.__sockets = [];
        window.WebSocket = class extends Native {
            constructor(...args) { super(...args); this.openedBy = new Error().stack; this.sent = []; window.__sockets.push(this); }
            send(data) { this.sent.push([new Error().stack, data]); super.send(data); }
        };";
    cdp(browser, "Page.addScriptToEvaluateOnNewDocument", json!({ "source": keep })).await;
}
