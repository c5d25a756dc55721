//! Typed async client for the Nexudus admin REST API.
//!
//! The API's resources, records, enums and operations are generated from the YAML description
//! in the repository's `spec/` folder by `cargo xtask gen`; the transport, authentication and
//! error handling they call are hand-written in [`runtime`].

pub mod runtime;

#[rustfmt::skip]
mod gen;

pub use gen::*;
pub use runtime::{ActionOutcome, Client, ClientBuilder, DateTime, Error, FieldError, PasswordGrant, Result};

/// Decimal numbers, used for money.
pub use rust_decimal::Decimal;
/// Globally unique ids.
pub use uuid::Uuid;
