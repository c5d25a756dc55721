//! The comparison itself: items of the two specs are paired by wire name (by value for enum
//! variants), then what is left by Rust name (a rename that `rust_name` kept), and every
//! difference of a pair becomes a [`Change`] with its verdicts.
//!
//! The verdicts follow what the generator makes of each item: models and enums are exhaustive
//! (public fields, no `#[non_exhaustive]`), so a new field or variant breaks a struct literal or a
//! `match` in Rust; request bodies and inputs are `#[non_exhaustive]` with a constructor taking the
//! required fields and a setter per optional one, so only a new required field breaks them; query
//! types have private fields and setters. On the wire, old clients keep fields they do not know
//! (`unknown_fields`) and values of open enums (`Unknown`), and never send what they do not know.

use std::collections::{BTreeMap, BTreeSet};

use super::types::{widens, Side};
use super::{Change, How, RustVerdict, What, WireVerdict};
use crate::ir::{
    Answer, BodyField, Deprecation, Enum, EnumId, EnumValue, Field, Model, Operation, Param, Resource, Spec, Type,
    WriteMode,
};

use RustVerdict::{Major, Minor, Patch};
use WireVerdict::{Breaks, Compatible};

/// Every change from `before` to `after`, unsorted.
pub fn changes(before: &Spec, after: &Spec) -> Vec<Change> {
    let models = pair(&before.models, &after.models, |model| model.name.clone(), |model| model.rust.clone());
    let enums = pair(&before.enums, &after.enums, |item| item.name.clone(), |item| item.rust.clone());
    let mut renamed = BTreeMap::new();
    for (old, new) in &models.both {
        renamed.insert(old.name.clone(), new.name.clone());
    }
    for (old, new) in &enums.both {
        renamed.insert(old.name.clone(), new.name.clone());
    }
    let mut diff = Diff {
        old: Side { spec: before, renamed },
        new: Side { spec: after, renamed: BTreeMap::new() },
        old_request_enums: request_enums(before),
        changes: Vec::new(),
    };
    diff.enums(&enums);
    diff.models(&models);
    diff.inputs();
    diff.resources();
    diff.changes
}

/// Items of both sides paired up.
struct Pairs<'a, T> {
    both: Vec<(&'a T, &'a T)>,
    removed: Vec<&'a T>,
    added: Vec<&'a T>,
}

/// Pairs items by `wire`, then the rest by `rust`. Each key is computed once per item and looked
/// up in a map, so that a spec of thousands of fields pairs in linear time.
fn pair<'a, T>(
    old: impl IntoIterator<Item = &'a T>,
    new: impl IntoIterator<Item = &'a T>,
    wire: impl Fn(&T) -> String,
    rust: impl Fn(&T) -> String,
) -> Pairs<'a, T> {
    let old: Vec<&T> = old.into_iter().collect();
    let new: Vec<&T> = new.into_iter().collect();
    let mut taken = vec![false; new.len()];
    let index = |key: &dyn Fn(&T) -> String| {
        let mut index: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (position, item) in new.iter().enumerate() {
            index.entry(key(item)).or_default().push(position);
        }
        index
    };
    let take = |index: &BTreeMap<String, Vec<usize>>, wanted: String, taken: &mut Vec<bool>| {
        let position = index.get(&wanted)?.iter().copied().find(|position| !taken[*position])?;
        taken[position] = true;
        Some(position)
    };
    let (by_wire, by_rust) = (index(&wire), index(&rust));
    let mut both = Vec::new();
    let mut unmatched = Vec::new();
    for item in old {
        match take(&by_wire, wire(item), &mut taken) {
            Some(position) => both.push((item, new[position])),
            None => unmatched.push(item),
        }
    }
    let mut removed = Vec::new();
    for item in unmatched {
        match take(&by_rust, rust(item), &mut taken) {
            Some(position) => both.push((item, new[position])),
            None => removed.push(item),
        }
    }
    let added = new.iter().zip(&taken).filter(|(_, taken)| !**taken).map(|(item, _)| *item).collect();
    Pairs { both, removed, added }
}

struct Diff<'a> {
    old: Side<'a>,
    new: Side<'a>,
    /// Enums of the old spec that requests may carry.
    old_request_enums: BTreeSet<EnumId>,
    changes: Vec<Change>,
}

