//! Offset pagination as `futures::Stream`s.
//!
//! Starts at `request.offset()` (or the server default), then moves the offset forward by
//! the number of items each page returned. Stops on an empty page, on a page shorter than
//! `limit()` (when set), or once `total_count` is reached. An error is yielded once, after
//! everything fetched before it, and ends the stream. At most one page is held in memory.

use futures::Stream;

use super::call::Call;
use super::error::Error;

/// Implemented by generated request types of offset-paginated list operations.
pub trait OffsetPaginated: Clone + Send + 'static {
    /// The response of one page.
    type Page: Send + 'static;
    /// One element of a page.
    type Item: Send + 'static;
    /// The `offset` parameter, if set.
    fn offset(&self) -> Option<i64>;
    /// Sets the `offset` parameter.
    fn set_offset(&mut self, offset: i64);
    /// The `limit` (page size) parameter, if set.
    fn limit(&self) -> Option<i64>;
    /// Number of items in a page (lets [`pages`] advance the offset without consuming it).
    fn page_len(page: &Self::Page) -> usize;
    /// The items of a page.
    fn into_items(page: Self::Page) -> Vec<Self::Item>;
    /// Total count when the page carries one (e.g. `total_count`).
    fn total_count(page: &Self::Page) -> Option<u64>;
}

/// The request for the page after one that returned `n` items (and maybe a total count)
/// when fetched with `request` at `offset`, if there is one.
fn next_request<R: OffsetPaginated>(
    request: &R,
    offset: i64,
    n: usize,
    total: Option<u64>,
) -> Option<R> {
    if n == 0 {
        return None;
    }
    let n = i64::try_from(n).ok()?;
    if matches!(request.limit(), Some(limit) if limit > 0 && n < limit) {
        return None;
    }
    let next = offset.checked_add(n)?;
    if matches!(total, Some(total) if u64::try_from(next).is_ok_and(|next| next >= total)) {
        return None;
    }
    let mut next_request = request.clone();
    next_request.set_offset(next);
    Some(next_request)
}

/// Every page, in order.
pub fn pages<'c, C: Sync, R: OffsetPaginated, B: Send + 'c>(
    client: &'c C,
    request: R,
    call: fn(&'c C, R) -> Call<'c, R::Page, B>,
) -> impl Stream<Item = Result<R::Page, Error<B>>> + 'c {
    futures::stream::unfold(Some(request), move |state| async move {
        let request = state?;
        let offset = request.offset().unwrap_or(0);
        match call(client, request.clone()).await {
            Ok(page) => {
                let n = R::page_len(&page);
                let next = next_request(&request, offset, n, R::total_count(&page));
                Some((Ok(page), next))
            }
            Err(e) => Some((Err(e), None)),
        }
    })
}

struct ItemsState<R: OffsetPaginated> {
    buffer: std::vec::IntoIter<R::Item>,
    next: Option<R>,
}

