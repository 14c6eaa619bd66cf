//! Names of the members the emitter writes on generated structs besides the fields: the
//! setters of optional fields and the flattened `additionalProperties` map. Claimed here, per
//! struct, after every rename, so the emitter only looks them up.

use super::names::{Registry, unraw};
use super::*;

/// The generated members of one struct.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Members {
    /// Setter of each optional field, by the field's Rust name.
    pub setters: BTreeMap<String, String>,
    /// The flattened map holding `additionalProperties`, when the struct has one.
    pub additional: Option<String>,
}

impl Members {
    /// The setter of the field `rust` (the field name itself when none was recorded).
    pub fn setter<'a>(&'a self, rust: &'a str) -> &'a str {
        self.setters.get(rust).map_or(rust, String::as_str)
    }
}

/// Members of every struct in `defs`.
pub fn claim(defs: &BTreeMap<String, TypeDef>) -> BTreeMap<String, Members> {
    defs.iter()
        .filter_map(|(name, def)| match &def.kind {
            TypeKind::Struct { fields, additional } => {
                Some((name.clone(), of_struct(fields, additional.is_some())))
            }
            _ => None,
        })
        .collect()
}

fn of_struct(fields: &[Field], additional: bool) -> Members {
    // Fields and methods live in different namespaces, so each gets its own registry.
    let mut field_names = Registry::default();
    for f in fields {
        field_names.claim(unraw(&f.rust));
    }
    let mut methods = Registry::with_reserved(&["new", "validate_at"]);
    let setters = fields
        .iter()
        .filter(|f| matches!(f.presence, Presence::Optional | Presence::OptionalNullable))
        .map(|f| (f.rust.clone(), methods.claim(&f.rust)))
        .collect();
    Members {
        setters,
        additional: additional.then(|| field_names.claim("additional_properties")),
    }
}
