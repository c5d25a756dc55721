//! JSON Schemas of the spec's types: one component per enum, model and request body, and one
//! per use of a generic model (`Page_CrmOpportunity`), since OpenAPI has no generic schemas.

use std::collections::BTreeMap;

use super::json::{array, object, Json};
use super::Dialect;
use crate::ir::{Body, EnumRepr, EnumValue, Field, ModelId, Spec, Type, WriteMode};

/// Where component schemas live.
const SCHEMAS: &str = "#/components/schemas/";

/// Builds schemas, remembering the generic model instances that schemas refer to.
pub(super) struct SchemaBuilder<'a> {
    spec: &'a Spec,
    pub(super) dialect: Dialect,
    /// Instances referred to so far, by component name.
    instances: BTreeMap<String, (ModelId, Vec<Type>)>,
}

impl<'a> SchemaBuilder<'a> {
    pub(super) fn new(spec: &'a Spec, dialect: Dialect) -> Self {
        SchemaBuilder { spec, dialect, instances: BTreeMap::new() }
    }

    /// The JSON type of the schema a reference to `ty` points at, for the schemas that are
    /// references: OpenAPI 3.0 wants a `type` beside `nullable`.
    fn referenced_type(&self, ty: &Type) -> Option<&'static str> {
        match ty {
            Type::Enum(id) => Some(match self.spec.enums[id.0].repr {
                EnumRepr::Integer => "integer",
                EnumRepr::String => "string",
            }),
            Type::Model(..) => Some("object"),
            _ => None,
        }
    }

    /// The schema of a value of `ty`; `arguments` stand for the type parameters of the model
    /// being described.
    pub(super) fn type_schema(&mut self, ty: &Type, arguments: &[Type]) -> Json {
        match ty {
            Type::Int32 => object([("type", "integer".into()), ("format", "int32".into())]),
            Type::Int64 => object([("type", "integer".into()), ("format", "int64".into())]),
            // Money travels as a JSON number; `decimal` tells readers not to treat it as a float.
            Type::Decimal => object([("type", "number".into()), ("format", "decimal".into())]),
            Type::Bool => object([("type", "boolean".into())]),
            Type::String => object([("type", "string".into())]),
            Type::DateTime => object([("type", "string".into()), ("format", "date-time".into())]),
            Type::Uuid => object([("type", "string".into()), ("format", "uuid".into())]),
            // Any JSON value, null included.
            Type::Json => object::<&str>([]),
            Type::Enum(id) => reference(&self.spec.enums[id.0].name),
            Type::Model(id, model_arguments) if model_arguments.is_empty() => reference(&self.spec.models[id.0].name),
            Type::Model(id, model_arguments) => {
                let resolved: Vec<Type> =
                    model_arguments.iter().map(|argument| argument.substitute(arguments)).collect();
                let name = self.instance_name(*id, &resolved);
                self.instances.entry(name.clone()).or_insert((*id, resolved));
                reference(&name)
            }
            Type::List(item) => object([("type", "array".into()), ("items", self.type_schema(item, arguments))]),
            Type::Param(index) => match arguments.get(*index) {
                Some(argument) => self.type_schema(&argument.clone(), &[]),
                None => object::<&str>([]),
            },
        }
    }

    /// The schema of a model field: its type, null where the field may be null, its
    /// description, and `readOnly` where create and update do not take it.
    fn field_schema(&mut self, field: &Field, arguments: &[Type], in_body: bool) -> Json {
        let mut schema = self.type_schema(&field.ty, arguments);
        if field.nullable {
            schema = nullable(schema, self.referenced_type(&field.ty.substitute(arguments)), self.dialect);
        }
        schema.insert_some("description", field.description.as_deref().map(super::described));
        if field.deprecated.is_some() {
            schema.insert("deprecated", true.into());
        }
        if !in_body {
            match field.write {
                WriteMode::ReadOnly => schema.insert("readOnly", true.into()),
                WriteMode::WriteOnly => schema.insert("writeOnly", true.into()),
                WriteMode::ReadWrite => {}
                // Which body carries it shows in the body schemas; readers of the record learn
                // it here.
                WriteMode::CreateOnly | WriteMode::UpdateOnly => {
                    schema.insert("x-nexudus-write", field.write.as_str().into())
                }
            }
            if field.get_only {
                schema.insert("x-nexudus-get-only", true.into());
            }
        }
        beside_reference(schema, self.dialect)
    }

    /// The schema of a field in a request: its input type where it holds models.
    fn request_field_schema(&mut self, field: &Field) -> Json {
        let input = field.input.or_else(|| match &field.ty {
            Type::Model(id, _) => self.spec.models[id.0].input,
            Type::List(item) => match &**item {
                Type::Model(id, _) => self.spec.models[id.0].input,
                _ => None,
            },
            _ => None,
        });
        let Some(input) = input else { return self.field_schema(field, &[], true) };
        let target = reference(&self.spec.inputs[input.0].rust);
        let mut schema = match &field.ty {
            Type::List(_) => object([("type", Json::from("array")), ("items", target)]),
            _ => target,
        };
        if field.nullable {
            // The schema refers to an input: a JSON object.
            schema = nullable(schema, Some("object"), self.dialect);
        }
        schema.insert_some("description", field.description.as_deref().map(super::described));
        beside_reference(schema, self.dialect)
    }

    /// The schema of an input type (inline children, shared bodies).
    pub(super) fn input_schema(&mut self, input: &crate::ir::Input) -> Json {
        let model = &self.spec.models[input.model.0];
        let description = format!("What a request sends for a `{}`.", model.name);
        self.request_schema(input.model, &input.fields, description)
    }

    /// The schema of a model, with the type arguments of a generic model's instance.
    pub(super) fn model_schema(&mut self, id: ModelId, arguments: &[Type]) -> Json {
        let model = &self.spec.models[id.0];
        let mut schema = object([("type", Json::from("object"))]);
        schema.insert_some("description", model.description.as_deref().map(super::described));
        let properties: Vec<(String, Json)> =
            model.fields.iter().map(|field| (field.wire.clone(), self.field_schema(field, arguments, false))).collect();
        schema.insert("properties", object(properties));
        let required: Vec<Json> =
            model.fields.iter().filter(|field| field.required).map(|field| Json::from(&field.wire)).collect();
        if !required.is_empty() {
            schema.insert("required", Json::Array(required));
        }
        schema
    }

    /// The schema of a request body: the model's fields it carries, required as the operation
    /// says, whatever the model says about answers.
    pub(super) fn body_schema(&mut self, body: &Body, operation_id: &str) -> Json {
        let model = &self.spec.models[body.model.0];
        let mut description = format!("Body of `{operation_id}`, made of the writable fields of `{}`.", model.name);
        if let Some(text) = &body.description {
            description.push(' ');
            description.push_str(&crate::prose::markdown(text));
        }
        self.request_schema(body.model, &body.fields, description)
    }

    /// An object of some of a model's fields, required as the request says.
    fn request_schema(&mut self, model: ModelId, fields: &[crate::ir::BodyField], description: String) -> Json {
        let model = &self.spec.models[model.0];
        let mut schema = object([("type", Json::from("object")), ("description", description.into())]);
        let properties: Vec<(String, Json)> = fields
            .iter()
            .map(|body_field| {
                let field = &model.fields[body_field.field];
                (field.wire.clone(), self.request_field_schema(field))
            })
            .collect();
        schema.insert("properties", object(properties));
        let required: Vec<Json> = fields
            .iter()
            .filter(|body_field| body_field.required)
            .map(|body_field| Json::from(&model.fields[body_field.field].wire))
            .collect();
        if !required.is_empty() {
            schema.insert("required", Json::Array(required));
        }
        schema
    }

    /// The schemas of the generic model instances referred to so far, and of those they refer
    /// to in turn, sorted by name.
    pub(super) fn take_instances(&mut self) -> Vec<(String, Json)> {
        let mut done: BTreeMap<String, Json> = BTreeMap::new();
        loop {
            let pending: Vec<(String, (ModelId, Vec<Type>))> = self
                .instances
                .iter()
                .filter(|(name, _)| !done.contains_key(*name))
                .map(|(name, instance)| (name.clone(), instance.clone()))
                .collect();
            if pending.is_empty() {
                return done.into_iter().collect();
            }
            for (name, (id, arguments)) in pending {
                let schema = self.model_schema(id, &arguments);
                done.insert(name, schema);
            }
        }
    }

    /// `Page_CrmOpportunity`: the model's name and its arguments' names.
    fn instance_name(&self, id: ModelId, arguments: &[Type]) -> String {
        let mut name = self.spec.models[id.0].name.clone();
        for argument in arguments {
            name.push('_');
            name.push_str(&self.type_name(argument));
        }
        name
    }

    fn type_name(&self, ty: &Type) -> String {
        match ty {
            Type::Int32 => "int32".to_owned(),
            Type::Int64 => "int64".to_owned(),
            Type::Decimal => "decimal".to_owned(),
            Type::Bool => "bool".to_owned(),
            Type::String => "string".to_owned(),
            Type::DateTime => "date-time".to_owned(),
            Type::Uuid => "uuid".to_owned(),
            Type::Json => "json".to_owned(),
            Type::Enum(id) => self.spec.enums[id.0].name.clone(),
            Type::Model(id, arguments) => self.instance_name(*id, arguments),
            Type::List(item) => format!("list_{}", self.type_name(item)),
            Type::Param(index) => format!("T{index}"),
        }
    }
}