/// Every item of every page, in order; fetches the next page when the current one is used up.
pub fn items<'c, C: Sync, R: OffsetPaginated, B: Send + 'c>(
    client: &'c C,
    request: R,
    call: fn(&'c C, R) -> Call<'c, R::Page, B>,
) -> impl Stream<Item = Result<R::Item, Error<B>>> + 'c {
    let state = ItemsState::<R> {
        buffer: Vec::new().into_iter(),
        next: Some(request),
    };
    futures::stream::unfold(state, move |mut state| async move {
        loop {
            if let Some(item) = state.buffer.next() {
                return Some((Ok(item), state));
            }
            let request = state.next.take()?;
            let offset = request.offset().unwrap_or(0);
            match call(client, request.clone()).await {
                Ok(page) => {
                    let total = R::total_count(&page);
                    let page_items = R::into_items(page);
                    state.next = next_request(&request, offset, page_items.len(), total);
                    state.buffer = page_items.into_iter();
                }
                // `state.next` is now None: the stream ends after the error.
                Err(e) => return Some((Err(e), state)),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use futures::{StreamExt, TryStreamExt};
    use serde::Deserialize;
    use wiremock::matchers::{method, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;
    use crate::__private::{
        OperationMeta, PreparedRequest, RawResponse, decode_json, unexpected_status,
    };
    use crate::test_support::{Client, Error, TestBody, client_for};

    static LIST: OperationMeta = OperationMeta::get("listThings", "/things");

    #[derive(Clone, Debug)]
    struct ListThings {
        offset: Option<i64>,
        limit: Option<i64>,
    }

    #[derive(Deserialize, Debug)]
    struct Page {
        data: Vec<i64>,
        total_count: Option<u64>,
    }

    impl OffsetPaginated for ListThings {
        type Page = Page;
        type Item = i64;
        fn offset(&self) -> Option<i64> {
            self.offset
        }
        fn set_offset(&mut self, offset: i64) {
            self.offset = Some(offset);
        }
        fn limit(&self) -> Option<i64> {
            self.limit
        }
        fn page_len(page: &Page) -> usize {
            page.data.len()
        }
        fn into_items(page: Page) -> Vec<i64> {
            page.data
        }
        fn total_count(page: &Page) -> Option<u64> {
            page.total_count
        }
    }

    fn decode_page(raw: RawResponse) -> Result<Page, Error> {
        if raw.status.is_success() {
            decode_json(raw)
        } else {
            Err(unexpected_status(raw))
        }
    }

    fn list(client: &Client, r: ListThings) -> Call<'_, Page, TestBody> {
        let mut query = Vec::new();
        if let Some(o) = r.offset {
            query.push(("offset".into(), o.to_string()));
        }
        if let Some(l) = r.limit {
            query.push(("limit".into(), l.to_string()));
        }
        let request = PreparedRequest {
            path: "/things".into(),
            query,
            ..Default::default()
        };
        Call::new(client, &LIST, Ok(request), decode_page).no_retries()
    }

    async fn page_at(server: &MockServer, offset: &str, status: u16, body: &str) {
        page_at_n(server, offset, status, body, 1).await;
    }

    async fn page_at_n(server: &MockServer, offset: &str, status: u16, body: &str, n: u64) {
        Mock::given(method("GET"))
            .and(query_param("offset", offset))
            .respond_with(ResponseTemplate::new(status).set_body_string(body.to_owned()))
            .expect(n)
            .mount(server)
            .await;
    }

    async fn offsets(server: &MockServer) -> Vec<String> {
        let reqs = server.received_requests().await.unwrap();
        reqs.iter()
            .map(|r| {
                r.url
                    .query_pairs()
                    .find(|(k, _)| k == "offset")
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_else(|| "-".into())
            })
            .collect()
    }

    #[tokio::test]
    async fn five_items_limit_two() {
        let server = MockServer::start().await;
        page_at(&server, "0", 200, r#"{"data":[1,2]}"#).await;
        page_at(&server, "2", 200, r#"{"data":[3,4]}"#).await;
        page_at(&server, "4", 200, r#"{"data":[5]}"#).await;
        let client = client_for(&server);
        let request = ListThings {
            offset: Some(0),
            limit: Some(2),
        };
        let all: Vec<i64> = items(&client, request, list).try_collect().await.unwrap();
        assert_eq!(all, [1, 2, 3, 4, 5]);
        assert_eq!(offsets(&server).await, ["0", "2", "4"]);
        server.verify().await;
    }

    #[tokio::test]
    async fn error_on_page_two_comes_after_page_one_items_then_ends() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"data":[1,2]}"#))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        page_at(&server, "2", 500, "boom").await;
        let client = client_for(&server);
        let request = ListThings {
            offset: None,
            limit: Some(2),
        };
        let got: Vec<Result<i64, Error>> = items(&client, request.clone(), list).collect().await;
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].as_ref().ok(), Some(&1));
        assert_eq!(got[1].as_ref().ok(), Some(&2));
        let e = got[2].as_ref().unwrap_err();
        assert_eq!(e.status().map(|s| s.as_u16()), Some(500));
        assert_eq!(offsets(&server).await, ["-", "2"]);
    }

    #[tokio::test]
    async fn pages_stream_yields_error_once() {
        let server = MockServer::start().await;
        page_at(&server, "0", 200, r#"{"data":[1,2]}"#).await;
        page_at(&server, "2", 503, "<html>down</html>").await;
        let client = client_for(&server);
        let got: Vec<_> = pages(
            &client,
            ListThings {
                offset: Some(0),
                limit: Some(2),
            },
            list,
        )
        .collect()
        .await;
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].as_ref().unwrap().data, [1, 2]);
        assert!(got[1].is_err());
    }

    #[tokio::test]
    async fn empty_first_page_yields_nothing() {
        let server = MockServer::start().await;
        page_at_n(&server, "0", 200, r#"{"data":[]}"#, 2).await;
        let client = client_for(&server);
        let request = ListThings {
            offset: Some(0),
            limit: Some(2),
        };
        let all: Vec<_> = items(&client, request.clone(), list).collect().await;
        assert!(all.is_empty());
        let pages: Vec<_> = pages(&client, request, list).try_collect().await.unwrap();
        assert_eq!(pages.len(), 1);
    }

    #[tokio::test]
    async fn total_count_and_start_offset_stop_the_stream() {
        let server = MockServer::start().await;
        page_at(&server, "2", 200, r#"{"data":[3,4],"total_count":5}"#).await;
        page_at(&server, "4", 200, r#"{"data":[5],"total_count":5}"#).await;
        let client = client_for(&server);
        // No limit: only total_count (then the empty-page rule) can stop it.
        let request = ListThings {
            offset: Some(2),
            limit: None,
        };
        let pages: Vec<Page> = pages(&client, request, list).try_collect().await.unwrap();
        let flat: Vec<i64> = pages.into_iter().flat_map(|p| p.data).collect();
        assert_eq!(flat, [3, 4, 5]);
        assert_eq!(offsets(&server).await, ["2", "4"]);
    }

    #[test]
    fn next_request_rules() {
        let r = ListThings {
            offset: None,
            limit: Some(2),
        };
        assert_eq!(next_request(&r, 0, 2, None).unwrap().offset, Some(2));
        assert_eq!(next_request(&r, 4, 2, None).unwrap().offset, Some(6));
        assert!(next_request(&r, 0, 1, None).is_none());
        assert!(next_request(&r, 0, 0, None).is_none());
        assert!(next_request(&r, 0, 2, Some(2)).is_none());
        assert!(next_request(&r, 0, 2, Some(3)).is_some());
        assert!(next_request(&r, i64::MAX, 2, None).is_none());
        let unlimited = ListThings {
            offset: None,
            limit: None,
        };
        assert!(next_request(&unlimited, 0, 1, None).is_some());
    }

    #[test]
    fn streams_are_send() {
        fn assert_send<S: Send>(_: &S) {}
        let client = Client::builder().api_key("k").build().unwrap();
        assert_send(&items(
            &client,
            ListThings {
                offset: None,
                limit: None,
            },
            list,
        ));
        assert_send(&pages(
            &client,
            ListThings {
                offset: None,
                limit: None,
            },
            list,
        ));
    }
}
