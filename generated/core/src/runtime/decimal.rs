//! Money on the wire: the API writes decimals as JSON numbers (`1250.5`, `4800`). rust_decimal
//! reads numbers and strings alike; these serializers write a number back, an integer when the
//! value has no fraction, so that a record read and sent back keeps its exact JSON. Generated
//! types name these functions in their serde attributes.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serializer;

/// Writes a decimal as a JSON number.
pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    if value.fract().is_zero() {
        if let Some(integer) = value.to_i64() {
            return serializer.serialize_i64(integer);
        }
    }
    match value.to_f64() {
        Some(float) => serializer.serialize_f64(float),
        None => serializer.collect_str(value),
    }
}

/// [`serialize`] for an optional decimal; `None` is null.
pub fn option<S: Serializer>(value: &Option<Decimal>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => serialize(value, serializer),
        None => serializer.serialize_none(),
    }
}

/// [`serialize`] for a field that may be absent (outer `None`, skipped) or null (inner `None`).
pub fn double_option<S: Serializer>(value: &Option<Option<Decimal>>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => option(value, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize, serde::Deserialize)]
    struct Money {
        #[serde(serialize_with = "serialize")]
        value: Decimal,
    }

    fn check(input: &str, expected: &str) {
        let money: Money = serde_json::from_str(input).unwrap();
        assert_eq!(serde_json::to_string(&money).unwrap(), expected);
    }

    #[test]
    fn numbers_stay_numbers() {
        check(r#"{"value":4800}"#, r#"{"value":4800}"#);
        check(r#"{"value":1250.50}"#, r#"{"value":1250.5}"#);
        check(r#"{"value":0.1}"#, r#"{"value":0.1}"#);
        check(r#"{"value":-3}"#, r#"{"value":-3}"#);
        check(r#"{"value":"12.25"}"#, r#"{"value":12.25}"#);
    }
}