/// The schema of an enum: its wire values, with their names and descriptions beside them in the
/// extensions code generators read.
pub(super) fn enum_schema(spec_enum: &crate::ir::Enum) -> Json {
    let wire_type = match spec_enum.repr {
        EnumRepr::Integer => "integer",
        EnumRepr::String => "string",
    };
    let mut description = spec_enum.description.as_deref().map(crate::prose::markdown).unwrap_or_default();
    if spec_enum.open {
        if !description.is_empty() {
            description.push(' ');
        }
        description.push_str("The API may send values this list does not hold yet; clients should keep them.");
    }
    let mut schema = object([("type", Json::from(wire_type))]);
    if !description.is_empty() {
        schema.insert("description", description.into());
    }
    schema.insert(
        "enum",
        array(spec_enum.variants.iter().map(|variant| match &variant.value {
            EnumValue::Integer(value) => Json::from(*value),
            EnumValue::String(value) => Json::from(value),
        })),
    );
    schema.insert("x-enum-varnames", array(spec_enum.variants.iter().map(|variant| Json::from(&variant.name))));
    schema.insert(
        "x-enum-descriptions",
        array(spec_enum.variants.iter().map(|variant| {
            Json::from(crate::prose::markdown(variant.description.as_deref().unwrap_or(variant.name.as_str())))
        })),
    );
    schema.insert("x-enum-open", spec_enum.open.into());
    schema
}

