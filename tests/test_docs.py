"The documentation site (`make docs` builds it into _docs/): every page loads in headless Chromium without an error, no internal link is broken, every image shows."
import functools, http.server, os, shutil, threading
from pathlib import Path
from urllib.parse import urljoin, urlparse, unquote
import pytest

SITE = Path(__file__).resolve().parent.parent/"_docs"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

# `make docs` builds the site and runs this file with RRO_DOCS_TEST=1, where a missing site or browser is a failure;
# in `make test` the file is skipped unless a site has been built and Chromium is there
import importlib.util
MISSING = [what for what, ok in (("a site in _docs/ (make docs)", (SITE/"index.html").exists()),
                                 ("Chromium (apt install chromium)", Path(CHROMIUM).exists()),
                                 ("playwright (pip install -e '.[docs]')", importlib.util.find_spec("playwright") is not None)) if not ok]
if MISSING and os.environ.get("RRO_DOCS_TEST") == "1": raise RuntimeError(f"the docs test needs {' and '.join(MISSING)}")
pytestmark = pytest.mark.skipif(bool(MISSING), reason=f"needs {' and '.join(MISSING)}")

@pytest.fixture(scope="module")
def server():
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(SITE))
    handler.log_message = lambda *a: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()

def pages() -> list:
    "Every page of the site, as its URL path."
    return sorted(str(p.relative_to(SITE)).removesuffix("index.html") for p in SITE.rglob("*.html") if p.name != "404.html")

def test_every_page_loads_without_error_and_no_internal_link_is_broken(server, tmp_path):
    from playwright.sync_api import sync_playwright
    assert len(pages()) >= 40, pages()  # the start page, every notebook, every module's API page
    problems, seen_links = [], set()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(f"script error: {e}"))
        page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}") if r.url.startswith(server) else None)
        page.on("response", lambda r: errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 and r.url.startswith(server) else None)
        for path in pages():
            errors.clear()
            page.goto(server + path, wait_until="load")
            assert page.title(), f"{path}: no title"
            broken_imgs = page.eval_on_selector_all("img", "els => els.filter(e => !(e.complete && e.naturalWidth > 0)).map(e => e.src)")
            problems += [f"{path}: {e}" for e in errors] + [f"{path}: image does not show: {s}" for s in broken_imgs]
            for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
                url = urljoin(server + path, href)
                if not url.startswith(server) or href.startswith(("#", "mailto:")): continue
                target = unquote(urlparse(url).path)[1:]
                seen_links.add(target)
                f = SITE/target
                if not (f.is_file() or (f/"index.html").is_file()): problems.append(f"{path}: broken link {href}")
        page.goto(server, wait_until="load")
        page.screenshot(path=str(SITE.parent/"_docs_start_page.png"), full_page=False)
        browser.close()
    assert not problems, "\n".join(problems[:40])
    assert len(seen_links) >= 40

def test_notebook_pages_show_their_outputs(server):
    "A page of a run notebook carries the cells' outputs (the site was built from executed notebooks)."
    import re
    html = (SITE/"07b_memory"/"index.html").read_text()
    assert re.search(r"\d{1,3}(,\d{3})+ LoRA parameters at rank 16", html), "07b_memory's printed output is not on its page"
