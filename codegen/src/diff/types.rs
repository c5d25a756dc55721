//! Type expressions of two specs side by side: as the spec writes them (spec names, with the
//! renames the comparison found applied to the old side), as Rust spells them, and which changes
//! keep every old value valid.

use std::collections::BTreeMap;

use crate::ir::{EnumRepr, Spec, Type};

/// One side of the comparison: the spec and, for the old side, the new spec names of the models
/// and enums renamed on the way.
pub struct Side<'a> {
    pub spec: &'a Spec,
    pub renamed: BTreeMap<String, String>,
}

impl Side<'_> {
    /// The type as the spec writes it, in the new spec's names.
    pub fn spec_text(&self, ty: &Type) -> String {
        match ty {
            Type::Int32 => "int32".into(),
            Type::Int64 => "int64".into(),
            Type::Decimal => "decimal".into(),
            Type::Bool => "bool".into(),
            Type::String => "string".into(),
            Type::DateTime => "date-time".into(),
            Type::Uuid => "uuid".into(),
            Type::Json => "json".into(),
            Type::Enum(id) => self.name(&self.spec.enums[id.0].name),
            Type::Model(id, arguments) if arguments.is_empty() => self.name(&self.spec.models[id.0].name),
            Type::Model(id, arguments) => {
                let arguments: Vec<String> = arguments.iter().map(|argument| self.spec_text(argument)).collect();
                format!("{}<{}>", self.name(&self.spec.models[id.0].name), arguments.join(", "))
            }
            Type::List(item) => format!("list<{}>", self.spec_text(item)),
            Type::Param(index) => format!("T{index}"),
        }
    }

    /// The type as Rust code names it (the names of generated types, the built-in ones as the
    /// spec writes them, since those map one to one).
    pub fn rust_text(&self, ty: &Type) -> String {
        match ty {
            Type::Enum(id) => self.spec.enums[id.0].rust.clone(),
            Type::Model(id, arguments) if arguments.is_empty() => self.spec.models[id.0].rust.clone(),
            Type::Model(id, arguments) => {
                let arguments: Vec<String> = arguments.iter().map(|argument| self.rust_text(argument)).collect();
                format!("{}<{}>", self.spec.models[id.0].rust, arguments.join(", "))
            }
            Type::List(item) => format!("Vec<{}>", self.rust_text(item)),
            other => self.spec_text(other),
        }
    }

    fn name(&self, name: &str) -> String {
        self.renamed.get(name).cloned().unwrap_or_else(|| name.to_owned())
    }
}

/// Whether every JSON value of `from` (in `from_side`) is also a valid value of `to`: an old
/// reader of `from` decodes what a new writer of `to` sends when `to` widens into `from`.
pub fn widens(from_side: &Side, from: &Type, to_side: &Side, to: &Type) -> bool {
    if from_side.spec_text(from) == to_side.spec_text(to) {
        return true;
    }
    match (from, to) {
        (_, Type::Json) => true,
        (Type::Int32, Type::Int64 | Type::Decimal) | (Type::Int64, Type::Decimal) => true,
        (Type::Uuid | Type::DateTime, Type::String) => true,
        (Type::Enum(id), Type::String) => from_side.spec.enums[id.0].repr == EnumRepr::String,
        (Type::Enum(id), Type::Int64 | Type::Decimal) => from_side.spec.enums[id.0].repr == EnumRepr::Integer,
        (Type::List(from), Type::List(to)) => widens(from_side, from, to_side, to),
        _ => false,
    }
}
