//! Turns the IR into Rust token streams, one per output file. Only `quote!` and
//! `format_ident!` build code here; formatting and writing belong to `write`.

mod enums;
mod error_docs;
mod models;
mod modules;
mod record_serde;
mod resource;
mod round_trips;
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use proc_macro2::TokenStream;

use crate::ir::{Module, Spec};
use crate::layout::{Layout, CORE_FOLDER};

/// One generated file before formatting.
#[derive(Debug)]
pub struct EmittedFile {
    /// Path inside the crate folder, such as `areas/crm/src/crm_opportunity.rs`.
    pub path: PathBuf,
    /// What the header names as the file's source, such as `spec/crm/crm_opportunity.yaml`.
    pub source: String,
    /// The file's items.
    pub tokens: TokenStream,
}

/// The files that tie the modules together: the core crate's `mod.rs`, each area crate's
/// `lib.rs`, and the application-facing crate's `mod.rs`.
pub fn emit_module_trees(
    spec: &Spec,
    layout: &Layout,
    area_uses: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<EmittedFile> {
    modules::emit_module_trees(spec, layout, area_uses)
}

pub use round_trips::{emit_round_trips, plan as round_trip_tests, RoundTripTest, MODULE as ROUND_TRIPS_MODULE};

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
    let inputs = module.inputs.iter().map(|id| resource::emit_input(&context, *id));
    let resource = module.resource.as_ref().map(|resource| resource::emit_resource(&context, resource));
    // The module's own code refers to its deprecated items (serde impls, constructors, methods that
    // call others); only code that uses them from outside should hear of it.
    let allow_deprecated = support::has_deprecated(spec, module).then(|| quote::quote!(#![allow(deprecated)]));
    let tokens = quote::quote! {
        #docs
        #allow_deprecated
        #(#enums)*
        #(#models)*
        #(#inputs)*
        #resource
    };
    let mut path = match &module.area {
        Some(area) => Layout::area_folder(area).join("src"),
        None => PathBuf::from(CORE_FOLDER),
    };
    path.push(format!("{}.rs", module.name));
    EmittedFile { path, source: module.source.display().to_string().replace('\\', "/"), tokens }
}
