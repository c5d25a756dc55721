//! Typed async client for the Nexudus admin REST API.
//!
//! The API's resources, records, enums and operations are generated from the YAML description
//! in the repository's `spec/` folder by `cargo xtask gen`; the transport, authentication and
//! error handling they call are hand-written in the `nexudus-core` crate. Each API area is compiled as a crate
//! of its own (`nexudus-crm`, ...) on top of `nexudus-core` (the runtime and the shared types),
//! so that no compiler process holds the whole API and areas build in parallel; this crate
//! re-exports all of them, each area behind the cargo feature of its name. The crate's `README.md` lists every
//! resource and operation, and `openapi.json` describes the same API in OpenAPI 3.1.
//!
//! # Quick start
//!
//! Create one client and share it: clones share one connection pool and, with the password
//! grant, one token. Building it sends nothing.
//!
//! ```
//! use nexudus::{Client, PasswordGrant};
//!
//! let client = Client::builder()
//!     .password_grant(PasswordGrant::new("admin@example.com", "secret"))
//!     .build()?;
//! # Ok::<(), nexudus::Error>(())
//! ```
//!
//! Each resource is a method of the client, with one method per operation:
//!
//! ```no_run
//! # #[cfg(feature = "crm")]
//! use futures_util::StreamExt;
//! # #[cfg(feature = "crm")]
//! use nexudus::{CrmOpportunityCreate, CrmOpportunityListQuery, CrmOpportunityStatus};
//!
//! # #[cfg(feature = "crm")]
//! # async fn quick_start(client: nexudus::Client) -> nexudus::Result<()> {
//! let opportunities = client.crm_opportunities();
//!
//! // One page of a list, filtered and sorted; unset parameters are not sent. Date-time filters
//! // go to the minute, in UTC, and a range is rounded outward so it misses no record.
//! let query = CrmOpportunityListQuery::new().status(CrmOpportunityStatus::InProgress).order_by("CreatedOn").size(50);
//! let page = opportunities.list(&query).await?;
//! for opportunity in &page.records {
//!     println!("{} {:?}", opportunity.id, opportunity.name);
//! }
//!
//! // Every page, as a stream of records.
//! let mut every_one = opportunities.list_all(&CrmOpportunityListQuery::new());
//! while let Some(opportunity) = every_one.next().await {
//!     println!("{}", opportunity?.id);
//! }
//!
//! // One record by id.
//! let opportunity = opportunities.get(42).await?;
//!
//! // A new record: the required fields are the arguments of `new`, optional ones have setters.
//! let request =
//!     CrmOpportunityCreate::new(opportunity.crm_board_column_id, opportunity.coworker_id, 0, CrmOpportunityStatus::InProgress)
//!         .name("Two desks from March");
//! let id = opportunities.create(&request).await?;
//!
//! // A safe update. The API's PUT clears every field it does not receive, so `update_with`
//! // reads the record, lets the closure change it, and sends every writable field back.
//! opportunities.update_with(id, |update| update.notes = Some("Called back".to_owned())).await?;
//! # Ok(())
//! # }
//! ```
//!
//! A write the server refuses fails with [`Error::Validation`], whether the answer was HTTP 400
//! or HTTP 200 with `WasSuccessful` false; [`Error::validation_errors`] lists what it refused. A
//! server error (5xx) is [`Error::Status`] with the server's message, whatever its body (the API
//! sends either `{"Message": ..}` or the envelope with `WasSuccessful` false), and GET, PUT and
//! DELETE are sent again after one:
//!
//! ```no_run
//! # #[cfg(feature = "crm")]
//! # async fn create(client: &nexudus::Client, request: &nexudus::CrmOpportunityCreate) {
//! match client.crm_opportunities().create(request).await {
//!     Ok(id) => println!("created opportunity {id}"),
//!     Err(error @ nexudus::Error::Validation { .. }) => {
//!         for field in error.validation_errors() {
//!             let property = field.property_name.as_deref().unwrap_or("the record");
//!             eprintln!("{property}: {} (sent {})", field.message, field.attempted_value);
//!         }
//!     }
//!     Err(error) if error.is_retryable() => eprintln!("{error}; worth trying again later"),
//!     Err(error) => eprintln!("{error}"),
//! }
//! # }
//! ```
//!
//! # Records read and written back
//!
//! The API's PUT replaces the whole record, clearing what it does not receive, and the spec lags
//! the live API somewhere: so a record read and sent back loses nothing.
//!
//! - Fields the spec does not list are kept in every model's `unknown_fields`
//!   ([`UnknownFields`]), in the order they came and with their JSON text, and written back after
//!   the fields the spec lists. The update body made from a record (`From<&Record>`, which
//!   `update_with` uses) carries them too; read-only fields the spec lists stay out of it.
//! - Every value keeps its text: a [`DateTime`] its fraction digits and zone form (`.1234567`,
//!   `.5Z`, `+00:00`, no zone), a decimal its scale (`100.00`). A value you change is written as
//!   it now is; a [`DateTime`] made in Rust to 100 ns at most, as .NET reads it.
//!
//! Exactness needs the answer's text, which the client decodes; through a `serde_json::Value`,
//! numbers are already floats.
//!
//! # Authentication
//!
//! [`ClientBuilder::bearer_token`] sends a token as it is; [`ClientBuilder::basic_auth`] sends
//! the user's email and password (for users with "API access"); [`ClientBuilder::password_grant`]
//! signs in at the API's token endpoint, renews the token before it expires and once after a 401,
//! and shares one sign-in between concurrent requests: a refused sign-in ([`Error::Auth`])
//! answers every request that was waiting on it, and only calls made after it sign in again. Each operation needs the role its
//! documentation names, unless the user is a full unrestricted administrator.
//!
//! Secrets never show: not in `Debug` output, and not in what errors and logs quote from an
//! answer, where the client's own tokens and passwords (in every form they travel in) are
//! replaced by `<redacted>`. A base URL that carries a user name or password is refused.
//!
//! # Errors, throttling and retries
//!
//! Every [`Error`] names the operation that failed ([`Error::operation`]). Throttled requests
//! (HTTP 409 or 429) are sent again whatever their method, after the wait the server asks for;
//! server errors, broken connections and timeouts only for GET, PUT and DELETE, with backoff.
//! [`ClientBuilder::max_attempts`], [`ClientBuilder::max_retry_wait`],
//! [`ClientBuilder::attempt_timeout`] and [`ClientBuilder::timeout`] bound the effort; what is
//! left when they run out is the last error, such as [`Error::Throttled`].
//! [`ClientBuilder::max_answer_bytes`] bounds memory: an answer's body is read as it streams in
//! and cut at 64 MiB unless set ([`Error::AnswerTooLarge`]).
//!
//! The client follows no redirect: the API does not redirect, and following one would carry the
//! password grant's form or a request's body to wherever the server points. A redirect is
//! [`Error::Redirect`], naming the operation and the target.

#![deny(missing_docs)]

mod client;

#[rustfmt::skip]
mod gen;

// The repository's README opens with a complete application, which is compiled here with the
// crate's doc tests so that it cannot drift from the API.
#[cfg(all(doctest, feature = "crm"))]
#[doc = include_str!("../../README.md")]
struct RepositoryReadme;

pub use client::{Client, ClientBuilder};
pub use gen::*;
// The runtime, the shared types of `spec/api.yaml`, `Decimal` and `Uuid`; the client above
// stands in for the runtime's own.
pub use nexudus_core::*;
