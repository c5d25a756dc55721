//! Walking a paged list: asks for page 1, 2, 3... and yields every record once, in order, as a
//! stream that ends after the last page or after the first error.

use std::collections::VecDeque;
use std::pin::Pin;

use super::envelope::PageEnvelope;
use super::request::{Operation, Request};
use super::{Client, Result};

/// The largest page the API serves.
pub const MAX_PAGE_SIZE: i32 = 1000;

/// A stream of records, one list operation's pages after another. Ends after the first error.
pub type RecordStream<T> = Pin<Box<dyn futures_core::Stream<Item = Result<T>> + Send>>;

/// The query of a list operation, whose page and page size the walk sets.
pub trait PagedQuery: serde::Serialize + Clone + Send + Sync + 'static {
    /// Sets `page`, 1-based.
    fn set_page(&mut self, page: i32);
    /// Sets `size`, the number of records per page.
    fn set_size(&mut self, size: i32);
    /// The page size asked for, if any.
    fn size(&self) -> Option<i32>;
}

/// Where a walk stands between two records.
struct PageWalk<Q, R> {
    client: Client,
    operation: &'static Operation,
    request: Request,
    query: Q,
    /// Records fetched and not yet yielded.
    buffered: VecDeque<R>,
    /// The page to ask for once the buffer is empty; `None` once the walk is over.
    next_page: Option<i32>,
}

impl Client {
    /// Streams every record of a list operation, asking for pages 1, 2, 3... of `query` added to
    /// the path-only `request`. The page size stays as the caller set it (1000, the most the API
    /// serves, when unset) and is kept within 1 to 1000. The walk stops after the page where
    /// `CurrentPage >= TotalPages`, where `HasNextPage` is false, or that is empty.
    pub(crate) fn paginate<Q: PagedQuery, P: PageEnvelope + Send + 'static>(
        &self,
        operation: &'static Operation,
        request: Request,
        mut query: Q,
    ) -> RecordStream<P::Record>
    where
        P::Record: Send + 'static,
    {
        query.set_size(query.size().unwrap_or(MAX_PAGE_SIZE).clamp(1, MAX_PAGE_SIZE));
        let walk =
            PageWalk { client: self.clone(), operation, request, query, buffered: VecDeque::new(), next_page: Some(1) };
        Box::pin(futures_util::stream::unfold(walk, next_record::<Q, P>))
    }
}

/// The next item of a walk, fetching the next page when the buffer is empty.
async fn next_record<Q: PagedQuery, P: PageEnvelope>(
    mut walk: PageWalk<Q, P::Record>,
) -> Option<(Result<P::Record>, PageWalk<Q, P::Record>)> {
    loop {
        if let Some(record) = walk.buffered.pop_front() {
            return Some((Ok(record), walk));
        }
        let page = walk.next_page?;
        match fetch_page::<Q, P>(&mut walk, page).await {
            Ok(envelope) => {
                walk.next_page = following_page(page, &envelope);
                walk.buffered = envelope.into_records().into();
                if walk.buffered.is_empty() {
                    walk.next_page = None;
                }
            }
            Err(error) => {
                walk.next_page = None;
                return Some((Err(error), walk));
            }
        }
    }
}

async fn fetch_page<Q: PagedQuery, P: PageEnvelope>(walk: &mut PageWalk<Q, P::Record>, page: i32) -> Result<P> {
    walk.query.set_page(page);
    let request = walk.request.clone().query(walk.operation, &walk.query)?;
    walk.client.execute::<P>(walk.operation, request).await
}

/// The page after `page`, or `None` when the envelope says it was the last one.
fn following_page<P: PageEnvelope>(page: i32, envelope: &P) -> Option<i32> {
    let current_page = envelope.current_page().unwrap_or(page);
    let past_the_last = envelope.total_pages().is_some_and(|total_pages| current_page >= total_pages);
    if past_the_last || envelope.has_next_page() == Some(false) {
        return None;
    }
    page.checked_add(1)
}