impl Diff<'_> {
    fn push(&mut self, what: What, location: &str, how: How, detail: String, rust: RustVerdict, wire: WireVerdict) {
        self.changes.push(Change { location: location.to_owned(), what, how, detail, rust, wire });
    }

    /// A rename of a pair: the wire name (spec name, value) and the Rust name each on their own
    /// line. `wire_breaks` says whether the wire name travels in messages.
    fn renames(&mut self, what: What, location: &str, names: [&str; 4], wire_breaks: bool, rust: RustVerdict) {
        let [old_wire, new_wire, old_rust, new_rust] = names;
        if old_wire != new_wire {
            let (how, wire) = if wire_breaks { (How::RenamedOnWire, Breaks) } else { (How::RenamedInSpec, Compatible) };
            self.push(what, location, how, format!("{old_wire} -> {new_wire}"), Patch, wire);
        }
        if old_rust != new_rust {
            self.push(what, location, How::RenamedInRust, format!("{old_rust} -> {new_rust}"), rust, Compatible);
        }
    }

    /// A deprecation added is `minor` (code that uses the item compiles, with a warning), as
    /// cargo's semver rules have it; one taken back or reworded only changes documentation.
    fn deprecation(&mut self, what: What, location: &str, old: &Option<Deprecation>, new: &Option<Deprecation>) {
        let note = |deprecation: &Deprecation| deprecation.note.clone().unwrap_or_default();
        match (old, new) {
            (None, Some(new)) => self.push(what, location, How::Deprecated, note(new), Minor, Compatible),
            (Some(_), None) => self.push(what, location, How::Undeprecated, String::new(), Patch, Compatible),
            (Some(old), Some(new)) if old != new => {
                self.push(what, location, How::Documented, "deprecation note".to_owned(), Patch, Compatible)
            }
            _ => {}
        }
    }

    fn documentation(&mut self, what: What, location: &str, old: &Option<String>, new: &Option<String>) {
        if old != new {
            self.push(what, location, How::Documented, String::new(), Patch, Compatible);
        }
    }

    fn enums(&mut self, pairs: &Pairs<Enum>) {
        for old in &pairs.removed {
            self.push(What::Enum, &old.name, How::Removed, String::new(), Major, Compatible);
        }
        for new in &pairs.added {
            self.push(What::Enum, &new.name, How::Added, String::new(), Minor, Compatible);
        }
        for (old, new) in &pairs.both {
            let location = new.name.as_str();
            self.renames(What::Enum, location, [&old.name, &new.name, &old.rust, &new.rust], false, Major);
            if old.repr != new.repr {
                let detail = format!("{} -> {}", repr_text(old), repr_text(new));
                self.push(What::Enum, location, How::TypeChanged, detail, Major, Breaks);
            }
            match (old.open, new.open) {
                // The `Unknown` variant goes or comes: a `match` or a constructor of it breaks.
                (true, false) => self.push(What::Enum, location, How::Closed, String::new(), Major, Breaks),
                (false, true) => self.push(What::Enum, location, How::Opened, String::new(), Major, Compatible),
                _ => {}
            }
            self.documentation(What::Enum, location, &old.description, &new.description);
            let old_in_requests = old_id(self.old.spec, old).is_some_and(|id| self.old_request_enums.contains(&id));
            let variants = pair(
                &old.variants,
                &new.variants,
                |variant| value_text(&variant.value),
                |variant| variant.rust.clone(),
            );
            for variant in &variants.removed {
                let place = format!("{location}.{}", variant.name);
                // An old client may still send the value where requests carry the enum.
                let wire = if old_in_requests { Breaks } else { Compatible };
                self.push(What::Variant, &place, How::Removed, value_text(&variant.value), Major, wire);
            }
            for variant in &variants.added {
                let place = format!("{location}.{}", variant.name);
                // An old client of a closed enum fails to decode the new value; an open one keeps it.
                let wire = if old.open { Compatible } else { Breaks };
                self.push(What::Variant, &place, How::Added, value_text(&variant.value), Major, wire);
            }
            for (old_variant, new_variant) in &variants.both {
                let place = format!("{location}.{}", new_variant.name);
                let (old_value, new_value) = (value_text(&old_variant.value), value_text(&new_variant.value));
                self.renames(
                    What::Variant,
                    &place,
                    [&old_value, &new_value, &old_variant.rust, &new_variant.rust],
                    true,
                    Major,
                );
                if old_variant.name != new_variant.name
                    && old_variant.rust == new_variant.rust
                    && old_value == new_value
                {
                    let detail = format!("{} -> {}", old_variant.name, new_variant.name);
                    self.push(What::Variant, &place, How::Changed, detail, Patch, Compatible);
                }
                self.documentation(What::Variant, &place, &old_variant.description, &new_variant.description);
                self.deprecation(What::Variant, &place, &old_variant.deprecated, &new_variant.deprecated);
            }
        }
    }

    fn models(&mut self, pairs: &Pairs<Model>) {
        for old in &pairs.removed {
            self.push(What::Model, &old.name, How::Removed, String::new(), Major, Compatible);
        }
        for new in &pairs.added {
            self.push(What::Model, &new.name, How::Added, String::new(), Minor, Compatible);
        }
        for (old, new) in &pairs.both {
            let location = new.name.as_str();
            self.renames(What::Model, location, [&old.name, &new.name, &old.rust, &new.rust], false, Major);
            if old.type_params.len() != new.type_params.len() {
                let detail = format!("{} -> {} type parameters", old.type_params.len(), new.type_params.len());
                self.push(What::Model, location, How::TypeChanged, detail, Major, Compatible);
            }
            self.documentation(What::Model, location, &old.description, &new.description);
            let fields = pair(&old.fields, &new.fields, |field| field.wire.clone(), |field| field.rust.clone());
            for field in &fields.removed {
                let place = format!("{location}.{}", field.wire);
                let rust = if field.write.in_answers() { Major } else { Patch };
                // An old client fails to decode an answer without a field it requires.
                let wire = if field.write.in_answers() && field.required { Breaks } else { Compatible };
                self.push(What::Field, &place, How::Removed, self.old.spec_text(&field.ty), rust, wire);
            }
            for field in &fields.added {
                let place = format!("{location}.{}", field.wire);
                // A struct literal of the old model lacks the new field.
                let rust = if field.write.in_answers() { Major } else { Patch };
                self.push(What::Field, &place, How::Added, self.new.spec_text(&field.ty), rust, Compatible);
            }
            for (old_field, new_field) in &fields.both {
                self.field(&format!("{location}.{}", new_field.wire), old_field, new_field);
            }
        }
    }

    /// A field of a model on both sides, as answers carry it; request bodies are compared on
    /// their own.
    fn field(&mut self, place: &str, old: &Field, new: &Field) {
        let answers = old.write.in_answers() && new.write.in_answers();
        let in_answers = |verdict: RustVerdict| if answers { verdict } else { Patch };
        let wire_breaks = old.write.in_answers();
        self.renames(What::Field, place, [&old.wire, &new.wire, &old.rust, &new.rust], wire_breaks, in_answers(Major));
        let (old_type, new_type) = (self.old.spec_text(&old.ty), self.new.spec_text(&new.ty));
        let rust_changed = self.old.rust_text(&old.ty) != self.new.rust_text(&new.ty);
        if old_type != new_type || rust_changed {
            let rust = if rust_changed { in_answers(Major) } else { Patch };
            // Answers: an old client decodes the new values as the old type.
            let wire = if answers && !widens(&self.new, &new.ty, &self.old, &old.ty) { Breaks } else { Compatible };
            self.push(What::Field, place, How::TypeChanged, format!("{old_type} -> {new_type}"), rust, wire);
        }
        if answers {
            match (old.required, new.required) {
                (false, true) => self.push(What::Field, place, How::BecameRequired, String::new(), Major, Compatible),
                (true, false) => self.push(What::Field, place, How::BecameOptional, String::new(), Major, Breaks),
                _ => {}
            }
            match (old.nullable, new.nullable) {
                (false, true) => self.push(What::Field, place, How::BecameNullable, String::new(), Major, Breaks),
                (true, false) => {
                    self.push(What::Field, place, How::BecameNonNullable, String::new(), Major, Compatible)
                }
                _ => {}
            }
        }
        if old.write != new.write {
            let detail = format!("{} -> {}", old.write.as_str(), new.write.as_str());
            let (rust, wire) = match (old.write.in_answers(), new.write.in_answers()) {
                (true, false) => (Major, if old.required { Breaks } else { Compatible }),
                (false, true) => (Major, Compatible),
                // The record keeps the field; the bodies' own lines say what their types lose or
                // gain. A write the server no longer takes is lost without an error.
                _ => (Patch, if loses_writes(old.write, new.write) { Breaks } else { Compatible }),
            };
            self.push(What::Field, place, How::WriteModeChanged, detail, rust, wire);
        }
        if old.get_only != new.get_only {
            let detail = format!("get_only {} -> {}", old.get_only, new.get_only);
            // Lists stop carrying a field an old client requires.
            let wire = if new.get_only && answers && old.required { Breaks } else { Compatible };
            self.push(What::Field, place, How::Changed, detail, Patch, wire);
        }
        self.documentation(What::Field, place, &old.description, &new.description);
        self.deprecation(What::Field, place, &old.deprecated, &new.deprecated);
    }

    /// The request-shaped input types, paired by Rust name (they have no other).
    fn inputs(&mut self) {
        let (old_spec, new_spec) = (self.old.spec, self.new.spec);
        let pairs = pair(&old_spec.inputs, &new_spec.inputs, |input| input.rust.clone(), |input| input.rust.clone());
        for old in &pairs.removed {
            self.push(What::Input, &old.rust, How::Removed, String::new(), Major, Compatible);
        }
        for new in &pairs.added {
            self.push(What::Input, &new.rust, How::Added, String::new(), Minor, Compatible);
        }
        for (old, new) in &pairs.both {
            self.documentation(What::Input, &new.rust, &old.description, &new.description);
            let (old_model, new_model) = (&old_spec.models[old.model.0], &new_spec.models[new.model.0]);
            self.body_fields(&new.rust, (old_model, &old.fields), (new_model, &new.fields));
        }
    }

    /// The fields of a request body or input type on both sides.
    fn body_fields<'m>(&mut self, location: &str, old: (&'m Model, &[BodyField]), new: (&'m Model, &[BodyField])) {
        let fields = |(model, body_fields): (&'m Model, &[BodyField])| -> Vec<BodyEntry<'m>> {
            body_fields.iter().map(|body_field| (&model.fields[body_field.field], body_field.required)).collect()
        };
        let (old_fields, new_fields) = (fields(old), fields(new));
        let pairs = pair(&old_fields, &new_fields, |(field, _)| field.wire.clone(), |(field, _)| field.rust.clone());
        for (field, _) in &pairs.removed {
            let place = format!("{location}.{}", field.wire);
            // The server ignores a field it no longer reads; the field's own line says whether
            // a write is lost.
            self.push(What::BodyField, &place, How::Removed, self.old.spec_text(&field.ty), Major, Compatible);
        }
        for (field, required) in &pairs.added {
            let place = format!("{location}.{}", field.wire);
            let (rust, wire) = if *required { (Major, Breaks) } else { (Minor, Compatible) };
            let detail = format!("{}{}", if *required { "required " } else { "" }, self.new.spec_text(&field.ty));
            self.push(What::BodyField, &place, How::Added, detail, rust, wire);
        }
        for ((old_field, old_required), (new_field, new_required)) in &pairs.both {
            let place = format!("{location}.{}", new_field.wire);
            let names = [old_field.wire.as_str(), new_field.wire.as_str(), &old_field.rust, &new_field.rust];
            self.renames(What::BodyField, &place, names, true, Major);
            let (old_type, new_type) = (self.old.spec_text(&old_field.ty), self.new.spec_text(&new_field.ty));
            let rust_changed = self.old.rust_text(&old_field.ty) != self.new.rust_text(&new_field.ty);
            if old_type != new_type || rust_changed {
                let rust = if rust_changed { Major } else { Patch };
                // The server reads what an old client sends as the new type.
                let wire = if widens(&self.old, &old_field.ty, &self.new, &new_field.ty) { Compatible } else { Breaks };
                self.push(What::BodyField, &place, How::TypeChanged, format!("{old_type} -> {new_type}"), rust, wire);
            }
            match (old_required, new_required) {
                (false, true) => self.push(What::BodyField, &place, How::BecameRequired, String::new(), Major, Breaks),
                (true, false) => {
                    self.push(What::BodyField, &place, How::BecameOptional, String::new(), Major, Compatible)
                }
                _ => {}
            }
        }
    }

    fn resources(&mut self) {
        let (old_resources, new_resources) = (resources(self.old.spec), resources(self.new.spec));
        let pairs = pair(
            old_resources.iter().copied(),
            new_resources.iter().copied(),
            |resource| resource.name.clone(),
            |resource| resource.accessor.clone(),
        );
        for old in &pairs.removed {
            self.push(What::Resource, &old.name, How::Removed, String::new(), Major, Breaks);
        }
        for new in &pairs.added {
            self.push(What::Resource, &new.name, How::Added, String::new(), Minor, Compatible);
        }
        for (old, new) in &pairs.both {
            let location = new.name.as_str();
            // The resource's name travels only through its paths and roles, which have lines of
            // their own.
            self.renames(What::Resource, location, [&old.name, &new.name, &old.handle, &new.handle], false, Major);
            if old.accessor != new.accessor {
                let detail = format!("client method {} -> {}", old.accessor, new.accessor);
                self.push(What::Resource, location, How::RenamedInRust, detail, Major, Compatible);
            }
            self.documentation(What::Resource, location, &old.description, &new.description);
            let operations = pair(
                &old.operations,
                &new.operations,
                |operation| operation.name.clone(),
                |operation| operation.rust.clone(),
            );
            for operation in &operations.removed {
                let place = format!("{location}.{}", operation.name);
                self.push(What::Operation, &place, How::Removed, endpoint(operation), Major, Breaks);
            }
            for operation in &operations.added {
                let place = format!("{location}.{}", operation.name);
                self.push(What::Operation, &place, How::Added, endpoint(operation), Minor, Compatible);
            }
            for (old_operation, new_operation) in &operations.both {
                self.operation(
                    &format!("{location}.{}", new_operation.name),
                    (old, old_operation),
                    (new, new_operation),
                );
            }
        }
    }

    fn operation(&mut self, place: &str, old: (&Resource, &Operation), new: (&Resource, &Operation)) {
        let ((_, old_resource_operations), (_, new_resource_operations)) = (old, new);
        let (old, new) = (old_resource_operations, new_resource_operations);
        // The operation's name is the spec's; its endpoint is what travels.
        self.renames(What::Operation, place, [&old.name, &new.name, &old.rust, &new.rust], false, Major);
        if endpoint(old) != endpoint(new) {
            let detail = format!("{} -> {}", endpoint(old), endpoint(new));
            self.push(What::Path, place, How::Changed, detail, Patch, Breaks);
        }
        if old.role != new.role {
            let text = |role: &Option<String>| role.clone().unwrap_or_else(|| "none".to_owned());
            let detail = format!("{} -> {}", text(&old.role), text(&new.role));
            // A user who had the old role may lack the new one.
            let wire = if new.role.is_some() { Breaks } else { Compatible };
            self.push(What::Role, place, How::Changed, detail, Patch, wire);
        }
        self.params(
            What::PathParameter,
            place,
            &old.path_params.iter().collect::<Vec<_>>(),
            &new.path_params.iter().collect::<Vec<_>>(),
        );
        let query = |operation: &Operation| -> Vec<Param> {
            let mut params: Vec<Param> = operation.query_args.clone();
            params.extend(operation.query.iter().flat_map(|query| query.params.iter().cloned()));
            params
        };
        let (old_query, new_query) = (query(old), query(new));
        self.params(
            What::QueryParameter,
            place,
            &old_query.iter().collect::<Vec<_>>(),
            &new_query.iter().collect::<Vec<_>>(),
        );
        match (&old.query, &new.query) {
            (None, Some(query)) => {
                let detail = format!("takes a {} argument", query.rust);
                self.push(What::Operation, place, How::Changed, detail, Major, Compatible);
            }
            (Some(query), None) => {
                let detail = format!("no longer takes a {} argument", query.rust);
                self.push(What::Operation, place, How::Changed, detail, Major, Compatible);
            }
            (Some(old_query), Some(new_query)) if old_query.rust != new_query.rust => {
                let detail = format!("{} -> {}", old_query.rust, new_query.rust);
                self.push(What::Operation, place, How::RenamedInRust, detail, Major, Compatible);
            }
            _ => {}
        }
        self.body(place, old, new);
        self.answer(place, old, new);
        let (old_spec, new_spec) = (self.old.spec, self.new.spec);
        let methods = [
            ("update_with", old.read_with.is_some(), new.read_with.is_some()),
            ("list_all", old.streamed_record(&old_spec.api).is_some(), new.streamed_record(&new_spec.api).is_some()),
        ];
        for (method, before, after) in methods {
            match (before, after) {
                (false, true) => {
                    self.push(What::Operation, place, How::Changed, format!("gains {method}"), Minor, Compatible)
                }
                (true, false) => {
                    self.push(What::Operation, place, How::Changed, format!("loses {method}"), Major, Compatible)
                }
                _ => {}
            }
        }
        self.deprecation(What::Operation, place, &old.deprecated, &new.deprecated);
        if old.summary != new.summary || old.description != new.description {
            self.push(What::Operation, place, How::Documented, String::new(), Patch, Compatible);
        }
    }

    /// Path or query parameters on both sides, paired by wire name.
    fn params(&mut self, what: What, operation: &str, old: &[&Param], new: &[&Param]) {
        let pairs =
            pair(old.iter().copied(), new.iter().copied(), |param| param.wire.clone(), |param| param.rust.clone());
        let place = |param: &Param| match what {
            What::PathParameter => format!("{operation}/{{{}}}", param.wire),
            _ => format!("{operation}?{}", param.wire),
        };
        let path = what == What::PathParameter;
        for param in &pairs.removed {
            // A path keeps its parameters in the path, whose own line says the old one is gone.
            let wire = if path { Breaks } else { Compatible };
            self.push(what, &place(param), How::Removed, self.old.spec_text(&param.ty), Major, wire);
        }
        for param in &pairs.added {
            let required = path || param.required;
            let (rust, wire) = if required { (Major, Breaks) } else { (Minor, Compatible) };
            let detail =
                format!("{}{}", if required && !path { "required " } else { "" }, self.new.spec_text(&param.ty));
            self.push(what, &place(param), How::Added, detail, rust, wire);
        }
        for (old_param, new_param) in &pairs.both {
            let place = place(new_param);
            self.renames(
                what,
                &place,
                [&old_param.wire, &new_param.wire, &old_param.rust, &new_param.rust],
                true,
                Major,
            );
            let (old_type, new_type) = (self.old.spec_text(&old_param.ty), self.new.spec_text(&new_param.ty));
            let rust_changed = self.old.rust_text(&old_param.ty) != self.new.rust_text(&new_param.ty);
            if old_type != new_type || rust_changed {
                let rust = if rust_changed { Major } else { Patch };
                let wire = if widens(&self.old, &old_param.ty, &self.new, &new_param.ty) { Compatible } else { Breaks };
                self.push(what, &place, How::TypeChanged, format!("{old_type} -> {new_type}"), rust, wire);
            }
            if !path {
                match (old_param.required, new_param.required) {
                    (false, true) => self.push(what, &place, How::BecameRequired, String::new(), Major, Breaks),
                    (true, false) => self.push(what, &place, How::BecameOptional, String::new(), Major, Compatible),
                    _ => {}
                }
            }
            if old_param.range != new_param.range {
                self.push(what, &place, How::Changed, "range bound".to_owned(), Patch, Compatible);
            }
            self.documentation(what, &place, &old_param.description, &new_param.description);
        }
    }

    fn body(&mut self, place: &str, old: &Operation, new: &Operation) {
        let (old_spec, new_spec) = (self.old.spec, self.new.spec);
        match (&old.body, &new.body) {
            (None, None) => {}
            (None, Some(body)) => {
                self.push(What::Body, place, How::Added, body.rust.clone(), Major, Breaks);
            }
            (Some(body), None) => {
                self.push(What::Body, place, How::Removed, body.rust.clone(), Major, Compatible);
            }
            (Some(old_body), Some(new_body)) => {
                let (old_model, new_model) = (&old_spec.models[old_body.model.0], &new_spec.models[new_body.model.0]);
                let same_model = self.old.renamed.get(&old_model.name).unwrap_or(&old_model.name) == &new_model.name;
                if !same_model {
                    let detail = format!("{} -> {}", old_model.name, new_model.name);
                    self.push(What::Body, place, How::TypeChanged, detail, Major, Breaks);
                    return;
                }
                if old_body.rust != new_body.rust {
                    let detail = format!("{} -> {}", old_body.rust, new_body.rust);
                    self.push(What::Body, place, How::RenamedInRust, detail, Major, Compatible);
                }
                self.documentation(What::Body, place, &old_body.description, &new_body.description);
                // A shared input's fields are compared once, as the input's.
                if old_body.shared.is_none() && new_body.shared.is_none() {
                    let location = format!("{place}.body");
                    self.body_fields(&location, (old_model, &old_body.fields), (new_model, &new_body.fields));
                }
            }
        }
    }

    fn answer(&mut self, place: &str, old: &Operation, new: &Operation) {
        match (&old.answer, &new.answer) {
            (Answer::Json(old_type), Answer::Json(new_type)) => {
                let (old_text, new_text) = (self.old.spec_text(old_type), self.new.spec_text(new_type));
                let rust_changed = self.old.rust_text(old_type) != self.new.rust_text(new_type);
                if old_text != new_text || rust_changed {
                    let rust = if rust_changed { Major } else { Patch };
                    let wire = if widens(&self.new, new_type, &self.old, old_type) { Compatible } else { Breaks };
                    self.push(What::Answer, place, How::TypeChanged, format!("{old_text} -> {new_text}"), rust, wire);
                }
            }
            (old_answer, new_answer) if old_answer != new_answer => {
                let detail =
                    format!("{} -> {}", self.answer_text(old_answer, true), self.answer_text(new_answer, false));
                // Both envelopes decode the same answer; only the method's return type differs.
                let envelopes = matches!(old_answer, Answer::Action | Answer::NewId)
                    && matches!(new_answer, Answer::Action | Answer::NewId);
                self.push(
                    What::Answer,
                    place,
                    How::TypeChanged,
                    detail,
                    Major,
                    if envelopes { Compatible } else { Breaks },
                );
            }
            _ => {}
        }
    }

    fn answer_text(&self, answer: &Answer, old: bool) -> String {
        match answer {
            Answer::Json(ty) if old => self.old.spec_text(ty),
            Answer::Json(ty) => self.new.spec_text(ty),
            Answer::Action => "action".to_owned(),
            Answer::NewId => "new id".to_owned(),
            Answer::Binary => "binary".to_owned(),
        }
    }
}

