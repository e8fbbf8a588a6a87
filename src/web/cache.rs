//! The render cache: each page is rendered once per content version, then served as bytes.
//!
//! A page depends only on its address and on the content the [`Site`] was built from, so a `GET`
//! that renders a `200` is kept under its path and query, together with its ETag and its gzip and
//! Brotli encodings, in a bounded [`moka`] cache that belongs to the `Site`. Later requests for the
//! same address get those bytes in the encoding they accept, or `304 Not Modified` when their
//! `If-None-Match` names the ETag, without touching a template or the search index. A `Site`
//! built from reloaded content starts with an empty cache, so nothing stale is ever served.
//! Error pages, responses marked `no-store` and very long addresses are never kept.

use std::io::Write;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::SharedSite;
use super::http::{MAX_HASHED_BYTES, etag_matches};

/// How many bytes of pages the cache keeps (all encodings counted), by default.
pub const DEFAULT_CAPACITY_BYTES: u64 = 64 * 1024 * 1024;
/// Addresses longer than this (path and query) are rendered every time, never kept.
const MAX_KEY_BYTES: usize = 1024;
/// The compression effort for cached pages: each is compressed once per content version.
const GZIP_LEVEL: u32 = 6;
const BROTLI_QUALITY: u32 = 6;

/// A rendered page, ready to send.
#[derive(Debug)]
struct CachedPage {
    /// `Content-Type`, `Cache-Control` and `ETag` as the handler and the ETag layer set them.
    headers: HeaderMap,
    etag: HeaderValue,
    identity: Bytes,
    gzip: Option<Bytes>,
    brotli: Option<Bytes>,
}

impl CachedPage {
    fn weight(&self) -> usize {
        self.identity.len()
            + self.gzip.as_ref().map_or(0, Bytes::len)
            + self.brotli.as_ref().map_or(0, Bytes::len)
            + 256
    }
}

/// Rendered pages by address, bounded by their size in bytes.
#[derive(Debug, Clone)]
pub struct PageCache {
    pages: Option<moka::sync::Cache<String, Arc<CachedPage>>>,
}

impl PageCache {
    /// A cache holding at most `capacity_bytes` of pages; `0` keeps nothing (every request
    /// renders, as while editing templates).
    pub fn new(capacity_bytes: u64) -> PageCache {
        let pages = (capacity_bytes > 0).then(|| {
            moka::sync::Cache::builder()
                .max_capacity(capacity_bytes)
                .weigher(|key: &String, page: &Arc<CachedPage>| {
                    u32::try_from(key.len() + page.weight()).unwrap_or(u32::MAX)
                })
                .build()
        });
        PageCache { pages }
    }

    /// How many pages are kept now (approximate while inserts are pending).
    pub fn len(&self) -> u64 {
        self.pages.as_ref().map_or(0, |pages| {
            pages.run_pending_tasks();
            pages.entry_count()
        })
    }

    /// Whether no page is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets every page.
    pub fn clear(&self) {
        if let Some(pages) = &self.pages {
            pages.invalidate_all();
        }
    }
}

/// Middleware: answers a `GET` or `HEAD` from the cache, or renders it once and keeps it.
pub async fn serve_cached(
    State(site): State<SharedSite>,
    request: Request,
    next: Next,
) -> Response {
    // The site of this request's start: a reload swaps in a new site with an empty cache.
    let site = site.load_full();
    let Some(pages) = &site.cache.pages else {
        return next.run(request).await;
    };
    let key = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    if !matches!(*request.method(), Method::GET | Method::HEAD) || key.len() > MAX_KEY_BYTES {
        return next.run(request).await;
    }
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let accepted = Accepted::of(request.headers());
    if let Some(page) = pages.get(&key) {
        return respond(&page, if_none_match.as_ref(), accepted);
    }
    // Render the full page (never a 304) so that it can be kept.
    let mut request = request;
    request.headers_mut().remove(header::IF_NONE_MATCH);
    let response = next.run(request).await;
    let keep = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::CONTENT_ENCODING)
        && response
            .headers()
            .get(header::CACHE_CONTROL)
            .is_some_and(|v| !v.as_bytes().starts_with(b"no-store"));
    let Some(etag) = response
        .headers()
        .get(header::ETAG)
        .cloned()
        .filter(|_| keep)
    else {
        return response;
    };
    let (parts, body) = response.into_parts();
    let identity = match axum::body::to_bytes(body, MAX_HASHED_BYTES).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!("reading a page to cache it: {error}");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut headers = HeaderMap::new();
    for name in [header::CONTENT_TYPE, header::CACHE_CONTROL, header::ETAG] {
        if let Some(value) = parts.headers.get(&name) {
            headers.insert(name, value.clone());
        }
    }
    let page = Arc::new(CachedPage {
        gzip: smaller(&identity, gzip(&identity)),
        brotli: smaller(&identity, brotli(&identity)),
        identity,
        headers,
        etag,
    });
    pages.insert(key, page.clone());
    respond(&page, if_none_match.as_ref(), accepted)
}

