//! The plain logic of meeting documents and objections: labels, sizes, file names, media types,
//! what the forms send and which applications can still be objected to.

use shared::accreditation::{Document, DocumentKind, PublicOrganisation, Status};

/// The largest file the server takes (`413 too_large` above).
pub const MAX_UPLOAD: u64 = 10 * 1024 * 1024;

/// What the file field says about sizes and types.
pub fn upload_hint() -> &'static str {
    crate::tr!(portal.upload_hint)
}

pub fn kind(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Official => crate::tr!(portal.kind_official),
        DocumentKind::Material => crate::tr!(portal.kind_material),
    }
}

/// The CSS class (and `data-kind`) of a document's kind.
pub fn kind_class(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Official => "official",
        DocumentKind::Material => "material",
    }
}

/// A file size for people: `512 B`, `47.1 KiB`, `2.5 MiB`.
pub fn size_text(bytes: u64) -> String {
    if bytes < 1024 {
        crate::tr!(portal.size_bytes, size = bytes)
    } else if bytes < 1024 * 1024 {
        crate::tr!(portal.size_kib, size = crate::number::decimal(bytes as f64 / 1024.0, 1))
    } else {
        crate::tr!(portal.size_mib, size = crate::number::decimal(bytes as f64 / (1024.0 * 1024.0), 1))
    }
}

/// Official documents first, then materials, each oldest first.
pub fn sorted(mut documents: Vec<Document>) -> Vec<Document> {
    documents.sort_by_key(|d| (d.kind != DocumentKind::Official, d.added_at));
    documents
}

/// The media type to send for a file: the browser's, or one guessed from the file's extension
/// (browsers leave it empty for types they do not know).
pub fn media_type(browser_type: &str, file_name: &str) -> String {
    if !browser_type.trim().is_empty() {
        return browser_type.to_string();
    }
    let extension = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "odt" => "application/vnd.oasis.opendocument.text",
        _ => "application/octet-stream",
    }
    .to_string()
}

/// The name a downloaded document is saved under: its title, made safe, with the extension of
/// its media type.
pub fn file_name(title: &str, content_type: Option<&str>) -> String {
    let base: String = title
        .trim()
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '(' | ')') { c } else { '_' })
        .collect();
    let base = if base.trim().is_empty() { "document".to_string() } else { base.trim().to_string() };
    let extension = match content_type.unwrap_or("").split(';').next().unwrap_or("").trim() {
        "application/pdf" => ".pdf",
        "text/plain" => ".txt",
        "application/msword" => ".doc",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => ".docx",
        "application/vnd.oasis.opendocument.text" => ".odt",
        _ => "",
    };
    if extension.is_empty() || base.to_ascii_lowercase().ends_with(extension) {
        base
    } else {
        format!("{base}{extension}")
    }
}

/// What the document form sends.
#[derive(Debug, Clone, PartialEq)]
pub enum Attach {
    /// `POST …/documents` with `{title, url}`.
    Link { title: String, url: String },
    /// `POST …/documents/upload?title=…` with the chosen file.
    Upload { title: String },
}

/// Reads the document form: a title and exactly one of a link or a file of `file_size` bytes.
pub fn attach(title: &str, url: &str, file_size: Option<u64>) -> Result<Attach, String> {
    let title = title.trim();
    let url = url.trim();
    if title.is_empty() {
        return Err(crate::tr!(portal.give_title).into());
    }
    match (url.is_empty(), file_size) {
        (true, None) => Err(crate::tr!(portal.give_link_or_file).into()),
        (false, Some(_)) => Err(crate::tr!(portal.link_or_file_not_both).into()),
        (false, None) => Ok(Attach::Link { title: title.into(), url: url.into() }),
        (true, Some(size)) if size > MAX_UPLOAD => Err(crate::tr!(portal.file_too_large, size = size_text(size))),
        (true, Some(_)) => Ok(Attach::Upload { title: title.into() }),
    }
}

/// Where documents of `meeting` are listed and attached by link.
pub fn documents_path(meeting: &str) -> String {
    format!("/api/meetings/{}/documents", crate::http::encode(meeting))
}

/// Where a file titled `title` is uploaded to `meeting`.
pub fn upload_path(meeting: &str, title: &str) -> String {
    format!("{}/upload?title={}", documents_path(meeting), crate::http::encode(title))
}

/// Where an uploaded document is downloaded.
pub fn download_path(document: &str) -> String {
    format!("/api/documents/{}", crate::http::encode(document))
}

