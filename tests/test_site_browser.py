# SPDX-License-Identifier: MIT
"""The generated site in a real headless Chromium (Debian's `chromium`, driven by Playwright).

Every page is opened from file://, as a reader who downloads the site would. `.ci/run`
installs chromium when it is missing; without it these tests skip locally and fail in CI.
Screenshots go to a temporary folder, or to docs/images/ with SPEC_CHECK_UPDATE_SCREENSHOTS=1;
the layout test fails on elements that overflow the viewport, never on pixels.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SPEC_008
from test_site import SITE_SPECS, write_site

AXE = ROOT / "tests" / "site" / "vendor" / "axe.min.js"
SPEC = "specs/008-build-optimization-complete/index.html"
GRAPH = "specs/008-build-optimization-complete/graph.html"


def _browser_or_skip():
    reason = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "playwright is not installed (pip install -e '.[test]')"
        sync_playwright = None
    if reason is None and not shutil.which("chromium"):
        reason = "no chromium on PATH (apt-get install -y chromium; .ci/run does it)"
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return sync_playwright


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return write_site(tmp_path_factory.mktemp("browser-site") / "site", SPEC_008, SITE_SPECS)


@pytest.fixture(scope="module")
def browser():
    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        yield b
        b.close()


class Watched:
    """A page with every console message, page error and failed request recorded."""

    def __init__(self, browser, width=1280, height=900):
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.problems: list[str] = []
        self.page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}")
                     if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url}"))
        self.page.on("request", lambda r: None if r.url.startswith("file://") else
                     self.problems.append(f"request outside the site: {r.url}"))

    def open(self, site: Path, name: str):
        self.page.goto((site / name).as_uri())
        self.page.wait_for_load_state("load")
        return self.page

    def close(self):
        self.page.close()


@pytest.fixture
def watched(browser):
    pages: list[Watched] = []

    def make(**kw):
        pages.append(Watched(browser, **kw))
        return pages[-1]

    yield make
    for w in pages:
        w.close()


@pytest.mark.parametrize("name", ["index.html", SPEC, GRAPH, "specs/cyclic-uncovered/graph.html",
                                  "specs/hostile-labels/index.html", "specs/hostile-labels/graph.html"])
def test_pages_load_from_file_without_errors_or_failed_requests(site, watched, name):
    w = watched()
    page = w.open(site, name)
    if name.endswith("graph.html"):
        page.wait_for_selector("#graph[data-ready=true]")
        assert page.evaluate("window.specCheckGraph.nodes().length") > 0
    assert w.problems == []


def _hash(page) -> str:
    return page.evaluate("location.hash")


def test_click_story_to_task_and_back_to_story(site, watched):
    w = watched()
    page = w.open(site, SPEC)
    story = page.locator("article.story").filter(has=page.locator("h3 .id", has_text="US3")).first
    story_id = story.get_attribute("id")
    story.locator(":scope > p.trace", has_text="Implemented by").locator("a", has_text="T013").click()
    task_anchor = _hash(page)
    task = page.locator(f"div{task_anchor}")
    assert task.locator("h4 .id").inner_text() == "T013"
    assert task.is_visible() and task.evaluate("e => e.matches(':target')")
    task.locator("p.trace", has_text="Implements").locator("a", has_text="US3").first.click()
    target = page.locator(_hash(page))  # US3-S1, the scenario of US3 that T013 implements
    assert target.evaluate("e => e.matches(':target') && e.closest('article.story').id") == story_id
    assert target.is_visible()
    assert w.problems == []


def test_search_finds_a_task_in_another_spec_and_opens_it(site, watched):
    w = watched()
    page = w.open(site, "index.html")
    page.fill("#search", "T013 proc-macro")
    results = page.locator("#search-results a")
    results.first.wait_for()
    assert "T013" in results.first.inner_text()
    results.first.click()
    page.wait_for_load_state("load")
    assert page.url.split("#")[0].endswith(SPEC)
    assert page.locator(f"div{_hash(page)} h4 .id").inner_text() == "T013"
    page.fill("#search", "no such words anywhere zzz")
    assert page.locator("#search-results li").inner_text() == "No match"
    assert w.problems == []


def test_the_uncovered_story_comes_first_in_the_matrix(site, watched):
    w = watched()
    page = w.open(site, "specs/cyclic-uncovered/index.html")
    first = page.locator("#story-matrix tbody tr").first
    assert first.get_attribute("class") == "cov-uncovered"
    assert "US2 Email the report" in first.inner_text()
    first.locator("a", has_text="US2").first.click()
    assert page.locator(f"{_hash(page)} .badge", has_text="uncovered").is_visible()


def test_the_cycle_is_highlighted_in_the_graph_and_a_node_click_opens_the_task(site, watched):
    w = watched()
    page = w.open(site, "specs/cyclic-uncovered/graph.html")
    page.wait_for_selector("#graph[data-ready=true]")
    cycle = page.evaluate("window.specCheckGraph.nodes('.cycle').map(n => n.data('title')).sort()")
    assert cycle == ["T002 Add the download endpoint", "T003 Cache the CSV"]
    colours = page.evaluate("window.specCheckGraph.nodes('.cycle').map(n => n.style('border-color'))")
    plain = page.evaluate("window.specCheckGraph.nodes().filter(n => !n.hasClass('cycle'))"
                          ".map(n => n.style('border-color'))")
    assert plain
    assert set(colours) == {"rgb(208,2,27)"} and "rgb(208,2,27)" not in plain
    assert page.evaluate("window.specCheckGraph.edges('.cycle').length") == 2
    box = page.locator("#graph").bounding_box()
    pos = page.evaluate("(() => { const p = window.specCheckGraph.nodes('.cycle')[0].renderedPosition();"
                        " return [p.x, p.y]; })()")
    page.mouse.click(box["x"] + pos[0], box["y"] + pos[1])
    page.wait_for_url("**/cyclic-uncovered/index.html#task*")
    assert page.locator(f"div{_hash(page)} .badge", has_text="cycle").is_visible()
    assert w.problems == []


def test_the_graph_pans_and_zooms(site, watched):
    w = watched()
    page = w.open(site, GRAPH)
    page.wait_for_selector("#graph[data-ready=true]")
    zoom = page.evaluate("window.specCheckGraph.zoom()")
    box = page.locator("#graph").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -400)
    page.wait_for_timeout(200)
    assert page.evaluate("window.specCheckGraph.zoom()") > zoom
    pan = page.evaluate("window.specCheckGraph.pan()")
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 90, steps=5)
    page.mouse.up()
    assert page.evaluate("window.specCheckGraph.pan()") != pan


def test_hostile_labels_render_as_text_and_run_nothing(site, watched):
    w = watched()
    for name in ("specs/hostile-labels/index.html", "specs/hostile-labels/graph.html", "index.html"):
        page = w.open(site, name)
        if name.endswith("graph.html"):
            page.wait_for_selector("#graph[data-ready=true]")
        assert page.evaluate("window.__pwned") is None, name
        assert page.locator("main img, main iframe, main svg[onload], main style").count() == 0
        assert page.locator("a[href^='javascript' i]").count() == 0
    page = w.open(site, "specs/hostile-labels/index.html")
    assert page.locator("h1").inner_text() == "<b>666</b>: Hostile <script>window.__pwned = 1</script> feature"
    assert page.locator("#story1 h3").inner_text().startswith('US1 "><img src=x onerror="window.__pwned = 5">')
    page.fill("#search", "pwned")
    page.locator("#search-results a").first.wait_for()
    texts = page.locator("#search-results a").all_inner_texts()
    assert any("<script>window.__pwned=14</script>" in t for t in texts)
    assert page.locator("#search-results img").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert w.problems == []


def _serious(page) -> list[str]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate("axe.run(document, {resultTypes: ['violations']})"
                          ".then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
                          ".map(v => v.id + ': ' + v.help + ' ' + v.nodes.map(n => n.target.join(' ')).join(', ')))")
    return found


@pytest.mark.parametrize("name", ["index.html", SPEC, GRAPH])
def test_no_serious_accessibility_violations(site, browser, name):
    # The pages' Content-Security-Policy forbids inline scripts, axe's injection included.
    page = browser.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    try:
        page.goto((site / name).as_uri())
        if name.endswith("graph.html"):
            page.wait_for_selector("#graph[data-ready=true]")
        assert _serious(page) == []
    finally:
        page.close()


OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width + 1) out.push('page scrolls sideways: ' + document.documentElement.scrollWidth);
  for (const e of document.querySelectorAll('body *')) {
    if (e.closest('.scroll, #graph, .skip, .search-results[hidden], script')) continue;
    const r = e.getBoundingClientRect();
    if (r.width && (r.right > width + 1 || r.left < -1)) out.push(e.tagName + '.' + e.className + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
  }
  return out.slice(0, 10);
}"""


