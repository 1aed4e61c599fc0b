"""A fault-injecting HTTP server on 127.0.0.1 for the crawler's tests and benchmark.

Every path is a :class:`Route`: a normal resource (status, type, body, headers, with an ETag
and Last-Modified that make conditional requests answer 304), or one of the faults an
outlet can play on a crawler:

``hang``            accepts the request and never answers (time-out)
``drip``            answers 200 and then sends one byte at a time, slowly (slow drip)
``reset``           reads the request and resets the connection (RST)
``close``           closes the connection without a byte (empty reply)
``truncated``       promises Content-Length N and closes after half of it
``gzip_bomb``       a small gzip body that inflates to ``size`` bytes of zeros
``oversize``        streams ``size`` bytes without a Content-Length
``redirect_loop``   302 → the other of two URLs, forever
``redirect``        302 → ``location`` (e.g. another host name: off the source's domains)
``status``          any HTTP status with optional headers (404, 500, 429 + Retry-After …)
``hold``            answers normally, but only once the test calls :meth:`FaultServer.let_go`
                    (:meth:`FaultServer.wait_held` says when the request has arrived): a
                    crawl held mid-way, deterministically, while the test disturbs it

Every request is recorded (path, selected headers), so tests can count what a crawl asked
for, e.g. that a second run over an unchanged site sends only the feeds.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LAST_MODIFIED = "Mon, 25 Aug 2025 09:00:00 GMT"
# How often the test servers' serve_forever loops look for shutdown(): the default (0.5 s)
# is what every close() of a test's server would wait, hundreds of times per suite.
POLL = 0.05


@dataclass
class Route:
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    fault: str | None = None
    size: int = 0  # gzip_bomb / oversize / drip length
    location: str = ""  # redirect target
    validators: bool = True  # send ETag/Last-Modified and honour conditional requests


@dataclass(frozen=True)
class Hit:
    path: str
    if_none_match: str | None
    if_modified_since: str | None
    user_agent: str | None


class FaultServer:
    """Serves :attr:`routes` on 127.0.0.1; ``base`` and ``other`` (another host name)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.release = threading.Event()
        self._held = threading.Condition()
        self._arrived: set[str] = set()
        self._let_go: set[str] = set()
        self._lock = threading.Lock()
        self._bomb_cache: dict[int, bytes] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            # HTTP/1.0: one request per connection, so each fault is played on its own.
            protocol_version = "HTTP/1.0"

            def do_GET(self) -> None:
                server._handle(self)

            def log_message(self, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_port
        self.base = f"http://127.0.0.1:{self.port}"
        self.other = f"http://localhost:{self.port}"  # the same server, another domain
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": POLL}, daemon=True
        )
        self.thread.start()

    # -- configuration ----------------------------------------------------------------------

    def add(self, path: str, body: bytes | str = b"", **kwargs: object) -> str:
        """Serve ``body`` (or a fault) at ``path``; returns the absolute URL."""
        if isinstance(body, str):
            body = body.encode()
        self.routes[path] = Route(body=body, **kwargs)  # type: ignore[arg-type]
        return self.base + path

    def url(self, path: str) -> str:
        return self.base + path

    # -- inspection ---------------------------------------------------------------------------

    def paths(self, prefix: str = "/") -> list[str]:
        with self._lock:
            return [h.path for h in self.hits if h.path.startswith(prefix)]

    def count(self, prefix: str = "/") -> int:
        return len(self.paths(prefix))

    def reset_hits(self) -> None:
        with self._lock:
            self.hits.clear()

    def wait_held(self, path: str, timeout: float = 60.0) -> bool:
        """Wait until the request for the ``hold`` route ``path`` has arrived."""
        with self._held:
            return self._held.wait_for(lambda: path in self._arrived, timeout)

    def let_go(self, path: str) -> None:
        """Answer the held request for ``path`` (and any later one) at once."""
        with self._held:
            self._let_go.add(path)
            self._held.notify_all()

    def close(self) -> None:
        self.release.set()
        with self._held:
            self._let_go.update(self.routes)
            self._held.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- serving ------------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?")[0]
        with self._lock:
            self.hits.append(
                Hit(
                    handler.path,
                    handler.headers.get("If-None-Match"),
                    handler.headers.get("If-Modified-Since"),
                    handler.headers.get("User-Agent"),
                )
            )
        route = self.routes.get(path)
        if route is None:
            if path == "/robots.txt":
                route = Route(content_type="text/plain", body=b"User-agent: *\nAllow: /\n")
            else:
                route = Route(status=404, content_type="text/plain", body=b"not found")
        play: Callable[[BaseHTTPRequestHandler, Route], None] = getattr(
            self, f"_fault_{route.fault}" if route.fault else "_serve"
        )
        # The crawler may give up first (time-out, size limit): that is the point.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            play(handler, route)

    def _serve(self, handler: BaseHTTPRequestHandler, route: Route) -> None:
        headers = dict(route.headers)
        if route.validators and route.status == 200:
            etag = '"' + hashlib.sha1(route.body).hexdigest()[:16] + '"'
            headers.setdefault("ETag", etag)
            headers.setdefault("Last-Modified", LAST_MODIFIED)
            if handler.headers.get("If-None-Match") == headers["ETag"] or (
                handler.headers.get("If-None-Match") is None
                and handler.headers.get("If-Modified-Since") == headers["Last-Modified"]
            ):
                handler.send_response(304)
                handler.send_header("ETag", headers["ETag"])
                handler.end_headers()
                return
        handler.send_response(route.status)
        handler.send_header("Content-Type", route.content_type)
        handler.send_header("Content-Length", str(len(route.body)))
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(route.body)

    def _fault_status(self, handler: BaseHTTPRequestHandler, route: Route) -> None:
        route = Route(**{**route.__dict__, "fault": None, "validators": False})
        self._serve(handler, route)

    def _fault_hold(self, handler: BaseHTTPRequestHandler, route: Route) -> None:
        path = handler.path.split("?")[0]
        with self._held:
            self._arrived.add(path)
            self._held.notify_all()
            self._held.wait_for(lambda: path in self._let_go, 120)
        self._serve(handler, Route(**{**route.__dict__, "fault": None}))

    def _fault_hang(self, handler: BaseHTTPRequestHandler, route: Route) -> None:
        self.release.wait(60)

    def _fault_drip(self, handler: BaseHTTPRequestHandler, route: Route) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", route.content_type)
        handler.send_header("Content-Length", str(route.size or 10_000))
        handler.end_headers()
        handler.wfile.flush()
        for _ in range(route.size or 10_000):
            if self.release.wait(0.2):
                return
            handler.wfile.write(b" ")
            handler.wfile.flush()

    def _fault_reset(self, handler: BaseHTTPRequestHandler, route: Route) -> None:
        # SO_LINGER with a zero timeout turns close() into a TCP RST.
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()
        handler.close_connection = True

    def _fault_close(self, handler: BaseHTTPRequestHandler, route: Route) -> None:
        handler.connection.shutdown(socket.SHUT_RDWR)
        handler.close_connection = True

    def _fault_truncated(self, handler: BaseHTTPRequestHandler, route: Route) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", route.content_type)
        handler.send_header("Content-Length", str(len(route.body)))
        handler.end_headers()
        handler.wfile.write(route.body[: len(route.body) // 2])
        handler.wfile.flush()
        handler.connection.shutdown(socket.SHUT_RDWR)
        handler.close_connection = True

    def _fault_gzip_bomb(self, handler: BaseHTTPRequestHandler, route: Route) -> None:
        with self._lock:
            body = self._bomb_cache.get(route.size)
            if body is None:
                body = gzip.compress(b"\0" * route.size, compresslevel=9)
                self._bomb_cache[route.size] = body
        handler.send_response(200)
        handler.send_header("Content-Type", route.content_type)
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _fault_oversize(self, handler: BaseHTTPRequestHandler, route: Route) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", route.content_type)
        handler.end_headers()  # no Content-Length: the size shows only while receiving
        chunk = b"<p>" + b"x" * 65_533
        sent = 0
        while sent < route.size and not self.release.is_set():
            handler.wfile.write(chunk)
            sent += len(chunk)
        handler.close_connection = True

    def _fault_redirect(self, handler: BaseHTTPRequestHandler, route: Route) -> None:
        handler.send_response(302)
        handler.send_header("Location", route.location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def _fault_redirect_loop(self, handler: BaseHTTPRequestHandler, route: Route) -> None:
        # /x → /x/again → /x → …
        path = handler.path.split("?")[0]
        target = path[: -len("/again")] if path.endswith("/again") else path + "/again"
        self.routes.setdefault(target, route)
        handler.send_response(302)
        handler.send_header("Location", self.base + target)
        handler.send_header("Content-Length", "0")
        handler.end_headers()


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()
