//! End to end in a real headless Chromium, over WebDriver (Debian's `chromium` and
//! `chromium-driver`), against the real `giayto serve` binary on loopback.
//!
//! Without Chromium these tests print why and pass; with `GIAYTO_REQUIRE_BROWSER=1` (as in
//! `.ci/run`) a missing browser fails them. With `GIAYTO_SCREENSHOTS=<folder>` they also save
//! phone-width screenshots of the home, results, procedure and print pages there.

mod support;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::{PrintConfiguration, PrintMargins, PrintSize};
use fantoccini::{Client, ClientBuilder, Locator};
use support::{Server, fixture};

/// Phone width used for the screenshots and the whole run.
const PHONE_WIDTH: u32 = 360;
/// A4 in PDF points (1/72 inch), rounded.
const A4_POINTS: (f64, f64) = (595.0, 842.0);

/// A program on the `PATH`, by the first of `names` found.
fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// A running chromedriver, killed when dropped, with the browser profile folder it uses.
struct Driver {
    child: Child,
    url: String,
    chromium: PathBuf,
    profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts chromedriver, or says why not: `None` skips the test unless the browser is required.
fn driver() -> Option<Driver> {
    let required = std::env::var("GIAYTO_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let chromium = on_path(&["chromium", "chromium-browser", "google-chrome"]);
    let chromedriver = on_path(&["chromedriver"]);
    let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
        let message = "browser tests need Chromium and its WebDriver on the PATH \
                       (Debian: apt-get install chromium chromium-driver)";
        assert!(
            !required,
            "{message}; GIAYTO_REQUIRE_BROWSER=1 makes them mandatory"
        );
        eprintln!("skipped: {message}");
        return None;
    };
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("finding a free port")
        .port();
    let child = Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting chromedriver");
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
        chromium,
        profile: tempfile::tempdir().expect("a profile folder"),
    })
}

