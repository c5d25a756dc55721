//! The generator's output for the valid fixture specs in `codegen/tests/fixtures/valid`, built
//! against the `nexudus` crate's hand-written runtime, so that every spec feature the fixtures
//! exercise is proven to compile without warnings, and with documentation on every public item.

#![deny(missing_docs)]

#[path = "../../../generated/src/runtime/mod.rs"]
pub mod runtime;

#[rustfmt::skip]
mod gen;

pub use gen::*;
pub use runtime::{ActionOutcome, Client, ClientBuilder, DateTime, Error, FieldError, PasswordGrant, Result};
