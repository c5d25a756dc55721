//! Models: a struct per spec model, and the runtime traits of the envelope models.

use proc_macro2::TokenStream;
use quote::quote;

use super::record_serde::{self, record_field_shape};
use super::support::{
    deprecated, described, docs, ident, or_default, pascal_rename, sentence, to_option, ModuleContext,
};
use crate::ir::{ModelId, Presence, Type, WriteMode};

pub fn emit_model(context: &ModuleContext<'_>, id: ModelId) -> TokenStream {
    let model = &context.spec.models[id.0];
    let name = ident(&model.rust);
    let mut doc = model.description.as_deref().map(sentence).unwrap_or_else(|| format!("The `{}` model.", model.name));
    if model.rust != model.name {
        doc.push_str(&format!("\n\nSpec name `{}`.", model.name));
    }
    let doc = docs(&doc);
    let params: Vec<_> = model.type_params.iter().map(|param| ident(param)).collect();
    let generics = (!params.is_empty()).then(|| quote!(<#(#params),*>));
    let fields = model.answer_fields().map(|field| {
        let field_name = ident(&field.rust);
        let rust_type = context.rust_type(&field.ty, &model.type_params);
        let (field_type, serde_attributes) = record_field_shape(&field.ty, field.presence(), rust_type);
        let rename = pascal_rename(&field.rust, &field.wire);
        let mut text = described(field.description.as_deref(), &field.wire);
        text.push_str(presence_note(&field.ty, field.presence()));
        text.push_str(match field.write {
            WriteMode::ReadWrite | WriteMode::WriteOnly => "",
            WriteMode::ReadOnly => " Read-only: create and update do not take it.",
            WriteMode::CreateOnly => " Create-only: create takes it, update does not.",
            WriteMode::UpdateOnly => " Update-only: update takes it, create does not.",
        });
        if field.get_only {
            text.push_str(" Only reading one record gives it; list answers leave it out.");
        }
        let doc = docs(&text);
        let deprecated = deprecated(&field.deprecated);
        quote! {
            #doc
            #deprecated
            #rename
            #serde_attributes
            pub #field_name: #field_type,
        }
    });
    let envelope_impls = envelope_impls(context, id);
    let deserialize_impl = record_serde::emit_deserialize(model);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(rename_all = "PascalCase")]
        pub struct #name #generics {
            #(#fields)*
            /// Fields of the answer that this version of the spec does not list, in the order
            /// they came, each with its JSON text; written back after the fields above, so that
            /// a record read and sent back loses none.
            #[serde(flatten)]
            pub unknown_fields: crate::runtime::UnknownFields,
        }

        #deserialize_impl
        #envelope_impls
    }
}

/// What `None` means for a field of this shape, as a sentence to add to its docs.
fn presence_note(ty: &Type, presence: Presence) -> &'static str {
    match (ty, presence) {
        (_, Presence::Always) => "",
        (Type::Json, Presence::Nullable) => " Null is `Value::Null`.",
        (Type::Json, Presence::Optional) => " `None` when the answer leaves it out.",
        (Type::Json, Presence::OptionalNullable) => {
            " `None` when the answer leaves it out, `Some(Value::Null)` when it is null."
        }
        (_, Presence::Nullable) => " `None` when it is null.",
        (_, Presence::Optional) => " `None` when the answer leaves it out.",
        (_, Presence::OptionalNullable) => " `None` when the answer leaves it out, `Some(None)` when it is null.",
    }
}

/// The runtime trait impls of a model that plays an envelope role.
fn envelope_impls(context: &ModuleContext<'_>, id: ModelId) -> TokenStream {
    let api = &context.spec.api;
    let model = &context.spec.models[id.0];
    let name = ident(&model.rust);
    // A field of `receiver` as an `Option<T>`, or as a value that is the type's default where
    // the field is absent or null: the two shapes the runtime's traits ask for.
    let field_of = |receiver: &TokenStream, index: usize| {
        let field = &model.fields[index];
        let field_name = ident(&field.rust);
        (quote!(#receiver.#field_name), &field.ty, field.presence())
    };
    let option = |receiver: &TokenStream, index: usize| {
        let (value, ty, presence) = field_of(receiver, index);
        to_option(value, ty, presence)
    };
    let default = |receiver: &TokenStream, index: usize| {
        let (value, ty, presence) = field_of(receiver, index);
        or_default(value, ty, presence)
    };
    let this = quote!(self);
    let mut out = TokenStream::new();
    if api.action.model == id {
        let success = default(&this, api.action.success);
        let message = option(&this, api.action.message);
        let value = option(&this, api.action.value);
        let errors = default(&this, api.action.errors);
        let updated_on = option(&this, api.action.updated_on);
        let updated_by = option(&this, api.action.updated_by);
        out.extend(quote! {
            impl crate::runtime::ActionEnvelope for #name {
                fn into_parts(self) -> crate::runtime::ActionParts {
                    crate::runtime::ActionParts {
                        success: #success,
                        message: #message,
                        value: #value,
                        errors: #errors.into_iter().map(Into::into).collect(),
                        updated_on: #updated_on,
                        updated_by: #updated_by,
                    }
                }
            }
        });
    }
    if api.validation_error.model == id {
        let error = quote!(error);
        let property = option(&error, api.validation_error.property);
        let message = default(&error, api.validation_error.message);
        let attempted_value = default(&error, api.validation_error.attempted_value);
        out.extend(quote! {
            impl From<#name> for crate::runtime::FieldError {
                fn from(error: #name) -> Self {
                    crate::runtime::FieldError {
                        property_name: #property,
                        message: #message,
                        attempted_value: #attempted_value,
                    }
                }
            }
        });
    }
    if api.list.model == id {
        let param = ident(&model.type_params[0]);
        let records = default(&this, api.list.records);
        let current_page = option(&this, api.list.current_page);
        let total_pages = option(&this, api.list.total_pages);
        let has_next_page = option(&this, api.list.has_next_page);
        out.extend(quote! {
            impl<#param: ::serde::de::DeserializeOwned> crate::runtime::PageEnvelope for #name<#param> {
                type Record = #param;
                fn into_records(self) -> Vec<#param> {
                    #records
                }
                fn current_page(&self) -> Option<i32> {
                    #current_page
                }
                fn total_pages(&self) -> Option<i32> {
                    #total_pages
                }
                fn has_next_page(&self) -> Option<bool> {
                    #has_next_page
                }
            }
        });
    }
    out
}