async fn browser(driver: &Driver) -> Client {
    let args = vec![
        "--headless=new".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--no-first-run".into(),
        "--hide-scrollbars".into(),
        format!("--user-data-dir={}", driver.profile.path().display()),
        format!("--window-size={PHONE_WIDTH},800"),
    ];
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({ "binary": driver.chromium, "args": args }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("opening a Chromium session")
}

/// Saves a full-height screenshot at phone width when `GIAYTO_SCREENSHOTS` names a folder.
async fn screenshot(client: &Client, name: &str) {
    let Some(dir) = std::env::var_os("GIAYTO_SCREENSHOTS") else {
        return;
    };
    client
        .execute("window.scrollTo(0, 0)", vec![])
        .await
        .unwrap();
    let height = client
        .execute("return document.documentElement.scrollHeight", vec![])
        .await
        .ok()
        .and_then(|v| v.as_u64())
        .unwrap_or(800)
        .clamp(600, 8000);
    client
        .set_window_size(PHONE_WIDTH, height as u32)
        .await
        .unwrap();
    let png = client.screenshot().await.unwrap();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    client.set_window_size(PHONE_WIDTH, 800).await.unwrap();
}

/// The narrowest phone screen the site is made for.
const NARROWEST: u32 = 320;

/// Nothing on the current page is wider than the phone, at [`PHONE_WIDTH`] and at [`NARROWEST`].
async fn assert_fits(client: &Client, page: &str) -> Result<(), fantoccini::error::CmdError> {
    for width in [PHONE_WIDTH, NARROWEST] {
        client.set_window_size(width, 800).await?;
        let scroll = client
            .execute("return document.documentElement.scrollWidth", vec![])
            .await?;
        assert!(
            scroll.as_u64().unwrap_or(u64::MAX) <= u64::from(width),
            "the {page} page scrolls sideways at {width} px: {scroll}"
        );
    }
    client.set_window_size(PHONE_WIDTH, 800).await?;
    Ok(())
}

/// The checklist printed on A4 paper, as the browser's own print to PDF makes it.
async fn print_a4(client: &Client) -> Vec<u8> {
    let config = PrintConfiguration::builder()
        .size(PrintSize::A4)
        .margins(PrintMargins {
            top: 1.0,
            bottom: 1.0,
            left: 1.0,
            right: 1.0,
        })
        .shrink_to_fit(false)
        .build()
        .unwrap();
    client.print(config).await.expect("printing to PDF")
}

/// The pages of a PDF, as the width and height of each page's media box, in points.
/// (Chromium writes one uncompressed `/Type /Page` dictionary per page, with its `/MediaBox`.)
fn pdf_pages(pdf: &[u8]) -> Vec<(f64, f64)> {
    let text = String::from_utf8_lossy(pdf);
    let pages: Vec<&str> = text
        .split("/Type /Page")
        .skip(1)
        .filter(|after| !after.starts_with('s'))
        .collect();
    pages
        .iter()
        .map(|page| {
            let numbers: Vec<f64> = page
                .split_once("/MediaBox [")
                .and_then(|(_, box_)| box_.split(']').next())
                .map(|box_| {
                    box_.split_whitespace()
                        .filter_map(|n| n.parse().ok())
                        .collect()
                })
                .unwrap_or_default();
            match numbers[..] {
                [x0, y0, x1, y1] => (x1 - x0, y1 - y0),
                _ => (0.0, 0.0),
            }
        })
        .collect()
}

fn is_a4((width, height): (f64, f64)) -> bool {
    (width - A4_POINTS.0).abs() < 2.0 && (height - A4_POINTS.1).abs() < 2.0
}

/// Clicks the element `css`.
async fn click(client: &Client, css: &str) -> Result<(), fantoccini::error::CmdError> {
    client.find(Locator::Css(css)).await?.click().await
}

/// Waits for the element `css` to appear.
async fn wait_for(client: &Client, css: &str) -> Result<(), fantoccini::error::CmdError> {
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .map(|_| ())
}

/// Types `query` in the page's main search box, submits it, and waits for the first `result`.
async fn search(
    client: &Client,
    query: &str,
    result: &str,
) -> Result<fantoccini::elements::Element, fantoccini::error::CmdError> {
    client
        .find(Locator::Css("main input[name=q]"))
        .await?
        .send_keys(query)
        .await?;
    client
        .find(Locator::Css("main form.search button"))
        .await?
        .click()
        .await?;
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(result))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resident_finds_a_procedure_without_diacritics_and_prints_one_a4_page() {
    let Some(driver) = driver() else { return };
    let server = Server::start(&fixture(), &[]);
    let client = browser(&driver).await;
    let result = journey(&client, &server).await;
    client.close().await.ok();
    result.unwrap();
}

async fn journey(client: &Client, server: &Server) -> Result<(), fantoccini::error::CmdError> {
    // Home: type the query as a phone without a Vietnamese keyboard would.
    client.set_window_size(PHONE_WIDTH, 800).await?;
    client.goto(&format!("{}/", server.url)).await?;
    let viewport = client.execute("return window.innerWidth", vec![]).await?;
    assert_eq!(viewport.as_u64(), Some(u64::from(PHONE_WIDTH)));
    assert_eq!(
        client
            .find(Locator::Css("html"))
            .await?
            .attr("lang")
            .await?
            .as_deref(),
        Some("vi")
    );
    screenshot(client, "home").await;
    assert_fits(client, "home").await?;
    let first = search(client, "lam giay khai sinh", "ol.results li a").await?;
    // Results: the birth registration comes first, and the query stays in the box.
    assert!(client.current_url().await?.path().ends_with("/tim-kiem"));
    let kept = client.find(Locator::Css("main input[name=q]")).await?;
    assert_eq!(
        kept.prop("value").await?.as_deref(),
        Some("lam giay khai sinh")
    );
    assert_eq!(first.text().await?, "Đăng ký khai sinh");
    screenshot(client, "results").await;
    assert_fits(client, "results").await?;
    first.click().await?;

    // The procedure: the checklist is there and its tick boxes work without JavaScript.
    let heading = client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("h1"))
        .await?;
    assert_eq!(heading.text().await?, "Đăng ký khai sinh");
    assert_eq!(
        client.current_url().await?.path(),
        "/thu-tuc/dang-ky-khai-sinh"
    );
    let papers = client.find_all(Locator::Css("ul.checklist li")).await?;
    assert_eq!(papers.len(), 7);
    let checklist = client
        .find(Locator::Css("ul.checklist"))
        .await?
        .text()
        .await?;
    assert!(checklist.contains("Giấy chứng sinh"), "{checklist}");
    assert!(checklist.contains("Chỉ cần khi:"), "{checklist}");
    screenshot(client, "procedure").await;
    let tick = client
        .find(Locator::Css("ul.checklist label[for=giay-1]"))
        .await?;
    tick.click().await?;
    assert!(
        client
            .find(Locator::Css("#giay-1"))
            .await?
            .is_selected()
            .await?
    );
    assert_fits(client, "procedure").await?;

    // The print view: tick boxes and the QR code, and exactly one A4 page.
    client
        .find(Locator::Css("main a.button"))
        .await?
        .click()
        .await?;
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("article.sheet"))
        .await?;
    assert_eq!(
        client.current_url().await?.path(),
        "/thu-tuc/dang-ky-khai-sinh/in"
    );
    assert_eq!(client.find_all(Locator::Css(".sheet .box")).await?.len(), 6);
    client.find(Locator::Css(".sheet .qr svg")).await?;
    screenshot(client, "print").await;
    assert_fits(client, "print").await?;
    let pdf = print_a4(client).await;
    let pages = pdf_pages(&pdf);
    if let Some(dir) = std::env::var_os("GIAYTO_SCREENSHOTS") {
        std::fs::write(Path::new(&dir).join("print.pdf"), &pdf).unwrap();
    }
    assert_eq!(pages.len(), 1, "the checklist printed on {pages:?}");
    assert!(is_a4(pages[0]), "{pages:?}");

    // A home-visit packet: each procedure starts on a new page.
    client
        .goto(&format!(
            "{}/in?ids=dang-ky-khai-sinh,dang-ky-tam-tru",
            server.url
        ))
        .await?;
    let pages = pdf_pages(&print_a4(client).await);
    assert_eq!(pages.len(), 2, "the packet printed on {pages:?}");
    assert!(pages.iter().copied().all(is_a4), "{pages:?}");
    Ok(())
}

