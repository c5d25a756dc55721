//! Money on the wire. The API (.NET) writes decimals as JSON numbers that keep their scale:
//! `1250.50`, `100.00`, `4800`. `rust_decimal::Decimal` holds the same 96-bit integer and scale
//! as .NET's `decimal`, so a value read from the number's own digits (never through a float) and
//! written with its `Display` goes back digit for digit, and a value the caller changed is
//! written as it now is. Generated types name [`serialize`] and [`Read`] for every field that
//! holds decimals (a decimal, an optional one, a list of them).
//!
//! A number in exponent form (`1.5e2`, which .NET never writes for a decimal) is read and written
//! back in plain form (`150`); one with more digits than a decimal holds is rounded to 28 decimal
//! places. Exactness needs the JSON text: through a `serde_json::Value`, numbers have already
//! become floats.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::Error as _;
use serde::ser::{Error as _, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// Writes a field that holds decimals, each as a JSON number with its own digits.
pub fn serialize<T: Decimals, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    value.serialize_exact(serializer)
}

/// Reads a field that holds decimals, each from its JSON number's own digits.
pub fn deserialize<'de, T: Decimals, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    T::deserialize_exact(deserializer)
}

/// A value that holds decimals, read with [`deserialize`]: what generated `Deserialize` impls
/// ask the JSON for.
pub struct Read<T>(pub T);

impl<'de, T: Decimals> Deserialize<'de> for Read<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_exact(deserializer).map(Read)
    }
}

/// The shapes a field holding decimals takes: a decimal, an option or a list of such.
pub trait Decimals: Sized {
    /// Writes the value, every decimal as a JSON number with its own digits.
    fn serialize_exact<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    /// Reads the value, every decimal from its JSON number's own digits.
    fn deserialize_exact<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

impl Decimals for Decimal {
    fn serialize_exact<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let number = RawValue::from_string(self.to_string()).map_err(S::Error::custom)?;
        number.serialize(serializer)
    }

    fn deserialize_exact<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Box::<RawValue>::deserialize(deserializer)?;
        parse(text.get()).ok_or_else(|| D::Error::custom(format!("not a decimal number: {}", text.get())))
    }
}

/// `None` is null.
impl<T: Decimals> Decimals for Option<T> {
    fn serialize_exact<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => serializer.serialize_some(&Write(value)),
            None => serializer.serialize_none(),
        }
    }

    fn deserialize_exact<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<Read<T>>::deserialize(deserializer)?.map(|read| read.0))
    }
}

impl<T: Decimals> Decimals for Vec<T> {
    fn serialize_exact<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut items = serializer.serialize_seq(Some(self.len()))?;
        for item in self {
            items.serialize_element(&Write(item))?;
        }
        items.end()
    }

    fn deserialize_exact<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<Read<T>>::deserialize(deserializer)?.into_iter().map(|read| read.0).collect())
    }
}

/// A value that holds decimals, written with [`serialize`].
struct Write<'a, T>(&'a T);

impl<T: Decimals> Serialize for Write<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_exact(serializer)
    }
}

/// The decimal a JSON number or string stands for, keeping the scale it is written with.
fn parse(json: &str) -> Option<Decimal> {
    let json = json.trim();
    if json.starts_with('"') {
        let text: String = serde_json::from_str(json).ok()?;
        return Decimal::from_str(text.trim()).ok();
    }
    if !json.starts_with(|first: char| first == '-' || first.is_ascii_digit()) {
        return None;
    }
    if json.contains(['e', 'E']) {
        return Decimal::from_scientific(json).ok();
    }
    Decimal::from_str_exact(json).or_else(|_| Decimal::from_str(json)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize, serde::Deserialize)]
    struct Money {
        #[serde(serialize_with = "serialize", deserialize_with = "deserialize")]
        value: Decimal,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            serialize_with = "serialize",
            deserialize_with = "deserialize"
        )]
        maybe: Option<Decimal>,
        #[serde(
            default,
            skip_serializing_if = "Vec::is_empty",
            serialize_with = "serialize",
            deserialize_with = "deserialize"
        )]
        many: Vec<Decimal>,
    }

    fn check(input: &str, expected: &str) {
        let money: Money = serde_json::from_str(input).unwrap_or_else(|error| panic!("{input}: {error}"));
        assert_eq!(serde_json::to_string(&money).unwrap(), expected);
    }

    #[test]
    fn numbers_go_back_with_their_digits_and_scale() {
        check(r#"{"value":4800}"#, r#"{"value":4800}"#);
        check(r#"{"value":4800.0}"#, r#"{"value":4800.0}"#);
        check(r#"{"value":100.00}"#, r#"{"value":100.00}"#);
        check(r#"{"value":1250.50}"#, r#"{"value":1250.50}"#);
        check(r#"{"value":0.1}"#, r#"{"value":0.1}"#);
        check(r#"{"value":-3}"#, r#"{"value":-3}"#);
        check(r#"{"value":-0.50}"#, r#"{"value":-0.50}"#);
        check(r#"{"value":79228162514264337593543950335}"#, r#"{"value":79228162514264337593543950335}"#);
        check(r#"{"value":0.0000000000000000000000000001}"#, r#"{"value":0.0000000000000000000000000001}"#);
        check(r#"{"value":12.3456789012345678}"#, r#"{"value":12.3456789012345678}"#);
        check(r#"{"value":1,"maybe":null,"many":[1.10,2.000]}"#, r#"{"value":1,"many":[1.10,2.000]}"#);
        check(r#"{"value":1,"maybe":7.70}"#, r#"{"value":1,"maybe":7.70}"#);
    }

    #[test]
    fn other_forms_are_read_and_written_as_plain_numbers() {
        check(r#"{"value":"12.25"}"#, r#"{"value":12.25}"#);
        check(r#"{"value":1.5e2}"#, r#"{"value":150}"#);
        check(r#"{"value":15E-1}"#, r#"{"value":1.5}"#);
    }

    #[test]
    fn what_is_no_decimal_is_refused() {
        for input in [r#"{"value":true}"#, r#"{"value":"ten"}"#, r#"{"value":1e400}"#, r#"{"value":[1]}"#] {
            assert!(serde_json::from_str::<Money>(input).is_err(), "{input}");
        }
    }

    #[test]
    fn a_changed_value_is_written_as_it_now_is() {
        let mut money: Money = serde_json::from_str(r#"{"value":100.00}"#).unwrap();
        money.value += Decimal::new(5, 1);
        assert_eq!(serde_json::to_string(&money).unwrap(), r#"{"value":100.50}"#);
        money.value = Decimal::from(7);
        assert_eq!(serde_json::to_string(&money).unwrap(), r#"{"value":7}"#);
    }
}
