//! The `giayto` command line: parses arguments and calls into the library.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use giayto::cmd;
use giayto::diagnostics::OutputFormat;

/// giayto: which papers an administrative procedure needs.
#[derive(Debug, Parser)]
#[command(name = "giayto", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check every procedure file and report every problem (exit status 1 on any error).
    Check {
        /// The procedures folder.
        #[arg(default_value = cmd::DEFAULT_PROCEDURES_DIR)]
        dir: PathBuf,
        /// How to print problems: text for people, github for pull-request annotations, json for tools.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Print the JSON Schema of procedure front matter (the content of procedures/schema.json),
    /// of situation files (`situation`) or of questions.yaml (`questions`).
    Schema {
        /// Which file format.
        #[arg(value_enum, default_value_t = cmd::schema::Format::Procedure)]
        of: cmd::schema::Format,
    },
    /// Search the procedures as the site does (exit status 1 when nothing is found).
    Search {
        /// The procedures folder.
        #[arg(long, default_value = cmd::DEFAULT_PROCEDURES_DIR)]
        procedures: PathBuf,
        /// How many hits to show (at most 50).
        #[arg(long, default_value_t = giayto::search::DEFAULT_LIMIT)]
        limit: usize,
        /// Print the JSON the site's /api/search returns.
        #[arg(long)]
        json: bool,
        /// Print why the procedure with this id scores what it does (for tuning synonyms).
        #[arg(long, value_name = "ID")]
        explain: Option<String>,
        /// What to look for, as a resident would type it.
        #[arg(required = true, num_args = 1.., allow_hyphen_values = true)]
        query: Vec<String>,
    },
    /// Serve the website: search, procedure pages and printable checklists.
    Serve {
        /// The procedures folder.
        #[arg(long, default_value = cmd::DEFAULT_PROCEDURES_DIR)]
        procedures: PathBuf,
        /// The address to listen on (port 0 picks a free port).
        #[arg(long, default_value = cmd::serve::DEFAULT_ADDR)]
        addr: SocketAddr,
        /// The public address of the site, printed as a QR code on checklists [default: http://ADDR].
        #[arg(long)]
        base_url: Option<String>,
        /// Read templates and the stylesheet from this folder on every request (for editing them).
        #[arg(long)]
        templates: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("giayto: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<bool> {
    match cli.command {
        Command::Check { dir, format } => {
            let today = chrono::Local::now().date_naive();
            cmd::check::run(
                &dir,
                format,
                today,
                &mut std::io::stdout(),
                &mut std::io::stderr(),
            )
        }
        Command::Search {
            procedures,
            limit,
            json,
            explain,
            query,
        } => {
            let today = chrono::Local::now().date_naive();
            cmd::search::run(
                &procedures,
                &query.join(" "),
                limit,
                json,
                explain.as_deref(),
                today,
                &mut std::io::stdout(),
                &mut std::io::stderr(),
            )
        }
        Command::Schema { of } => {
            print!("{}", cmd::schema::render_of(of));
            Ok(true)
        }
        Command::Serve {
            procedures,
            addr,
            base_url,
            templates,
        } => {
            tracing_subscriber::fmt()
                .with_env_filter(
                    tracing_subscriber::EnvFilter::try_from_default_env()
                        .unwrap_or_else(|_| "giayto=info,tower_http=warn".into()),
                )
                .with_writer(std::io::stderr)
                .init();
            cmd::serve::run(cmd::serve::ServeOptions {
                procedures,
                addr,
                base_url,
                templates,
            })?;
            Ok(true)
        }
    }
}
