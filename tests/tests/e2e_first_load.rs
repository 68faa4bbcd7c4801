//! What a phone on a slow link downloads (issue 14), measured by the browser itself through the
//! Resource Timing API: the first load comes compressed, and a repeat visit asks only whether the
//! page changed — the module, its glue, the style and the boot script come from the cache.
//!
//! Run by `make test` (see `e2e_browser.rs`).

use std::time::Duration;

use rostrum_tests::browser::*;
use serde_json::{json, Value};

/// Every file the page loaded (not the API's answers, nor the browser's own look for a favicon,
/// which it remembers): its name, bytes on the wire, and bytes
/// before and after decoding; the page itself first.
const LOADED: &str =
    "return [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]\
     .filter(e => !new URL(e.name).pathname.startsWith('/api/') && new URL(e.name).pathname !== '/favicon.ico')\
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

    // Assert: the module came in brotli (about 30 % of its size); the repeat visit moved the
    // page's headers and nothing else.
    let first = first.as_array().expect("entries");
    let module = first.iter().find(|e| e[0].as_str().is_some_and(|p| p.ends_with(".wasm"))).expect("the module");
    assert!(bytes(module, 2) * 10 < bytes(module, 3) * 4, "the module came compressed: {module}");
    let repeat = repeat.as_array().expect("entries");
    let paths = |entries: &[Value]| entries.iter().map(|e| e[0].clone()).collect::<Vec<_>>();
    assert_eq!(paths(repeat), paths(first), "the same files");
    let moved: u64 = repeat.iter().map(|e| bytes(e, 1)).sum();
    let from_cache: Vec<&Value> = repeat.iter().skip(1).filter(|e| bytes(e, 1) == 0).collect();
    assert_eq!(from_cache.len(), repeat.len() - 1, "every file but the page from the cache: {repeat:?}");
    assert!(moved <= 5 * 1024, "a repeat visit moved {moved} bytes: {}", json!(repeat));
    phone.close().await.unwrap();
}
