//! The one error type of the website, and how an error becomes a page.
//!
//! A handler returns [`WebError`]; its `IntoResponse` sets the status and attaches an
//! [`ErrorPage`] to the response. The [`render_errors`] middleware, which can reach the templates,
//! turns that into a friendly Vietnamese page with a search box and ways back (or into JSON under
//! `/api/`). No request can produce a panic or a bare 500: template failures are logged and
//! answered with a plain page.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Site;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No page at this address.
    #[error("page not found")]
    NotFound,
    /// No procedure with this id.
    #[error("no procedure with id {0:?}")]
    ProcedureNotFound(String),
    /// No category with this id.
    #[error("no category with id {0:?}")]
    CategoryNotFound(String),
    /// The address exists but not for this HTTP method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// A failure on our side (a broken template); logged, never shown in detail.
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

impl From<minijinja::Error> for WebError {
    fn from(error: minijinja::Error) -> Self {
        WebError::Internal(anyhow::Error::new(error).context("rendering a template"))
    }
}

/// What the error page says, attached to an error response for [`render_errors`].
#[derive(Debug, Clone, serde::Serialize)]
pub struct ErrorPage {
    /// The page heading.
    pub title: &'static str,
    /// One or two sentences saying what happened and what to do.
    pub message: String,
}

impl WebError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound | WebError::ProcedureNotFound(_) | WebError::CategoryNotFound(_) => {
                StatusCode::NOT_FOUND
            }
            WebError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn page(&self) -> ErrorPage {
        match self {
            WebError::NotFound => ErrorPage {
                title: "Không tìm thấy trang này",
                message: "Địa chỉ này không có trên trang. Hãy thử tìm thủ tục bằng ô tìm kiếm \
                          bên dưới, hoặc chọn một nhóm thủ tục."
                    .into(),
            },
            WebError::ProcedureNotFound(id) => ErrorPage {
                title: "Không tìm thấy thủ tục này",
                message: format!(
                    "Chưa có thủ tục nào có mã «{}». Có thể đường dẫn bị gõ sai hoặc thủ tục đã \
                     được đổi tên. Hãy tìm lại bằng tên thủ tục.",
                    shorten(id)
                ),
            },
            WebError::CategoryNotFound(id) => ErrorPage {
                title: "Không tìm thấy nhóm thủ tục này",
                message: format!(
                    "Chưa có nhóm thủ tục nào có mã «{}». Hãy chọn một nhóm bên dưới.",
                    shorten(id)
                ),
            },
            WebError::MethodNotAllowed => ErrorPage {
                title: "Yêu cầu không hợp lệ",
                message: "Trang này chỉ để xem. Hãy mở lại trang chủ.".into(),
            },
            WebError::Internal(_) => ErrorPage {
                title: "Trang đang gặp sự cố",
                message: "Xin lỗi, trang này tạm thời không hiển thị được. Hãy thử lại sau ít \
                          phút, hoặc hỏi cán bộ Bộ phận Một cửa của UBND xã, phường."
                    .into(),
            },
        }
    }
}

/// At most this many characters of a user-typed id are echoed back.
const ECHO_CHARS: usize = 60;

fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(ECHO_CHARS).collect();
    if text.chars().nth(ECHO_CHARS).is_some() {
        short.push('…');
    }
    short
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if let WebError::Internal(error) = &self {
            tracing::error!("{error:#}");
        }
        let page = self.page();
        let mut response = (self.status(), page.message.clone()).into_response();
        response.extensions_mut().insert(page);
        response
    }
}

/// Renders the [`ErrorPage`] attached to a response: a page for people, JSON under `/api/`.
pub async fn render_errors(
    State(site): State<Arc<Site>>,
    request: Request,
    next: Next,
) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let Some(page) = response.extensions_mut().remove::<ErrorPage>() else {
        return response;
    };
    let status = response.status();
    let mut rendered = if is_api {
        let body = serde_json::json!({ "error": page.title, "message": page.message });
        (status, axum::Json(body)).into_response()
    } else {
        match site.render_error(&page) {
            Ok(html) => (status, axum::response::Html(html)).into_response(),
            Err(error) => {
                tracing::error!("rendering the error page: {error:#}");
                (status, format!("{}\n\n{}", page.title, page.message)).into_response()
            }
        }
    };
    rendered
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    rendered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_ids_are_shortened_when_echoed() {
        let long = "a".repeat(500);
        let page = WebError::ProcedureNotFound(long).page();
        assert!(
            page.message
                .contains(&format!("{}…", "a".repeat(ECHO_CHARS)))
        );
        assert!(!page.message.contains(&"a".repeat(ECHO_CHARS + 1)));
    }

    #[test]
    fn statuses() {
        assert_eq!(WebError::NotFound.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            WebError::Internal(anyhow::anyhow!("x")).status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
