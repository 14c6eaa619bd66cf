//! The types part of the intermediate representation: named Rust types made from schemas
//! (structs, open enums, unions, aliases), their fields and the references between them.

use super::validate::Check;

/// One Rust type produced from a schema.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub doc: Vec<String>,
    /// JSON pointer of the schema it came from, for docs and error messages.
    pub origin: String,
    pub deprecated: bool,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct {
        fields: Vec<Field>,
        /// Typed `additionalProperties` next to named ones: a flattened map.
        additional: Option<TypeRef>,
    },
    /// A string enum; always open (an `Unknown(String)` variant keeps unseen values).
    Enum {
        variants: Vec<EnumVariant>,
        /// Name of the catch-all variant (normally `Unknown`).
        unknown: String,
    },
    /// `oneOf`/`anyOf`: untagged unless a discriminator names the tag property.
    Union {
        variants: Vec<UnionVariant>,
        discriminator: Option<Discriminator>,
    },
    /// A named schema that is just another type (`type Foo = Vec<Bar>`).
    Alias { target: TypeRef },
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub rust: String,
    pub wire: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub rust: String,
    pub ty: TypeRef,
    /// Tag values that select this variant (discriminated unions only).
    pub tags: Vec<String>,
    /// The checks of the variant's value.
    pub check: Option<Check>,
}

/// How a union decodes, decided in the model (see `model::plan`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnionPlan {
    /// Variants tried by shape, most specific first (indices into the variants): all of an
    /// untagged union's, the untagged ones of a discriminated union. Objects with more
    /// required properties first, integers before numbers, known enum values before plain
    /// strings, free-form JSON last.
    pub try_order: Vec<usize>,
    /// Per variant: it holds an enum, so it is tried for its known values only; if nothing
    /// else matched, the first enum (in try order) takes any string.
    pub enums: Vec<bool>,
    /// Per variant of a discriminated union: required one-value properties other than the
    /// tag, `(wire, value)`, that tell members sharing a tag value apart.
    pub guards: Vec<Vec<(String, String)>>,
    /// A discriminated union's catch-all variant (an unseen tag's JSON).
    pub unknown: Option<String>,
    /// The variant a mocked answer's placeholder holds: the first that does not recurse
    /// (no `Box` inside), so the placeholder is finite.
    pub placeholder: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Discriminator {
    /// Wire name of the tag property.
    pub property: String,
}

/// How a field is present on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Must be present, never null: `T`.
    Required,
    /// Must be present, may be null: `Option<T>` that rejects a missing key.
    RequiredNullable,
    /// May be absent, never null: `Option<T>`, skipped when `None`.
    Optional,
    /// May be absent or null: `Tristate<T>` (absent / null / value).
    OptionalNullable,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The JSON property name.
    pub wire: String,
    /// The Rust field name (already escaped, e.g. `r#type`).
    pub rust: String,
    pub ty: TypeRef,
    pub presence: Presence,
    pub doc: Vec<String>,
    pub constraints: Constraints,
    pub deprecated: bool,
    /// The checks of the field's value (the plan `validate_at` prints).
    pub check: Option<Check>,
}

/// Client-side checks derived from the schema.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<String>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    /// (bound, exclusive)
    pub minimum: Option<(f64, bool)>,
    pub maximum: Option<(f64, bool)>,
    /// A string that must parse as a UUID (only where the Rust type is a string).
    pub uuid: bool,
    /// Checks on each array item.
    pub items: Option<Box<Constraints>>,
}

impl Constraints {
    /// True when there is nothing to check.
    pub fn is_empty(&self) -> bool {
        self == &Constraints::default()
    }
}

/// A reference to a Rust type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    String,
    /// A sensitive string (`format: password`): `Secret`, redacted in Debug.
    Secret,
    Bool,
    I32,
    I64,
    /// An integer whose documented range needs 64 unsigned bits (`format: uint64`).
    U64,
    /// An integer whose documented range exceeds 64 bits (`format: int128`, set by the
    /// loader for bounds beyond `i64`/`u64`).
    I128,
    F64,
    Uuid,
    DateTime,
    Date,
    /// Free-form JSON.
    Json,
    /// Raw bytes (binary bodies).
    Bytes,
    /// A file part of a `multipart/form-data` body (`format: binary` there).
    File,
    Named(String),
    Vec(Box<TypeRef>),
    Map(Box<TypeRef>),
    /// Heap indirection inserted by the recursion pass.
    Boxed(Box<TypeRef>),
    /// Nullable value (inside arrays, maps or union members).
    Option(Box<TypeRef>),
}
