"""The app served by `streamlit run`, seen in a real browser, shows the warehouse's CM2."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from dashboards.formatting import format_money

REPO_ROOT = Path(__file__).resolve().parents[2]
APP = REPO_ROOT / "dashboards" / "streamlit_app.py"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_TIMEOUT_S = 90


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"streamlit exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"streamlit did not answer within {STARTUP_TIMEOUT_S} s:\n{log.read_text()}")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@pytest.mark.slow
def test_browser_shows_the_cm2_of_the_warehouse(published_warehouse: Path, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no browser at {CHROMIUM}")
    with duckdb.connect(str(published_warehouse), read_only=True) as connection:
        cm2, currency = connection.execute(
            """
            select sum(cm2_amount_rc), any_value(reporting_currency_code)
            from marts.fct_order_lines
            """
        ).fetchone()
    expected = format_money(cm2, currency, decimals=0)  # as the tile shows it

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "streamlit.log"
    env = {**os.environ, "PROFITLENS_WAREHOUSE_DIR": str(published_warehouse.parent)}
    command = [
        *(sys.executable, "-m", "streamlit", "run", str(APP)),
        *("--server.headless", "true"),
        *("--server.port", str(port)),
        *("--server.address", "127.0.0.1"),
        *("--server.fileWatcherType", "none"),
        *("--browser.gatherUsageStats", "false"),
    ]
    with log.open("w") as log_file:
        server = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
    try:
        wait_until_healthy(url, server, log)
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1440, "height": 960})
                page.goto(url)
                # "CM2 %" also contains "CM2": match the label exactly.
                label = page.get_by_test_id("stMetricLabel").get_by_text("CM2", exact=True)
                tile = page.get_by_test_id("stMetric").filter(has=label)
                sync_api.expect(tile.get_by_test_id("stMetricValue")).to_have_text(
                    expected, timeout=60_000
                )
                # Let the rest of the page finish before the screenshot.
                sync_api.expect(page.get_by_test_id("stVegaLiteChart")).to_be_visible()
                tables = page.get_by_test_id("stDataFrame")
                sync_api.expect(tables).to_have_count(2)  # top customers, top products
                for table in tables.all():
                    sync_api.expect(table).to_be_visible()
                page.wait_for_timeout(1_000)
                page.screenshot(path=tmp_path / "overview.png", full_page=True)
                assert not page.get_by_test_id("stException").count()
            finally:
                browser.close()
    finally:
        stop(server)
