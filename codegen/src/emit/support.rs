//! Pieces every emitter uses: doc attributes, identifiers and Rust types of spec types.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Deprecation, ModelId, Module, Presence, Spec, Type};

/// The module being emitted, to refer to types of other modules by path.
pub struct ModuleContext<'a> {
    pub spec: &'a Spec,
    pub module: &'a Module,
}

/// An identifier from a name the IR already made safe (raw identifiers included).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => format_ident!("{}", name),
    }
}

/// `#[doc = ...]` attributes, one per line of `text`, which holds spec prose: it is made inert
/// Markdown first (no code block rustdoc would run, no live HTML).
pub fn docs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #(#[doc = #lines])* }
}

/// `#![doc = ...]` attributes, one per line of `text`, made inert Markdown like [`docs`].
pub fn inner_docs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #(#![doc = #lines])* }
}

fn doc_lines(text: &str) -> Vec<String> {
    crate::prose::markdown(text.trim())
        .lines()
        .map(|line| if line.is_empty() { String::new() } else { format!(" {}", line.trim_end()) })
        .collect()
}

/// A description with its wire name: `Stage name.` and `` `CrmBoardColumnName` ``.
pub fn described(description: Option<&str>, wire: &str) -> String {
    match description {
        Some(text) => format!("{}\n\nWire name `{wire}`.", sentence(text)),
        None => format!("Wire name `{wire}`."),
    }
}

/// Ends a description with a period when it has no closing punctuation.
pub fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '!', '?', ')', '`']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

impl ModuleContext<'_> {
    /// The Rust type of a spec type; types of other modules go through the crate root.
    pub fn rust_type(&self, ty: &Type, type_params: &[String]) -> TokenStream {
        match ty {
            Type::Int32 => quote!(i32),
            Type::Int64 => quote!(i64),
            Type::Decimal => quote!(crate::runtime::Decimal),
            Type::Bool => quote!(bool),
            Type::String => quote!(String),
            Type::DateTime => quote!(crate::runtime::DateTime),
            Type::Uuid => quote!(crate::runtime::Uuid),
            Type::Json => quote!(crate::runtime::JsonValue),
            Type::Enum(id) => {
                let name = ident(&self.spec.enums[id.0].rust);
                if self.module.enums.contains(id) {
                    quote!(#name)
                } else {
                    quote!(crate::#name)
                }
            }
            Type::Model(id, arguments) => {
                let path = self.model_path(*id);
                if arguments.is_empty() {
                    path
                } else {
                    let arguments = arguments.iter().map(|argument| self.rust_type(argument, type_params));
                    quote!(#path<#(#arguments),*>)
                }
            }
            Type::List(item) => {
                let item = self.rust_type(item, type_params);
                quote!(Vec<#item>)
            }
            Type::Param(index) => {
                let name = ident(&type_params[*index]);
                quote!(#name)
            }
        }
    }

    /// The path of a model's type from this module.
    pub fn model_path(&self, id: ModelId) -> TokenStream {
        let name = ident(&self.spec.models[id.0].rust);
        if self.module.models.contains(&id) {
            quote!(#name)
        } else {
            quote!(crate::#name)
        }
    }

    /// The path of an input type from this module.
    pub fn input_path(&self, id: crate::ir::InputId) -> TokenStream {
        let name = ident(&self.spec.inputs[id.0].rust);
        if self.module.inputs.contains(&id) {
            quote!(#name)
        } else {
            quote!(crate::#name)
        }
    }

    /// The input type a request sends for a field that holds models (inline children): the
    /// field's own, else its model's.
    pub fn input_of(&self, field: &crate::ir::Field) -> Option<crate::ir::InputId> {
        field.input.or_else(|| match &field.ty {
            Type::Model(id, _) => self.spec.models[id.0].input,
            Type::List(item) => match &**item {
                Type::Model(id, _) => self.spec.models[id.0].input,
                _ => None,
            },
            _ => None,
        })
    }

    /// The Rust type a request holds for a field: the field's type, with the input type in
    /// place of a model.
    pub fn request_type(&self, field: &crate::ir::Field) -> TokenStream {
        match (self.input_of(field), &field.ty) {
            (Some(input), Type::List(_)) => {
                let path = self.input_path(input);
                quote!(Vec<#path>)
            }
            (Some(input), _) => self.input_path(input),
            (None, ty) => self.rust_type(ty, &[]),
        }
    }

    /// Whether values of the type are `Copy`, so that emitted code clones only what needs it.
    pub fn is_copy(&self, ty: &Type) -> bool {
        match ty {
            Type::Int32 | Type::Int64 | Type::Decimal | Type::Bool | Type::DateTime | Type::Uuid => true,
            Type::Enum(id) => self.spec.enums[id.0].repr == crate::ir::EnumRepr::Integer,
            Type::String | Type::Json | Type::Model(..) | Type::List(_) | Type::Param(_) => false,
        }
    }
}

/// An expression turning an answer field (`value`, shaped by `presence`) into `Option<T>`.
pub fn to_option(value: TokenStream, ty: &Type, presence: Presence) -> TokenStream {
    if *ty == Type::Json {
        return match presence {
            Presence::Always | Presence::Nullable => quote!(Some(#value)),
            Presence::Optional | Presence::OptionalNullable => value,
        };
    }
    match presence {
        Presence::Always => quote!(Some(#value)),
        Presence::Nullable | Presence::Optional => value,
        Presence::OptionalNullable => quote!(#value.flatten()),
    }
}

/// An expression giving an answer field's value, or the type's default where it is absent or null.
pub fn or_default(value: TokenStream, ty: &Type, presence: Presence) -> TokenStream {
    let always_a_value = presence == Presence::Always || (*ty == Type::Json && presence == Presence::Nullable);
    if always_a_value {
        value
    } else {
        let option = to_option(value, ty, presence);
        quote!(#option.unwrap_or_default())
    }
}

/// `#[serde(rename = "...")]` when serde's PascalCase rule does not give the wire name.
pub fn pascal_rename(rust: &str, wire: &str) -> TokenStream {
    if crate::naming::serde_pascal_case(rust) == wire {
        quote!()
    } else {
        quote!(#[serde(rename = #wire)])
    }
}

/// `#[deprecated]`, with the spec's note where it gives one, for an item the spec deprecates.
pub fn deprecated(deprecation: &Option<Deprecation>) -> Option<TokenStream> {
    let deprecation = deprecation.as_ref()?;
    Some(match &deprecation.note {
        Some(note) => quote!(#[deprecated(note = #note)]),
        None => quote!(#[deprecated]),
    })
}

/// Whether the module declares an item the spec deprecates: a variant, a field or an operation.
pub fn has_deprecated(spec: &Spec, module: &Module) -> bool {
    let variants =
        module.enums.iter().flat_map(|id| &spec.enums[id.0].variants).any(|variant| variant.deprecated.is_some());
    let fields = module.models.iter().flat_map(|id| &spec.models[id.0].fields).any(|field| field.deprecated.is_some());
    let operations = module
        .resource
        .iter()
        .flat_map(|resource| &resource.operations)
        .any(|operation| operation.deprecated.is_some());
    variants || fields || operations
}
