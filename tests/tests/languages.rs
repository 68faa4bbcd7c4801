//! Error bodies speak the caller's language (issue 17): the `code` stays the same for programs,
//! and the `message` is the code's sentence from the web client's catalogue in the first of the
//! six UN languages the `Accept-Language` header asks for; English keeps the server's sentence.

use rostrum_tests::{exchange, header, segment, Server};

const LOOPBACK: std::net::IpAddr = std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

#[tokio::test]
async fn an_error_body_is_in_the_callers_language_with_the_same_code() {
    // Arrange
    let server = Server::in_process().await;
    let sec = server.meeting("m1", "open", &[segment("General debate", "all", 180)]).await;
    let bearer = format!("Bearer {sec}");
    let ask = |language: &'static str| {
        let bearer = bearer.clone();
        let addr = server.addr;
        async move {
            let headers = [("Authorization", bearer.as_str()), ("Accept-Language", language)];
            exchange(addr, LOOPBACK, "GET", "/api/meetings/nowhere", &headers, "").await
        }
    };

    // Act
    let english = ask("en-GB,en;q=0.9").await;
    let french = ask("de-CH, fr;q=0.8, en;q=0.5").await;
    let arabic = ask("ar-EG").await;
    let chinese = ask("zh-Hans-CN,zh;q=0.9").await;

    // Assert
    for answer in [&english, &french, &arabic, &chinese] {
        assert_eq!(answer.status, 404, "{answer:?}");
        assert_eq!(answer.body["code"], "unknown_meeting", "{answer:?}");
        assert!(header(&answer.head, "vary").is_some_and(|v| v.contains("accept-language")), "{}", answer.head);
    }
    assert!(english.body["message"].as_str().unwrap().contains("nowhere"), "English keeps the server's specifics");
    assert_eq!(header(&english.head, "content-language"), Some("en"));
    assert_eq!(french.body["message"], "Cette séance n'existe pas sur ce serveur. Vérifiez le lien.");
    assert_eq!(header(&french.head, "content-language"), Some("fr"));
    assert_eq!(arabic.body["message"], "لا توجد جلسة كهذه على هذا الخادم. تحقق من الرابط.");
    assert_eq!(chinese.body["message"], "此服务器上没有这个会议。请检查链接。");
}

#[tokio::test]
async fn a_caller_who_names_none_of_the_six_languages_reads_english_and_success_is_untouched() {
    // Arrange
    let server = Server::in_process().await;
    let sec = server.meeting("m1", "open", &[segment("General debate", "all", 180)]).await;
    let bearer = format!("Bearer {sec}");

    // Act
    let portuguese = exchange(
        server.addr,
        LOOPBACK,
        "POST",
        "/api/meetings/m1/commands",
        &[("Authorization", &bearer), ("Accept-Language", "pt-BR")],
        "{not json",
    )
    .await;
    let found = exchange(
        server.addr,
        LOOPBACK,
        "GET",
        "/api/meetings/m1",
        &[("Authorization", &bearer), ("Accept-Language", "ru")],
        "",
    )
    .await;
    let plain = exchange(server.addr, LOOPBACK, "GET", "/api/meetings/m1", &[("Authorization", &bearer)], "").await;

    // Assert
    assert_eq!((portuguese.status, portuguese.body["code"].as_str()), (400, Some("bad_request")));
    assert!(portuguese.body["message"].as_str().unwrap().starts_with("The JSON body is not valid"), "{portuguese:?}");
    assert_eq!(found.status, 200);
    assert!(found.body.is_object(), "{found:?}");
    assert_eq!(found.body, plain.body, "a success keeps its body whatever the language");
    assert_eq!(header(&found.head, "content-language"), None);
}
