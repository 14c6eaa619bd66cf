//! Schemas → named Rust types. Every component schema gets its Rust name before anything is
//! converted (so `$ref`s resolve to names without converting eagerly, and recursion is just a
//! name); inline schemas that need a type are named from their path (`ParentField`,
//! `ParentItem`), with collisions settled by a single [`Registry`] in traversal order.

use super::names::{RESERVED_TYPES, Registry, field_name, type_name};
use super::refs::schema_examples;
use super::view::{Kind, View};
use super::*;
use crate::Result;
use crate::error::Pointer;
use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, OpenAPI, ReferenceOr, Schema};
use serde_json::Value;
use std::collections::BTreeSet;

/// Where a converted schema's name comes from.
#[derive(Clone, Copy)]
pub enum Slot<'n> {
    /// A component: the def must carry exactly this name (an alias if it is not a struct).
    Fixed(&'n str),
    /// Inline: claim this name only if a named type is needed.
    Hint(&'n str),
}

pub struct TypeBuilder<'s> {
    spec: &'s OpenAPI,
    registry: Registry,
    /// component key → Rust name, in spec order.
    components: IndexMap<String, String>,
    /// Rust name → component key (the inverse of `components`).
    by_rust: BTreeMap<String, String>,
    /// Inline type names that got a numeric suffix → the name they wanted.
    suffixed: BTreeMap<String, String>,
    /// Inline schemas converted so far, by pointer.
    converted: BTreeMap<String, (TypeRef, bool)>,
    /// Inline schemas being converted, by pointer, with their claimed names.
    in_flight: BTreeMap<String, String>,
    /// Examples met while converting (schema `example`/`examples`).
    examples: Vec<ExampleSite>,
    /// Inside a `multipart/form-data` body: `format: binary` strings are file parts.
    files: bool,
    /// Components being converted right now (on-demand conversion must not re-enter them).
    in_progress: BTreeSet<String>,
    defs: BTreeMap<String, TypeDef>,
}

/// What type conversion produced.
pub struct Finished {
    /// Named types by Rust name.
    pub defs: BTreeMap<String, TypeDef>,
    /// Rust names of the component schemas.
    pub components: BTreeSet<String>,
    /// Examples met, with their types.
    pub examples: Vec<ExampleSite>,
    /// Inline type names that got a numeric suffix → the name they wanted.
    pub suffixed: BTreeMap<String, String>,
}

/// Split a description into doc lines.
pub fn doc_lines(text: Option<&str>) -> Vec<String> {
    text.map(super::docs::sanitize).unwrap_or_default()
}

impl<'s> TypeBuilder<'s> {
    pub fn new(spec: &'s OpenAPI) -> Result<Self> {
        let mut registry = Registry::with_reserved(RESERVED_TYPES);
        let mut components = IndexMap::new();
        if let Some(c) = &spec.components {
            for key in c.schemas.keys() {
                components.insert(key.clone(), registry.claim_type(&type_name(key)));
            }
        }
        let by_rust = components
            .iter()
            .map(|(k, n)| (n.clone(), k.clone()))
            .collect();
        Ok(TypeBuilder {
            spec,
            registry,
            components,
            by_rust,
            in_progress: BTreeSet::new(),
            files: false,
            examples: Vec::new(),
            converted: BTreeMap::new(),
            suffixed: BTreeMap::new(),
            in_flight: BTreeMap::new(),
            defs: BTreeMap::new(),
        })
    }