/// `{"$ref": "#/components/schemas/Name"}`.
pub(super) fn reference(name: &str) -> Json {
    object([("$ref", Json::from(format!("{SCHEMAS}{name}")))])
}

/// The schema that also allows null. In 3.1: `type: [X, "null"]` for a plain type, `anyOf` with
/// null for a reference. In 3.0: `nullable: true`, beside an `allOf` for a reference (3.0 ignores
/// the siblings of `$ref`) and the `referenced_type` of its target (3.0 gives `nullable` no
/// meaning without a `type` beside it). A schema that allows anything already allows null.
pub(super) fn nullable(schema: Json, referenced_type: Option<&str>, dialect: Dialect) -> Json {
    match (schema.get("type"), dialect) {
        (Some(Json::String(wire_type)), Dialect::V3_1) => {
            let mut schema = schema.clone();
            let types = array([Json::from(wire_type), Json::from("null")]);
            schema.insert("type", types);
            schema
        }
        (Some(Json::String(_)), Dialect::V3_0) => {
            let mut schema = schema;
            schema.insert("nullable", true.into());
            schema
        }
        (Some(_), _) => schema,
        (None, Dialect::V3_1) if schema.get("$ref").is_some() => {
            object([("anyOf", array([schema, object([("type", Json::from("null"))])]))])
        }
        (None, Dialect::V3_0) if schema.get("$ref").is_some() => {
            let mut wrapped = object::<&str>([]);
            wrapped.insert_some("type", referenced_type.map(Json::from));
            wrapped.insert("allOf", array([schema]));
            wrapped.insert("nullable", true.into());
            wrapped
        }
        (None, _) => schema,
    }
}

