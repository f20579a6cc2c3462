"""Open each kind of report in headless Chromium: charts render, nothing leaves the machine.

Drives Chromium over the DevTools protocol (websocket-client): every network request is
recorded, console errors and exceptions are collected, the DOM is inspected after load, and a
screenshot goes into the test's temp folder. Skipped only when no chromium is installed
(.ci/install-chromium.sh installs Debian's).
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from sim.report import build_report, render_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
websocket = pytest.importorskip("websocket", reason="needs websocket-client")

PROBE = """(() => Array.from(document.querySelectorAll('figure.chart')).map(f => {
  const svg = f.querySelector('svg');
  const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  return {title: f.dataset.title, shapes: svg ? svg.querySelectorAll('path,text,use').length : 0,
          text: svg ? svg.textContent : '', width: box.width, height: box.height};
}))()"""


class Browser:
    """A headless Chromium with one page, spoken to over the DevTools protocol."""

    def __init__(self, profile: Path):
        self.proc = subprocess.Popen(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--remote-debugging-port=0",
                f"--user-data-dir={profile}",
                "--window-size=1280,900",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.is_file() or not port_file.read_text().strip():
            if time.monotonic() > deadline:
                raise RuntimeError("chromium did not start")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as resp:
            pages = [p for p in json.load(resp) if p["type"] == "page"]
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=30)
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(msg["error"])
                return dict(msg.get("result", {}))
            self.events.append(msg)

    def wait_for(self, method: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == method for e in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(method)
            self.events.append(json.loads(self.ws.recv()))

    def close(self) -> None:
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture
def browser(tmp_path: Path):
    b = Browser(tmp_path / "profile")
    yield b
    b.close()


@pytest.mark.parametrize("kind", ["run", "compare", "sweep"])
def test_report_in_chromium(kind: str, browser: Browser, request, tmp_path: Path):
    doc = request.getfixturevalue(f"{kind}_doc")
    render_report(doc, tmp_path / "out", charts=False)
    page = (tmp_path / "out" / "report.html").resolve()
    for domain in ("Page", "Network", "Runtime", "Log"):
        browser.call(f"{domain}.enable")
    browser.call("Page.navigate", url=page.as_uri())
    browser.wait_for("Page.loadEventFired")
    charts = browser.call("Runtime.evaluate", expression=PROBE, returnByValue=True)
    found = {c["title"]: c for c in charts["result"]["value"]}
    expected = [c.title for c in build_report(doc).charts()]
    assert sorted(found) == sorted(expected)
    for title, c in found.items():
        assert c["shapes"] > 10 and c["width"] > 300 and c["height"] > 80, title
        assert title in c["text"], f"chart title not drawn: {title}"
    shot = browser.call("Page.captureScreenshot", format="png")
    png = tmp_path / f"{kind}.png"
    png.write_bytes(base64.b64decode(shot["data"]))
    assert png.stat().st_size > 10_000
    requests = [
        e["params"]["request"]["url"]
        for e in browser.events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    assert requests and all(u.startswith(("file://", "data:")) for u in requests), requests
    errors = [
        e["params"]
        for e in browser.events
        if e.get("method") == "Runtime.exceptionThrown"
        or (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] == "error")
        or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
    ]
    assert not errors, errors
