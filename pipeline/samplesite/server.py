"""Serve the sample site over real HTTP on localhost, and describe it as crawl sources.

The server runs in a daemon thread so that a test or ``ltwatch demo`` can start it, crawl
it and close it in one process. Every request path is logged so tests can assert how many
times a page was fetched (e.g. that a second crawl hits nothing it already stored).
"""

from __future__ import annotations

import json
import socket
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

import yaml

PACKAGE_DIR: Path = Path(__file__).parent
SITE_DIR: Path = PACKAGE_DIR / "site"
EXPECTED_PATH: Path = PACKAGE_DIR / "expected.json"

BASE_URL_PLACEHOLDER = "{{BASE_URL}}"

# Feeds need their specific types: some feed parsers sniff by Content-Type.
_CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".jpg": "image/jpeg",
    ".png": "image/png",
}
_FEED_TYPES: dict[str, str] = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
}
# A feed cut off mid-item: not well-formed XML, as when a server dies mid-response.
_MALFORMED_FEED = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n  <channel>\n'
    "    <title>Broken feed</title>\n    <item>\n      <title>Truncated item</title>\n"
    "      <link>{{BASE_URL}}/trt/turkiye/mit-chief-kalin-meets-haftar-in-benghazi.html"
)

# The outlets of the sample site, as crawl sources: (name, kind, feed path).
SAMPLE_SOURCES: tuple[tuple[str, str, str], ...] = (
    ("trt-sample", "rss", "/trt/feed.xml"),
    ("wire-sample", "atom", "/wire/atom.xml"),
    ("observer-sample", "rss", "/observer/rss.xml"),
    # Anadolu-style: English and Turkish pages in one feed (Turkish outlets often report first).
    ("aa-sample", "rss", "/aa/rss.xml"),
)


def load_expected() -> dict[str, Any]:
    """The ground truth for the sample pages, keyed by path relative to ``SITE_DIR``."""
    data: dict[str, Any] = json.loads(EXPECTED_PATH.read_text(encoding="utf-8"))
    return data


def _feed_kind(body: bytes) -> str | None:
    """'rss' or 'atom' from the root element (cheap sniff of the first bytes)."""
    head = body[:400]
    if b"<rss" in head:
        return "rss"
    if b"<feed" in head:
        return "atom"
    return None


def _content_type(path: Path, body: bytes) -> str:
    if path.suffix == ".xml":
        return _FEED_TYPES.get(_feed_kind(body) or "", "application/xml; charset=utf-8")
    return _CONTENT_TYPES.get(path.suffix, "application/octet-stream")


class _Handler(BaseHTTPRequestHandler):
    """Serves files from ``SITE_DIR`` with ``{{BASE_URL}}`` substituted, plus fault paths."""

    server: _SampleHTTPServer
    protocol_version = "HTTP/1.1"
    # Fault endpoints for tests of error handling; everything else is a file or a 404.
    FAULTS: ClassVar[tuple[str, ...]] = ("/fault/500", "/fault/malformed.xml")

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _respond(self, *, send_body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        self.server.record(path)
        if path == "/fault/500":
            self._send(
                HTTPStatus.INTERNAL_SERVER_ERROR, b"internal error\n", "text/plain", send_body
            )
        elif path == "/fault/malformed.xml":
            body = self._substitute(_MALFORMED_FEED.encode())
            self._send(HTTPStatus.OK, body, _FEED_TYPES["rss"], send_body)
        else:
            self._serve_file(path, send_body)

    def _serve_file(self, path: str, send_body: bool) -> None:
        target = self._resolve(path)
        if target is None:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", send_body)
            return
        body = target.read_bytes()
        if target.suffix in (".xml", ".html", ".htm"):
            body = self._substitute(body)
        self._send(HTTPStatus.OK, body, _content_type(target, body), send_body)

    @staticmethod
    def _resolve(path: str) -> Path | None:
        """The file under ``SITE_DIR`` for a URL path, or None (also for ``..`` escapes)."""
        relative = path.lstrip("/") or "index.html"
        candidate = (SITE_DIR / relative).resolve()
        if candidate.is_dir():
            candidate = candidate / "index.html"
        if not candidate.is_relative_to(SITE_DIR.resolve()) or not candidate.is_file():
            return None
        return candidate

    def _substitute(self, body: bytes) -> bytes:
        return body.replace(BASE_URL_PLACEHOLDER.encode(), self.server.base_url.encode())

    def _send(self, status: HTTPStatus, body: bytes, ctype: str, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        # Keep test output quiet: the request log is in SampleSite.requests.
        pass


class _SampleHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, _Handler)
        host, port = self.server_address[:2]
        self.base_url = f"http://{host}:{port}"
        self._lock = threading.Lock()
        self._requests: list[str] = []

    def record(self, path: str) -> None:
        with self._lock:
            self._requests.append(path)

    def snapshot(self) -> list[str]:
        with self._lock:
            return list(self._requests)

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()


class SampleSite:
    """A running sample site. Use as a context manager, or call :meth:`close`."""

    def __init__(self, httpd: _SampleHTTPServer) -> None:
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, name="samplesite", kwargs={"poll_interval": 0.1}
        )
        self._thread.daemon = True
        self._closed = False

    @property
    def base_url(self) -> str:
        """E.g. ``http://127.0.0.1:41234`` (no trailing slash)."""
        return self._httpd.base_url

    @property
    def requests(self) -> list[str]:
        """A copy of the paths requested so far, in order (query strings stripped)."""
        return self._httpd.snapshot()

    def clear_requests(self) -> None:
        self._httpd.clear()

    def url(self, path: str) -> str:
        """Absolute URL for a site path such as ``trt/feed.xml``."""
        return f"{self.base_url}/{path.lstrip('/')}"

    def start(self) -> SampleSite:
        self._thread.start()
        return self

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> SampleSite:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def serve(host: str = "127.0.0.1", port: int = 0) -> SampleSite:
    """Start serving the sample site in a daemon thread; ``port=0`` picks a free port."""
    return SampleSite(_SampleHTTPServer((host, port))).start()


def _unused_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now (bound then released: connections get refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
    return port


def write_sources_file(base_url: str, path: Path, *, include_broken: bool = False) -> Path:
    """Write a sources YAML for the sample site at ``base_url``; returns ``path``.

    The sample outlets come first (see ``SAMPLE_SOURCES``). With ``include_broken`` three
    failing sources are added: an unreachable port, a feed
    answering HTTP 500, and a truncated feed, so that crawls can be tested for isolation.
    """
    base = base_url.rstrip("/")
    host = urlsplit(base).hostname or "127.0.0.1"
    sources: list[dict[str, Any]] = [
        _source(name, kind, f"{base}{feed}", host) for name, kind, feed in SAMPLE_SOURCES
    ]
    if include_broken:
        dead = f"http://127.0.0.1:{_unused_port()}/feed.xml"
        sources += [
            _source("broken-unreachable", "rss", dead, "127.0.0.1"),
            _source("broken-http-500", "rss", f"{base}/fault/500", host),
            _source("broken-malformed", "rss", f"{base}/fault/malformed.xml", host),
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump({"sources": sources}, sort_keys=False, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def _source(name: str, kind: str, url: str, host: str) -> dict[str, Any]:
    return {"name": name, "kind": kind, "url": url, "allowed_domains": [host], "language": "en"}
