//! The files that tie the generated modules together: `mod.rs` of the core crate's generated
//! folder, `lib.rs` of each area crate, and `mod.rs` of the application-facing crate, which
//! re-exports every area behind its feature and gives the client one method per resource.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::round_trips::{self, has_models};
use super::support::{docs, ident, inner_docs};
use super::EmittedFile;
use crate::ir::{Module, Spec};
use crate::layout::{crate_name, Layout, CORE_FOLDER, FACADE_FOLDER};

/// Every tying file of the spec.
pub fn emit_module_trees(
    spec: &Spec,
    layout: &Layout,
    area_uses: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<EmittedFile> {
    let mut areas: BTreeMap<&str, Vec<&Module>> = BTreeMap::new();
    let mut top: Vec<&str> = Vec::new();
    for module in &spec.modules {
        match &module.area {
            Some(area) => areas.entry(area).or_default().push(module),
            None => top.push(&module.name),
        }
    }
    let top_modules: Vec<&Module> = spec.modules.iter().filter(|module| module.area.is_none()).collect();
    let mut files = vec![core_tree(spec, &top)];
    for (area, modules) in &areas {
        let uses = area_uses.get(*area).cloned().unwrap_or_default();
        files.push(area_root(spec, layout, area, modules, &uses));
    }
    files.push(facade_tree(spec, layout, &areas, has_models(&top_modules)));
    files
}

/// `mod round_trips;`, compiled for the crate's tests only (see [`round_trips::plan`]).
fn round_trips_module() -> TokenStream {
    let name = format_ident!("{}", round_trips::MODULE);
    quote! {
        #[cfg(test)]
        #[rustfmt::skip]
        mod #name;
    }
}

/// `core/src/gen/mod.rs`: the spec files outside any area, and the API's defaults that the
/// runtime's client builder starts from.
fn core_tree(spec: &Spec, top: &[&str]) -> EmittedFile {
    let modules: Vec<_> = top.iter().map(|name| ident(name)).collect();
    let docs =
        inner_docs(&format!("The types the whole {} API shares, from the spec files outside any area.", spec.api.name));
    let base_url = &spec.api.base_url;
    let token_path = match &spec.api.auth.password_grant {
        Some(grant) => {
            let path = &grant.token_path;
            quote!(Some(#path))
        }
        None => quote!(None),
    };
    EmittedFile {
        path: PathBuf::from(CORE_FOLDER).join("mod.rs"),
        source: "spec/".to_owned(),
        tokens: quote! {
            #docs
            #(pub mod #modules;)*
            #(pub use self::#modules::*;)*

            /// Where the API lives and where it signs in (`api.base_url`,
            /// `api.auth.password_grant.token_path`): what `Client::builder()` starts from.
            pub(crate) const API_DEFAULTS: crate::runtime::ApiDefaults = crate::runtime::ApiDefaults {
                base_url: #base_url,
                token_path: #token_path,
            };
        },
    }
}

/// `areas/<area>/src/lib.rs`: one module per spec file of the area. The crate sees the core
/// crate's items and those of the areas it uses at its root, where generated code finds them
/// as `crate::Name`, as in a single crate.
fn area_root(spec: &Spec, layout: &Layout, area: &str, modules: &[&Module], uses: &BTreeSet<String>) -> EmittedFile {
    let names: Vec<_> = modules.iter().map(|module| ident(&module.name)).collect();
    let tests = has_models(modules).then(round_trips_module);
    let core = format_ident!("{}", crate_name(&layout.core_package()));
    let used = uses.iter().map(|other| format_ident!("{}", crate_name(&layout.area_package(other))));
    let docs = inner_docs(&format!(
        "The `{area}` area of the {} API, one module per resource, as a crate of its own; use it through the `{}` crate, with its `{area}` feature.",
        spec.api.name, layout.package
    ));
    // `cargo fmt` would reformat the crate root (rustfmt and prettyplease disagree); the
    // attribute keeps it out of rustfmt's reach, as `#[rustfmt::skip]` does for the modules.
    EmittedFile {
        path: Layout::area_folder(area).join("src/lib.rs"),
        source: format!("spec/{area}/"),
        tokens: quote! {
            #docs
            #![deny(missing_docs)]
            #![cfg_attr(rustfmt, rustfmt::skip)]
            use ::#core::*;
            #(use ::#used::*;)*
            #(
                #[rustfmt::skip]
                mod #names;
            )*
            #(pub use self::#names::*;)*
            #tests
        },
    }
}

/// `src/gen/mod.rs` of the application-facing crate: each area crate re-exported behind the
/// feature of its name, and the client's method for each resource; `tests` when the spec files
/// outside any area declare models, whose round-trip test the facade holds.
fn facade_tree(spec: &Spec, layout: &Layout, areas: &BTreeMap<&str, Vec<&Module>>, tests: bool) -> EmittedFile {
    let items = areas.iter().map(|(area, modules)| {
        let krate = format_ident!("{}", crate_name(&layout.area_package(area)));
        let methods: Vec<TokenStream> = modules
            .iter()
            .filter_map(|module| module.resource.as_ref())
            .map(|resource| {
                let accessor = ident(&resource.accessor);
                let handle = ident(&resource.handle);
                let doc = docs(&format!("The operations of the `{}` resource.", resource.name));
                quote! {
                    #doc
                    pub fn #accessor(&self) -> ::#krate::#handle<'_> {
                        ::#krate::#handle::new(self.runtime())
                    }
                }
            })
            .collect();
        let accessors = (!methods.is_empty()).then(|| {
            quote! {
                #[cfg(feature = #area)]
                impl crate::Client {
                    #(#methods)*
                }
            }
        });
        let module = ident(area);
        let module_doc = docs(&format!(
            "The `{area}` area: its resources, records, enums and queries, also re-exported at the crate root."
        ));
        quote! {
            #[cfg(feature = #area)]
            pub use ::#krate::*;
            #module_doc
            #[cfg(feature = #area)]
            #[doc(inline)]
            pub use ::#krate as #module;
            #accessors
        }
    });
    let docs = inner_docs(&format!(
        "Every area crate of the {} API, re-exported behind the cargo feature of its name, and one method of the client per resource.",
        spec.api.name
    ));
    EmittedFile {
        path: PathBuf::from(FACADE_FOLDER).join("mod.rs"),
        source: "spec/".to_owned(),
        tokens: {
            let tests = tests.then(round_trips_module);
            quote! {
                #docs
                #(#items)*
                #tests
            }
        },
    }
}
