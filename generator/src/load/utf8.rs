//! Spec files are read as bytes: text that is not UTF-8 is refused with its place.

use std::path::Path;

use crate::{Error, Result};

/// The text of a spec file: its bytes, refused with their place (line, column and byte
/// offset) unless they are UTF-8.
pub fn read_spec(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    text_from_bytes(bytes, &path.display().to_string())
}

/// `bytes` as text, or a located syntax error at the first byte that is not UTF-8 (YAML and
/// JSON documents are UTF-8; `std`'s own error says only "stream did not contain valid UTF-8").
pub fn text_from_bytes(bytes: Vec<u8>, source_name: &str) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let offset = e.utf8_error().valid_up_to();
        // The prefix is valid UTF-8, so lines and columns count characters as elsewhere.
        let before = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Error::Syntax {
            source_name: source_name.to_owned(),
            format: "UTF-8",
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
            message: format!(
                "byte 0x{:02X} at byte offset {offset} is not valid UTF-8 (save the document as UTF-8)",
                bytes[offset]
            ),
        }
    })
}
