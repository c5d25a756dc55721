//! A resource: its query and body types, its handle on the client, and one method per operation.
//! Each method only describes its request; sending, retrying and decoding live in the runtime.

use super::error_docs::{errors_section, Calling};
use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};

use super::record_serde::record_field_shape;
use super::support::{deprecated, described, docs, ident, pascal_rename, sentence, ModuleContext};
use crate::ir::{
    Answer, Body, BodyField, EnumRepr, InputId, ModelId, Operation, Param, PathSegment, Presence, Query, RangeBound,
    Resource, Type,
};

pub fn emit_resource(context: &ModuleContext<'_>, resource: &Resource) -> TokenStream {
    let queries = resource
        .operations
        .iter()
        .filter_map(|operation| operation.query.as_ref().map(|query| emit_query(context, resource, operation, query)));
    let bodies = resource.operations.iter().filter_map(|operation| {
        operation
            .body
            .as_ref()
            .filter(|body| body.shared.is_none())
            .map(|body| emit_body(context, resource, operation, body))
    });
    let handle = ident(&resource.handle);
    let handle_doc = docs(&format!(
        "The operations of the `{}` resource; the client's `{}()` method gives one.",
        resource.name, resource.accessor
    ));
    let new_doc = docs(&format!(
        "The operations of the `{}` resource, sent through `client`: the runtime's client, or anything that gives one, such as the client of the crate that re-exports this one.",
        resource.name
    ));
    let methods = resource.operations.iter().map(|operation| emit_method(context, resource, operation));
    let streams = resource.operations.iter().filter_map(|operation| emit_stream(context, resource, operation));
    let read_modify_write = resource.operations.iter().filter_map(|operation| {
        operation
            .read_with
            .map(|reader| emit_read_modify_write(context, resource, operation, &resource.operations[reader]))
    });
    quote! {
        #(#queries)*
        #(#bodies)*

        #handle_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a, C = crate::Client> {
            client: &'a C,
        }

        impl<'a, C> #handle<'a, C> {
            #new_doc
            pub fn new(client: &'a C) -> Self {
                #handle { client }
            }
        }

        // Generic over the client, so that an operation's code is compiled where it is called,
        // and only for the operations an application calls, not for all of them in this crate.
        impl<C: ::std::convert::AsRef<crate::Client> + ::std::marker::Sync> #handle<'_, C> {
            #(#methods)*
            #(#streams)*
            #(#read_modify_write)*
        }
    }
}

