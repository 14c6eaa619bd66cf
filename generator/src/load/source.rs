//! The input of the pipeline: one text, or a root file and the files it references, kept
//! so that warnings and errors can name the file, pointer, line and column they are about.

use std::path::Path;

use serde_json::Value;

use super::bundle::{self, SourceFile};
use super::origins::Origins;
use crate::{Error, Result, Warning};

/// A parsed (and, for a split document, bundled) document and the files it came from.
#[derive(Debug, Clone)]
pub struct Source {
    doc: Value,
    files: Vec<SourceFile>,
    /// Places of the bundled document → `file#/pointer` of another file.
    origins: Origins,
    /// Warnings found while parsing (repeated keys), already placed.
    parse_warnings: Vec<Warning>,
}

impl Source {
    /// A document given as text (it may not reference other files).
    pub fn text(text: &str, source_name: &str) -> Result<Source> {
        let (doc, duplicates) = super::parse::parse(text, source_name)?;
        Ok(Source {
            doc,
            files: vec![SourceFile {
                name: source_name.to_owned(),
                text: text.to_owned(),
            }],
            origins: Origins::default(),
            parse_warnings: duplicates
                .into_iter()
                .map(super::dup_keys::Duplicate::into_warning)
                .collect(),
        })
    }

    /// The document at `root` with every file it references (relative `$ref`s, to any
    /// depth) bundled in. Files must lie under `ref_root` (default: `root`'s folder).
    pub fn files(root: &Path, ref_root: Option<&Path>) -> Result<Source> {
        let b = bundle::bundle(root, ref_root)?;
        Ok(Source {
            doc: b.doc,
            files: b.files,
            origins: b.origins,
            parse_warnings: b.duplicates,
        })
    }

    /// Every file read, the root first (a split document's other files in the order they
    /// were first referenced).
    pub fn source_files(&self) -> &[SourceFile] {
        &self.files
    }

    /// The warnings found while parsing (left empty here): see [`super::load_source`].
    pub(super) fn take_parse_warnings(&mut self) -> Vec<Warning> {
        std::mem::take(&mut self.parse_warnings)
    }

    /// The document (left empty here): see [`super::load_source`].
    pub(super) fn take_document(&mut self) -> Value {
        self.doc.take()
    }

    /// A spec error's pointer as a place in the file it is about (`file#/…` for a file
    /// other than the root).
    pub fn error(&self, error: Error) -> Error {
        self.origins.error(error)
    }

    /// Point each warning into the file it is about, with line and column there.
    /// Warnings placed already (a repeated key, whose pointer leads to the first
    /// occurrence) keep their place.
    pub fn place(&self, warnings: &mut [Warning]) {
        let placed: Vec<_> = warnings.iter().map(|w| (w.line, w.column)).collect();
        self.place_all(warnings);
        for (w, (line, column)) in warnings.iter_mut().zip(placed) {
            if line.is_some() {
                (w.line, w.column) = (line, column);
            }
        }
    }

    fn place_all(&self, warnings: &mut [Warning]) {
        if let [only] = self.files.as_slice() {
            super::position::place_warnings(&only.text, warnings);
            return;
        }
        for w in warnings.iter_mut() {
            w.pointer = self.origins.original(&w.pointer);
        }
        for (i, file) in self.files.iter().enumerate() {
            let prefix = if i == 0 { "" } else { file.name.as_str() };
            let mut here: Vec<(usize, Warning)> = warnings
                .iter()
                .enumerate()
                .filter_map(|(j, w)| {
                    let rest = w.pointer.strip_prefix(prefix)?;
                    rest.starts_with('#').then(|| {
                        let mut local = w.clone();
                        local.pointer = rest.to_owned();
                        (j, local)
                    })
                })
                .collect();
            let mut placed: Vec<Warning> = here.iter().map(|(_, w)| w.clone()).collect();
            super::position::place_warnings(&file.text, &mut placed);
            for ((j, _), p) in here.drain(..).zip(placed) {
                warnings[j].line = p.line;
                warnings[j].column = p.column;
            }
        }
    }
}
