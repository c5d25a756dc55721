//! Walking a paged list: asks for page 1, 2, 3... and yields every record once, in order, as a
//! stream that ends after the last page or after the first error.
//!
//! Every list operation has its own record type, so the walk is split for compile time: asking
//! for pages and deciding where to stop ([`PageWalk`]) is compiled once for the whole API, and
//! only a small stream over each record type ([`PageStream`]) and the decoding of its page are
//! compiled per list.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::envelope::PageEnvelope;
use super::request::{Operation, QueryParams, Request};
use super::transport::{decode, Answer};
use super::{Client, Result};

/// A stream of records, one list operation's pages after another. Ends after the first error.
pub type RecordStream<T> = Pin<Box<dyn futures_core::Stream<Item = Result<T>> + Send>>;

/// The query parameters that choose a page, as the spec's `api.paging` names them.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    /// Wire name of the 1-based page number.
    pub page: &'static str,
    /// Wire name of the page size.
    pub size: &'static str,
    /// The largest page the API serves, and the size asked for unless the query sets one.
    pub max_size: i32,
}

/// What a page says about the pages after it.
#[derive(Debug, Clone, Copy, Default)]
struct PageInfo {
    current_page: Option<i32>,
    total_pages: Option<i32>,
    has_next_page: Option<bool>,
    empty: bool,
}

impl Client {
    /// Streams every record of a list operation, asking for pages 1, 2, 3... of `query` added to
    /// the path-only `request`. The page size stays as the caller set it (`paging.max_size`, the
    /// most the API serves, when unset) and is kept within 1 and that maximum. The walk stops
    /// after the page where `CurrentPage >= TotalPages`, where `HasNextPage` is false, or that is
    /// empty.
    #[doc(hidden)]
    pub fn paginate<P: PageEnvelope + 'static>(
        &self,
        operation: &'static Operation,
        request: Request,
        query: QueryParams,
        paging: Paging,
    ) -> RecordStream<P::Record>
    where
        P::Record: Send + 'static,
    {
        let walk = PageWalk::new(self.clone(), operation, request, query, paging);
        Box::pin(PageStream { walk, buffered: VecDeque::new(), fetching: None, decode_page: decode_page::<P> })
    }
}

/// Where a walk stands, whatever the record type.
struct PageWalk {
    client: Client,
    operation: &'static Operation,
    request: Request,
    /// The caller's parameters, without page and size.
    query: QueryParams,
    paging: Paging,
    size: i32,
    /// The page to ask for next; `None` once the walk is over.
    next_page: Option<i32>,
}

/// The answer to one page request, boxed so that the request code is the same for every list.
type PageAnswer = Pin<Box<dyn Future<Output = Result<Answer>> + Send>>;

impl PageWalk {
    fn new(
        client: Client,
        operation: &'static Operation,
        request: Request,
        mut query: QueryParams,
        paging: Paging,
    ) -> Self {
        let asked = query.get(paging.size).and_then(|size| size.parse::<i32>().ok());
        let size = asked.unwrap_or(paging.max_size).clamp(1, paging.max_size.max(1));
        query.remove(paging.page);
        query.remove(paging.size);
        PageWalk { client, operation, request, query, paging, size, next_page: Some(1) }
    }

    /// Sends the request for `page`: page and size first, then the caller's parameters.
    fn fetch(&self, page: i32) -> PageAnswer {
        let mut params = QueryParams::default();
        params.set(self.paging.page, &page);
        params.set(self.paging.size, &self.size);
        let request = self.request.clone().query_params(&params).query_params(&self.query);
        let (client, operation) = (self.client.clone(), self.operation);
        Box::pin(async move { client.send(operation, request).await })
    }

    /// Decides the page after `page` from what `page` said.
    fn advance(&mut self, page: i32, info: PageInfo) {
        let current_page = info.current_page.unwrap_or(page);
        let past_the_last = info.total_pages.is_some_and(|total_pages| current_page >= total_pages);
        self.next_page =
            if past_the_last || info.has_next_page == Some(false) || info.empty { None } else { page.checked_add(1) };
    }
}

/// Decodes one page's answer into its records and what it says about the next pages.
type PageDecoder<R> = fn(&'static str, &Answer) -> Result<(Vec<R>, PageInfo)>;

/// The records of a walk, fetched a page at a time.
struct PageStream<R> {
    walk: PageWalk,
    /// Records fetched and not yet yielded.
    buffered: VecDeque<R>,
    /// The page being fetched, with its number.
    fetching: Option<(i32, PageAnswer)>,
    decode_page: PageDecoder<R>,
}

// The stream never pins its records: they are moved out of the buffer whole.
impl<R> Unpin for PageStream<R> {}

impl<R> futures_core::Stream for PageStream<R> {
    type Item = Result<R>;

    fn poll_next(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Result<R>>> {
        let stream = &mut *self;
        loop {
            if let Some(record) = stream.buffered.pop_front() {
                return Poll::Ready(Some(Ok(record)));
            }
            let (page, answer) = match &mut stream.fetching {
                Some(fetching) => fetching,
                None => match stream.walk.next_page {
                    Some(page) => stream.fetching.insert((page, stream.walk.fetch(page))),
                    None => return Poll::Ready(None),
                },
            };
            let page = *page;
            let Poll::Ready(answer) = answer.as_mut().poll(context) else { return Poll::Pending };
            stream.fetching = None;
            match answer.and_then(|answer| (stream.decode_page)(stream.walk.operation.name, &answer)) {
                Ok((records, info)) => {
                    stream.walk.advance(page, PageInfo { empty: records.is_empty(), ..info });
                    stream.buffered = records.into();
                }
                Err(error) => {
                    stream.walk.next_page = None;
                    return Poll::Ready(Some(Err(error)));
                }
            }
        }
    }
}

/// Decodes one page of `P`: its records, and what it says about the pages after it.
fn decode_page<P: PageEnvelope>(operation: &'static str, answer: &Answer) -> Result<(Vec<P::Record>, PageInfo)> {
    let page: P = decode(operation, answer)?;
    let info = PageInfo {
        current_page: page.current_page(),
        total_pages: page.total_pages(),
        has_next_page: page.has_next_page(),
        empty: false,
    };
    Ok((page.into_records(), info))
}