/// A query type: the runtime's parameter list behind one setter per parameter, so that no query
/// type needs fields, a serializer or a paging impl of its own.
fn emit_query(context: &ModuleContext<'_>, resource: &Resource, operation: &Operation, query: &Query) -> TokenStream {
    let name = ident(&query.rust);
    let doc = docs(&format!(
        "Query parameters of [`{}::{}`]; every one is optional, and unset ones are not sent.",
        resource.handle, operation.rust
    ));
    let setters = query.params.iter().map(|param| {
        let setter = ident(&param.rust);
        let rust_type = context.rust_type(&param.ty, &[]);
        let wire = &param.wire;
        let doc = match &param.description {
            Some(text) => format!("Sets `{wire}`: {}", sentence(text)),
            None => format!("Sets `{wire}`."),
        };
        // Filters take date-times to the minute, with no zone: the value goes in UTC when it has a
        // zone, and a range is rounded outward so that it still holds every record asked for.
        let doc = match (&param.ty, param.range) {
            (Type::DateTime, Some(RangeBound::To)) => docs(&format!("{doc} Sent to the minute, as filters take it (`YYYY-MM-DDTHH:mm`, in UTC when the value has a zone), rounded up: the range keeps the records of its last minute.")),
            (Type::DateTime, _) => docs(&format!("{doc} Sent to the minute, as filters take it (`YYYY-MM-DDTHH:mm`, in UTC when the value has a zone), rounded down.")),
            _ => docs(&doc),
        };
        // Enums travel as their wire value; every other query type is a runtime query value.
        let value = match (&param.ty, param.range) {
            (Type::Enum(id), _) => match context.spec.enums[id.0].repr {
                EnumRepr::Integer => quote!(&i64::from(value.into())),
                EnumRepr::String => quote!(&String::from(value.into())),
            },
            (Type::DateTime, Some(RangeBound::To)) => {
                quote!(&crate::runtime::DateTime::to_filter_string_rounded_up(&value.into()))
            }
            _ => quote!(&value.into()),
        };
        quote! {
            #doc
            #[must_use]
            pub fn #setter(mut self, value: impl Into<#rust_type>) -> Self {
                self.params.set(#wire, #value);
                self
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #name {
            params: crate::runtime::QueryParams,
        }

        impl #name {
            /// A query with no parameter set.
            pub fn new() -> Self {
                Self::default()
            }
            #(#setters)*
        }
    }
}

fn emit_body(context: &ModuleContext<'_>, resource: &Resource, operation: &Operation, body: &Body) -> TokenStream {
    let mut text = format!("Body of [`{}::{}`].", resource.handle, operation.rust);
    if let Some(description) = &body.description {
        text.push_str(&format!(" {}", sentence(description)));
    }
    let shape = RequestShape { rust: &body.rust, model: body.model, fields: &body.fields };
    let from_record = operation.read_with.is_some().then(|| emit_from_record(context, &shape));
    emit_request_type(context, &shape, text, from_record)
}

/// One input type: the request-shaped form of a model that inline children and shared bodies
/// send, with a conversion from the record where every required field can be filled from it.
pub fn emit_input(context: &ModuleContext<'_>, id: InputId) -> TokenStream {
    let input = &context.spec.inputs[id.0];
    let model = &context.spec.models[input.model.0];
    let mut text = format!("What a request sends for a `{}`.", model.name);
    if let Some(description) = &input.description {
        text.push_str(&format!(" {}", sentence(description)));
    }
    let shape = RequestShape { rust: &input.rust, model: input.model, fields: &input.fields };
    let spec = context.spec;
    let fillable = crate::ir::fillable_from_record(
        &input.fields,
        model,
        &|id| spec.models.get(id.0),
        &|id| spec.inputs.get(id.0),
        0,
    );
    let from_record = fillable.then(|| emit_from_record(context, &shape));
    emit_request_type(context, &shape, text, from_record)
}

/// What a request type is made of: its name, the model its fields come from, and which.
struct RequestShape<'a> {
    rust: &'a str,
    model: ModelId,
    fields: &'a [BodyField],
}

