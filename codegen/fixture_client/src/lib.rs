//! The generator's output for the valid fixture specs in `codegen/tests/fixtures/valid`, built
//! like the `nexudus` crate (a core crate with the real runtime, one crate per area, and this
//! crate over them, with the real client), so that every spec feature the fixtures exercise is
//! proven to compile without warnings, and with documentation on every public item.

#![deny(missing_docs)]

#[path = "../../../generated/src/client.rs"]
mod client;

#[rustfmt::skip]
mod gen;

pub use client::{Client, ClientBuilder};
pub use fixture_client_core::*;
pub use gen::*;