#[test]
fn pdf_pages_are_counted_from_page_objects() {
    let pdf = b"%PDF-1.4\n1 0 obj\n<</Type /Pages /Kids [2 0 R 3 0 R] /Count 2>>\nendobj\n\
        2 0 obj\n<</Type /Page\n/Resources <</Font <</F1 4 0 R>> >>\n\
        /MediaBox [0 0 594.95996 841.91998]>>\nendobj\n\
        3 0 obj\n<</Type /Page /MediaBox [0 0 612 792] /Parent 1 0 R>>\nendobj\n";
    let pages = pdf_pages(pdf);
    assert_eq!(pages.len(), 2);
    assert!(is_a4(pages[0]));
    assert!(!is_a4(pages[1]));
}

/// The text of a PDF, page by page, by `pdftotext` (Debian `poppler-utils`), with runs of
/// white space made single spaces so that wrapped lines read as one.
fn pdf_text_pages(pdf: &[u8]) -> Vec<String> {
    let required = std::env::var("GIAYTO_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let Some(pdftotext) = on_path(&["pdftotext"]) else {
        assert!(
            !required,
            "the packet test needs pdftotext (Debian: apt-get install poppler-utils)"
        );
        eprintln!("skipped the PDF text checks: pdftotext is not on the PATH");
        return Vec::new();
    };
    let folder = tempfile::tempdir().unwrap();
    let input = folder.path().join("packet.pdf");
    std::fs::write(&input, pdf).unwrap();
    let output = Command::new(pdftotext)
        .arg("-enc")
        .arg("UTF-8")
        .arg(&input)
        .arg("-")
        .output()
        .expect("running pdftotext");
    assert!(output.status.success(), "pdftotext failed");
    String::from_utf8_lossy(&output.stdout)
        .split('\u{c}')
        .map(|page| page.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// The bundled knowledge base.
fn bundled() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("procedures")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_volunteer_prepares_a_death_packet_from_a_search_without_diacritics() {
    let Some(driver) = driver() else { return };
    let server = Server::start(&bundled(), &[]);
    let client = browser(&driver).await;
    let result = situation_journey(&client, &server).await;
    client.close().await.ok();
    result.unwrap();
}

async fn situation_journey(
    client: &Client,
    server: &Server,
) -> Result<(), fantoccini::error::CmdError> {
    client.set_window_size(PHONE_WIDTH, 800).await?;
    client.goto(&format!("{}/", server.url)).await?;
    // The situation comes first, marked as one.
    let first = search(client, "chong em vua mat", "ol.results li").await?;
    assert_eq!(first.attr("class").await?.as_deref(), Some("situation"));
    first.find(Locator::Css("a")).await?.click().await?;
    let heading = client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("h1"))
        .await?;
    assert_eq!(heading.text().await?, "Người thân vừa mất (qua đời)");
    assert_eq!(
        client.current_url().await?.path(),
        "/tinh-huong/nguoi-than-qua-doi"
    );
    let step = "#viec-1 ul.checklist";
    let before = client.find(Locator::Css(step)).await?.text().await?;
    assert!(
        before.contains("Giấy báo tử của bệnh viện, trạm y tế"),
        "{before}"
    );
    assert!(before.contains("Văn bản ủy quyền"), "{before}");
    screenshot(client, "situation").await;
    assert_fits(client, "situation").await?;

    // One answer per shared question: where the person died, and nobody goes in their place.
    assert_eq!(
        client
            .find_all(Locator::Css("input[name=noi_mat]"))
            .await?
            .len(),
        4
    );
    click(client, "input[name=noi_mat][value=tai_nha]").await?;
    click(client, "input[name=uy_quyen][value=khong]").await?;
    click(client, "details.questions form button").await?;
    wait_for(client, ".notice").await?;
    let after = client.find(Locator::Css(step)).await?.text().await?;
    assert!(
        after.contains("Giấy báo tử do UBND xã, phường nơi người đó mất cấp"),
        "{after}"
    );
    assert!(
        !after.contains("Giấy báo tử của bệnh viện, trạm y tế"),
        "{after}"
    );
    assert!(!after.contains("Văn bản ủy quyền"), "{after}");
    // The second procedure shares the question: its list changed too.
    let second = client
        .find(Locator::Css("#viec-2 ul.checklist"))
        .await?
        .text()
        .await?;
    assert!(
        !second.contains("Giấy báo tử của bệnh viện, trạm y tế"),
        "{second}"
    );
    // Papers ruled out are still there for a volunteer, folded away.
    client
        .find(Locator::Css("#viec-1 details.not-needed"))
        .await?;

    // One button prints the whole packet for these answers.
    click(client, "main p.jump a.button").await?;
    wait_for(client, "article.sheet").await?;
    let url = client.current_url().await?;
    assert_eq!(url.path(), "/in");
    let sheets = client.find_all(Locator::Css("article.sheet")).await?.len();
    assert_eq!(sheets, 7);
    let pdf = print_a4(client).await;
    if let Some(dir) = std::env::var_os("GIAYTO_SCREENSHOTS") {
        std::fs::write(Path::new(&dir).join("packet.pdf"), &pdf).unwrap();
    }
    let pages = pdf_text_pages(&pdf);
    if pages.is_empty() {
        return Ok(());
    }
    let all = pages.join(" ");
    assert!(
        all.contains("Tại nhà hoặc nơi khác, mất bình thường (bệnh, già)"),
        "{all}"
    );
    assert!(
        all.contains("Giấy báo tử do UBND xã, phường nơi người đó mất cấp"),
        "{all}"
    );
    assert!(!all.contains("Giấy báo tử của bệnh viện"), "{all}");
    assert!(!all.contains("Văn bản ủy quyền"), "{all}");
    assert_eq!(all.matches("Họ tên:").count(), 1, "household lines once");
    // Each procedure starts on a page of its own, in the situation's order.
    let titles = [
        "Đăng ký khai tử",
        "Liên thông khai tử",
        "Xóa đăng ký thường trú",
        "Hỗ trợ chi phí mai táng",
        "Hưởng chế độ tử tuất",
        "Truy lĩnh lương hưu",
        "Chứng thực văn bản phân chia di sản",
    ];
    let kicker = "PHIẾU CHUẨN BỊ GIẤY TỜ";
    let starts: Vec<&String> = pages.iter().filter(|p| p.contains(kicker)).collect();
    assert!(
        pages.iter().all(|p| p.matches(kicker).count() <= 1),
        "two procedures share a page: {pages:#?}"
    );
    assert_eq!(starts.len(), titles.len(), "{pages:#?}");
    for (page, title) in starts.iter().zip(titles) {
        assert!(
            page.contains(title),
            "{title} does not open its page: {page}"
        );
    }
    Ok(())
}
