"""Network and HTTP failures of a crawl, told in one plain line each."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as twisted_error
from twisted.python.failure import Failure

from crawlers.crawl_state import REFUSED_STATUSES
from crawlers.middlewares import RETRY_AFTER

# ---------------------------------------------------------------------------------------
# Errors


def describe_failure(failure: Failure, what: str, max_size: int | None = None) -> str:
    """A one-line, human reason for a failed download of a ``what`` ("feed" or "page").

    ``max_size``: the DOWNLOAD_MAXSIZE in force, named when a download was cancelled (which
    is how Scrapy stops a body that grows past it while streaming).
    """
    exc = failure.value
    if isinstance(exc, HttpError):
        status = exc.response.status
        request = exc.response.request
        retries = int(request.meta.get("retry_times", 0)) if request is not None else 0
        tried = f" (after {retries} {'retry' if retries == 1 else 'retries'})" if retries else ""
        if status == 429:
            wait = request.meta.get(RETRY_AFTER) if request is not None else None
            after = f", Retry-After {wait:g} s" if wait is not None else ""
            return f"HTTP 429 (too many requests{after}) from {what}{tried}"
        return f"HTTP {status} from {what}{tried}"
    if isinstance(exc, DownloadConnectionRefusedError | twisted_error.ConnectionRefusedError):
        return f"{what} unreachable: connection refused"
    if isinstance(exc, CannotResolveHostError | twisted_error.DNSLookupError):
        return f"{what} unreachable: DNS lookup failed ({urlsplit(failure.request.url).hostname})"
    if isinstance(
        exc, DownloadTimeoutError | twisted_error.TimeoutError | twisted_error.TCPTimedOutError
    ):
        timeout = failure.request.meta.get("download_timeout")
        within = f" (no complete answer within {timeout:g} s)" if timeout else ""
        return f"{what} unreachable: timed out{within}"
    if isinstance(exc, DownloadCancelledError):
        text = first_line(exc)
        size = re.search(r"(\d+) bytes which is larger than download max size \((\d+)\)", text)
        if size:
            return f"{what} too large: {size[1]} bytes, over the {size[2]}-byte limit"
        if not text and max_size:
            return f"{what} too large: download cancelled past the {max_size}-byte limit"
        return f"{what} not downloaded: {text or 'cancelled'}"
    if isinstance(exc, DownloadFailedError | ResponseDataLossError | twisted_error.ConnectionLost):
        return f"{what} download interrupted: connection lost or reset"
    if isinstance(exc, IgnoreRequest):
        text = first_line(exc)
        if "max redirections" in text:
            return f"{what} not fetched: redirect loop (more than the allowed redirects)"
        if "DOWNLOAD_MAXSIZE" in text and "decompress" in text:
            limit = re.search(r"DOWNLOAD_MAXSIZE \((\d+) B\)", text)
            over = f" {limit[1]}" if limit else ""
            return f"{what} too large once decompressed: over the{over}-byte limit (gzip bomb?)"
        if text.startswith("Forbidden by robots.txt"):
            return f"{what} not fetched: forbidden by robots.txt"
        if text.startswith(("redirected off", "not requested")):
            return f"{what} {text}" if text.startswith("not") else text
        return f"{what} not fetched: {text or 'request ignored'}"
    if isinstance(exc, twisted_error.ConnectError):
        return f"{what} unreachable: {first_line(exc) or type(exc).__name__}"
    return f"{what} download failed: {type(exc).__name__}: {first_line(exc)}"


def is_transient(failure: Failure) -> bool:
    """Whether a failed download may well succeed next run (so it must be retried then)."""
    exc = failure.value
    if isinstance(exc, HttpError):
        return exc.response.status >= 500 or exc.response.status in (408, 429)
    if isinstance(exc, IgnoreRequest):
        # Robots, redirect loops, size limits and off-domain redirects will not change by
        # themselves; a 429 back-off will.
        return "not requested" in str(exc)
    return True  # network errors, time-outs


def first_line(exc: BaseException, limit: int = 200) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:limit] if lines else ""


def refused_status(failure: Failure) -> int | None:
    """401/403 when the outlet refused the request, else None."""
    exc = failure.value
    if isinstance(exc, HttpError) and exc.response.status in REFUSED_STATUSES:
        return int(exc.response.status)
    return None