/// A field of a body, and whether the body requires it.
type BodyEntry<'a> = (&'a Field, bool);

/// The resources of a spec, in module order.
fn resources(spec: &Spec) -> Vec<&Resource> {
    spec.modules.iter().filter_map(|module| module.resource.as_ref()).collect()
}

/// `GET /api/area/things/{id}`.
fn endpoint(operation: &Operation) -> String {
    format!("{} {}", operation.method.as_str(), operation.path_template)
}

/// Whether a body that carried the field under `old` no longer does under `new`.
fn loses_writes(old: WriteMode, new: WriteMode) -> bool {
    use crate::ir::BodyKind;
    [BodyKind::Create, BodyKind::Update].into_iter().any(|kind| old.in_body(kind) && !new.in_body(kind))
}

fn value_text(value: &EnumValue) -> String {
    match value {
        EnumValue::Integer(number) => number.to_string(),
        EnumValue::String(text) => format!("{text:?}"),
    }
}

fn repr_text(item: &Enum) -> &'static str {
    match item.repr {
        crate::ir::EnumRepr::Integer => "integer values",
        crate::ir::EnumRepr::String => "string values",
    }
}

/// The id of an enum of `spec`, found by identity.
fn old_id(spec: &Spec, item: &Enum) -> Option<EnumId> {
    spec.enums.iter().position(|candidate| std::ptr::eq(candidate, item)).map(EnumId)
}

/// The enums that requests may carry: in fields bodies write, in inputs, in query and path
/// parameters.
fn request_enums(spec: &Spec) -> BTreeSet<EnumId> {
    let mut found = BTreeSet::new();
    let mut visit = |ty: &Type| collect_enums(ty, &mut found, 0);
    for model in &spec.models {
        for field in model.fields.iter().filter(|field| field.write != WriteMode::ReadOnly) {
            visit(&field.ty);
        }
    }
    for operation in
        spec.modules.iter().filter_map(|module| module.resource.as_ref()).flat_map(|resource| &resource.operations)
    {
        let params = operation.path_params.iter().chain(&operation.query_args);
        for param in params.chain(operation.query.iter().flat_map(|query| &query.params)) {
            visit(&param.ty);
        }
    }
    found
}

fn collect_enums(ty: &Type, found: &mut BTreeSet<EnumId>, depth: usize) {
    if depth > 16 {
        return;
    }
    match ty {
        Type::Enum(id) => {
            found.insert(*id);
        }
        Type::List(item) => collect_enums(item, found, depth + 1),
        Type::Model(_, arguments) => {
            for argument in arguments {
                collect_enums(argument, found, depth + 1);
            }
        }
        _ => {}
    }
}
