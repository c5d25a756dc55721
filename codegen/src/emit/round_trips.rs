//! The round-trip test of a crate's models: one table of the documents `samples` makes for each
//! model, each row naming the type to decode it as, checked by the runtime's
//! `round_trip::check_all`. One test function over a table keeps the cost of compiling it to one
//! small generic function per model.

use std::collections::BTreeMap;
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use super::support::{ident, inner_docs};
use super::EmittedFile;
use crate::ir::{Answer, ModelId, Module, Spec, Type};
use crate::layout::{Layout, FACADE_FOLDER};
use crate::samples::model_samples;

/// The name of the test module, in the crate root's folder; no spec file may take it.
pub const MODULE: &str = "round_trips";

/// Whether the modules of a crate declare models, and so the crate has the test module.
pub fn has_models(modules: &[&Module]) -> bool {
    modules.iter().any(|module| !module.models.is_empty())
}

/// The round-trip test of one crate, before it is emitted: plain data, so that the threads that
/// render the modules can share the tests out too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundTripTest {
    /// Path inside the crate folder.
    pub path: PathBuf,
    /// What the header names as the source.
    pub source: String,
    /// How the documentation names the crate's models.
    pub what: String,
    /// Indexes of the crate's modules in [`Spec::modules`].
    pub modules: Vec<usize>,
}

/// The round-trip test of each crate with models: each area crate's, and the facade's for the
/// types of the spec files outside any area (those of the core crate, whose own tests are the
/// runtime's: the fixture client's core compiles that runtime without running them again).
pub fn plan(spec: &Spec) -> Vec<RoundTripTest> {
    let mut crates: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
    for (index, module) in spec.modules.iter().enumerate() {
        crates.entry(module.area.as_deref()).or_default().push(index);
    }
    crates
        .into_iter()
        .filter(|(_, modules)| modules.iter().any(|&index| !spec.modules[index].models.is_empty()))
        .map(|(area, modules)| {
            let file = format!("{MODULE}.rs");
            match area {
                Some(area) => RoundTripTest {
                    path: Layout::area_folder(area).join("src").join(file),
                    source: format!("spec/{area}/"),
                    what: format!("the `{area}` area"),
                    modules,
                },
                None => RoundTripTest {
                    path: PathBuf::from(FACADE_FOLDER).join(file),
                    source: "spec/".to_owned(),
                    what: "the spec files outside any area (the core crate's)".to_owned(),
                    modules,
                },
            }
        })
        .collect()
}