/// A schema with keywords beside its `$ref` (a description, `readOnly`), in the form the dialect
/// reads: 3.1 takes them as they are; 3.0 ignores whatever stands beside a `$ref`, so there the
/// reference moves into an `allOf` of one, beside the keywords.
pub(super) fn beside_reference(schema: Json, dialect: Dialect) -> Json {
    match (schema, dialect) {
        (Json::Object(entries), Dialect::V3_0) if entries.len() > 1 && entries.iter().any(|(key, _)| key == "$ref") => {
            let (target, keywords): (Vec<_>, Vec<_>) = entries.into_iter().partition(|(key, _)| key == "$ref");
            let mut wrapped = vec![("allOf".to_owned(), Json::Array(vec![Json::Object(target)]))];
            wrapped.extend(keywords);
            Json::Object(wrapped)
        }
        (schema, _) => schema,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(schema: Json, dialect: Dialect, expected: &str) {
        assert_eq!(serde_json::to_string(&nullable(schema, Some("object"), dialect)).unwrap(), expected);
    }

    #[test]
    fn null_is_allowed_in_the_form_each_schema_takes() {
        check(object([("type", Json::from("string"))]), Dialect::V3_1, r#"{"type":["string","null"]}"#);
        check(
            reference("Thing"),
            Dialect::V3_1,
            r##"{"anyOf":[{"$ref":"#/components/schemas/Thing"},{"type":"null"}]}"##,
        );
        check(object::<&str>([]), Dialect::V3_1, "{}");
    }

    #[test]
    fn null_is_allowed_the_openapi_3_0_way() {
        check(object([("type", Json::from("string"))]), Dialect::V3_0, r#"{"type":"string","nullable":true}"#);
        check(
            reference("Thing"),
            Dialect::V3_0,
            r##"{"type":"object","allOf":[{"$ref":"#/components/schemas/Thing"}],"nullable":true}"##,
        );
        check(object::<&str>([]), Dialect::V3_0, "{}");
    }

    #[test]
    fn keywords_beside_a_reference_take_the_form_each_dialect_reads() {
        let described = || {
            let mut schema = reference("Thing");
            schema.insert("readOnly", true.into());
            schema
        };
        let text = |schema: Json| serde_json::to_string(&schema).unwrap();
        assert_eq!(
            text(beside_reference(described(), Dialect::V3_1)),
            r##"{"$ref":"#/components/schemas/Thing","readOnly":true}"##
        );
        assert_eq!(
            text(beside_reference(described(), Dialect::V3_0)),
            r##"{"allOf":[{"$ref":"#/components/schemas/Thing"}],"readOnly":true}"##
        );
        assert_eq!(
            text(beside_reference(reference("Thing"), Dialect::V3_0)),
            r##"{"$ref":"#/components/schemas/Thing"}"##
        );
    }
}