/// The encodings a request accepts, from `Accept-Encoding`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Accepted {
    gzip: bool,
    brotli: bool,
}

impl Accepted {
    fn of(headers: &HeaderMap) -> Accepted {
        let mut accepted = Accepted::default();
        for value in headers.get_all(header::ACCEPT_ENCODING) {
            let Ok(value) = value.to_str() else { continue };
            for item in value.split(',') {
                let mut parts = item.split(';');
                let coding = parts.next().unwrap_or_default().trim();
                let refused = parts.any(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.trim().parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                if refused {
                    continue;
                }
                match coding.to_ascii_lowercase().as_str() {
                    "gzip" | "x-gzip" => accepted.gzip = true,
                    "br" => accepted.brotli = true,
                    "*" => {
                        accepted.gzip = true;
                        accepted.brotli = true;
                    }
                    _ => {}
                }
            }
        }
        accepted
    }
}

/// A kept page as a response: `304` when the browser has it, else the best accepted encoding.
fn respond(page: &CachedPage, if_none_match: Option<&HeaderValue>, accepted: Accepted) -> Response {
    let mut headers = page.headers.clone();
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if if_none_match
        .is_some_and(|v| etag_matches(v, &String::from_utf8_lossy(page.etag.as_bytes())))
    {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        headers.remove(header::CONTENT_TYPE);
        *response.headers_mut() = headers;
        return response;
    }
    let (body, encoding) = match (&page.brotli, &page.gzip) {
        (Some(br), _) if accepted.brotli => (br.clone(), Some("br")),
        (_, Some(gz)) if accepted.gzip => (gz.clone(), Some("gzip")),
        _ => (page.identity.clone(), None),
    };
    if let Some(encoding) = encoding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    let mut response = Response::new(Body::from(body));
    *response.headers_mut() = headers;
    response
}

/// `encoded` when it is smaller than `identity`.
fn smaller(identity: &Bytes, encoded: Option<Vec<u8>>) -> Option<Bytes> {
    encoded
        .filter(|e| e.len() < identity.len())
        .map(Bytes::from)
}

fn gzip(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut encoder =
        flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(GZIP_LEVEL));
    encoder.write_all(bytes).ok()?;
    encoder.finish().ok()
}

fn brotli(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, BROTLI_QUALITY, 22);
        writer.write_all(bytes).ok()?;
        writer.flush().ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        let of = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
            Accepted::of(&headers)
        };
        assert_eq!(
            of("gzip, deflate, br"),
            Accepted {
                gzip: true,
                brotli: true
            }
        );
        assert_eq!(
            of("br;q=0, GZIP;q=0.5"),
            Accepted {
                gzip: true,
                brotli: false
            }
        );
        assert_eq!(of("identity"), Accepted::default());
        assert_eq!(Accepted::of(&HeaderMap::new()), Accepted::default());
    }

    #[test]
    fn encodings_decode_to_the_page() {
        let page = "<p>Đăng ký khai sinh</p>".repeat(200);
        let mut decoded = String::new();
        flate2::read::GzDecoder::new(&gzip(page.as_bytes()).unwrap()[..])
            .read_to_string(&mut decoded)
            .unwrap();
        assert_eq!(decoded, page);
        let mut decoded = String::new();
        brotli::Decompressor::new(&brotli(page.as_bytes()).unwrap()[..], 4096)
            .read_to_string(&mut decoded)
            .unwrap();
        assert_eq!(decoded, page);
    }

    #[test]
    fn a_zero_capacity_keeps_nothing() {
        assert!(PageCache::new(0).pages.is_none());
        assert!(PageCache::new(1024).is_empty());
    }
}
