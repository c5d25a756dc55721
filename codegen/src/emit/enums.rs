//! Enums: a Rust enum per spec enum, travelling as its wire value through `From` conversions;
//! open enums keep values they do not know in an `Unknown` variant and send them back as they came.

use proc_macro2::TokenStream;
use quote::quote;

use super::support::{deprecated, docs, ident, sentence};
use crate::ir::{Enum, EnumRepr, EnumValue};

pub fn emit_enum(spec_enum: &Enum) -> TokenStream {
    let name = ident(&spec_enum.rust);
    let spec_name = &spec_enum.name;
    let mut doc = spec_enum.description.as_deref().map(sentence).unwrap_or_else(|| format!("The `{spec_name}` enum."));
    doc.push_str(&format!("\n\nSpec name `{spec_name}`; travels as its "));
    doc.push_str(match spec_enum.repr {
        EnumRepr::Integer => "integer value.",
        EnumRepr::String => "string value.",
    });
    if spec_enum.open {
        doc.push_str(" Values this version does not know are kept in `Unknown` and sent back unchanged.");
    }
    let doc = docs(&doc);
    let (wire_type, derives) = match spec_enum.repr {
        EnumRepr::Integer => (quote!(i64), quote!(Debug, Clone, Copy, PartialEq, Eq, Hash)),
        EnumRepr::String => (quote!(String), quote!(Debug, Clone, PartialEq, Eq, Hash)),
    };
    let variants = spec_enum.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust);
        let value = show(&variant.value);
        let text = match &variant.description {
            Some(description) => format!("{} Wire value `{value}`.", sentence(description)),
            None => format!("{}, wire value `{value}`.", variant.name),
        };
        let doc = docs(&text);
        let deprecated = deprecated(&variant.deprecated);
        quote! { #doc #deprecated #variant_name, }
    });
    let unknown = spec_enum.open.then(|| {
        let doc = docs("A value this version of the spec does not list, kept as sent.");
        quote! { #doc Unknown(#wire_type), }
    });
    let to_wire_arms = spec_enum.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust);
        let value = literal(&variant.value);
        match spec_enum.repr {
            EnumRepr::Integer => quote! { #name::#variant_name => #value, },
            EnumRepr::String => quote! { #name::#variant_name => String::from(#value), },
        }
    });
    let unknown_to_wire = spec_enum.open.then(|| quote! { #name::Unknown(value) => value, });
    let from_wire_arms = spec_enum.variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust);
        let pattern = literal(&variant.value);
        quote! { #pattern => #name::#variant_name, }
    });
    let wire_text = match spec_enum.repr {
        EnumRepr::Integer => quote!(value),
        EnumRepr::String => quote!(value.as_str()),
    };
    let from_wire = if spec_enum.open {
        quote! {
            impl From<#wire_type> for #name {
                fn from(value: #wire_type) -> Self {
                    match #wire_text {
                        #(#from_wire_arms)*
                        _ => #name::Unknown(value),
                    }
                }
            }
        }
    } else {
        let arms = from_wire_arms;
        quote! {
            impl ::std::convert::TryFrom<#wire_type> for #name {
                type Error = crate::runtime::UnknownEnumValue;
                fn try_from(value: #wire_type) -> ::std::result::Result<Self, Self::Error> {
                    Ok(match #wire_text {
                        #(#arms)*
                        _ => return Err(crate::runtime::UnknownEnumValue::new(#spec_name, value.to_string())),
                    })
                }
            }
        }
    };
    let serde_conversion = match (spec_enum.open, spec_enum.repr) {
        (true, EnumRepr::Integer) => quote!(#[serde(from = "i64", into = "i64")]),
        (false, EnumRepr::Integer) => quote!(#[serde(try_from = "i64", into = "i64")]),
        (true, EnumRepr::String) => quote!(#[serde(from = "String", into = "String")]),
        (false, EnumRepr::String) => quote!(#[serde(try_from = "String", into = "String")]),
    };
    let to_wire_body = quote! { match value { #(#to_wire_arms)* #unknown_to_wire } };
    quote! {
        #doc
        #[derive(#derives, ::serde::Serialize, ::serde::Deserialize)]
        #serde_conversion
        pub enum #name {
            #(#variants)*
            #unknown
        }

        impl From<#name> for #wire_type {
            fn from(value: #name) -> Self {
                #to_wire_body
            }
        }

        #from_wire
    }
}

fn show(value: &EnumValue) -> String {
    match value {
        EnumValue::Integer(value) => value.to_string(),
        EnumValue::String(value) => value.clone(),
    }
}

/// The wire value as a literal, usable as an expression and as a pattern.
fn literal(value: &EnumValue) -> TokenStream {
    match value {
        EnumValue::Integer(value) => {
            let literal = proc_macro2::Literal::i64_unsuffixed(*value);
            quote!(#literal)
        }
        EnumValue::String(value) => quote!(#value),
    }
}
