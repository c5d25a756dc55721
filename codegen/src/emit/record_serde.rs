//! How a record (a non-generic model) travels as JSON: serialize attributes for
//! `derive(Serialize)`, and a compact `Deserialize` impl written out here instead of derived.
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

/// The field type and serialize attributes of a record field.
pub fn record_field_shape(ty: &Type, presence: Presence, rust_type: TokenStream) -> (TokenStream, TokenStream) {
    let skip_absent = quote!(skip_serializing_if = "Option::is_none");
    let field_type = match (ty, presence) {
        (_, Presence::Always) | (Type::Json, Presence::Nullable) => rust_type,
        (Type::Json, _) | (_, Presence::Nullable | Presence::Optional) => quote!(Option<#rust_type>),
        (_, Presence::OptionalNullable) => quote!(Option<Option<#rust_type>>),
    };
    // `Some(None)` serializes as null and `Some(Some(v))` as `v`: no helper is needed for the
    // double option, only for decimals, which the API sends as numbers.
    let attributes = match (ty, presence) {
        (Type::Decimal, Presence::Always) => quote!(#[serde(serialize_with = "crate::runtime::decimal::serialize")]),
        (Type::Decimal, Presence::Nullable) => quote!(#[serde(serialize_with = "crate::runtime::decimal::option")]),
        (Type::Decimal, Presence::Optional) => {
            quote!(#[serde(#skip_absent, serialize_with = "crate::runtime::decimal::option")])
        }
        (Type::Decimal, Presence::OptionalNullable) => {
            quote!(#[serde(#skip_absent, serialize_with = "crate::runtime::decimal::double_option")])
        }
        (_, Presence::Always | Presence::Nullable) => quote!(),
        (_, Presence::Optional | Presence::OptionalNullable) => quote!(#[serde(#skip_absent)]),
    };
    (field_type, attributes)
}

/// `impl Deserialize` for the record `model`: one slot per field, filled from the keys present,
/// then checked for the fields every answer carries. Unknown keys are skipped.
pub fn emit_deserialize(model: &Model) -> TokenStream {
    let name = ident(&model.rust);
    let expecting = format!("struct {}", model.rust.trim_start_matches("r#"));
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
        slots.push(quote!(let mut #slot = None;));
        arms.push(quote!(#wire => #slot = Some(map.next_value()?),));
        initializers.push(quote!(#field_name: #value,));
    }
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct Fields;
                impl<'de> ::serde::de::Visitor<'de> for Fields {
                    type Value = #name;
                    fn expecting(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        formatter.write_str(#expecting)
                    }
                    // A field named `self_` has the slot `self__slot`.
                    #[allow(non_snake_case)]
                    fn visit_map<M: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: M,
                    ) -> ::std::result::Result<#name, M::Error> {
                        #(#slots)*
                        while let Some(key) = map.next_key::<crate::runtime::FieldName<'de>>()? {
                            match key.as_str() {
                                #(#arms)*
                                _ => {
                                    map.next_value::<::serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok(#name { #(#initializers)* })
                    }
                }
                deserializer.deserialize_map(Fields)
            }
        }
    }
}