/// The applications still waiting for a decision (objections are taken before it only), oldest
/// first.
pub fn pending(mut organisations: Vec<PublicOrganisation>) -> Vec<PublicOrganisation> {
    organisations.retain(|o| o.status == Status::Pending);
    organisations.sort_by_key(|o| o.applied_at);
    organisations
}

/// Whether `delegation` has already objected to `organisation`.
pub fn objected(organisation: &PublicOrganisation, delegation: &str) -> bool {
    organisation.objections.iter().any(|o| o.delegation == delegation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::accreditation::{Constituency, Objection};
    use shared::Millis;

    fn document(kind: DocumentKind, at: i64) -> Document {
        serde_json::from_value(serde_json::json!({
            "id": format!("d{at}"), "meeting": "demo", "title": "T", "kind": kind,
            "provided_by": "Secretariat", "added_at": at
        }))
        .unwrap()
    }

    fn organisation(id: &str, status: Status, at: i64) -> PublicOrganisation {
        PublicOrganisation {
            id: id.into(),
            name: id.into(),
            website: "https://x.org".into(),
            country: "Ghana".into(),
            constituency: Constituency::Ngo,
            ecosoc: true,
            status,
            reason: None,
            applied_at: Millis(at),
            decided_at: None,
            objections: vec![],
        }
    }

    #[test]
    fn sizes_are_shown_in_binary_units() {
        assert_eq!(size_text(512), "512 B");
        assert_eq!(size_text(48_213), "47.1 KiB");
        assert_eq!(size_text(MAX_UPLOAD), "10.0 MiB");
    }

    #[test]
    fn official_documents_come_first() {
        let all = sorted(vec![
            document(DocumentKind::Material, 1),
            document(DocumentKind::Official, 3),
            document(DocumentKind::Official, 2),
        ]);
        let ids: Vec<&str> = all.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["d2", "d3", "d1"]);
        assert_eq!(kind(DocumentKind::Official), "Official document");
        assert_eq!(kind_class(DocumentKind::Material), "material");
    }

    #[test]
    fn the_media_type_falls_back_on_the_extension() {
        assert_eq!(media_type("application/pdf", "x"), "application/pdf");
        assert_eq!(media_type("", "Input.PDF"), "application/pdf");
        assert_eq!(media_type(" ", "notes.odt"), "application/vnd.oasis.opendocument.text");
        assert_eq!(media_type("", "archive"), "application/octet-stream");
    }

    #[test]
    fn a_download_is_named_after_its_title() {
        assert_eq!(file_name("Provisional agenda", Some("application/pdf")), "Provisional agenda.pdf");
        assert_eq!(file_name("A/AC.292/1", Some("text/plain; charset=utf-8")), "A_AC.292_1.txt");
        assert_eq!(file_name("input.pdf", Some("application/pdf")), "input.pdf");
        assert_eq!(file_name("  ", None), "document");
    }

    #[test]
    fn the_form_takes_a_title_and_one_source() {
        assert_eq!(
            attach(" Agenda ", " https://un.org/a ", None),
            Ok(Attach::Link { title: "Agenda".into(), url: "https://un.org/a".into() })
        );
        assert_eq!(attach("Input", "", Some(100)), Ok(Attach::Upload { title: "Input".into() }));
        assert!(attach(" ", "https://un.org", None).unwrap_err().contains("title"));
        assert!(attach("A", "", None).is_err());
        assert!(attach("A", "https://un.org", Some(1)).unwrap_err().contains("not both"));
        assert!(attach("A", "", Some(MAX_UPLOAD + 1)).unwrap_err().contains("10 MiB"));
        assert!(attach("A", "", Some(MAX_UPLOAD)).is_ok());
    }

    #[test]
    fn paths_are_encoded() {
        assert_eq!(documents_path("demo 1"), "/api/meetings/demo%201/documents");
        assert_eq!(
            upload_path("m", "Joint input & notes"),
            "/api/meetings/m/documents/upload?title=Joint%20input%20%26%20notes"
        );
        assert_eq!(download_path("3f2a"), "/api/documents/3f2a");
    }

    #[test]
    fn only_pending_applications_can_be_objected_to() {
        let mut objected_to = organisation("c", Status::Pending, 1);
        objected_to.objections.push(Objection { delegation: "Brazil".into(), reason: "r".into(), at: Millis(2) });
        let list = pending(vec![
            organisation("a", Status::Approved, 0),
            organisation("b", Status::Pending, 5),
            objected_to,
            organisation("d", Status::Refused, 2),
        ]);
        let ids: Vec<&str> = list.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["c", "b"]);
        assert!(objected(&list[0], "Brazil"));
        assert!(!objected(&list[1], "Brazil"));
    }
}