/// The file of one crate's round-trip test.
pub fn emit_round_trips(spec: &Spec, test: &RoundTripTest) -> EmittedFile {
    let modules: Vec<&Module> = test.modules.iter().map(|&index| &spec.modules[index]).collect();
    let what = &test.what;
    let types = tested_types(spec, &modules);
    let rows = types.iter().flat_map(|(id, arguments)| {
        let ty = Type::Model(*id, arguments.clone());
        let rust_type = root_type(spec, &ty);
        let name = type_name(spec, &ty);
        model_samples(spec, *id, arguments).into_iter().map(move |sample| {
            let case = sample.case.name();
            let json = &sample.json;
            let written = sample.written.as_ref().map(|written| quote!(.written_as(#written)));
            quote!(crate::runtime::round_trip::Case::new::<#rust_type>(#name, #case, #json) #written)
        })
    });
    let docs = inner_docs(&format!(
        "Round trips of every model of {what}: documents made from the spec (every field with a value, nullable fields null, optional fields absent, fields and enum values the spec does not list) decode into the generated types and encode back to the same JSON text."
    ));
    let tokens = quote! {
        #docs
        #[test]
        fn every_model_goes_back_as_it_came() {
            crate::runtime::round_trip::check_all(&[#(#rows),*]);
        }
    };
    EmittedFile { path: test.path.clone(), source: test.source.clone(), tokens }
}

/// The types the test decodes: every model the modules declare, a generic one with the first
/// arguments the modules give it (in an answer or a field), or with `json` for each parameter
/// when they give it none.
fn tested_types(spec: &Spec, modules: &[&Module]) -> Vec<(ModelId, Vec<Type>)> {
    let mut used = Vec::new();
    for module in modules {
        for id in &module.models {
            for field in spec.models[id.0].answer_fields() {
                instantiations(&field.ty, &mut used);
            }
        }
        for operation in module.resource.iter().flat_map(|resource| &resource.operations) {
            if let Answer::Json(ty) = &operation.answer {
                instantiations(ty, &mut used);
            }
        }
    }
    let mut types = Vec::new();
    for module in modules {
        for id in &module.models {
            let model = &spec.models[id.0];
            if model.type_params.is_empty() {
                types.push((*id, Vec::new()));
            } else if !used.iter().any(|(used_id, _)| used_id == id) {
                types.push((*id, vec![Type::Json; model.type_params.len()]));
            }
        }
    }
    for (id, arguments) in used {
        if !types.iter().any(|(tested, _)| *tested == id) {
            types.push((id, arguments));
        }
    }
    types
}

/// Collects the generic models `ty` holds with concrete arguments, first use first.
fn instantiations(ty: &Type, out: &mut Vec<(ModelId, Vec<Type>)>) {
    match ty {
        Type::List(item) => instantiations(item, out),
        Type::Model(id, arguments) if !arguments.is_empty() => {
            if arguments.iter().all(is_concrete) && !out.iter().any(|(used, _)| used == id) {
                out.push((*id, arguments.clone()));
            }
            arguments.iter().for_each(|argument| instantiations(argument, out));
        }
        _ => {}
    }
}

fn is_concrete(ty: &Type) -> bool {
    match ty {
        Type::Param(_) => false,
        Type::List(item) => is_concrete(item),
        Type::Model(_, arguments) => arguments.iter().all(is_concrete),
        _ => true,
    }
}

/// The Rust type of a concrete type, named from the crate root.
fn root_type(spec: &Spec, ty: &Type) -> TokenStream {
    match ty {
        Type::Int32 => quote!(i32),
        Type::Int64 => quote!(i64),
        Type::Decimal => quote!(crate::runtime::Decimal),
        Type::Bool => quote!(bool),
        Type::String => quote!(String),
        Type::DateTime => quote!(crate::runtime::DateTime),
        Type::Uuid => quote!(crate::runtime::Uuid),
        Type::Json | Type::Param(_) => quote!(crate::runtime::JsonValue),
        Type::Enum(id) => {
            let name = ident(&spec.enums[id.0].rust);
            quote!(crate::#name)
        }
        Type::Model(id, arguments) => {
            let name = ident(&spec.models[id.0].rust);
            if arguments.is_empty() {
                quote!(crate::#name)
            } else {
                let arguments = arguments.iter().map(|argument| root_type(spec, argument));
                quote!(crate::#name<#(#arguments),*>)
            }
        }
        Type::List(item) => {
            let item = root_type(spec, item);
            quote!(Vec<#item>)
        }
    }
}

/// How failures name a type: `Page<CrmOpportunity>`.
fn type_name(spec: &Spec, ty: &Type) -> String {
    match ty {
        Type::Int32 => "i32".to_owned(),
        Type::Int64 => "i64".to_owned(),
        Type::Decimal => "Decimal".to_owned(),
        Type::Bool => "bool".to_owned(),
        Type::String => "String".to_owned(),
        Type::DateTime => "DateTime".to_owned(),
        Type::Uuid => "Uuid".to_owned(),
        Type::Json | Type::Param(_) => "Value".to_owned(),
        Type::Enum(id) => spec.enums[id.0].rust.clone(),
        Type::Model(id, arguments) => {
            let name = spec.models[id.0].rust.trim_start_matches("r#").to_owned();
            if arguments.is_empty() {
                name
            } else {
                let arguments: Vec<String> = arguments.iter().map(|argument| type_name(spec, argument)).collect();
                format!("{name}<{}>", arguments.join(", "))
            }
        }
        Type::List(item) => format!("Vec<{}>", type_name(spec, item)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names of the types the test of the area `test` decodes, for the spec file
    /// `test/thing.yaml` whose text is `yaml`.
    fn check(yaml: &str, expected: &[&str]) {
        let spec = crate::spec_for_tests(&[("test/thing.yaml", yaml)]);
        let modules: Vec<&Module> = spec.modules.iter().filter(|module| module.area.is_some()).collect();
        let names: Vec<String> = tested_types(&spec, &modules)
            .into_iter()
            .map(|(id, arguments)| type_name(&spec, &Type::Model(id, arguments)))
            .collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn every_model_and_the_generic_ones_as_the_area_uses_them() {
        check(
            "models:\n  Thing:\n    fields:\n      Id: { type: int64, required: true }\n      Pages: { type: list<Page<int32>> }\n  Part:\n    fields:\n      Name: string\nresource:\n  name: Thing\n  operations: [list]\n",
            &["Thing", "Part", "Page<i32>"],
        );
    }

    #[test]
    fn a_generic_model_nothing_uses_holds_json() {
        check(
            "models:\n  Holder:\n    type_params: [T, U]\n    fields:\n      Item: { type: T, required: true }\n",
            &["Holder<Value, Value>"],
        );
    }
}
