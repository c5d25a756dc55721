//! The `mod.rs` files that declare the generated modules and re-export their items.

use std::collections::BTreeMap;
use std::path::PathBuf;

use quote::quote;

use super::support::{ident, inner_docs};
use super::EmittedFile;
use crate::ir::Spec;

/// `mod.rs` at the top of the generated folder and one per area folder.
pub fn emit_module_trees(spec: &Spec) -> Vec<EmittedFile> {
    let mut areas: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut top: Vec<&str> = Vec::new();
    for module in &spec.modules {
        match &module.area {
            Some(area) => areas.entry(area).or_default().push(&module.name),
            None => top.push(&module.name),
        }
    }
    let mut files = Vec::new();
    for (area, names) in &areas {
        let modules: Vec<_> = names.iter().map(|name| ident(name)).collect();
        let docs = inner_docs(&format!("The `{area}` area of the API: one module per resource."));
        files.push(EmittedFile {
            path: PathBuf::from(area).join("mod.rs"),
            source: format!("spec/{area}/"),
            tokens: quote! {
                #docs
                #(pub mod #modules;)*
                #(pub use self::#modules::*;)*
            },
        });
    }
    // Every area sits behind the cargo feature of its name (see `features`); files at the top of
    // the spec (the shared types) are always there.
    let mut items: Vec<(&str, Option<&str>)> =
        top.into_iter().map(|name| (name, None)).chain(areas.keys().map(|area| (*area, Some(*area)))).collect();
    items.sort_unstable();
    let declarations = items.iter().map(|(name, feature)| {
        let module = ident(name);
        let gate = feature.map(|feature| quote!(#[cfg(feature = #feature)]));
        quote! {
            #gate
            pub mod #module;
            #gate
            pub use self::#module::*;
        }
    });
    let docs = inner_docs(&format!(
        "Everything generated from the {} spec: one module per spec file, one folder per API area, each area behind the cargo feature of its name.",
        spec.api.name
    ));
    files.push(EmittedFile {
        path: PathBuf::from("mod.rs"),
        source: "spec/".to_owned(),
        tokens: quote! {
            #docs
            #(#declarations)*
        },
    });
    files
}
