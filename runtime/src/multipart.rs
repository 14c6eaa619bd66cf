//! `multipart/form-data` request bodies, encoded in memory so a retry can resend them.
//!
//! Generated `prepare()` functions build a [`MultipartForm`] field by field: file fields
//! (`format: binary` in the spec) from a [`FilePart`], strings as text, everything else as
//! compact JSON text; arrays become one part per item under the same name.

use bytes::Bytes;

use super::request::Body;
use super::validate::ValidationError;

/// A file to upload: its bytes, and optionally a file name and a content type.
///
/// In serde (e.g. in examples) a file part is represented by its file name only; the bytes
/// are never serialised.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FilePart {
    bytes: Bytes,
    filename: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A file part with these bytes and no name or content type.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        FilePart {
            bytes: bytes.into(),
            filename: None,
            content_type: None,
        }
    }

    /// Sets the file name sent in `Content-Disposition` (servers often infer the format from it).
    pub fn filename(mut self, name: impl Into<String>) -> Self {
        self.filename = Some(name.into());
        self
    }

    /// Sets the part's `Content-Type` (default `application/octet-stream`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The file name, if set.
    pub fn name(&self) -> Option<&str> {
        self.filename.as_deref()
    }
}

impl std::fmt::Debug for FilePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilePart")
            .field("len", &self.bytes.len())
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        FilePart::new(bytes)
    }
}

impl From<Bytes> for FilePart {
    fn from(bytes: Bytes) -> Self {
        FilePart::new(bytes)
    }
}

impl From<&'static [u8]> for FilePart {
    fn from(bytes: &'static [u8]) -> Self {
        FilePart::new(Bytes::from_static(bytes))
    }
}

impl serde::Serialize for FilePart {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.filename.as_deref().unwrap_or_default())
    }
}

impl<'de> serde::Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(FilePart::default().filename(name))
    }
}

/// A `multipart/form-data` body under construction.
#[derive(Debug, Clone)]
pub struct MultipartForm {
    boundary: String,
    buf: Vec<u8>,
}

impl Default for MultipartForm {
    fn default() -> Self {
        Self::new()
    }
}

/// Quotes a name for `Content-Disposition` (`"` and line breaks percent-encoded, as browsers do).
fn quoted(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

impl MultipartForm {
    /// An empty form with a random boundary.
    pub fn new() -> Self {
        let boundary = format!(
            "----openapi-gen-{:016x}{:016x}",
            fastrand::u64(..),
            fastrand::u64(..)
        );
        MultipartForm {
            boundary,
            buf: Vec::new(),
        }
    }

    fn head(&mut self, name: &str, filename: Option<&str>, content_type: Option<&str>) {
        self.buf.extend_from_slice(b"--");
        self.buf.extend_from_slice(self.boundary.as_bytes());
        self.buf
            .extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
        self.buf.extend_from_slice(quoted(name).as_bytes());
        self.buf.push(b'"');
        if let Some(f) = filename {
            self.buf.extend_from_slice(b"; filename=\"");
            self.buf.extend_from_slice(quoted(f).as_bytes());
            self.buf.push(b'"');
        }
        self.buf.extend_from_slice(b"\r\n");
        if let Some(ct) = content_type {
            self.buf.extend_from_slice(b"Content-Type: ");
            self.buf.extend_from_slice(ct.as_bytes());
            self.buf.extend_from_slice(b"\r\n");
        }
        self.buf.extend_from_slice(b"\r\n");
    }

    /// A text part.
    pub fn text(&mut self, name: &str, value: &str) {
        self.head(name, None, None);
        self.buf.extend_from_slice(value.as_bytes());
        self.buf.extend_from_slice(b"\r\n");
    }

    /// A file part.
    pub fn file(&mut self, name: &str, file: &FilePart) {
        let content_type = file
            .content_type
            .as_deref()
            .unwrap_or("application/octet-stream");
        let filename = file.filename.as_deref().unwrap_or(name);
        self.head(name, Some(filename), Some(content_type));
        self.buf.extend_from_slice(&file.bytes);
        self.buf.extend_from_slice(b"\r\n");
    }

    /// Any other value: strings as text, `null` omitted, arrays as one part per item, the
    /// rest as compact JSON text (`12`, `true`, `{"a":1}`).
    pub fn value<T: serde::Serialize>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), ValidationError> {
        let value = serde_json::to_value(value)
            .map_err(|_| ValidationError::new(name, "could not be encoded as a form field"))?;
        let items = match value {
            serde_json::Value::Array(items) => items,
            other => vec![other],
        };
        for item in items {
            match item {
                serde_json::Value::Null => {}
                serde_json::Value::String(s) => self.text(name, &s),
                other => self.text(name, &other.to_string()),
            }
        }
        Ok(())
    }

    /// The finished body, with `Content-Type: multipart/form-data; boundary=…`.
    pub fn finish(mut self) -> Body {
        self.buf.extend_from_slice(b"--");
        self.buf.extend_from_slice(self.boundary.as_bytes());
        self.buf.extend_from_slice(b"--\r\n");
        Body::Raw {
            content_type: format!("multipart/form-data; boundary={}", self.boundary),
            bytes: self.buf,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_text_values_and_files() {
        let mut form = MultipartForm::new();
        form.text("model", "whisper");
        form.value("temperature", &0.5).unwrap();
        form.value("granularity", &["word", "segment"]).unwrap();
        form.value("skipped", &Option::<i32>::None).unwrap();
        form.file(
            "file",
            &FilePart::new(b"RIFF".to_vec())
                .filename("a\"b.wav")
                .content_type("audio/wav"),
        );
        let boundary = form.boundary.clone();
        let Body::Raw {
            content_type,
            bytes,
        } = form.finish()
        else {
            panic!("multipart is a raw body");
        };
        assert_eq!(
            content_type,
            format!("multipart/form-data; boundary={boundary}")
        );
        let text = String::from_utf8(bytes).unwrap();
        let b = format!("--{boundary}");
        let expected = format!(
            "{b}\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper\r\n\
             {b}\r\nContent-Disposition: form-data; name=\"temperature\"\r\n\r\n0.5\r\n\
             {b}\r\nContent-Disposition: form-data; name=\"granularity\"\r\n\r\nword\r\n\
             {b}\r\nContent-Disposition: form-data; name=\"granularity\"\r\n\r\nsegment\r\n\
             {b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a%22b.wav\"\r\n\
             Content-Type: audio/wav\r\n\r\nRIFF\r\n{b}--\r\n"
        );
        assert_eq!(text, expected);
    }

    #[test]
    fn file_parts_serialise_as_their_name() {
        let f = FilePart::new(vec![1, 2, 3]).filename("doc.pdf");
        assert_eq!(serde_json::to_value(&f).unwrap(), "doc.pdf");
        let back: FilePart = serde_json::from_value("doc.pdf".into()).unwrap();
        assert_eq!(back.name(), Some("doc.pdf"));
        assert!(format!("{f:?}").contains("len: 3"));
    }
}
