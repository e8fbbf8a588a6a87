//! `giayto serve`: load the procedures, build the site and serve it until Ctrl-C.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;

use crate::content;
use crate::diagnostics::{self, OutputFormat};
use crate::search::{SYNONYMS_FILE, SearchIndex, Synonyms};
use crate::web::{self, Site, Templates};

/// The address served when none is given: loopback only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// What `giayto serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The procedures folder.
    pub procedures: PathBuf,
    /// The address to listen on (port 0 picks a free port).
    pub addr: SocketAddr,
    /// The public address of the site, used in the QR codes of printed checklists; defaults to
    /// `http://<addr>`.
    pub base_url: Option<String>,
    /// Read templates and the stylesheet from this folder on every request instead of the
    /// copies built into the binary.
    pub templates: Option<PathBuf>,
}

/// Serves the site until Ctrl-C (or SIGTERM), then finishes the requests in flight.
pub fn run(options: ServeOptions) -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?
        .block_on(serve(options))
}

async fn serve(options: ServeOptions) -> anyhow::Result<()> {
    let today = chrono::Local::now().date_naive();
    let mut loaded = content::load_dir(&options.procedures, today)?;
    let (synonyms, problems) = Synonyms::load(&options.procedures.join(SYNONYMS_FILE))?;
    loaded.diagnostics.extend(problems);
    if !loaded.diagnostics.is_empty() {
        eprint!(
            "{}",
            diagnostics::render(&loaded.diagnostics, OutputFormat::Text)
        );
        let (errors, warnings) = diagnostics::summary(&loaded.diagnostics);
        eprintln!(
            "giayto: {errors} lỗi, {warnings} cảnh báo; tệp có lỗi không được hiển thị / {errors} errors, {warnings} warnings; files with errors are not served"
        );
    }
    let templates = match &options.templates {
        Some(dir) => Templates::folder(dir)?,
        None => Templates::embedded()?,
    };
    let listener = tokio::net::TcpListener::bind(options.addr)
        .await
        .with_context(|| format!("listening on {}", options.addr))?;
    let local = listener
        .local_addr()
        .context("reading the address listened on")?;
    let base_url = match options.base_url {
        Some(url) => {
            url::Url::parse(&url).with_context(|| format!("reading --base-url {url}"))?;
            url
        }
        None => format!("http://{local}"),
    };
    let count = loaded.procedures.len();
    let index = SearchIndex::build(&loaded.procedures, &synonyms)?;
    let site = Site::new(loaded, index, templates, &base_url);
    println!(
        "giayto: phục vụ {count} thủ tục tại http://{local} (Ctrl-C để dừng) / serving {count} procedures at http://{local} (Ctrl-C to stop)"
    );
    web::server::serve(
        listener,
        web::router(Arc::new(site)),
        &web::Limits::default(),
        shutdown_signal(),
    )
    .await
    .context("serving")?;
    eprintln!("giayto: đã dừng / stopped");
    Ok(())
}

/// Resolves on Ctrl-C or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!("listening for Ctrl-C: {error}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!("listening for SIGTERM: {error}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
