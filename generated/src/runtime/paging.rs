//! Walking the pages of a list operation.

/// A list query the runtime can move from page to page. Generated query types of paged list
/// operations implement it.
pub trait PagedQuery: serde::Serialize + Clone + Send + Sync + 'static {
    /// Sets the 1-based page number.
    fn set_page(&mut self, page: i32);
    /// Sets the number of records per page.
    fn set_size(&mut self, size: i32);
    /// The number of records per page, if set.
    fn size(&self) -> Option<i32>;
}
