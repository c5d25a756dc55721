//! `read_with` on an update: the operation that reads the record its body is filled from, and
//! the checks that every body field can be filled from that record.

use super::operations::input_of;
use super::{keys, Context, Symbols};
use crate::ir::{Answer, BodyField, Field, Input, InputId, Model, ModelId, Operation, Presence, Type};

/// Resolves `read_with`, which makes a safe read-modify-write helper possible.
pub(crate) fn resolve_read_with(
    cx: &mut Context<'_>,
    symbols: &Symbols,
    models: &[Option<Model>],
    inputs: &[Input],
    file: usize,
    operations: &mut [Operation],
) {
    let files = cx.files;
    let raw_operations = &files[file].content.operations;
    for index in 0..operations.len() {
        let Some(reader_name) = raw_operations.get(&operations[index].name).and_then(|raw| raw.read_with.as_ref())
        else {
            continue;
        };
        let at = cx.value_at(file, &keys(&["operations", &operations[index].name, "read_with"]));
        let Some(reader) = operations.iter().position(|op| op.name == *reader_name) else {
            cx.unknown(at, "operation", reader_name, operations.iter().map(|op| op.name.as_str()));
            continue;
        };
        let Some(body) = &operations[index].body else {
            cx.error(at, "`read_with` needs a body to fill from the record read");
            continue;
        };
        let reads_record = operations[reader].answer == Answer::Json(Type::Model(body.model, Vec::new()));
        let takes_one_id = operations[reader].path_params.len() == 1 && operations[reader].query_args.is_empty();
        if !reads_record || !takes_one_id {
            cx.error(at, format!("'{reader_name}' must take one path parameter and answer the body's model"));
            continue;
        }
        let Some(model) = &models[body.model.0] else { continue };
        let model_file = symbols.model_order[body.model.0].0;
        let fill = Fill { operation: &operations[index].name, reader: reader_name, model_file, model };
        // Every field that cannot be filled is reported, not only the first.
        let mut fillable = true;
        for body_field in &body.fields {
            fillable &= check_fillable(cx, models, inputs, &fill, body_field);
        }
        if fillable {
            operations[index].read_with = Some(reader);
        }
    }
}

/// An update with `read_with`, whose body is filled from the record its reader answers.
struct Fill<'a> {
    operation: &'a str,
    reader: &'a str,
    /// The file that declares the body's model, and the model.
    model_file: usize,
    model: &'a Model,
}

/// Checks that `read_with` can fill one body field from the record read, reporting the field at
/// its place in the model otherwise: a required field must be in every answer with a value, and
/// children must be fillable through their input.
fn check_fillable(
    cx: &mut Context<'_>,
    models: &[Option<Model>],
    inputs: &[Input],
    fill: &Fill<'_>,
    body_field: &BodyField,
) -> bool {
    let field = &fill.model.fields[body_field.field];
    let at = cx.key_at(fill.model_file, &keys(&["models", &fill.model.name, "fields", &field.wire]));
    let (operation, reader, wire) = (fill.operation, fill.reader, &field.wire);
    let read = format!("the record that `read_with: {reader}` reads");
    if body_field.required && !field.write.in_answers() {
        cx.error_with_hint(
            at,
            format!("required body field '{wire}' of '{operation}' is write-only, so {read} never has it"),
            "leave it out of the body's `required`",
        );
        return false;
    }
    if body_field.required && field.presence() != Presence::Always {
        let (lack, fix) = presence_fix(field);
        cx.error_with_hint(
            at,
            format!(
                "required body field '{wire}' of '{operation}' may be {lack} {read}, so it cannot be filled from it"
            ),
            format!("mark it {fix} if every answer of '{reader}' carries it, or leave it out of the body's `required`"),
        );
        return false;
    }
    let lookup_model = |id: ModelId| models.get(id.0).and_then(Option::as_ref);
    let lookup_input = |id: InputId| inputs.get(id.0);
    if !super::inputs::holds_model(&field.ty)
        || crate::ir::fillable_from_record(
            std::slice::from_ref(body_field),
            fill.model,
            &lookup_model,
            &lookup_input,
            0,
        )
    {
        return true;
    }
    // The children's input requires fields an answer may lack: name those of the first level.
    let child = input_of(models, field).and_then(|id| inputs.get(id.0));
    let child_model = child.and_then(|input| lookup_model(input.model));
    let lacking: Vec<&Field> = match (child, child_model) {
        (Some(input), Some(child_model)) => input
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| &child_model.fields[f.field])
            .filter(|f| f.presence() != Presence::Always || !f.write.in_answers())
            .collect(),
        _ => Vec::new(),
    };
    let (message, hint) = match (lacking.as_slice(), child_model) {
        ([single], Some(child_model)) => (
            format!("body field '{wire}' of '{operation}' holds children whose input requires '{}', which {read} may lack, so it cannot be filled from it", single.wire),
            match single.write.in_answers() {
                true => format!(
                    "mark '{}' of '{}' {} if every answer of '{reader}' carries it, or leave it out of the input's `required`",
                    single.wire,
                    child_model.name,
                    presence_fix(single).1
                ),
                false => format!("'{}' is write-only: leave it out of the input's `required`", single.wire),
            },
        ),
        (several, Some(child_model)) if !several.is_empty() => (
            format!(
                "body field '{wire}' of '{operation}' holds children whose input requires {}, which {read} may lack, so it cannot be filled from it",
                several.iter().map(|f| format!("'{}'", f.wire)).collect::<Vec<_>>().join(", ")
            ),
            format!(
                "mark them `required: true` and `nullable: false` in '{}' if every answer of '{reader}' carries them, or leave them out of the input's `required`",
                child_model.name
            ),
        ),
        _ => (
            format!("body field '{wire}' of '{operation}' holds children whose inputs require fields deeper down which {read} may lack, so it cannot be filled from it"),
            "every required field of an input that `read_with` fills must be `required: true` and `nullable: false` in its model".to_owned(),
        ),
    };
    cx.error_with_hint(at, message, hint);
    false
}

/// How a field may fall short of always having a value in answers, and the marks that would say
/// it always has one.
fn presence_fix(field: &Field) -> (&'static str, &'static str) {
    match (field.required, field.nullable) {
        (false, false) => ("missing from", "`required: true`"),
        (true, _) => ("null in", "`nullable: false`"),
        (false, true) => ("missing from or null in", "`required: true` and `nullable: false`"),
    }
}
