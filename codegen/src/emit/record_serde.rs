//! How a model travels as JSON: serialize attributes for `derive(Serialize)`, and a compact
//! `Deserialize` impl written out here instead of derived, which also keeps the fields the spec
//! does not list.
//!
//! serde's derive makes, per record, a field enum with its own visitor, a `visit_seq` that JSON
//! never calls, and a wrapper type with a `Deserialize` impl for every field read through a
//! function, such as the `Option<Option<T>>` fields that tell null from absent. Measured on 50
//! records of 50 fields, those wrappers alone held 500 MB of the compiler's peak memory. The
//! impl written here matches keys as text and reads each field as the type it is stored in,
//! with the same outcome for every field shape (see `spec/README.md`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::support::ident;
use crate::ir::{Model, Presence, Type};

/// The field type and serialize attributes of a model or body field.
pub fn record_field_shape(ty: &Type, presence: Presence, rust_type: TokenStream) -> (TokenStream, TokenStream) {
    let field_type = match (ty, presence) {
        (_, Presence::Always) | (Type::Json, Presence::Nullable) => rust_type,
        (Type::Json, _) | (_, Presence::Nullable | Presence::Optional) => quote!(Option<#rust_type>),
        (_, Presence::OptionalNullable) => quote!(Option<Option<#rust_type>>),
    };
    // `Some(None)` serializes as null and `Some(Some(v))` as `v`: no helper is needed for the
    // double option, only for decimals, which go back as numbers with their own digits.
    let skip_absent = matches!(presence, Presence::Optional | Presence::OptionalNullable)
        .then(|| quote!(skip_serializing_if = "Option::is_none"));
    let decimals = holds_decimals(ty).then(|| quote!(serialize_with = "crate::runtime::decimal::serialize"));
    let attributes = match (skip_absent, decimals) {
        (None, None) => quote!(),
        (Some(skip), None) => quote!(#[serde(#skip)]),
        (None, Some(decimals)) => quote!(#[serde(#decimals)]),
        (Some(skip), Some(decimals)) => quote!(#[serde(#skip, #decimals)]),
    };
    (field_type, attributes)
}

/// Whether values of the type are or hold decimals, which the runtime reads from their JSON
/// number's own digits and writes back with them.
fn holds_decimals(ty: &Type) -> bool {
    match ty {
        Type::Decimal => true,
        Type::List(item) => holds_decimals(item),
        _ => false,
    }
}

/// `impl Deserialize` for `model`: one slot per field, filled from the keys present, then
/// checked for the fields every answer carries. Keys the model does not know are kept, as JSON
/// text, in its `unknown_fields`. A generic model (the list envelope) takes its type parameters
/// through the visitor.
pub fn emit_deserialize(model: &Model) -> TokenStream {
    let name = ident(&model.rust);
    let expecting = format!("struct {}", model.rust.trim_start_matches("r#"));
    let params: Vec<_> = model.type_params.iter().map(|param| ident(param)).collect();
    let (impl_params, model_type, visitor_type, visitor_value) = if params.is_empty() {
        (quote!(), quote!(#name), quote!(__Visitor), quote!(__Visitor))
    } else {
        (
            quote!(#(, #params: ::serde::Deserialize<'de>)*),
            quote!(#name<#(#params),*>),
            quote!(__Visitor<#(#params),*>),
            quote!(__Visitor(::std::marker::PhantomData)),
        )
    };
    let visitor_struct = if params.is_empty() {
        quote!(
            struct __Visitor;
        )
    } else {
        quote!(struct __Visitor<#(#params),*>(::std::marker::PhantomData<fn() -> (#(#params,)*)>);)
    };
    let mut slots = Vec::new();
    let mut arms = Vec::new();
    let mut initializers = Vec::new();
    for field in model.answer_fields() {
        let field_name = ident(&field.rust);
        // A suffix keeps slots apart from each other and from the visitor's own names.
        let slot = format_ident!("{}_slot", field.rust.trim_start_matches("r#"));
        let wire = &field.wire;
        // How the slot becomes the field. The slot's type, and so what is read for a present
        // key, follows from these runtime functions' signatures and the field's type.
        let value = match (&field.ty, field.presence()) {
            (_, Presence::Always) => quote!(crate::runtime::required(#slot, #wire)?),
            (Type::Json, Presence::Nullable) => quote!(crate::runtime::null_if_absent(#slot)),
            (Type::Json, _) | (_, Presence::OptionalNullable) => quote!(#slot),
            (_, Presence::Nullable | Presence::Optional) => quote!(crate::runtime::none_if_null(#slot)),
        };
        let read = if holds_decimals(&field.ty) {
            quote!(map.next_value::<crate::runtime::decimal::Read<_>>()?.0)
        } else {
            quote!(map.next_value()?)
        };
        slots.push(quote!(let mut #slot = None;));
        arms.push(quote!(#wire => #slot = Some(#read),));
        initializers.push(quote!(#field_name: #value,));
    }
    quote! {
        impl<'de #impl_params> ::serde::Deserialize<'de> for #model_type {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                #visitor_struct
                impl<'de #impl_params> ::serde::de::Visitor<'de> for #visitor_type {
                    type Value = #model_type;
                    fn expecting(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        formatter.write_str(#expecting)
                    }
                    // A field named `self_` has the slot `self__slot`.
                    #[allow(non_snake_case)]
                    fn visit_map<__M: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: __M,
                    ) -> ::std::result::Result<#model_type, __M::Error> {
                        #(#slots)*
                        let mut unknown_fields = crate::runtime::UnknownFields::new();
                        while let Some(key) = map.next_key::<crate::runtime::FieldName<'de>>()? {
                            match key.as_str() {
                                #(#arms)*
                                _ => unknown_fields.keep(key, map.next_value()?),
                            }
                        }
                        Ok(#name { #(#initializers)* unknown_fields })
                    }
                }
                deserializer.deserialize_map(#visitor_value)
            }
        }
    }
}
