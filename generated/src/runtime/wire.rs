//! Serde helpers that generated types name in their attributes.

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

/// Reads a JSON field that is present (null included) as `Some`, so that an explicit null is
/// told apart from an absent field and written back as it came.
pub(crate) fn present_json<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<serde_json::Value>, D::Error> {
    serde_json::Value::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, serde::Serialize, PartialEq, Debug)]
    struct Holder {
        #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present_json")]
        value: Option<serde_json::Value>,
    }

    fn check(input: &str) {
        let holder: Holder = serde_json::from_str(input).unwrap();
        assert_eq!(serde_json::to_string(&holder).unwrap(), input);
    }

    #[test]
    fn null_and_absent_stay_apart() {
        check(r#"{"value":null}"#);
        check("{}");
        check(r#"{"value":{"Id":1}}"#);
    }
}
