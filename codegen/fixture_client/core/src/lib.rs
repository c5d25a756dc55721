//! The core crate of `fixture-client`: the `nexudus` crate's hand-written runtime, with the
//! shared types of the fixture specs generated into `src/gen`.

#![deny(missing_docs)]

#[path = "../../../../generated/core/src/runtime/mod.rs"]
pub mod runtime;

#[rustfmt::skip]
mod gen;

pub use gen::*;
pub use runtime::{
    ActionOutcome, Client, ClientBuilder, DateTime, Error, FieldError, PasswordGrant, Result, UnknownFields,
};

/// Decimal numbers, used for money.
pub use rust_decimal::Decimal;
/// Globally unique ids.
pub use uuid::Uuid;
