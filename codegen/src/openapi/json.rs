//! A JSON value whose objects keep the order their keys were added in, so that the OpenAPI
//! document reads in the order a person expects (`openapi`, `info`, `paths`, ...) and fields in
//! the spec's order, whatever features other crates turn on in `serde_json`.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// A JSON value built by the OpenAPI emitter.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Integer(i64),
    String(String),
    Array(Vec<Json>),
    /// Keys in insertion order; [`Json::insert`] keeps them unique.
    Object(Vec<(String, Json)>),
}

/// An object from key and value pairs, in the order given.
pub fn object<K: Into<String>>(entries: impl IntoIterator<Item = (K, Json)>) -> Json {
    let mut object = Json::Object(Vec::new());
    for (key, value) in entries {
        object.insert(key, value);
    }
    object
}

/// An array of the given values.
pub fn array(items: impl IntoIterator<Item = Json>) -> Json {
    Json::Array(items.into_iter().collect())
}

impl Json {
    /// Sets `key` in an object, replacing its value in place when it is already there. Does
    /// nothing to a value that is not an object.
    pub fn insert(&mut self, key: impl Into<String>, value: Json) {
        let Json::Object(entries) = self else { return };
        let key = key.into();
        match entries.iter_mut().find(|(existing, _)| *existing == key) {
            Some(entry) => entry.1 = value,
            None => entries.push((key, value)),
        }
    }

    /// Sets `key` when `value` is `Some`.
    pub fn insert_some(&mut self, key: impl Into<String>, value: Option<Json>) {
        if let Some(value) = value {
            self.insert(key, value);
        }
    }

    /// The value of `key` in an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(entries) => entries.iter().find(|(existing, _)| existing == key).map(|(_, value)| value),
            _ => None,
        }
    }

    /// The value of `key` in an object, for changing it.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Json> {
        match self {
            Json::Object(entries) => entries.iter_mut().find(|(existing, _)| existing == key).map(|(_, value)| value),
            _ => None,
        }
    }

    /// The document as indented JSON text, ending with a newline.
    pub fn to_pretty_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

impl From<&str> for Json {
    fn from(value: &str) -> Self {
        Json::String(value.to_owned())
    }
}

impl From<String> for Json {
    fn from(value: String) -> Self {
        Json::String(value)
    }
}

impl From<&String> for Json {
    fn from(value: &String) -> Self {
        Json::String(value.clone())
    }
}

impl From<bool> for Json {
    fn from(value: bool) -> Self {
        Json::Bool(value)
    }
}

impl From<i64> for Json {
    fn from(value: i64) -> Self {
        Json::Integer(value)
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(value) => serializer.serialize_bool(*value),
            Json::Integer(value) => serializer.serialize_i64(*value),
            Json::String(value) => serializer.serialize_str(value),
            Json::Array(items) => {
                let mut sequence = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    sequence.serialize_element(item)?;
                }
                sequence.end()
            }
            Json::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(value: Json, expected: &str) {
        assert_eq!(serde_json::to_string(&value).unwrap(), expected);
    }

    #[test]
    fn objects_keep_insertion_order_and_unique_keys() {
        check(object([("b", Json::from(1)), ("a", Json::from("x")), ("b", Json::from(2))]), r#"{"b":2,"a":"x"}"#);
        check(array([Json::Null, Json::from(true), object::<&str>([])]), "[null,true,{}]");
    }
}
