//! HTTP details shared by every response: security headers, caching, ETag and `304`.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::templates::fnv1a;

/// The Content-Security-Policy of every response: no script at all, styles and images only from
/// the site itself, forms only to the site, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
     form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// How long browsers and proxies may keep a page (content changes only when the site restarts).
pub const PAGE_CACHE: &str = "public, max-age=300";
/// How long browsers may keep a file whose name carries a hash of its content.
pub const IMMUTABLE_CACHE: &str = "public, max-age=31536000, immutable";

/// The largest body the ETag layer reads to hash; larger bodies are passed on untouched.
pub(super) const MAX_HASHED_BYTES: usize = 2 * 1024 * 1024;

/// Adds the security headers to every response.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            header::HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Gives every successful `GET` response a weak ETag (a hash of its uncompressed body) and
/// answers `304 Not Modified` when the browser already has it.
pub async fn etag(request: Request, next: Next) -> Response {
    let cacheable = matches!(*request.method(), Method::GET | Method::HEAD);
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let response = next.run(request).await;
    if !cacheable || response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_HASHED_BYTES).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!("reading a response body to hash it: {error}");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let tag = format!("W/\"{:016x}\"", fnv1a(&bytes));
    let Ok(value) = HeaderValue::from_str(&tag) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let matches = if_none_match.is_some_and(|v| etag_matches(&v, &tag));
    parts.headers.insert(header::ETAG, value);
    if matches {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Whether an `If-None-Match` header names `tag` (weak comparison, as for `GET`).
pub(super) fn etag_matches(header: &HeaderValue, tag: &str) -> bool {
    let Ok(header) = header.to_str() else {
        return false;
    };
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    header
        .split(',')
        .any(|t| t.trim() == "*" || bare(t) == bare(tag))
}

/// Sets `Cache-Control`.
pub fn cache(headers: &mut HeaderMap, policy: &'static str) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_comparison_is_weak() {
        let tag = "W/\"00ff\"";
        for header in ["W/\"00ff\"", "\"00ff\"", "\"aa\", W/\"00ff\"", "*"] {
            assert!(
                etag_matches(&HeaderValue::from_static(header), tag),
                "{header}"
            );
        }
        assert!(!etag_matches(&HeaderValue::from_static("\"00fe\""), tag));
    }
}