/// A request type: required fields as arguments of `new`, a setter per optional field; fields
/// that hold models hold their input type instead.
fn emit_request_type(
    context: &ModuleContext<'_>,
    shape: &RequestShape<'_>,
    mut text: String,
    from_record: Option<TokenStream>,
) -> TokenStream {
    let model = &context.spec.models[shape.model.0];
    let name = ident(shape.rust);
    text.push_str(" Required fields are arguments of `new`; optional ones are left out of the JSON until set.");
    let doc = docs(&text);
    let mut fields = Vec::new();
    let mut arguments = Vec::new();
    let mut initializers = Vec::new();
    for body_field in shape.fields {
        let field = &model.fields[body_field.field];
        let field_name = ident(&field.rust);
        let rust_type = context.request_type(field);
        let mut text = described(field.description.as_deref(), &field.wire);
        text.push_str(if body_field.required { " Required." } else { " Left out of the JSON while `None`." });
        let doc = docs(&text);
        let rename = pascal_rename(&field.rust, &field.wire);
        // Every optional body field is left out of the JSON while `None`.
        let presence = if body_field.required { Presence::Always } else { Presence::Optional };
        let (field_type, serde_attributes) = record_field_shape(&field.ty, presence, rust_type.clone());
        let deprecated = deprecated(&field.deprecated);
        fields.push(quote! { #doc #deprecated #rename #serde_attributes pub #field_name: #field_type, });
        if body_field.required {
            arguments.push(quote! { #field_name: #rust_type });
            initializers.push(quote! { #field_name, });
        } else {
            initializers.push(quote! { #field_name: None, });
        }
    }
    let setters: Vec<TokenStream> = shape
        .fields
        .iter()
        .filter(|f| !f.required)
        .map(|f| {
            let field = &model.fields[f.field];
            let name = ident(&field.rust);
            let rust_type = context.request_type(field);
            let doc = match &field.description {
                Some(text) => docs(&format!("Sets `{}`: {}", field.wire, sentence(text))),
                None => docs(&format!("Sets `{}`.", field.wire)),
            };
            let deprecated = deprecated(&field.deprecated);
            quote! {
                #doc
                #deprecated
                #[must_use]
                pub fn #name(mut self, value: impl Into<#rust_type>) -> Self {
                    self.#name = Some(value.into());
                    self
                }
            }
        })
        .collect();
    let required: Vec<String> =
        shape.fields.iter().filter(|f| f.required).map(|f| format!("`{}`", model.fields[f.field].wire)).collect();
    let new_doc = docs(&if required.is_empty() {
        "A request with no field set; set fields with the methods below.".to_owned()
    } else {
        format!(
            "A request with its required fields, {}; set optional ones with the methods below.",
            required.join(", ")
        )
    });
    let many_arguments = (arguments.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let default_impl = arguments.is_empty().then(|| {
        quote! {
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(rename_all = "PascalCase")]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            /// Fields this version of the spec does not list, sent after the fields above:
            /// those of the record a body is made from, and any the caller adds.
            #[serde(flatten)]
            pub unknown_fields: crate::runtime::UnknownFields,
        }

        impl #name {
            #new_doc
            #many_arguments
            pub fn new(#(#arguments),*) -> Self {
                Self { #(#initializers)* unknown_fields: crate::runtime::UnknownFields::new() }
            }
            #(#setters)*
        }

        #default_impl
        #from_record
    }
}

/// The conversion that carries every writable field of a record read back into a request.
/// Fields answers do not carry (write-only) start unset; children become their input type.
fn emit_from_record(context: &ModuleContext<'_>, shape: &RequestShape<'_>) -> TokenStream {
    let model = &context.spec.models[shape.model.0];
    let name = ident(shape.rust);
    let record = context.model_path(shape.model);
    let initializers = shape.fields.iter().map(|body_field| {
        let field = &model.fields[body_field.field];
        let field_name = ident(&field.rust);
        if !field.write.in_answers() {
            return quote! { #field_name: None, };
        }
        if context.input_of(field).is_some() {
            let convert = |value: TokenStream| match &field.ty {
                Type::List(_) => quote!(#value.iter().map(::std::convert::Into::into).collect()),
                _ => quote!(::std::convert::Into::into(#value)),
            };
            let each = convert(quote!(value));
            let value = match field.presence() {
                Presence::Always if body_field.required => convert(quote!((&record.#field_name))),
                Presence::Always => {
                    let converted = convert(quote!((&record.#field_name)));
                    quote!(Some(#converted))
                }
                Presence::Nullable | Presence::Optional => quote!(record.#field_name.as_ref().map(|value| #each)),
                Presence::OptionalNullable => {
                    quote!(record.#field_name.as_ref().and_then(::std::option::Option::as_ref).map(|value| #each))
                }
            };
            return quote! { #field_name: #value, };
        }
        let value =
            if context.is_copy(&field.ty) { quote!(record.#field_name) } else { quote!(record.#field_name.clone()) };
        let value = match (body_field.required, field.presence()) {
            (true, _) => value,
            (false, Presence::Always) => quote!(Some(#value)),
            (false, Presence::Nullable | Presence::Optional) => value,
            (false, Presence::OptionalNullable) => quote!(#value.flatten()),
        };
        let value = if field.ty == Type::Json && !body_field.required && field.presence() == Presence::Nullable {
            let field_name = ident(&field.rust);
            quote!(Some(record.#field_name.clone()))
        } else {
            value
        };
        quote! { #field_name: #value, }
    });
    let doc = docs(
        "Every writable field of a record read from the API, and every field the spec does not list, so that sending it back changes nothing until a field is set. The API's PUT clears what it does not receive; start from this.",
    );
    quote! {
        #doc
        impl From<&#record> for #name {
            fn from(record: &#record) -> Self {
                Self { #(#initializers)* unknown_fields: record.unknown_fields.clone() }
            }
        }
    }
}

fn emit_method(context: &ModuleContext<'_>, resource: &Resource, operation: &Operation) -> TokenStream {
    let method_name = ident(&operation.rust);
    let doc = docs(&method_doc(context, resource, operation));
    let (operation_static, segments) = operation_parts(context, resource, operation);
    let mut parameters = Vec::new();
    for param in &operation.path_params {
        let name = ident(&param.rust);
        let ty = argument_type(context, param);
        parameters.push(quote!(#name: #ty));
    }
    for param in &operation.query_args {
        let name = ident(&param.rust);
        let ty = argument_type(context, param);
        parameters.push(quote!(#name: #ty));
    }
    if let Some(query) = &operation.query {
        let ty = ident(&query.rust);
        parameters.push(quote!(query: &#ty));
    }
    if let Some(body) = &operation.body {
        let ty = match body.shared {
            Some(input) => context.input_path(input),
            None => ident(&body.rust).into_token_stream(),
        };
        parameters.push(quote!(request: &#ty));
    }
    let query_args = operation.query_args.iter().map(|param| {
        let wire = &param.wire;
        let name = ident(&param.rust);
        quote!(.query_value(#wire, &#name))
    });
    let query = operation.query.as_ref().map(|_| quote!(.query_params(&query.params)));
    let body = operation.body.as_ref().map(|_| quote!(.json(request)));
    let answer_type = answer_type(context, operation);
    let call = match &operation.answer {
        Answer::Json(_) => quote!(execute),
        Answer::Action => quote!(execute_action),
        Answer::NewId => quote!(execute_create),
        Answer::Binary => quote!(execute_binary),
    };
    // A plain function handing back the runtime's future: an `async fn` would compile a state
    // machine for every operation around the one the runtime already has.
    let deprecated = deprecated(&operation.deprecated);
    quote! {
        #doc
        #deprecated
        pub fn #method_name(
            &self,
            #(#parameters),*
        ) -> impl ::std::future::Future<Output = crate::runtime::Result<#answer_type>> + ::std::marker::Send + '_ {
            #operation_static
            let request = crate::runtime::Request::new(&[#(#segments),*])
                #(#query_args)*
                #query
                #body;
            self.client.as_ref().#call(&OPERATION, request)
        }
    }
}

/// `list_all`: every record of a paged list, walking the pages in the runtime.
fn emit_stream(context: &ModuleContext<'_>, resource: &Resource, operation: &Operation) -> Option<TokenStream> {
    let record = operation.streamed_record(&context.spec.api)?;
    let query = operation.query.as_ref()?;
    let record = context.rust_type(record, &[]);
    let page = context.rust_type(&operation.answer_type(), &[]);
    let name = format_ident!("{}_all", operation.rust.trim_start_matches("r#"));
    let query_type = ident(&query.rust);
    let mut parameters = Vec::new();
    for param in &operation.path_params {
        let name = ident(&param.rust);
        let ty = argument_type(context, param);
        parameters.push(quote!(#name: #ty));
    }
    let (operation_static, segments) = operation_parts(context, resource, operation);
    let paging = &context.spec.api.paging;
    let page_param = &paging.params[paging.page].wire;
    let size_param = &paging.params[paging.size].wire;
    let max_size = proc_macro2::Literal::i32_unsuffixed(i32::try_from(paging.max_size).unwrap_or(i32::MAX));
    let doc = docs(&(format!(
        "Every record [`{handle}::{list}`] finds, as a stream that asks for one page after another ({max} records a page unless `query` sets `{size}`) and ends after the last page or the first error.{role}",
        handle = resource.handle,
        list = operation.rust,
        max = paging.max_size,
        size = paging.params[paging.size].rust,
        role = role_sentence(operation),
    ) + &errors_section(&context.spec.api, operation, Calling::Stream)));
    let deprecated = deprecated(&operation.deprecated);
    Some(quote! {
        #doc
        #deprecated
        pub fn #name(&self, #(#parameters,)* query: &#query_type) -> crate::runtime::RecordStream<#record> {
            #operation_static
            let request = crate::runtime::Request::new(&[#(#segments),*]);
            let paging = crate::runtime::Paging { page: #page_param, size: #size_param, max_size: #max_size };
            self.client.as_ref().paginate::<#page>(&OPERATION, request, query.params.clone(), paging)
        }
    })
}

/// The `static OPERATION` describing an operation, and its path segments.
fn operation_parts(
    context: &ModuleContext<'_>,
    resource: &Resource,
    operation: &Operation,
) -> (TokenStream, Vec<TokenStream>) {
    let operation_name = format!("{}.{}", resource.name, operation.name);
    let method_variant = format_ident!("{}", operation.method.variant_name());
    let template = &operation.path_template;
    let envelope = ident(&context.spec.models[context.spec.api.action.model.0].rust);
    let operation_static = quote! {
        static OPERATION: crate::runtime::Operation = crate::runtime::Operation::new(
            #operation_name,
            crate::runtime::Method::#method_variant,
            #template,
            crate::runtime::decode_envelope::<crate::#envelope>,
        );
    };
    let segments = operation
        .path
        .iter()
        .map(|segment| match segment {
            PathSegment::Literal(text) => quote!(crate::runtime::PathSegment::Literal(#text)),
            PathSegment::Param(index) => {
                let name = ident(&operation.path_params[*index].rust);
                quote!(crate::runtime::PathSegment::Param(&#name))
            }
        })
        .collect();
    (operation_static, segments)
}

/// What a generated method returns: the decoded body, the action's outcome, or the new id.
fn answer_type(context: &ModuleContext<'_>, operation: &Operation) -> TokenStream {
    match &operation.answer {
        Answer::Json(ty) => context.rust_type(ty, &[]),
        Answer::Action => quote!(crate::runtime::ActionOutcome),
        Answer::NewId => quote!(i64),
        Answer::Binary => quote!(crate::runtime::Binary),
    }
}

/// Method arguments take borrowed strings and slices.
fn argument_type(context: &ModuleContext<'_>, param: &Param) -> TokenStream {
    match &param.ty {
        Type::String => quote!(&str),
        Type::List(item) => {
            let item = context.rust_type(item, &[]);
            quote!(&[#item])
        }
        other => context.rust_type(other, &[]),
    }
}

fn method_doc(context: &ModuleContext<'_>, resource: &Resource, operation: &Operation) -> String {
    let mut text = sentence(&operation.summary);
    if let Some(description) = &operation.description {
        text.push_str(&format!("\n\n{}", sentence(description)));
    }
    text.push_str(&format!("\n\n`{} {}`", operation.method.as_str(), operation.path_template));
    match &operation.role {
        Some(role) => text.push_str(&format!("; needs the `{role}` role (or a full unrestricted administrator).")),
        None => text.push('.'),
    }
    if let Some(body) = &operation.body {
        let model = &context.spec.models[body.model.0];
        let required: Vec<String> =
            body.fields.iter().filter(|f| f.required).map(|f| format!("`{}`", model.fields[f.field].wire)).collect();
        if !required.is_empty() {
            text.push_str(&format!("\n\nRequired fields: {}.", required.join(", ")));
        }
    }
    if operation.read_with.is_some() {
        text.push_str(&format!(
            "\n\nTo change some fields and keep the others, use [`{}::{}_with`].",
            resource.handle, operation.rust
        ));
    }
    match &operation.answer {
        Answer::Action => text.push_str("\n\nFails with a validation error when the answer's `WasSuccessful` is false, on HTTP 200 as on a 4xx; a server error (5xx) is `Error::Status`, whatever its body."),
        Answer::NewId => text.push_str("\n\nReturns the new record's id. Fails with a validation error when the answer's `WasSuccessful` is false, on HTTP 200 as on a 4xx; a server error (5xx) is `Error::Status`, whatever its body."),
        Answer::Binary => text.push_str("\n\nReturns the answer's bytes and its content type."),
        Answer::Json(_) => {}
    }
    text.push_str(&errors_section(&context.spec.api, operation, Calling::Once));
    text
}

/// `update_with`: read the record, let the caller change it, write every writable field back.
fn emit_read_modify_write(
    context: &ModuleContext<'_>,
    resource: &Resource,
    operation: &Operation,
    reader: &Operation,
) -> TokenStream {
    let name = format_ident!("{}_with", operation.rust.trim_start_matches("r#"));
    let write = ident(&operation.rust);
    let read = ident(&reader.rust);
    let body = ident(operation.body.as_ref().map(|body| body.rust.as_str()).unwrap_or_default());
    let id_name = ident(&reader.path_params[0].rust);
    let id_type = argument_type(context, &reader.path_params[0]);
    let answer = answer_type(context, operation);
    let doc = docs(&(format!(
        "Reads the record with [`{handle}::{read}`], lets `change` edit the request made from it, and sends it with [`{handle}::{write}`]. Every writable field the record had is sent back, so only what `change` touches changes.{read_role}{write_role}",
        handle = resource.handle,
        read = reader.rust,
        write = operation.rust,
        read_role = role_sentence(reader),
        write_role = role_sentence(operation),
    ) + &errors_section(&context.spec.api, operation, Calling::ReadThenWrite)));
    let deprecated = deprecated(&operation.deprecated);
    quote! {
        #doc
        #deprecated
        pub async fn #name(
            &self,
            #id_name: #id_type,
            change: impl ::std::ops::FnOnce(&mut #body),
        ) -> crate::runtime::Result<#answer> {
            let record = self.#read(#id_name).await?;
            let mut request = #body::from(&record);
            change(&mut request);
            self.#write(&request).await
        }
    }
}

/// ` Needs the `X` role (or a full unrestricted administrator).`, or nothing without a role.
fn role_sentence(operation: &Operation) -> String {
    match &operation.role {
        Some(role) => format!(" Needs the `{role}` role (or a full unrestricted administrator)."),
        None => String::new(),
    }
}
