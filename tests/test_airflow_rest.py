"""The real thing: Airflow's scheduler, DAG processor, triggerer and API server on loopback,
started the way ``ltwatch airflow`` starts them, driven through the REST API.

One Airflow for the whole module (starting it costs ~30 s): ``airflow standalone`` with the
LocalExecutor, its metadata database on the test PostgreSQL server, the project's database
the test database, the sample site as the sources, and the shared webhook receiver as the
alert channel.

- ``crawl`` is triggered through ``POST /api/v2/dags/crawl/dagRuns``; ``process`` and
  ``alert`` must follow through the ``pages`` and ``events`` assets; the task states and
  the summaries (XCom) are read back through the API and checked against Postgres.
- A screenshot of the grid view of the finished ``crawl`` run, with headless Chromium
  (skipped, saying why, when Chromium is not installed), is saved as
  ``artifacts/airflow-grid.png``.
- Fault: the worker running a crawl task is killed mid-crawl (the task process and its
  Scrapy child, SIGKILL); the retry finishes the source, no stored page is lost, none is
  stored twice.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import sqlalchemy as sa

from pipeline import db
from pipeline.airflow_local import airflow_environment, ensure_database, prepare_metadata
from pipeline.settings import PROJECT_ROOT, Settings
from tests.airflow_api import (
    LocalAirflow,
    admin_token,
    by_task,
    count_rows,
    free_port,
    wait_until_up,
)
from tests.conftest import WebhookReceiver, empty_database

pytestmark = pytest.mark.slow

ARTIFACTS = PROJECT_ROOT / "artifacts"
SCREENSHOT = ARTIFACTS / "airflow-grid.png"


# --- a slow outlet: the sample site's TRT feed through a proxy that serves one article page
# --- every few seconds, so that a crawl of it can be killed half-way ----------------------


class SlowProxy:
    def __init__(self, upstream: str, delay: float) -> None:
        self.upstream = upstream.rstrip("/")
        self.delay = delay
        self.requested: list[str] = []
        self._one_at_a_time = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                proxy._serve(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        if path.startswith("/robots.txt"):
            handler.send_response(404)
            handler.end_headers()
            return
        is_feed = path.endswith(".xml")
        if not is_feed:
            self.requested.append(path.split("?")[0])
        lock = contextlib.nullcontext() if is_feed else self._one_at_a_time
        with lock:
            if not is_feed:
                time.sleep(self.delay)
            response = httpx.get(self.upstream + path, timeout=10)
        # Links in the feed point at the sample site: make them point here.
        body = response.content.replace(self.upstream.encode(), self.base.encode())
        # The crawler may be killed while we answer it: that is the point of the test.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            handler.send_response(response.status_code)
            handler.send_header("Content-Type", response.headers.get("content-type", "text/html"))
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# --- the Airflow under test -------------------------------------------------------------------


@pytest.fixture(scope="module")
def airflow(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalAirflow]:
    from pipeline.samplesite import serve, write_sources_file

    started = time.perf_counter()
    home = tmp_path_factory.mktemp("airflow-rest")
    url = empty_database(database_url)
    metadata = f"ltwatch_test_airflow_{uuid.uuid4().hex[:8]}"
    ensure_database(url, metadata)
    site = serve()
    webhook = WebhookReceiver()
    sources = write_sources_file(site.base_url, home / "sources.yaml")
    port = free_port()
    settings = Settings(
        database_url=url, data_dir=home / "data", alert_urls=[webhook.url], sources=sources
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "LTWATCH_"))}
    env |= airflow_environment(settings, port=port, project_url=url, metadata_database=metadata)
    env |= {
        "AIRFLOW_HOME": str(home / "airflow"),
        # Crawl only when the test triggers it; retries seconds apart, not minutes.
        "LTWATCH_SCHEDULE": "none",
        "LTWATCH_RETRY_DELAY": "3s",
        # The operator's opt-in to start the DAGs unpaused (paused at creation otherwise).
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        # New DAG files are picked up at once, not after the default 5 minutes.
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
    }
    prepare_metadata(env)
    log = home / "standalone.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "airflow", "standalone"],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=home,
            # As ltwatch airflow does: SIGINT (standalone's clean stop) must not be ignored.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url, process, log)
        token = admin_token(base_url, Path(env["AIRFLOW_HOME"]))
        airflow = LocalAirflow(base_url, token, env, log, sources, url, webhook, site.base_url)
        dags = airflow.wait_for_dags()
        assert not any(d["is_paused"] for d in dags.values())
        print(f"Airflow up in {time.perf_counter() - started:.1f} s")
        yield airflow
    finally:
        # Stop standalone as Ctrl-C would; then make sure nothing of it is left. Standalone
        # terminates its components, then waits for their output pipes to close, which
        # their own children keep open: it does not exit by itself (20 s measured, killed
        # then). No test depends on how it stops, so its process group gets SIGTERM soon.
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGINT)
        for sig, grace in ((signal.SIGTERM, 5), (signal.SIGKILL, 10)):
            try:
                process.wait(timeout=grace)
                break
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, sig)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        webhook.close()
        site.close()
        with psycopg.connect(db.libpq_url(url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{metadata}" WITH (FORCE)')


@pytest.fixture(scope="module")
def chain(airflow: LocalAirflow) -> dict[str, Any]:
    """crawl triggered through the API, then process and alert through the assets."""
    started = time.perf_counter()
    run_id = airflow.trigger("crawl")
    crawl = airflow.wait_for_run("crawl", run_id=run_id)
    process = airflow.wait_for_run("process", run_type="asset_triggered")
    alert = airflow.wait_for_run("alert", run_type="asset_triggered")
    print(f"crawl → process → alert through the API: {time.perf_counter() - started:.1f} s")
    return {"crawl": crawl, "process": process, "alert": alert}


def test_crawl_triggered_through_the_api_is_followed_by_process_and_alert(
    airflow: LocalAirflow, chain: dict[str, Any]
) -> None:
    crawl, process, alert = chain["crawl"], chain["process"], chain["alert"]
    assert crawl["state"] == "success", airflow.tail()
    assert crawl["run_type"] == "manual"
    # Started by the assets, not by a timer or a person.
    assert process["run_type"] == "asset_triggered", process
    assert alert["run_type"] == "asset_triggered", alert
    assert process["state"] == "success", airflow.tail()
    assert alert["state"] == "success", airflow.tail()

    url = airflow.database_url
    tis = by_task(airflow.task_instances("crawl", crawl["dag_run_id"]))
    mapped = {k: v for k, v in tis.items() if k.startswith("crawl_source[")}
    assert len(mapped) == 4 and {t["state"] for t in mapped.values()} == {"success"}
    assert {t["rendered_map_index"] for t in mapped.values()} == {
        "trt-sample",
        "wire-sample",
        "observer-sample",
        "aa-sample",
    }
    assert tis["publish_pages"]["state"] == "success"
    assert tis["watcher"]["state"] == "skipped"

    # The figures in the summaries are what is in Postgres.
    summaries = [
        airflow.xcom("crawl", crawl["dag_run_id"], "crawl_source", t["map_index"])
        for t in mapped.values()
    ]
    pages_new = sum(f["pages_new"] for s in summaries for f in s["sources"].values())
    assert pages_new == count_rows(url, "pages") > 0
    for summary in summaries:
        assert summary["summary"].startswith("crawl: 1 sources, ")
    published = airflow.xcom("crawl", crawl["dag_run_id"], "publish_pages")
    assert published["pages_new"] == pages_new

    processed = airflow.xcom("process", process["dag_run_id"], "process_pages")
    assert processed["pages_processed"] == count_rows(url, "articles")
    events = count_rows(url, "events")
    assert sum(f["events_new"] for f in processed["sources"].values()) == events > 0
    assert f"{events} events created" in processed["summary"]

    # Unpausing alert also starts one run for its timer's latest slot (catchup=False), which
    # may drain part of the outbox first: add up every alert run's summary.
    runs = [r for r in airflow.runs("alert") if r["state"] == "success"]
    sent = [airflow.xcom("alert", r["dag_run_id"], "send_alerts") for r in runs]
    assert sum(s["alerts_sent"] for s in sent) == events == len(airflow.webhook.messages)
    assert all(s["summary"].startswith("alert: ") for s in sent)
    assert count_rows(url, "alert_outbox", "status = 'sent'") == events


def test_a_screenshot_of_the_grid_view_of_the_finished_run(
    airflow: LocalAirflow, chain: dict[str, Any]
) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip(
            "no screenshot: Chromium is not installed (Debian: apt-get install -y chromium)"
        )
    run_id = chain["crawl"]["dag_run_id"]
    target = f"{airflow.base_url}/dags/crawl/runs/{run_id}"

    # The UI authenticates with the `_token` cookie. Cookies are per host, not per port, so
    # a one-shot page on another loopback port can set it for the API server's host.
    class SetCookie(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(302)
            self.send_header("Set-Cookie", f"_token={airflow.token}; Path=/; SameSite=Lax")
            self.send_header("Location", target)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), SetCookie)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ARTIFACTS.mkdir(exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    try:
        proc = subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",  # CI runs as root
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--window-size=1600,1000",
                # Let the UI's JavaScript fetch the run and draw the grid before the shot.
                "--virtual-time-budget=20000",
                f"--user-data-dir={ARTIFACTS / 'chromium-profile'}",
                f"--screenshot={SCREENSHOT}",
                f"http://127.0.0.1:{server.server_port}/",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(ARTIFACTS / "chromium-profile", ignore_errors=True)
    assert SCREENSHOT.exists() and SCREENSHOT.stat().st_size > 10_000, proc.stderr[-3000:]


def _scrapy_processes(source: str) -> list[Any]:
    import psutil

    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if "scrapy" in cmdline and f"only={source}" in cmdline:
            found.append(proc)
    return found


def test_a_worker_killed_mid_crawl_is_retried_and_no_page_is_lost_or_stored_twice(
    airflow: LocalAirflow, chain: dict[str, Any]
) -> None:
    import psutil
    import yaml

    url = airflow.database_url
    proxy = SlowProxy(airflow.site_url, delay=3.0)
    source = "slow-sample"
    try:
        # Read by enabled_sources at run time: the next run crawls only the slow outlet.
        airflow.sources.write_text(
            yaml.safe_dump(
                {
                    "sources": [
                        {
                            "name": source,
                            "kind": "rss",
                            "url": f"{proxy.base}/trt/feed.xml",
                            "allowed_domains": ["127.0.0.1"],
                            "language": "en",
                        }
                    ]
                }
            )
        )
        run_id = airflow.trigger("crawl")
        deadline = time.monotonic() + 180
        while count_rows(url, "pages", "source = :s", s=source) == 0:
            assert time.monotonic() < deadline, airflow.tail()
            time.sleep(0.3)
        before = count_rows(url, "pages", "source = :s", s=source)
        # Kill the task's process and its crawler, as the death of the worker running them
        # would: SIGKILL, no chance to clean up.
        children = _scrapy_processes(source)
        assert children, "the crawler is not running"
        victims = {p.pid for p in children} | {p.ppid() for p in children}
        for pid in victims:
            with contextlib.suppress(psutil.NoSuchProcess):
                psutil.Process(pid).kill()
        run = airflow.wait_for_run("crawl", run_id=run_id, timeout=300)
        tis = by_task(airflow.task_instances("crawl", run_id))
        crawl_ti = tis["crawl_source[0]"]
        assert crawl_ti["state"] == "success", airflow.tail()
        assert crawl_ti["try_number"] >= 2
        assert run["state"] == "success"
    finally:
        proxy.close()
    stored = count_rows(url, "pages", "source = :s", s=source)
    articles = set(proxy.requested)
    # The retry finished the work: every article the feed lists is stored, once; the pages
    # stored before the kill were kept; pages.url is UNIQUE, so also count distinct URLs.
    assert stored == len(articles) == 3
    assert before < stored
    with db.get_engine(url).connect() as conn:
        distinct = conn.execute(
            sa.text("SELECT count(DISTINCT url) FROM pages WHERE source = :s"), {"s": source}
        ).scalar_one()
    assert distinct == stored
    retry = airflow.xcom("crawl", run_id, "crawl_source", 0)
    assert retry["sources"][source]["pages_new"] == stored - before
