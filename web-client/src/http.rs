//! The HTTP API's glue: JSON requests with an optional bearer token, and the server's error
//! messages (`{code, message}`) as text to show.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, Headers, Request, RequestInit, Response};

/// What is shown when the server cannot be reached at all.
pub fn unreachable() -> String {
    crate::tr!(common.http_unreachable).to_string()
}

/// A process, its meetings and their sittings, loaded as a resource (the application form, the
/// meeting picker, the public list and the portal all start from it).
pub fn process_resource(
    process: &str,
) -> leptos::prelude::LocalResource<Result<shared::accreditation::ProcessView, String>> {
    let path = format!("/api/processes/{}", encode(process));
    leptos::prelude::LocalResource::new(move || {
        let path = path.clone();
        async move { get(&path, None).await }
    })
}

/// `GET path`, answered with JSON.
pub async fn get<T: DeserializeOwned>(path: &str, token: Option<&str>) -> Result<T, String> {
    send(path, "GET", token, None, None).await
}

/// `POST path` with a JSON body (or none), answered with JSON.
pub async fn post<T: DeserializeOwned, B: Serialize>(
    path: &str,
    token: Option<&str>,
    body: Option<&B>,
) -> Result<T, String> {
    let body = match body {
        Some(body) => Some(serde_json::to_string(body).map_err(|e| e.to_string())?),
        None => None,
    };
    send(path, "POST", token, body.as_deref(), None).await
}

/// `DELETE path`, answered with nothing (204) or the server's message.
pub async fn delete(path: &str, token: Option<&str>) -> Result<(), String> {
    let (status, text) = fetch(path, "DELETE", token, None, None).await.map_err(|_| unreachable())?;
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(error_message(status, &text))
    }
}

/// [`post`] to a public form, with its solved proof of work (`Rostrum-Proof`, see [`crate::proof`]).
pub async fn post_proven<T: DeserializeOwned, B: Serialize>(
    path: &str,
    token: Option<&str>,
    body: &B,
    proof: &str,
) -> Result<T, String> {
    let body = serde_json::to_string(body).map_err(|e| e.to_string())?;
    send(path, "POST", token, Some(&body), Some(proof)).await
}

async fn send<T: DeserializeOwned>(
    path: &str,
    method: &str,
    token: Option<&str>,
    body: Option<&str>,
    proof: Option<&str>,
) -> Result<T, String> {
    let body = body.map(|b| ("application/json", JsValue::from_str(b)));
    let (status, text) = fetch(path, method, token, body, proof).await.map_err(|_| unreachable())?;
    answer(status, &text)
}

/// `POST path` with a file (or any blob) as the body and `content_type` as its media type,
/// answered with JSON.
pub async fn upload<T: DeserializeOwned>(
    path: &str,
    token: Option<&str>,
    file: &Blob,
    content_type: &str,
) -> Result<T, String> {
    upload_proven(path, token, file, content_type, None).await
}

/// [`upload`] to a public form, with its solved proof of work (see [`crate::proof`]).
pub async fn upload_proven<T: DeserializeOwned>(
    path: &str,
    token: Option<&str>,
    file: &Blob,
    content_type: &str,
    proof: Option<&str>,
) -> Result<T, String> {
    let body = Some((content_type, JsValue::from(file.clone())));
    let (status, text) = fetch(path, "POST", token, body, proof).await.map_err(|_| unreachable())?;
    answer(status, &text)
}

/// `GET path` as a blob (an uploaded file), or the server's message.
pub async fn download(path: &str, token: Option<&str>) -> Result<Blob, String> {
    let response = request(path, "GET", token, None, None).await.map_err(|_| unreachable())?;
    let status = response.status();
    if (200..300).contains(&status) {
        let blob = async { JsFuture::from(response.blob()?).await?.dyn_into::<Blob>() };
        blob.await.map_err(|_| crate::tr!(common.http_file_unreadable).to_string())
    } else {
        let text = async { Ok::<_, JsValue>(JsFuture::from(response.text()?).await?.as_string().unwrap_or_default()) };
        Err(error_message(status, &text.await.unwrap_or_default()))
    }
}

/// Reads an answer: the JSON body on success, the server's message otherwise.
pub fn answer<T: DeserializeOwned>(status: u16, text: &str) -> Result<T, String> {
    if (200..300).contains(&status) {
        serde_json::from_str(text).map_err(|e| crate::tr!(common.http_answer_unreadable, error = e))
    } else {
        Err(error_message(status, text))
    }
}

/// The message of an error answer, or a sentence naming the status when it has none.
pub fn error_message(status: u16, text: &str) -> String {
    match serde_json::from_str::<shared::Error>(text) {
        Ok(error) if !error.message.trim().is_empty() => crate::labels::refusal_text(error.code, error.message),
        _ if text.trim().is_empty() => crate::tr!(common.http_status, status = status),
        _ => crate::tr!(common.http_status_text, status = status, text = text.trim()),
    }
}

/// Percent-encodes one path segment or query value.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

async fn fetch(
    path: &str,
    method: &str,
    token: Option<&str>,
    body: Option<(&str, JsValue)>,
    proof: Option<&str>,
) -> Result<(u16, String), JsValue> {
    let response = request(path, method, token, body, proof).await?;
    let text = JsFuture::from(response.text()?).await?.as_string().unwrap_or_default();
    Ok((response.status(), text))
}

/// Sends a request with an optional bearer token, an optional body with its media type, and an
/// optional proof of work.
async fn request(
    path: &str,
    method: &str,
    token: Option<&str>,
    body: Option<(&str, JsValue)>,
    proof: Option<&str>,
) -> Result<Response, JsValue> {
    let init = RequestInit::new();
    init.set_method(method);
    let headers = Headers::new()?;
    headers.set("accept", "application/json")?;
    if let Some(token) = token {
        headers.set("authorization", &format!("Bearer {token}"))?;
    }
    if let Some(proof) = proof {
        headers.set(shared::proof::HEADER, proof)?;
    }
    if let Some((content_type, body)) = body {
        headers.set("content-type", content_type)?;
        init.set_body(&body);
    }
    init.set_headers(&headers);
    let request = Request::new_with_str_and_init(path, &init)?;
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    JsFuture::from(window.fetch_with_request(&request)).await?.dyn_into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_shows_the_servers_message() {
        let body = r#"{"code":"deadline_passed","message":"Applications closed."}"#;
        assert_eq!(answer::<serde_json::Value>(422, body).unwrap_err(), "Applications closed.");
        assert_eq!(error_message(502, ""), "The server answered with status 502.");
        assert_eq!(error_message(500, "oops"), "The server answered with status 500: oops");
    }

    #[test]
    fn a_success_is_read_as_json() {
        let value: serde_json::Value = answer(201, r#"{"a":1}"#).unwrap();
        assert_eq!(value["a"], 1);
        assert!(answer::<u32>(200, "not json").unwrap_err().contains("could not be read"));
    }

    #[test]
    fn path_segments_are_percent_encoded() {
        assert_eq!(encode("oewg-ict_2.0"), "oewg-ict_2.0");
        assert_eq!(encode("a b/c"), "a%20b%2Fc");
    }
}