@pytest.fixture(scope="module")
def example_site(tmp_path_factory) -> Path:
    """The site of the README's screenshots: the 008 example and a spec with findings."""
    return write_site(tmp_path_factory.mktemp("example-site") / "site", SPEC_008, SITE_SPECS / "cyclic-uncovered")


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_of_index_spec_and_graph_with_nothing_overflowing(example_site, watched, width, tmp_path):
    site = example_site
    target = ROOT / "docs" / "images" if os.environ.get("SPEC_CHECK_UPDATE_SCREENSHOTS") else tmp_path
    w = watched(width=width, height=900)
    for name, shot in (("index.html", "site-index"), (SPEC, "site-spec"), (GRAPH, "site-graph")):
        page = w.open(site, name)
        if name == GRAPH:
            page.wait_for_selector("#graph[data-ready=true]")
            box = page.evaluate("window.specCheckGraph.elements().renderedBoundingBox()")
            holder = page.locator("#graph").bounding_box()
            assert box["x1"] >= -1 and box["x2"] <= holder["width"] + 1, "the laid-out graph does not fit its box"
        assert page.evaluate(OVERFLOW) == [], f"{name} at {width}px"
        if width == 1280:
            page.screenshot(path=str(target / f"{shot}.png"))
            assert (target / f"{shot}.png").stat().st_size > 10_000
    assert w.problems == []
