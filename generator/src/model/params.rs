//! Parameters of an operation: resolved, typed, named, and how each is written on the wire
//! (the OpenAPI style table).

use super::constraints::param_constraints;
use super::names::{Registry, field_name, type_name};
use super::refs::{examples_at, resolve_component};
use super::types::{TypeBuilder, doc_lines};
use super::*;
use crate::Result;
use crate::error::Pointer;
use openapiv3::{Components, Parameter, ParameterSchemaOrContent, PathItem};
use serde_json::Value;

impl Param {
    /// The Rust type a caller supplies: `String` (any `Display`) for a
    /// [`ParamPass::Display`] parameter, else [`Param::ty`].
    pub fn argument_type(&self) -> TypeRef {
        match self.pass {
            ParamPass::Display => TypeRef::String,
            ParamPass::Value => self.ty.clone(),
        }
    }
}

/// How a required parameter is taken by the generated method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamPass {
    /// `impl Display`, sent as its text: a path parameter whose schema is a primitive (ids).
    Display,
    /// `impl Into<T>` of the parameter's type (`Vec<T>` for an array, its struct for an
    /// object), laid out by its [`Serialization`].
    Value,
}

/// How a parameter value is written: the OpenAPI style table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Serialization {
    /// `style` and `explode` (with the specification's default for the location when absent)
    /// and `allowReserved` (query only).
    Style {
        style: ParamStyle,
        explode: bool,
        allow_reserved: bool,
    },
    /// A parameter described by `content`: the value as that media type's text (JSON text
    /// when `json`), one percent-encoded component.
    Content { media_type: String, json: bool },
}

/// The OpenAPI parameter styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    Simple,
    Label,
    Matrix,
}

/// Parameters: path-item level first, operation level overrides by (name, in).
pub(super) fn params_of(
    item: &PathItem,
    op: &openapiv3::Operation,
    pptr: &Pointer,
    optr: &Pointer,
    op_type: &str,
    comps: Option<&Components>,
    types: &mut TypeBuilder<'_>,
) -> Result<(Vec<Param>, Vec<Pointer>, Locals)> {
    let mut raw: Vec<(Pointer, &Parameter)> = Vec::new();
    for (i, p) in item.parameters.iter().enumerate() {
        let pp = pptr.push("parameters").push(i.to_string());
        raw.push((
            pp.clone(),
            resolve_component(p, "parameters", |k| comps?.parameters.get(k), &pp)?,
        ));
    }
    for (i, p) in op.parameters.iter().enumerate() {
        let pp = optr.push("parameters").push(i.to_string());
        let param = resolve_component(p, "parameters", |k| comps?.parameters.get(k), &pp)?;
        let data = param.parameter_data_ref();
        raw.retain(|(_, q)| {
            let d = q.parameter_data_ref();
            !(d.name == data.name && std::mem::discriminant(*q) == std::mem::discriminant(param))
        });
        raw.push((pp, param));
    }
    let mut param_names = Registry::with_reserved(&["body", "params", "self_"]);
    let mut params = Vec::new();
    let mut pointers = Vec::new();
    let mut setters = Registry::with_reserved(&["new"]);
    for (pp, param) in raw {
        let data = param.parameter_data_ref();
        let location = match param {
            Parameter::Path { .. } => ParamLocation::Path,
            Parameter::Query { .. } => ParamLocation::Query,
            Parameter::Header { .. } => ParamLocation::Header,
            Parameter::Cookie { .. } => ParamLocation::Cookie,
        };
        // The runtime owns these headers (auth, content negotiation).
        if location == ParamLocation::Header
            && ["authorization", "accept", "content-type"]
                .contains(&data.name.to_ascii_lowercase().as_str())
        {
            continue;
        }
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(s) => s,
            ParameterSchemaOrContent::Content(_) => {
                return Err(pp.error("parameters described by `content` are not supported"));
            }
        };
        let sp = pp.push("schema");
        let (mut ty, nullable) =
            types.convert(schema, &sp, &format!("{op_type}{}", type_name(&data.name)))?;
        for (at, value) in examples_at(data.example.as_ref(), &data.examples, &pp, comps)? {
            types.record_example(at, &ty, nullable, value);
        }
        let (resolved, _) = types.resolve(schema, &sp)?;
        let mut constraints = param_constraints(resolved, &ty, types, &sp)?;
        if ty == TypeRef::Uuid {
            // Accept any string-like id; check the format before sending.
            ty = TypeRef::String;
            constraints.uuid = true;
        }
        let serialization = serialization_of(param);
        // A `content` value is written as its media type's text (a JSON string is quoted),
        // so it keeps its type even when primitive.
        let styled = matches!(serialization, Serialization::Style { .. });
        let pass = if location == ParamLocation::Path && styled && primitive(resolved) {
            ParamPass::Display
        } else {
            ParamPass::Value
        };
        pointers.push(pp.clone());
        let rust = param_names.claim(&field_name(&data.name));
        let required = data.required || location == ParamLocation::Path;
        params.push(Param {
            wire: data.name.clone(),
            setter: (!required).then(|| setters.claim(&rust)),
            rust,
            location,
            required,
            ty,
            constraints,
            doc: doc_lines(
                data.description
                    .as_deref()
                    .or(resolved.schema_data.description.as_deref()),
            ),
            default: resolved.schema_data.default.clone(),
            serialization,
            pass,
            check: None,
            borrow: Borrow::Ref,
            text: TextForm::Plain,
        });
    }
    // Claimed after the parameters, so a parameter keeps its name and the local moves.
    let mut local = |want: &str| param_names.claim(want);
    let locals = Locals {
        body: "body".to_owned(),
        params: "params".to_owned(),
        request: local("request"),
        path: local("path"),
        value: local("value"),
        item: local("item"),
        form: local("form"),
        map: local("map"),
        name: local("name"),
    };
    Ok((params, pointers, locals))
}

