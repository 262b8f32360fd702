"""What the browser tests share: the whole system (tests/e2e's `start_system`), Chromium driven
by Playwright, and the `e2e` marker (they start every component: `-m "not e2e"` leaves them out).

They need Debian's `chromium` at /usr/bin/chromium (Playwright's own browser download cannot be
used here) and a CJK font (`fonts-wqy-microhei`), or every Chinese character is drawn as a box:
as root, `apt-get install -y chromium fonts-wqy-microhei` (.ci/run does it). Without them each
test is skipped and says which is missing.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from e2e.conftest import start_system  # noqa: F401  (the fixture, shared with the e2e modules)

HERE = Path(__file__).parent
CHROMIUM = os.environ.get("COURTFLOW_CHROMIUM", "/usr/bin/chromium")
# Every screenshot is also copied here, so that a developer can look at them after a run.
SHOTS_COPY = Path(os.environ.get("COURTFLOW_CONSOLE_SHOTS", "/tmp/console-shots"))


@pytest.hookimpl(tryfirst=True)   # before `-m` selects on the marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.e2e)


def _missing() -> str:
    try:
        import playwright.sync_api  # noqa: F401
        import axe_playwright_python  # noqa: F401
    except ImportError as exc:
        return f"Python package missing ({exc.name}): scripts/setup --group dev installs playwright and axe-playwright-python"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM}: as root, apt-get install -y chromium fonts-wqy-microhei"
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout if shutil.which("fc-list") else ""
    if not fonts.strip():
        return "no CJK font (Chinese would render as boxes): as root, apt-get install -y fonts-wqy-microhei"
    return ""


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Chromium, for one module. Playwright's sync API keeps an event loop running while it is
    open, where asyncio.run (the system's start and stop) cannot run: ask for it after the
    system, so that it is closed first."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def shots(tmp_path_factory) -> Path:
    """The screenshots' folder of this run (and SHOTS_COPY, emptied, gets a copy of each)."""
    folder = tmp_path_factory.mktemp("console-shots")
    shutil.rmtree(SHOTS_COPY, ignore_errors=True)
    SHOTS_COPY.mkdir(parents=True, exist_ok=True)
    return folder


CONSOLE = "/console/"


class Console:
    """One signed-in browser context: the page, what the console logged, and helpers."""

    def __init__(self, browser, cf, user: str, shots) -> None:
        self.base = cf.system.gateway_http
        self.user, self.shots = user, shots
        self.context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN",
                                           timezone_id="Asia/Shanghai")
        self.page = self.context.new_page()
        self.problems: list[str] = []
        # HTTP statuses a journey expects the API to answer (Chromium logs each as an error): a
        # test that submits bad input on purpose adds 400.
        self.refusals: set[int] = {401, 403}
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.password = cf.logins[user]["password"]

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.problems.append(f"CSP: {text}")
        elif message.type == "error":
            status = re.search(r"status of (\d{3})", text)
            if not (status and int(status.group(1)) in self.refusals) and "401" not in text and "403" not in text:
                self.problems.append(f"console error: {text}")

    def open(self, path: str) -> None:
        self.page.goto(self.base + CONSOLE.rstrip("/") + path)

    def sign_in(self, then: str = "") -> None:
        self.open(then or "/")
        self.page.get_by_label("用户名").fill(self.user)
        self.page.get_by_label("密码").fill(self.password)
        self.page.get_by_role("button", name="登录").click()
        self.page.get_by_role("button", name="退出登录").wait_for()

    def settled(self) -> None:
        """Wait until the page has loaded and shows no skeleton (the inbox's live stream stays open,
        so the network is never idle there)."""
        self.page.wait_for_load_state("load")
        self.page.wait_for_timeout(200)
        self.page.wait_for_function("() => !document.querySelector('[aria-busy=true]')", timeout=15000)

    def check(self, name: str) -> None:
        """The page as it is now: a screenshot (kept and copied), axe-core, the CSP, no errors."""
        self.settled()
        self.page.wait_for_timeout(300)   # charts draw after their data
        path = self.shots / f"{self.user}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        shutil.copy(path, SHOTS_COPY / path.name)
        from axe_playwright_python.sync_playwright import Axe
        results = Axe().run(self.page)
        bad = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]} "
               f"{v['nodes'][0].get('failureSummary', '')}"
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert not bad, f"{name}: accessibility violations\n" + "\n".join(bad)
        assert not self.problems, f"{name}: " + "\n".join(self.problems)

    def close(self) -> None:
        self.context.close()


def consoles(browser, cf, shots) -> Iterator:
    """The body of each module's `console` fixture: a function opening a signed-in console as a
    user, every one it opened closed afterwards. (Each module's fixture names the data it needs.)"""
    opened: list[Console] = []

    def open_as(user: str) -> Console:
        c = Console(browser, cf, user, shots)
        opened.append(c)
        return c
    yield open_as
    for c in opened:
        c.close()


def table_rows(page):
    """The body rows of the page's Element Plus table."""
    return page.locator(".el-table__body-wrapper tr.el-table__row")
