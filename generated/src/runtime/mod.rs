//! Hand-written runtime of the client: transport, auth, errors and the wire types that every
//! generated operation shares. Generated code in `crate::gen` calls into this module; nothing
//! here is generated.

mod auth;
mod client;
mod datetime;
#[doc(hidden)]
pub mod decimal;
mod envelope;
mod error;
mod paging;
mod request;
mod retry;
mod transport;
mod wire;

#[cfg(test)]
mod tests;

pub use auth::PasswordGrant;
pub use client::{Client, ClientBuilder};
pub use datetime::DateTime;
pub use envelope::{ActionEnvelope, ActionOutcome, ActionParts, FieldError, PageEnvelope};
pub use error::{Error, Result};
pub use paging::RecordStream;
pub use request::{Method, Operation};

pub(crate) use envelope::decode_envelope;
pub(crate) use paging::Paging;
pub(crate) use request::{PathSegment, QueryParams, Request};
pub(crate) use wire::{none_if_null, null_if_absent, required, FieldName};
// Named by generic models' attributes; whether a spec has one depends on the spec.
#[doc(hidden)]
pub use wire::present_json;
pub use wire::UnknownEnumValue;
