//! The members of a JSON object that the spec does not describe. The spec always lags the live
//! API somewhere, and its PUT replaces the whole record, clearing what it does not receive: so a
//! record keeps what it does not know, in order and as text, and sends it back unchanged.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::ser::SerializeMap;
use serde::Serialize;
use serde_json::value::RawValue;

/// Fields of a JSON object that this version of the spec does not list, in the order they came,
/// each with its exact JSON text.
///
/// Every generated model keeps the fields of an answer it does not know here, and writes them back
/// after the fields it knows; `From<&Record>` for an update body copies them, so `update_with`
/// sends them back unchanged. A body made with `new` starts with none: [`UnknownFields::insert`]
/// adds a field the API takes that the spec does not list yet.
///
/// ```
/// # use nexudus_core as nexudus; // The example as applications, which use `nexudus`, write it.
/// let mut fields = nexudus::UnknownFields::new();
/// fields.insert("NewWritableSetting", &"keep me").unwrap();
/// assert_eq!(fields.get("NewWritableSetting").map(|value| value.get()), Some(r#""keep me""#));
/// assert_eq!(fields.value::<String>("NewWritableSetting").unwrap().unwrap(), "keep me");
/// ```
#[derive(Clone, Default)]
pub struct UnknownFields {
    members: Vec<(String, Box<RawValue>)>,
}

impl UnknownFields {
    /// No field.
    pub fn new() -> Self {
        UnknownFields::default()
    }

    /// How many fields there are.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether there is no field.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The fields, in order, each with its JSON text.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &RawValue)> {
        self.members.iter().map(|(name, value)| (name.as_str(), &**value))
    }

    /// The JSON text of the field `name`.
    pub fn get(&self, name: &str) -> Option<&RawValue> {
        self.members.iter().find(|(existing, _)| existing == name).map(|(_, value)| &**value)
    }

    /// The field `name` decoded as `T` (a `serde_json::Value`, a `String`, ...).
    pub fn value<T: DeserializeOwned>(&self, name: &str) -> Option<serde_json::Result<T>> {
        self.get(name).map(|value| serde_json::from_str(value.get()))
    }

    /// Sets the field `name` to `value` encoded as JSON: in its place when it is there, last
    /// otherwise. A name the type has a field of its own for would be sent twice: set that field
    /// instead.
    pub fn insert(&mut self, name: impl Into<String>, value: &impl Serialize) -> serde_json::Result<()> {
        let value = serde_json::value::to_raw_value(value)?;
        self.push_or_replace(name.into(), value);
        Ok(())
    }

    /// Takes the field `name` out, returning its JSON text.
    pub fn remove(&mut self, name: &str) -> Option<Box<RawValue>> {
        let index = self.members.iter().position(|(existing, _)| existing == name)?;
        Some(self.members.remove(index).1)
    }

    /// Keeps one field of an answer, as generated `Deserialize` impls read them; a name that
    /// comes twice keeps its last value, as for the fields a type knows.
    #[doc(hidden)]
    pub fn keep(&mut self, name: super::FieldName<'_>, value: Box<RawValue>) {
        self.push_or_replace(name.into_string(), value);
    }

    fn push_or_replace(&mut self, name: String, value: Box<RawValue>) {
        match self.members.iter_mut().find(|(existing, _)| *existing == name) {
            Some(member) => member.1 = value,
            None => self.members.push((name, value)),
        }
    }
}

/// Equal when they hold the same names with the same JSON text, in the same order.
impl PartialEq for UnknownFields {
    fn eq(&self, other: &Self) -> bool {
        self.members.len() == other.members.len()
            && self.iter().zip(other.iter()).all(|((name, value), (other_name, other_value))| {
                name == other_name && value.get() == other_value.get()
            })
    }
}

impl fmt::Debug for UnknownFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter().map(|(name, value)| (name, value.get()))).finish()
    }
}

/// A JSON object of the fields, as generated types write them after their own
/// (`#[serde(flatten)]`).
impl Serialize for UnknownFields {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.members.len()))?;
        for (name, value) in &self.members {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Holder {
        #[serde(rename = "Id")]
        id: i64,
        #[serde(flatten)]
        unknown_fields: UnknownFields,
    }

    fn kept(pairs: &[(&str, &str)]) -> UnknownFields {
        let mut fields = UnknownFields::new();
        for (name, json) in pairs {
            fields.members.push(((*name).to_owned(), RawValue::from_string((*json).to_owned()).unwrap()));
        }
        fields
    }

    #[test]
    fn written_after_the_known_fields_as_their_text_in_order() {
        let holder = Holder { id: 7, unknown_fields: kept(&[("Z", "100.00"), ("A", r#"{"B": [1e3, null]}"#)]) };
        assert_eq!(serde_json::to_string(&holder).unwrap(), r#"{"Id":7,"Z":100.00,"A":{"B": [1e3, null]}}"#);
    }

    #[test]
    fn insert_replaces_in_place_and_appends_new_names() {
        let mut fields = kept(&[("First", "1"), ("Second", "2")]);
        fields.insert("First", &"one").unwrap();
        fields.insert("Third", &serde_json::json!({"x": true})).unwrap();
        assert_eq!(format!("{fields:?}"), r#"{"First": "\"one\"", "Second": "2", "Third": "{\"x\":true}"}"#);
        assert_eq!(fields.remove("Second").map(|value| value.get().to_owned()), Some("2".to_owned()));
        assert_eq!(fields.value::<serde_json::Value>("Third").unwrap().unwrap(), serde_json::json!({"x": true}));
        assert_eq!(fields.len(), 2);
        assert!(fields.get("Second").is_none());
    }

    #[test]
    fn equality_is_by_name_text_and_order() {
        assert_eq!(kept(&[("A", "1"), ("B", "2")]), kept(&[("A", "1"), ("B", "2")]));
        assert_ne!(kept(&[("A", "1"), ("B", "2")]), kept(&[("B", "2"), ("A", "1")]));
        assert_ne!(kept(&[("A", "1.0")]), kept(&[("A", "1")]));
    }
}
