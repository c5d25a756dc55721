//! Hand-written runtime of the client: transport, auth, errors and the wire types that every
//! generated operation shares. Generated code in `crate::gen` calls into this module; nothing
//! here is generated.

mod client;
mod datetime;
mod envelope;
mod error;
mod request;

pub use client::{Client, ClientBuilder};
pub use datetime::DateTime;
pub use envelope::{ActionEnvelope, ActionOutcome, ActionParts, FieldError, PageEnvelope};
pub use error::{Error, Result};
pub use request::{Method, Operation};

pub(crate) use envelope::decode_envelope;
pub(crate) use request::{date_time_filter, PathSegment, QueryValue, Request, UnknownEnumValue};
