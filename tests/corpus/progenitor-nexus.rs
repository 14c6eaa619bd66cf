//! Hand-written test copied by `cargo xtask corpus` into the crate generated from
//! `progenitor-nexus.json`: the typed mock works for another vendor's API too.

use corpus_progenitor_nexus_json::{MockServer, NameOrId, Project, ProjectCreate};

#[tokio::test]
async fn typed_mock_of_another_api() {
    let mock = MockServer::start().await;
    let project: Project = serde_json::from_value(serde_json::json!({
        "description": "d",
        "id": "67e55044-10b1-426f-9247-bb680e5fe0c8",
        "name": "web",
        "organization_id": "67e55044-10b1-426f-9247-bb680e5fe0c9",
        "time_created": "2024-01-01T00:00:00Z",
        "time_modified": "2024-01-01T00:00:00Z"
    }))
    .expect("project");
    let create = mock.projects().project_create_v1().respond(&project).await;
    let client = mock.client().expect("client");
    let got = client
        .projects()
        .project_create_v1(
            NameOrId::Name("acme".into()),
            ProjectCreate::new("d", "web"),
        )
        .await
        .expect("created");
    assert_eq!(got, project);
    let received = create.received().await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].path, "/v1/projects");
    assert_eq!(received[0].query_param("organization"), Some("acme"));
    let body = received[0].body.as_ref().expect("typed body");
    assert_eq!(body.name, "web");
    assert!(!format!("{received:?}").contains("mock-api-key"));
}
