//! Request-shaped input types: a model's own (`input` on the model, which bodies such as the
//! entity commands' share) and those of inline children (`input` on a field whose type is a model
//! or a list of one), each built from some of the element model's fields.

use super::{keys, Context, Symbols};
use crate::ir::{BodyField, Input, InputId, Model, ModelId, Type, WriteMode};
use crate::parse::RawInput;
use crate::positions::Step;

/// Where an input is declared: its file and the path of its `input` key.
pub(crate) struct InputPlace {
    pub file: usize,
    pub path: Vec<Step>,
}

/// What an input belongs to: the model itself, or one of its fields.
enum Owner {
    Model(usize),
    Field(usize, usize),
}

/// Builds every input, and records each on the model or field that declares it.
pub(crate) fn build_inputs(
    cx: &mut Context<'_>,
    symbols: &Symbols,
    models: &mut [Option<Model>],
) -> (Vec<Input>, Vec<InputPlace>) {
    let files = cx.files;
    let mut built: Vec<(Owner, Input, InputPlace)> = Vec::new();
    for (model_index, (file, name)) in symbols.model_order.iter().enumerate() {
        let Some(model) = &models[model_index] else { continue };
        let raw = &files[*file].content.models[name];
        if let Some(input) = &raw.input {
            let path = keys(&["models", name, "input"]);
            if let Some(made) = build_input(cx, *file, &path, ModelId(model_index), model, input) {
                built.push((Owner::Model(model_index), made, InputPlace { file: *file, path }));
            }
        }
        for (field_index, (wire, raw_field)) in raw.fields.iter().enumerate() {
            let Some(input) = &raw_field.input else { continue };
            let path = keys(&["models", name, "fields", wire, "input"]);
            let element = match &model.fields.get(field_index).map(|field| &field.ty) {
                Some(Type::Model(id, _)) => Some(*id),
                Some(Type::List(item)) => match &**item {
                    Type::Model(id, _) => Some(*id),
                    _ => None,
                },
                _ => None,
            };
            let Some(element) = element else {
                let at = cx.key_at(*file, &path);
                cx.error(at, format!("`input` on '{wire}' needs a field whose type is a model or a list of one"));
                continue;
            };
            let Some(element_model) = &models[element.0] else { continue };
            if let Some(made) = build_input(cx, *file, &path, element, element_model, input) {
                built.push((Owner::Field(model_index, field_index), made, InputPlace { file: *file, path }));
            }
        }
    }
    let mut inputs = Vec::new();
    let mut places = Vec::new();
    for (owner, input, place) in built {
        let id = InputId(inputs.len());
        match owner {
            Owner::Model(model) => {
                if let Some(model) = models[model].as_mut() {
                    model.input = Some(id);
                }
            }
            Owner::Field(model, field) => {
                if let Some(model) = models[model].as_mut() {
                    model.fields[field].input = Some(id);
                }
            }
        }
        inputs.push(input);
        places.push(place);
    }
    // A field of an input that holds models sends their input in turn; it must have one.
    for (input, place) in inputs.iter().zip(&places) {
        let Some(model) = &models[input.model.0] else { continue };
        for body_field in &input.fields {
            let field = &model.fields[body_field.field];
            if holds_model(&field.ty) && super::operations::input_of(models, field).is_none() {
                let at = cx.key_at(place.file, &place.path);
                cx.error_with_hint(
                    at,
                    format!(
                        "field '{}' of '{}' holds a model that has no request-shaped `input`",
                        field.wire, model.name
                    ),
                    "declare `input:` on that model, or leave the field out of this input",
                );
            }
        }
    }
    (inputs, places)
}

fn build_input(
    cx: &mut Context<'_>,
    file: usize,
    base: &[Step],
    id: ModelId,
    model: &Model,
    raw: &RawInput,
) -> Option<Input> {
    let mut ok = true;
    let at = |cx: &Context<'_>, list: &str, index: usize| {
        cx.value_at(file, &[base.to_vec(), keys(&[list]), vec![Step::Index(index)]].concat())
    };
    let chosen: Vec<usize> = match &raw.fields {
        Some(names) => {
            let mut chosen = Vec::new();
            for (index, wire) in names.iter().enumerate() {
                match model.fields.iter().position(|field| field.wire == *wire) {
                    Some(field) => chosen.push(field),
                    None => {
                        let location = at(cx, "fields", index);
                        cx.unknown_field(location, &model.name, wire, model.fields.iter().map(|f| f.wire.as_str()));
                        ok = false;
                    }
                }
            }
            chosen
        }
        None => (0..model.fields.len()).filter(|&index| model.fields[index].write != WriteMode::ReadOnly).collect(),
    };
    for (position, &index) in chosen.iter().enumerate() {
        let field = &model.fields[index];
        let location = if raw.fields.is_some() { at(cx, "fields", position) } else { cx.key_at(file, base) };
        if field.write == WriteMode::ReadOnly {
            cx.error(
                location,
                format!("field '{}' of '{}' is read-only, so an input cannot carry it", field.wire, model.name),
            );
            ok = false;
        }
    }
    for (index, wire) in raw.required.iter().enumerate() {
        if !chosen.iter().any(|&field| model.fields[field].wire == *wire) {
            let location = at(cx, "required", index);
            cx.error(location, format!("required field '{wire}' is not one of the input's fields"));
            ok = false;
        }
    }
    let mut fields: Vec<BodyField> = chosen
        .iter()
        .map(|&field| BodyField { field, required: raw.required.contains(&model.fields[field].wire) })
        .collect();
    fields.sort_by_key(|body_field| {
        let wire = &model.fields[body_field.field].wire;
        raw.required.iter().position(|required| required == wire).unwrap_or(usize::MAX)
    });
    let rust = raw.name.clone().unwrap_or_else(|| format!("{}Input", model.rust));
    let name_at = cx.value_at(file, &[base.to_vec(), keys(&["name"])].concat());
    ok &= cx.check_identifier(name_at, &rust);
    ok.then(|| Input { rust, model: id, description: raw.description.clone(), fields })
}

/// Whether a type is or holds a model.
pub(crate) fn holds_model(ty: &Type) -> bool {
    match ty {
        Type::Model(..) => true,
        Type::List(item) => holds_model(item),
        _ => false,
    }
}
