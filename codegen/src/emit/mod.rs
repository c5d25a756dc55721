//! Turns the IR into Rust token streams, one per output file. Only `quote!` and
//! `format_ident!` build code here; formatting and writing belong to `write`.

mod enums;
mod models;
mod modules;
mod record_serde;
mod resource;
mod support;

use std::path::PathBuf;

use proc_macro2::TokenStream;

use crate::ir::{Module, Spec};

/// One generated file before formatting.
#[derive(Debug)]
pub struct EmittedFile {
    /// Path inside the generated modules folder, such as `crm/crm_opportunity.rs`.
    pub path: PathBuf,
    /// What the header names as the file's source, such as `spec/crm/crm_opportunity.yaml`.
    pub source: String,
    /// The file's items.
    pub tokens: TokenStream,
}

/// Emits every generated file of the spec, in a stable order.
pub fn emit(spec: &Spec) -> Vec<EmittedFile> {
    let mut files: Vec<EmittedFile> = spec.modules.iter().map(|module| emit_module(spec, module)).collect();
    files.extend(modules::emit_module_trees(spec));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// The files that declare the generated modules (`mod.rs`), one per folder.
pub fn emit_module_trees(spec: &Spec) -> Vec<EmittedFile> {
    modules::emit_module_trees(spec)
}

/// The file of one spec file's module.
pub fn emit_module(spec: &Spec, module: &Module) -> EmittedFile {
    let context = support::ModuleContext { spec, module };
    let docs = match module.resource.as_ref().and_then(|resource| resource.description.as_deref()) {
        Some(description) => support::inner_docs(description),
        None if module.area.is_none() => support::inner_docs(&format!(
            "Types the whole {} API shares.{}",
            spec.api.name,
            spec.api.description.as_deref().map(|text| format!("\n\n{text}")).unwrap_or_default()
        )),
        None => support::inner_docs(&format!("Types of the `{}` spec file.", module.name)),
    };
    let enums = module.enums.iter().map(|id| enums::emit_enum(&spec.enums[id.0]));
    let models = module.models.iter().map(|id| models::emit_model(&context, *id));
    let resource = module.resource.as_ref().map(|resource| resource::emit_resource(&context, resource));
    let tokens = quote::quote! {
        #docs
        #(#enums)*
        #(#models)*
        #resource
    };
    let mut path = PathBuf::new();
    if let Some(area) = &module.area {
        path.push(area);
    }
    path.push(format!("{}.rs", module.name));
    EmittedFile { path, source: module.source.display().to_string().replace('\\', "/"), tokens }
}
