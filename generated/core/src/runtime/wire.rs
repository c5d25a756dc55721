//! Serde helpers that generated types name in their attributes.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;

/// A value that a closed enum does not list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEnumValue {
    /// The spec name of the enum.
    pub enum_name: &'static str,
    /// The value received, as text.
    pub value: String,
}

impl UnknownEnumValue {
    /// The error for `value`, which enum `enum_name` does not list.
    pub fn new(enum_name: &'static str, value: String) -> Self {
        UnknownEnumValue { enum_name, value }
    }
}

impl fmt::Display for UnknownEnumValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} has no value {}", self.enum_name, self.value)
    }
}

impl std::error::Error for UnknownEnumValue {}

/// A key of a JSON object, borrowed from the input where it can be. The generated `Deserialize`
/// of a record matches keys as text, which needs far less code than serde's derive (a field enum
/// with its own visitor, a wrapper type per field read with a function).
pub struct FieldName<'de>(Cow<'de, str>);

impl FieldName<'_> {
    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key, owned.
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for FieldName<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl<'de> serde::de::Visitor<'de> for Text {
            type Value = FieldName<'de>;
            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a field name")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, text: &'de str) -> Result<FieldName<'de>, E> {
                Ok(FieldName(Cow::Borrowed(text)))
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<FieldName<'de>, E> {
                Ok(FieldName(Cow::Owned(text.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, text: String) -> Result<FieldName<'de>, E> {
                Ok(FieldName(Cow::Owned(text)))
            }
        }
        deserializer.deserialize_str(Text)
    }
}

/// A field that may be absent or null, both read as `None`.
pub fn none_if_null<T>(slot: Option<Option<T>>) -> Option<T> {
    slot.flatten()
}

/// A JSON field that may be absent, read as null then.
pub fn null_if_absent(slot: Option<serde_json::Value>) -> serde_json::Value {
    slot.unwrap_or_default()
}

/// The value of a field every answer carries, or serde's "missing field" error.
pub fn required<T, E: serde::de::Error>(value: Option<T>, wire_name: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(wire_name))
}
