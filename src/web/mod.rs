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
pub mod links;
pub mod live;
pub mod server;
pub mod templates;
pub mod view;

use std::sync::Arc;

use arc_swap::ArcSwap;

use axum::Router;
use axum::routing::get;
use minijinja::{Value, context};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

use crate::content::Content;
use crate::diagnostics::Diagnostic;
use crate::model::{Category, Procedure, Question, Situation};
use crate::querylog::QueryLog;
use crate::search::{SearchIndex, SharedIndex};
pub use cache::PageCache;
use error::ErrorPage;
pub use error::WebError;
pub use links::LinkTemplate;
pub use live::{SiteSource, load_site, watch};
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
    /// Valid situations, in file order.
    pub situations: Vec<Situation>,
    /// Questions shared across procedure files (asked once on a situation page).
    pub shared_questions: Vec<Question>,
    /// The search index over `procedures` and `situations`.
    pub index: SharedIndex,
    /// Templates and stylesheet (shared, so a reload can keep the last good ones).
    pub templates: Arc<Templates>,
    /// The public address of the site without a trailing `/`, used in QR codes.
    pub base_url: String,
    /// The errors found while loading the content; shown on every page in preview mode and by
    /// `/healthz`.
    pub problems: Vec<Diagnostic>,
    /// What stays the same from one reload to the next: links, preview mode, the query log.
    pub options: Arc<SiteOptions>,
    /// Pages rendered from this content; a `Site` built from reloaded content starts empty.
    pub cache: PageCache,
}

/// The settings of a running site that do not come from the content.
#[derive(Debug, Default)]
pub struct SiteOptions {
    /// "Sửa trang này": the address of a procedure file in the repository's web editor.
    pub edit_url: Option<LinkTemplate>,
    /// "Báo thông tin sai": where residents and volunteers report a wrong fact.
    pub report_url: Option<LinkTemplate>,
    /// Preview mode (`serve --watch`): every page shows a banner with the content errors.
    pub preview: bool,
    /// Where searches are counted for `giayto report queries`, if anywhere.
    pub query_log: Option<Arc<QueryLog>>,
    /// The folder `{path}` in link templates is relative to: the one that holds `procedures/`.
    pub repository: std::path::PathBuf,
}

/// The site as the router holds it: swapped whole on reload, while requests in flight finish
/// on the state they started with.
pub type SharedSite = Arc<ArcSwap<Site>>;

impl Site {
    /// A site over loaded `content` and the search `index` built over its procedures.
    ///
    /// Pages are cached unless the templates are read from a folder on every request.
    pub fn new(
        content: Content,
        index: SearchIndex,
        templates: impl Into<Arc<Templates>>,
        base_url: &str,
    ) -> Site {
        let templates: Arc<Templates> = templates.into();
        let capacity = match *templates {
            // Parsed once for this site: a reload that changes them builds a new site.
            Templates::Embedded { .. } | Templates::Loaded { .. } => cache::DEFAULT_CAPACITY_BYTES,
            Templates::Folder(_) => 0,
        };
        Site {
            cache: PageCache::new(capacity),
            procedures: content.procedures,
            categories: content.categories,
            situations: content.situations,
            shared_questions: content.shared_questions,
            index: SharedIndex::new(index),
            templates,
            base_url: base_url.trim_end_matches('/').to_string(),
            problems: Vec::new(),
            options: Arc::default(),
        }
    }

    /// The same site with these options.
    pub fn with_options(mut self, options: Arc<SiteOptions>) -> Site {
        self.options = options;
        self
    }

    /// The same site reporting these errors (warnings are left out).
    pub fn with_problems(mut self, problems: Vec<Diagnostic>) -> Site {
        self.problems = problems.into_iter().filter(Diagnostic::is_error).collect();
        self
    }

    /// The procedure with that id.
    pub fn procedure(&self, id: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.id() == id)
    }

    /// The situation with that id.
    pub fn situation(&self, id: &str) -> Option<&Situation> {
        self.situations.iter().find(|s| s.id() == id)
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
        let problems: Vec<String> = if self.options.preview {
            self.problems.iter().map(ToString::to_string).collect()
        } else {
            Vec::new()
        };
        let defaults = context! {
            categories => self.category_views(),
            q => "",
            base_url => self.base_url.clone(),
            situations => self.situations.iter().map(|s| context! { id => s.id(), title => s.meta.title.clone() }).collect::<Vec<_>>(),
            problems,
        };
        let context = context! { ..page, ..defaults };
        Ok(self.templates.render(name, context)?)
    }

    /// Renders the page of an error.
    fn render_error(&self, page: &ErrorPage) -> Result<String, WebError> {
        self.render("error.html", context! { error => page })
    }
}

/// The whole website as a router, over a site that never changes.
pub fn router(site: Arc<Site>) -> Router {
    shared_router(Arc::new(ArcSwap::new(site)))
}

/// The whole website as a router, over a site that a reload may swap.
pub fn shared_router(site: SharedSite) -> Router {
    Router::new()
        .route("/", get(handlers::home))
        .route("/tim-kiem", get(handlers::search))
        .route("/thu-tuc/{id}", get(handlers::procedure))
        .route("/thu-tuc/{id}/in", get(handlers::print))
        .route("/in", get(handlers::packet))
        .route("/tinh-huong/{id}", get(handlers::situation))
        .route("/api/tinh-huong/{id}", get(handlers::api_situation))
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
