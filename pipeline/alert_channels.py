"""Alert channels: where alerts go, in which mode, and which events each one wants.

Two ways to configure them:

- ``LTWATCH_ALERT_URLS``: Apprise URLs, each a channel that gets every new event at once.
- ``LTWATCH_ALERTS_FILE``: a YAML file (see ``alerts.example.yaml``) with named channels,
  each with a mode (``immediate`` or ``digest``), whether it wants ``updates``, and a
  ``filter``. Secrets stay out of the file: ``${VAR}`` in a URL is read from the
  environment (an Airflow connection's URI can be exported the same way).

Channels are identified in the outbox by name (file) or by a hash of the URL (variable),
never by the URL itself, so tokens never reach the database.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path
from typing import Any, Literal

import apprise
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.records import EventStatus, EventType

# The channel used when nothing is configured: alerts are printed to the terminal.
CONSOLE_CHANNEL = "console"

_ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class AlertConfigError(ValueError):
    """The alert channels' configuration is wrong; the message says where and how."""


def fold(name: str) -> str:
    """Case- and accent-insensitive form of a name: "Kalın" and "kalin" filter alike."""
    decomposed = unicodedata.normalize("NFKD", name.replace("ı", "i").replace("İ", "I"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


class ChannelFilter(BaseModel):
    """Which events a channel wants. Every field left out lets everything through."""

    model_config = ConfigDict(extra="forbid")

    types: list[EventType] | None = None
    statuses: list[EventStatus] | None = None
    # Any participant named here (case- and accent-insensitive; a surname is enough)
    # makes the event match.
    actors: list[str] | None = None
    min_confidence: float = Field(default=0.0, ge=0.0, le=1.0)

    def matches(self, event: dict[str, Any]) -> bool:
        """``event`` is a ``v_events`` row as a mapping."""
        if self.types is not None and event["type"] not in self.types:
            return False
        if self.statuses is not None and event["status"] not in self.statuses:
            return False
        if event["confidence"] < self.min_confidence:
            return False
        if self.actors is not None:
            # "Dbeibah" matches "Abdulhamid Dbeibah": every word asked for is in the name.
            wanted = [set(fold(name).split()) for name in self.actors]
            names = [set(fold(p["name"]).split()) for p in event["participants"] or []]
            if not any(words <= name for words in wanted for name in names):
                return False
        return True


class Channel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    url: str | None = None  # None: the terminal
    mode: Literal["immediate", "digest"] = "immediate"
    updates: bool = False  # one "update" message when a new report changes an alerted event
    operator: bool = True  # also receives messages about the pipeline itself
    filter: ChannelFilter = Field(default_factory=ChannelFilter)

    @property
    def key(self) -> str:
        """The id stored in the outbox."""
        return self.name

    @property
    def label(self) -> str:
        """The channel's URL with its secrets masked, for listings and error messages."""
        if self.url is None:
            return "terminal"
        plugin = apprise.Apprise.instantiate(self.url)
        masked = plugin.url(privacy=True).split("?")[0] if plugin else "invalid URL"
        return f"{self.name} ({masked})"


def url_channel_name(url: str) -> str:
    # A hash of the whole URL keeps secrets out of the database while staying stable
    # across Apprise versions, whose own URL rendering may change.
    scheme = url.split("://", 1)[0]
    return f"{scheme}:{hashlib.sha256(url.encode()).hexdigest()[:12]}"


def _check_url(url: str, where: str) -> None:
    if apprise.Apprise.instantiate(url) is None:
        raise AlertConfigError(f"{where}: not a valid Apprise URL ({url.split('://', 1)[0]}://…)")


def _expand(url: str, where: str, environ: dict[str, str]) -> str:
    missing = [name for name in _ENV_REFERENCE.findall(url) if name not in environ]
    if missing:
        raise AlertConfigError(f"{where}: environment variable {missing[0]} is not set")
    return _ENV_REFERENCE.sub(lambda m: environ[m.group(1)], url)


def channels_from_urls(urls: list[str]) -> list[Channel]:
    """One immediate, unfiltered channel per URL; the terminal when there are none."""
    if not urls:
        return [Channel(name=CONSOLE_CHANNEL)]
    for url in urls:
        _check_url(url, "LTWATCH_ALERT_URLS")
    return [Channel(name=url_channel_name(url), url=url) for url in urls]


def load_channels_file(path: Path, environ: dict[str, str] | None = None) -> list[Channel]:
    """Named channels from an alerts YAML file, with ``${VAR}`` read from the environment."""
    environ = dict(os.environ) if environ is None else environ
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise AlertConfigError(f"{path}: alerts file not found") from None
    except yaml.YAMLError as exc:
        raise AlertConfigError(f"{path}: not valid YAML: {exc}") from None
    entries = document.get("channels") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        raise AlertConfigError(f"{path}: expected a non-empty 'channels:' list")
    channels: list[Channel] = []
    for index, entry in enumerate(entries, start=1):
        where = f"{path}: channel {index}"
        if isinstance(entry, dict) and "name" in entry:
            where += f" ({entry['name']!r})"
        try:
            channel = Channel.model_validate(entry)
        except ValidationError as exc:
            problem = exc.errors()[0]
            field = ".".join(str(part) for part in problem["loc"])
            raise AlertConfigError(f"{where}: {field}: {problem['msg']}") from None
        if channel.url is None:
            raise AlertConfigError(f"{where}: url is required")
        url = _expand(channel.url, where, environ)
        _check_url(url, where)
        if any(c.name == channel.name for c in channels):
            raise AlertConfigError(f"{where}: duplicate channel name {channel.name!r}")
        channels.append(channel.model_copy(update={"url": url}))
    return channels


def configured_channels(alert_urls: list[str], alerts_file: Path | None) -> list[Channel]:
    """Every configured channel: the file's and the variable's; the terminal if neither."""
    from_file = load_channels_file(alerts_file) if alerts_file else []
    from_urls = channels_from_urls(alert_urls) if alert_urls or not from_file else []
    return from_file + from_urls
