//! The API's shared answer shapes as the runtime sees them: the action envelope of writes and
//! the paged list. The generated types implement these traits, naming their own fields.

use serde::de::DeserializeOwned;

use super::DateTime;

/// One field the server refused, from the `Errors` list of an action answer.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    /// The property's wire name, such as `CoworkerId` (`PropertyName`, as the generated
    /// envelope's validation error names it too).
    pub property_name: Option<String>,
    /// What is wrong with it.
    pub message: String,
    /// The value that was sent.
    pub attempted_value: serde_json::Value,
}

/// What the runtime reads from an action answer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActionParts {
    /// `WasSuccessful`: the real outcome.
    pub success: bool,
    /// The human-readable message.
    pub message: Option<String>,
    /// `Value`, usually `{"Id": ..}`.
    pub value: Option<serde_json::Value>,
    /// Validation errors.
    pub errors: Vec<FieldError>,
    /// When the record was changed.
    pub updated_on: Option<DateTime>,
    /// Who changed it.
    pub updated_by: Option<String>,
}

/// The successful answer of an update, delete or command.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionOutcome {
    /// Id of the record acted on (`Value.Id`), when the server sent it.
    pub id: Option<i64>,
    /// The server's message.
    pub message: Option<String>,
    /// When the record was changed.
    pub updated_on: Option<DateTime>,
    /// Email of the user who changed it.
    pub updated_by: Option<String>,
}

impl From<ActionParts> for ActionOutcome {
    fn from(parts: ActionParts) -> Self {
        let id = parts.value.as_ref().and_then(|value| value.get("Id")).and_then(serde_json::Value::as_i64);
        ActionOutcome { id, message: parts.message, updated_on: parts.updated_on, updated_by: parts.updated_by }
    }
}

/// A type that is the API's action envelope.
pub trait ActionEnvelope: DeserializeOwned {
    /// Takes the parts the runtime needs.
    fn into_parts(self) -> ActionParts;
}

/// A type that is one page of a list answer.
pub trait PageEnvelope: DeserializeOwned {
    /// The record type.
    type Record;
    /// Takes the records out.
    fn into_records(self) -> Vec<Self::Record>;
    /// 1-based number of this page, when the server said.
    fn current_page(&self) -> Option<i32>;
    /// Number of pages, when the server said.
    fn total_pages(&self) -> Option<i32>;
    /// Whether another page follows, when the server said.
    fn has_next_page(&self) -> Option<bool>;
}

/// Decodes an action envelope from a body, or `None` when the body is not one.
pub fn decode_envelope<E: ActionEnvelope>(body: &[u8]) -> Option<ActionParts> {
    serde_json::from_slice::<E>(body).ok().map(E::into_parts)
}
