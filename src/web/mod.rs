//! The website: search, procedure pages and printable checklists, served by axum.
//!
//! [`router`] builds the whole site from a [`Site`] (the loaded procedures, the search index,
//! the templates and the public address). Pages are plain HTML that work without JavaScript;
//! every response goes through the same layers: security headers, the render cache, ETag and
//! `304 Not Modified`, compression and a body size limit. [`server`]
//! serves it over TCP with the limits that keep a public server up (connections, slow clients,
//! header sizes, request time). The web layer reads the content model and the
//! search index; neither knows it exists.

mod cache;
pub mod error;
mod handlers;
mod http;
pub mod server;
pub mod templates;
pub mod view;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use minijinja::{Value, context};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

use crate::content::Content;
use crate::model::{Category, Procedure};
use crate::search::{SearchIndex, SharedIndex};
pub use cache::PageCache;
use error::ErrorPage;
pub use error::WebError;
pub use server::Limits;
pub use templates::Templates;
use view::CategoryView;

/// The largest request body accepted (the site has no forms that post).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Everything the site serves from.
#[derive(Debug)]
pub struct Site {
    /// Valid procedures, in file order.
    pub procedures: Vec<Procedure>,
    /// Categories in display order.
    pub categories: Vec<Category>,
    /// The search index over `procedures`.
    pub index: SharedIndex,
    /// Templates and stylesheet.
    pub templates: Templates,
    /// The public address of the site without a trailing `/`, used in QR codes.
    pub base_url: String,
    /// Pages rendered from this content; a `Site` built from reloaded content starts empty.
    pub cache: PageCache,
}

impl Site {
    /// A site over loaded `content` and the search `index` built over its procedures.
    ///
    /// Pages are cached unless the templates are read from a folder (they may change on disk).
    pub fn new(content: Content, index: SearchIndex, templates: Templates, base_url: &str) -> Site {
        let capacity = match templates {
            Templates::Embedded { .. } => cache::DEFAULT_CAPACITY_BYTES,
            Templates::Folder(_) => 0,
        };
        Site {
            cache: PageCache::new(capacity),
            procedures: content.procedures,
            categories: content.categories,
            index: SharedIndex::new(index),
            templates,
            base_url: base_url.trim_end_matches('/').to_string(),
        }
    }

    /// The procedure with that id.
    pub fn procedure(&self, id: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.id() == id)
    }

    /// Categories that hold at least one procedure, with their procedures.
    fn category_views(&self) -> Vec<CategoryView> {
        self.categories
            .iter()
            .map(|c| CategoryView::of(c, &self.procedures))
            .filter(|c| !c.procedures.is_empty())
            .collect()
    }

    /// Renders a page template; `context` is merged with what every page needs.
    fn render(&self, name: &str, page: Value) -> Result<String, WebError> {
        let defaults = context! { categories => self.category_views(), q => "" };
        let context = context! { ..page, ..defaults };
        Ok(self.templates.render(name, context)?)
    }

    /// Renders the page of an error.
    fn render_error(&self, page: &ErrorPage) -> Result<String, WebError> {
        self.render("error.html", context! { error => page })
    }
}

/// The whole website as a router.
pub fn router(site: Arc<Site>) -> Router {
    Router::new()
        .route("/", get(handlers::home))
        .route("/tim-kiem", get(handlers::search))
        .route("/thu-tuc/{id}", get(handlers::procedure))
        .route("/thu-tuc/{id}/in", get(handlers::print))
        .route("/in", get(handlers::packet))
        .route("/danh-muc/{id}", get(handlers::category))
        .route("/static/{file}", get(handlers::stylesheet))
        .route("/healthz", get(handlers::healthz))
        .route("/api/search", get(handlers::api_search))
        .route("/api/thu-tuc/{id}", get(handlers::api_procedure))
        .fallback(handlers::not_found)
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .layer(axum::middleware::from_fn(http::etag))
        .layer(axum::middleware::from_fn_with_state(
            site.clone(),
            error::render_errors,
        ))
        .layer(axum::middleware::from_fn_with_state(
            site.clone(),
            cache::serve_cached,
        ))
        .layer(axum::middleware::from_fn(http::security_headers))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(site)
}