    /// Run `f` with `format: binary` strings converted to file parts (multipart bodies).
    pub fn with_files<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let before = std::mem::replace(&mut self.files, true);
        let out = f(self);
        self.files = before;
        out
    }

    /// Whether a type name is already claimed.
    pub fn is_taken(&self, name: &str) -> bool {
        self.registry.contains(name)
    }

    /// Claim a fresh type name (for parameter structs and other generated types).
    pub fn claim(&mut self, want: &str) -> String {
        let want = type_name(want);
        let name = self.registry.claim_type(&want);
        if name != want {
            self.suffixed.insert(name.clone(), want);
        }
        name
    }

    /// Convert every component schema and return all named types.
    /// Also returns the names of the component types (the roots no pruning may remove).
    /// Also returns the recorded examples.
    pub fn finish(mut self) -> Result<Finished> {
        let keys: Vec<String> = self.components.keys().cloned().collect();
        for key in keys {
            self.convert_component(&key)?;
        }
        Ok(Finished {
            defs: self.defs,
            components: self.by_rust.into_keys().collect(),
            examples: self.examples,
            suffixed: self.suffixed,
        })
    }

    /// Convert one component unless it is done or under way.
    fn convert_component(&mut self, key: &str) -> Result<()> {
        let name = self.components[key].clone();
        if self.defs.contains_key(&name) || !self.in_progress.insert(name.clone()) {
            return Ok(());
        }
        let spec = self.spec;
        let ptr = Pointer::root().push("components").push("schemas").push(key);
        let mut result = Ok(());
        if let Some(schema) = spec.components.as_ref().and_then(|c| c.schemas.get(key)) {
            result = self
                .resolve(schema, &ptr)
                .and_then(|(schema, _)| self.convert_schema(schema, &ptr, Slot::Fixed(&name)))
                .map(drop);
        }
        self.in_progress.remove(&name);
        result
    }

    /// Make sure the named component type is converted (allOf merging needs its shape);
    /// a no-op for inline types and for components still being converted.
    pub(super) fn ensure_converted(&mut self, name: &str) -> Result<()> {
        match self.by_rust.get(name).cloned() {
            Some(key) => self.convert_component(&key),
            None => Ok(()),
        }
    }

    /// The component key a `#/components/schemas/…` reference names.
    fn ref_key<'r>(&self, reference: &'r str, ptr: &Pointer) -> Result<&'r str> {
        reference
            .strip_prefix("#/components/schemas/")
            .filter(|k| self.components.contains_key(*k))
            .ok_or_else(|| ptr.error(format!("unresolved $ref `{reference}`")))
    }

    /// Follow `$ref`s to the schema; also returns the last component key on the way.
    pub fn resolve<'a>(
        &self,
        schema: &'a ReferenceOr<Schema>,
        ptr: &Pointer,
    ) -> Result<(&'a Schema, Option<String>)>
    where
        's: 'a,
    {
        let mut current = schema;
        let mut key = None;
        for _ in 0..64 {
            match current {
                ReferenceOr::Item(s) => return Ok((s, key)),
                ReferenceOr::Reference { reference } => {
                    let k = self.ref_key(reference, ptr)?;
                    key = Some(k.to_owned());
                    current = self
                        .spec
                        .components
                        .as_ref()
                        .and_then(|c| c.schemas.get(k))
                        .ok_or_else(|| ptr.error(format!("unresolved $ref `{reference}`")))?;
                }
            }
        }
        Err(ptr.error("$ref chain longer than 64 links (a reference cycle?)"))
    }

    /// Same as [`resolve`] for the boxed form used by properties and items.
    pub(super) fn resolve_boxed<'a>(
        &self,
        schema: &'a ReferenceOr<Box<Schema>>,
        ptr: &Pointer,
    ) -> Result<&'a Schema>
    where
        's: 'a,
    {
        match schema {
            ReferenceOr::Item(s) => Ok(s),
            ReferenceOr::Reference { reference } => {
                let r = ReferenceOr::<Schema>::Reference {
                    reference: reference.clone(),
                };
                let key = self.ref_key(reference, ptr)?;
                let _ = r;
                let s = &self
                    .spec
                    .components
                    .as_ref()
                    .expect("checked by ref_key")
                    .schemas[key];
                Ok(self.resolve(s, ptr)?.0)
            }
        }
    }

    /// Convert a schema or reference. Returns the type and whether `null` is allowed.
    pub fn convert(
        &mut self,
        schema: &ReferenceOr<Schema>,
        ptr: &Pointer,
        hint: &str,
    ) -> Result<(TypeRef, bool)> {
        match schema {
            ReferenceOr::Reference { reference } => self.convert_ref(reference, ptr),
            ReferenceOr::Item(s) => self.convert_schema(s, ptr, Slot::Hint(hint)),
        }
    }

    /// Same as [`convert`] for the boxed form used by properties and items.
    pub fn convert_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        ptr: &Pointer,
        hint: &str,
    ) -> Result<(TypeRef, bool)> {
        match schema {
            ReferenceOr::Reference { reference } => self.convert_ref(reference, ptr),
            ReferenceOr::Item(s) => self.convert_schema(s, ptr, Slot::Hint(hint)),
        }
    }

    fn convert_ref(&mut self, reference: &str, ptr: &Pointer) -> Result<(TypeRef, bool)> {
        let key = self.ref_key(reference, ptr)?.to_owned();
        let name = self.components[&key].clone();
        let target = &self.spec.components.as_ref().expect("checked").schemas[&key];
        let nullable = match target {
            ReferenceOr::Item(s) => self.is_nullable(s, 0),
            r @ ReferenceOr::Reference { .. } => {
                let (s, _) = self.resolve(r, ptr)?;
                self.is_nullable(s, 0)
            }
        };
        Ok((TypeRef::Named(name), nullable))
    }

    /// Whether a schema admits `null` (directly, or through a one-member allOf/anyOf/oneOf,
    /// following `$ref`s a bounded number of times).
    fn is_nullable(&self, schema: &Schema, depth: usize) -> bool {
        if schema.schema_data.nullable {
            return true;
        }
        if depth > 32 {
            return false;
        }
        let v = View::of(schema);
        for members in [v.all_of, v.any_of, v.one_of] {
            if members.len() == 1 && v.properties.is_empty() {
                return match self.resolve(&members[0], &Pointer::root()) {
                    Ok((inner, _)) => self.is_nullable(inner, depth + 1),
                    Err(_) => false,
                };
            }
        }
        false
    }

    /// The name for the type of the schema at `ptr` (claimed for an inline one, and noted
    /// so a reference back to the same schema while it converts names it too).
    pub(super) fn claim_slot(&mut self, slot: Slot<'_>, ptr: &Pointer) -> String {
        match slot {
            Slot::Fixed(n) => n.to_owned(),
            Slot::Hint(h) => {
                let name = self.claim(h);
                self.in_flight.insert(ptr.to_string(), name.clone());
                name
            }
        }
    }

    pub(super) fn slot_hint<'n>(slot: Slot<'n>) -> &'n str {
        match slot {
            Slot::Fixed(n) | Slot::Hint(n) => n,
        }
    }

    /// The heart of the conversion: one schema object to a type reference.
    pub fn convert_schema(
        &mut self,
        schema: &Schema,
        ptr: &Pointer,
        slot: Slot<'_>,
    ) -> Result<(TypeRef, bool)> {
        // One schema object is one type, however often (and however deep in its own
        // conversion, through an allOf that inlines its component) it is reached.
        if let Slot::Hint(_) = slot {
            let key = ptr.to_string();
            if let Some(done) = self.converted.get(&key) {
                return Ok(done.clone());
            }
            if let Some(name) = self.in_flight.get(&key) {
                return Ok((TypeRef::Named(name.clone()), schema.schema_data.nullable));
            }
        }
        let (ty, nullable) = self.convert_schema_inner(schema, ptr, slot)?;
        for (at, value) in schema_examples(schema, ptr) {
            self.record_example(at, &ty, nullable, value);
        }
        if let Slot::Hint(_) = slot {
            let key = ptr.to_string();
            self.in_flight.remove(&key);
            self.converted.insert(key, (ty.clone(), nullable));
        }
        Ok((ty, nullable))
    }

    /// Note an example found at `pointer` that should decode into `ty` (or `null` if nullable).
    pub fn record_example(&mut self, pointer: String, ty: &TypeRef, nullable: bool, value: Value) {
        self.examples.push(ExampleSite {
            pointer,
            ty: ty.clone(),
            nullable,
            value,
        });
    }

    fn convert_schema_inner(
        &mut self,
        schema: &Schema,
        ptr: &Pointer,
        slot: Slot<'_>,
    ) -> Result<(TypeRef, bool)> {
        let data = &schema.schema_data;
        let v = View::of(schema);
        let mut nullable = data.nullable;
        let hint = Self::slot_hint(slot);

        let ty = if !v.all_of.is_empty() {
            return self.convert_all_of(schema, &v, ptr, slot);
        } else if !v.one_of.is_empty() || !v.any_of.is_empty() {
            let (members, key) = if v.one_of.is_empty() {
                (v.any_of, "anyOf")
            } else {
                (v.one_of, "oneOf")
            };
            if members.len() == 1 && v.properties.is_empty() {
                let (t, n) = self.convert(&members[0], &ptr.push(key).push("0"), hint)?;
                nullable |= n;
                t
            } else {
                return self.convert_union(schema, members, key, ptr, slot);
            }
        } else {
            match v.kind {
                Kind::String if !v.enumeration.is_empty() => {
                    let name = self.claim_slot(slot, ptr);
                    let mut vr = Registry::with_reserved(&["Unknown"]);
                    let variants = v
                        .enumeration
                        .iter()
                        .filter_map(|e| e.as_str())
                        .map(|w| EnumVariant {
                            rust: vr.claim(&type_name(w)),
                            wire: w.to_owned(),
                        })
                        .collect();
                    self.insert(
                        name.clone(),
                        schema,
                        ptr,
                        TypeKind::Enum {
                            variants,
                            unknown: "Unknown".into(),
                        },
                    );
                    return Ok((TypeRef::Named(name), nullable));
                }
                Kind::String => match v.format.as_deref() {
                    Some("uuid") => TypeRef::Uuid,
                    Some("date-time") => TypeRef::DateTime,
                    Some("date") => TypeRef::Date,
                    Some("password") => TypeRef::Secret,
                    Some("binary") if self.files => TypeRef::File,
                    _ => TypeRef::String,
                },
                Kind::Integer => match v.format.as_deref() {
                    Some("int32") => TypeRef::I32,
                    Some("uint64") => TypeRef::U64,
                    Some("int128") => TypeRef::I128,
                    _ => TypeRef::I64,
                },
                Kind::Number => TypeRef::F64,
                Kind::Boolean => TypeRef::Bool,
                Kind::Array => match v.items {
                    Some(items) => {
                        let (t, n) =
                            self.convert_boxed(items, &ptr.push("items"), &format!("{hint}Item"))?;
                        TypeRef::Vec(Box::new(if n { TypeRef::Option(Box::new(t)) } else { t }))
                    }
                    None => TypeRef::Vec(Box::new(TypeRef::Json)),
                },
                Kind::Object if v.properties.is_empty() => match v.additional {
                    Some(AdditionalProperties::Schema(s)) => {
                        let (t, n) = self.convert(
                            s,
                            &ptr.push("additionalProperties"),
                            &format!("{hint}Value"),
                        )?;
                        TypeRef::Map(Box::new(if n { TypeRef::Option(Box::new(t)) } else { t }))
                    }
                    _ => TypeRef::Json,
                },
                Kind::Object => {
                    let name = self.claim_slot(slot, ptr);
                    let kind = self.struct_kind(&v, ptr, &name)?;
                    self.insert(name.clone(), schema, ptr, kind);
                    return Ok((TypeRef::Named(name), nullable));
                }
                Kind::Untyped => TypeRef::Json,
            }
        };
        if let Slot::Fixed(name) = slot {
            self.insert(name.to_owned(), schema, ptr, TypeKind::Alias { target: ty });
            return Ok((TypeRef::Named(name.to_owned()), nullable));
        }
        Ok((ty, nullable))
    }

    /// The kind of an already converted named type.
    pub(super) fn def_kind(&self, name: &str) -> Option<&TypeKind> {
        self.defs.get(name).map(|d| &d.kind)
    }

    /// Whether `key` names a component schema.
    pub(super) fn has_component(&self, key: &str) -> bool {
        self.components.contains_key(key)
    }

    /// The Rust name of a component schema.
    pub(super) fn component_name(&self, key: &str) -> String {
        self.components[key].clone()
    }

    /// An already converted named type.
    pub(super) fn def(&self, name: &str) -> Option<&TypeDef> {
        self.defs.get(name)
    }

    /// Add a def built outside schema conversion (e.g. a success union).
    pub fn insert_def(&mut self, def: TypeDef) {
        self.defs.insert(def.name.clone(), def);
    }

    pub(super) fn insert(&mut self, name: String, schema: &Schema, ptr: &Pointer, kind: TypeKind) {
        let data = &schema.schema_data;
        let mut doc = doc_lines(data.description.as_deref().or(data.title.as_deref()));
        if let Some(why) = super::names::reserved_rename(&name) {
            if !doc.is_empty() {
                doc.push(String::new());
            }
            doc.push(why);
        }
        self.defs.insert(
            name.clone(),
            TypeDef {
                name,
                doc,
                origin: ptr.to_string(),
                deprecated: data.deprecated,
                kind,
            },
        );
    }

    /// Fields of an object schema.
    fn struct_kind(&mut self, v: &View<'_>, ptr: &Pointer, name: &str) -> Result<TypeKind> {
        let mut fields = Vec::new();
        self.collect_fields(v, ptr, name, &mut fields, &mut Registry::default())?;
        let additional = match v.additional {
            Some(AdditionalProperties::Schema(s)) => {
                let (t, _) = self.convert(
                    s,
                    &ptr.push("additionalProperties"),
                    &format!("{name}Value"),
                )?;
                Some(t)
            }
            _ => None,
        };
        Ok(TypeKind::Struct { fields, additional })
    }

    pub(super) fn collect_fields(
        &mut self,
        v: &View<'_>,
        ptr: &Pointer,
        owner: &str,
        fields: &mut Vec<Field>,
        rust_names: &mut Registry,
    ) -> Result<()> {
        let props = ptr.push("properties");
        for (wire, prop) in &v.properties {
            let p = props.push(wire.as_str());
            if let Some(existing) = fields.iter().position(|f| &f.wire == *wire) {
                // allOf members may repeat a property; compatible definitions merge (see
                // `merge.rs`), others widen to any JSON, with a warning.
                let (t, later_nullable) =
                    self.convert_boxed(prop, &p, &format!("{owner}{}", type_name(wire)))?;
                let earlier = fields[existing].ty.clone();
                let hint = format!("{owner}{}", type_name(wire));
                let merged = self.merge_or_widen(&earlier, &t, &hint, &p, wire)?;
                let field = &mut fields[existing];
                field.ty = merged.ty;
                if merged.note.is_some() && later_nullable {
                    // A widening member that also admits null widens the presence too.
                    field.presence = match field.presence {
                        Presence::Required => Presence::RequiredNullable,
                        Presence::Optional => Presence::OptionalNullable,
                        p => p,
                    };
                }
                if let Some(note) = merged.note.filter(|n| !field.doc.contains(n)) {
                    if !field.doc.is_empty() {
                        field.doc.push(String::new());
                    }
                    field.doc.push(note);
                }
                if v.required.contains(wire) {
                    field.presence = match field.presence {
                        Presence::Optional => Presence::Required,
                        Presence::OptionalNullable => Presence::RequiredNullable,
                        p => p,
                    };
                }
                continue;
            }
            let (ty, nullable) =
                self.convert_boxed(prop, &p, &format!("{owner}{}", type_name(wire)))?;
            let resolved = self.resolve_boxed(prop, &p)?;
            let pv = View::of(resolved);
            let required = v.required.contains(wire);
            let nullable = nullable || ty == TypeRef::Json && resolved.schema_data.nullable;
            let presence = match (required, nullable) {
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, false) => Presence::Optional,
                (false, true) => Presence::OptionalNullable,
            };
            let inline = match prop {
                ReferenceOr::Item(s) => Some(&s.schema_data),
                ReferenceOr::Reference { .. } => None,
            };
            let doc = doc_lines(
                inline
                    .and_then(|d| d.description.as_deref())
                    .or(resolved.schema_data.description.as_deref()),
            );
            fields.push(Field {
                wire: (*wire).clone(),
                rust: rust_names.claim(&field_name(wire)),
                constraints: self.constraints_of(&pv, &ty, &p)?,
                ty,
                presence,
                doc,
                deprecated: resolved.schema_data.deprecated,
                check: None,
            });
        }
        Ok(())
    }
}
