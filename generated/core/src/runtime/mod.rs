//! Hand-written runtime of the client: transport, auth, errors and the wire types that every
//! generated operation shares. The generated code of every API area calls into this module;
//! nothing here is generated.

mod auth;
mod client;
mod datetime;
#[doc(hidden)]
pub mod decimal;
mod envelope;
mod error;
mod paging;
mod redact;
mod request;
mod retry;
// The check the generated round-trip tests of every area crate call.
#[doc(hidden)]
pub mod round_trip;
mod transport;
mod unknown_fields;
mod wire;

#[cfg(test)]
mod tests;

pub use auth::PasswordGrant;
pub use client::{Binary, Client, ClientBuilder};
// What the generated code gives the client: the API's base URL and token path.
#[doc(hidden)]
pub use client::ApiDefaults;
pub use datetime::DateTime;
pub use envelope::{ActionEnvelope, ActionOutcome, ActionParts, FieldError, PageEnvelope};
pub use error::{Error, Result};
pub use paging::RecordStream;
pub use request::{Method, Operation};
pub use unknown_fields::UnknownFields;

// What generated code calls, public because the generated area crates are crates of their own;
// hidden from the documentation, since applications have no use for them.
#[doc(hidden)]
pub use client::Decoded;
#[doc(hidden)]
pub use envelope::decode_envelope;
#[doc(hidden)]
pub use paging::Paging;
#[doc(hidden)]
pub use request::{PathSegment, QueryParams, QueryValue, Request};
pub use wire::UnknownEnumValue;
// The types of other crates that generated fields hold, named through this module so that an
// area crate depends on this crate and serde alone. Applications find the first two at the crate
// root.
#[doc(hidden)]
pub use rust_decimal::Decimal;
#[doc(hidden)]
pub use serde_json::Value as JsonValue;
#[doc(hidden)]
pub use uuid::Uuid;
#[doc(hidden)]
pub use wire::{none_if_null, null_if_absent, required, FieldName};
