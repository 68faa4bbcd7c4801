//! `rostrum serve --demo` (what `make run` starts): a process taking applications, and two open
//! meetings of it, ready for the README's walk-through; starting again changes nothing.

use rostrum_tests::Server;

#[tokio::test]
async fn the_demo_has_a_process_taking_applications_and_two_meetings_of_it() {
    // Arrange
    let data = tempfile::tempdir().unwrap();

    // Act
    let server = Server::start_with(data.path(), &["--demo"]).await;
    let (status, process) = server.http("GET", "/api/processes/oewg-demo", None, None).await;

    // Assert
    assert_eq!(status, 200, "{process}");
    assert_eq!(process["applications_open"], true);
    let meetings: Vec<&str> =
        process["meetings"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(meetings, ["demo", "demo-2"]);
    let sec = server.secretariat();
    let (_, first) = server.http("GET", "/api/meetings/demo", Some(&sec), None).await;
    let (_, second) = server.http("GET", "/api/meetings/demo-2", Some(&sec), None).await;
    assert_eq!(first["active_segment"], 1, "the first meeting opens with the general exchange");
    assert_eq!(second["active_segment"], 2, "the second opens with its stakeholder segment");
    let stakeholder_segment = &second["segments"][1]["spec"];
    assert_eq!(stakeholder_segment["inscription"], "stakeholders");
    assert_eq!(stakeholder_segment["one_per_organisation"], true);
}

#[tokio::test]
async fn starting_the_demo_again_keeps_what_was_there() {
    // Arrange
    let data = tempfile::tempdir().unwrap();
    let mut server = Server::start_with(data.path(), &["--demo"]).await;
    let sec = server.secretariat();
    let (_, before) = server.http("GET", "/api/meetings/demo", Some(&sec), None).await;
    server.kill9();

    // Act
    let server = Server::start_with(data.path(), &["--demo"]).await;
    let (_, after) = server.http("GET", "/api/meetings/demo", Some(&sec), None).await;
    let (_, meetings) = server.http("GET", "/api/meetings", Some(&sec), None).await;

    // Assert
    assert_eq!(before, after);
    assert_eq!(meetings.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_demo_ngo_speaks_for_an_accredited_organisation_whose_constituency_the_record_knows() {
    // Arrange
    let data = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(rostrum_tests::rostrum_bin())
        .args(["demo", "--data"])
        .arg(data.path())
        .envs(rostrum_tests::test_store(data.path()).map(|url| ("ROSTRUM_STORE", url)))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let links = String::from_utf8(out.stdout).unwrap();
    let line = links.lines().find(|l| l.trim_start().starts_with("NGO representative")).expect("the NGO's link");
    let token = line.rsplit("#token=").next().unwrap().trim().to_string();
    let server = Server::start_in(data.path()).await;
    let mut ngo = rostrum_tests::Client::connect(&server, "demo", Some(&token)).await;

    // Act
    ngo.command(rostrum_tests::request("statement", "remote", "en")).await.unwrap();

    // Assert
    let entry = ngo.state().active().unwrap().entries.last().unwrap().clone();
    assert_eq!(entry.speaker.constituency(), Some(shared::accreditation::Constituency::Ngo));
    assert_eq!(entry.speaker.region(), Some(shared::Region::African), "Ghana");
    assert!(links.contains("/portal?process=oewg-demo"));
    assert!(links.contains("/report?meeting=demo"));
}