/// A schema whose values are strings, numbers or booleans (written the same in every style).
fn primitive(schema: &openapiv3::Schema) -> bool {
    use openapiv3::{SchemaKind, Type};
    matches!(
        schema.schema_kind,
        SchemaKind::Type(Type::String(_) | Type::Number(_) | Type::Integer(_) | Type::Boolean(_))
    )
}

/// A parameter's style, `explode` (default: true for `form`, false otherwise, as the
/// specification says) and `allowReserved`, or its `content` media type (marked by `load`).
fn serialization_of(param: &Parameter) -> Serialization {
    use openapiv3::{PathStyle, QueryStyle};
    let data = param.parameter_data_ref();
    if let Some(media) = data
        .extensions
        .get("x-content-media-type")
        .and_then(Value::as_str)
    {
        let json = media == "application/json" || media.ends_with("+json");
        return Serialization::Content {
            media_type: media.to_owned(),
            json,
        };
    }
    let (style, allow_reserved) = match param {
        Parameter::Query {
            style,
            allow_reserved,
            ..
        } => (
            match style {
                QueryStyle::Form => ParamStyle::Form,
                QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                QueryStyle::DeepObject => ParamStyle::DeepObject,
            },
            *allow_reserved,
        ),
        Parameter::Path { style, .. } => (
            match style {
                PathStyle::Simple => ParamStyle::Simple,
                PathStyle::Label => ParamStyle::Label,
                PathStyle::Matrix => ParamStyle::Matrix,
            },
            false,
        ),
        // Headers have only `simple`, cookies only `form`.
        Parameter::Header { .. } => (ParamStyle::Simple, false),
        Parameter::Cookie { .. } => (ParamStyle::Form, false),
    };
    Serialization::Style {
        style,
        explode: data.explode.unwrap_or(style == ParamStyle::Form),
        allow_reserved,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params_of_spec(parameters: Value) -> Vec<Param> {
        let text = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/x/{id}/{ids}/{js}": {"get": {
                "operationId": "op",
                "parameters": parameters,
                "responses": {"204": {"description": "ok"}},
            }}},
        })
        .to_string();
        let loaded = crate::load::load_str(&text, "t.json").expect("loads");
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        let model = crate::model::build(&loaded.openapi).expect("builds");
        model.operations[0].params.clone()
    }

    fn style(style: ParamStyle, explode: bool, allow_reserved: bool) -> Serialization {
        Serialization::Style {
            style,
            explode,
            allow_reserved,
        }
    }

    #[test]
    fn styles_explode_defaults_and_passing() {
        let strings = json!({"type": "array", "items": {"type": "string"}});
        let params = params_of_spec(json!([
            {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}},
            {"name": "ids", "in": "path", "required": true, "style": "label", "schema": strings},
            {"name": "q", "in": "query", "schema": strings},
            {"name": "csv", "in": "query", "explode": false, "allowReserved": true, "schema": strings},
            {"name": "deep", "in": "query", "style": "deepObject", "schema": {"type": "object"}},
            {"name": "h", "in": "header", "explode": true, "schema": {"type": "object"}},
            {"name": "c", "in": "cookie", "schema": {"type": "string"}},
            {"name": "j", "in": "query", "content": {"application/json": {"schema": {"type": "object"}}}},
            {"name": "t", "in": "query", "content": {"text/plain": {"schema": {"type": "string"}}}},
            {"name": "js", "in": "path", "required": true, "content": {"application/json": {"schema": {"type": "integer"}}}},
        ]));
        let got: Vec<(&str, &Serialization, ParamPass)> = params
            .iter()
            .map(|p| (p.wire.as_str(), &p.serialization, p.pass))
            .collect();
        let json_content = Serialization::Content {
            media_type: "application/json".into(),
            json: true,
        };
        let text_content = Serialization::Content {
            media_type: "text/plain".into(),
            json: false,
        };
        use ParamPass::{Display, Value as Typed};
        use ParamStyle::*;
        assert_eq!(
            got,
            [
                ("id", &style(Simple, false, false), Display),
                ("ids", &style(Label, false, false), Typed),
                ("q", &style(Form, true, false), Typed),
                ("csv", &style(Form, false, true), Typed),
                ("deep", &style(DeepObject, false, false), Typed),
                ("h", &style(Simple, true, false), Typed),
                ("c", &style(Form, true, false), Typed),
                ("j", &json_content, Typed),
                ("t", &text_content, Typed),
                ("js", &json_content, Typed),
            ]
        );
        // A `content` parameter is typed by its media type's schema, not a string.
        assert_eq!(params[7].ty, TypeRef::Json);
        assert_eq!(params[1].argument_type(), params[1].ty);
        assert_eq!(params[0].argument_type(), TypeRef::String);
    }
}
