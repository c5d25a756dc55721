//! The conventions' own text, checked once: the operation templates and base fields of
//! `api.yaml`, as a resource that has all of them (see [`crate::expand::placeholder_resource`]).
//! A problem there is reported at the template in `api.yaml`, not once per resource that uses it.

use super::{api, inputs, operations, types, Context};
use crate::diagnostic::Diagnostics;
use crate::parse::ParsedFile;

/// Checks the placeholder resource, the last of `files`, against the shared types of the spec
/// file with the `api` section, recording its problems in `diagnostics`. Checks nothing when the
/// spec's names or shared types have problems of their own: those are reported by the checks of
/// the whole spec, and the templates are checked then with each resource.
pub fn check_templates(files: &[ParsedFile], diagnostics: &mut Diagnostics) {
    let Some(placeholder) = files.len().checked_sub(1) else { return };
    let Some(api_file) = files.iter().position(|file| file.content.api.is_some()) else { return };
    let mut shared = Diagnostics::default();
    let mut cx = Context { diagnostics: &mut shared, files };
    let symbols = types::collect_symbols(&mut cx);
    // Only the shared types and the placeholder's models are built: the templates name those,
    // and the rest of the spec is checked with the resources.
    let mut models = Vec::new();
    for (file, name) in &symbols.model_order {
        let model = match *file {
            file if file == api_file => {
                types::build_model(&mut Context { diagnostics: &mut shared, files }, &symbols, file, name)
            }
            file if file == placeholder => {
                types::build_model(&mut Context { diagnostics, files }, &symbols, file, name)
            }
            _ => None,
        };
        models.push(model);
    }
    let mut cx = Context { diagnostics: &mut shared, files };
    let (inputs, _) = inputs::build_inputs(&mut cx, &symbols, &mut models);
    let api = api::build_api(&mut cx, &symbols, &models);
    if !shared.is_empty() {
        return;
    }
    let mut cx = Context { diagnostics, files };
    operations::build_resource(&mut cx, &symbols, &models, &inputs, api.as_ref(), placeholder);
}
