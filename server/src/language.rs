//! Error bodies in the language the caller reads: the sentence of each error code in the six
//! official languages of the United Nations, from the web client's own catalogue
//! (`web-client/locales/{lang}/errors.json`, compiled in), so that the browser and the API say
//! the same thing.
//!
//! An answer in English keeps the server's own sentence, which names the specifics ("at most 2
//! waiting"); an answer in another of the six languages carries the code's translated sentence.
//! The `code` never changes: programs read it, people read the message.

use std::collections::HashMap;
use std::sync::LazyLock;

use shared::ErrorCode;
use warp::http::header::{HeaderMap, HeaderValue, ACCEPT_LANGUAGE, CONTENT_LANGUAGE, VARY};
use warp::http::response::Parts;
use warp::reply::Response;

/// The languages of the catalogues, English first (the default when the caller names none).
pub const LANGUAGES: [&str; 6] = ["en", "ar", "zh", "fr", "ru", "es"];

/// Each language's errors catalogue, as the web client ships it.
const CATALOGUES: [(&str, &str); 5] = [
    ("ar", include_str!("../../web-client/locales/ar/errors.json")),
    ("zh", include_str!("../../web-client/locales/zh/errors.json")),
    ("fr", include_str!("../../web-client/locales/fr/errors.json")),
    ("ru", include_str!("../../web-client/locales/ru/errors.json")),
    ("es", include_str!("../../web-client/locales/es/errors.json")),
];

/// Language → code → sentence.
static MESSAGES: LazyLock<HashMap<&'static str, HashMap<String, String>>> = LazyLock::new(|| {
    CATALOGUES
        .iter()
        .map(|(language, text)| {
            let messages: HashMap<String, String> = serde_json::from_str(text).unwrap_or_default();
            (*language, messages)
        })
        .collect()
});

/// The first of the six languages the `Accept-Language` header asks for, by its weights; `None`
/// when it names none of them (or there is no header).
pub fn preferred(headers: &HeaderMap) -> Option<&'static str> {
    let header = headers.get(ACCEPT_LANGUAGE)?.to_str().ok()?;
    accept_language::parse(header).iter().find_map(|tag| {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        LANGUAGES.iter().copied().find(|l| *l == primary)
    })
}

/// The sentence for `code` in `language`; `None` in English (the server's own sentence stands) or
/// when the catalogue lacks it.
pub fn message(language: &str, code: ErrorCode) -> Option<&'static str> {
    let key = serde_json::to_value(code).ok()?;
    MESSAGES.get(language)?.get(key.as_str()?).map(String::as_str)
}

/// An error answer (it carries its [`ErrorCode`] as an extension, set by `api::recover`) with its
/// message in the caller's language; every other answer as it is.
pub fn localise(headers: &HeaderMap, response: Response) -> Response {
    let Some(code) = response.extensions().get::<ErrorCode>().copied() else { return response };
    let (mut parts, body): (Parts, _) = response.into_parts();
    parts.headers.append(VARY, HeaderValue::from_static("accept-language"));
    let language = preferred(headers).unwrap_or("en");
    let Some(sentence) = message(language, code) else {
        parts.headers.insert(CONTENT_LANGUAGE, HeaderValue::from_static("en"));
        return Response::from_parts(parts, body);
    };
    let error = shared::Error::new(code, sentence);
    let Ok(json) = serde_json::to_vec(&error) else { return Response::from_parts(parts, body) };
    parts.headers.remove(warp::http::header::CONTENT_LENGTH);
    if let Ok(value) = HeaderValue::from_str(language) {
        parts.headers.insert(CONTENT_LANGUAGE, value);
    }
    Response::from_parts(parts, json.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asking(header: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT_LANGUAGE, HeaderValue::from_str(header).unwrap());
        headers
    }

    #[test]
    fn the_callers_first_language_among_the_six_is_taken_by_its_weight() {
        assert_eq!(preferred(&asking("de-CH, fr;q=0.9, en;q=0.8")), Some("fr"));
        assert_eq!(preferred(&asking("en;q=0.5, zh-Hans-CN")), Some("zh"));
        assert_eq!(preferred(&asking("pt-BR")), None);
        assert_eq!(preferred(&HeaderMap::new()), None);
    }

    #[test]
    fn every_code_has_its_sentence_in_every_language_but_english() {
        for code in [ErrorCode::ListClosed, ErrorCode::Forbidden, ErrorCode::ProofReused, ErrorCode::Internal] {
            for (language, _) in CATALOGUES {
                assert!(message(language, code).is_some_and(|m| !m.is_empty()), "{language} {code:?}");
            }
            assert_eq!(message("en", code), None);
        }
        assert_eq!(message("fr", ErrorCode::FloorEmpty), Some("Personne n'a la parole."));
    }
}
