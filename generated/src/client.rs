//! The client applications hold: the runtime's client, to which the generated code (`src/gen`)
//! adds one method per API resource, each behind the feature of its area. The generated
//! resource types live in crates of their own, which cannot add methods to a type of another
//! crate; this crate can, to its own `Client`.

use crate::runtime;

/// A client of the Nexudus API. Cheap to clone: clones share one connection pool and, with the
/// password grant, one token. Each resource is a method, such as `client.crm_opportunities()`.
#[derive(Clone, Debug)]
pub struct Client {
    runtime: runtime::Client,
}

/// Sets up a [`Client`]: the base URL, the credentials, retries and limits, as the methods below
/// describe.
pub type ClientBuilder = runtime::ClientBuilder<Client>;

impl Client {
    /// Starts setting up a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.runtime.base_url()
    }

    /// Signs in now with the password grant, so bad credentials show at start-up rather than at
    /// the first call. Does nothing with other credentials, and nothing while the token is fresh.
    pub async fn authenticate(&self) -> crate::Result<()> {
        self.runtime.authenticate().await
    }

    /// The runtime's client, which the generated resource types are built on.
    pub fn runtime(&self) -> &runtime::Client {
        &self.runtime
    }
}

/// Resource types can be made from this client directly: `CrmOpportunities::new(&client)`.
impl AsRef<runtime::Client> for Client {
    fn as_ref(&self) -> &runtime::Client {
        &self.runtime
    }
}

impl From<runtime::Client> for Client {
    fn from(runtime: runtime::Client) -> Self {
        Client { runtime }
    }
}
