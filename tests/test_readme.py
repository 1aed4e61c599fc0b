"""The README is part of the product: its commands and queries must work as written."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa

from pipeline import db

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_ci_runs_exactly_the_readme_test_command():
    quickstart = code_blocks("console")[0]
    [test_command] = [
        line.removeprefix("$ ").split("#")[0].strip()
        for line in quickstart.splitlines()
        if "pytest" in line
    ]
    ci_commands = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert ci_commands[-1] == test_command


def test_every_readme_query_runs_against_the_schema(clean_db: str):
    import datetime as dt

    from pipeline import store
    from tests.test_store import HAFTAR, KALIN, article, meeting

    queries = [q for block in code_blocks("sql") for q in block.split(";") if q.strip()]
    assert len(queries) >= 2
    with db.get_engine(clean_db).begin() as conn:
        store.save_event(
            conn,
            article_id=article(conn, 1, "trt"),
            event=meeting(dt.date(2025, 8, 25), KALIN, HAFTAR),
            extractor_version="test",
        )
        results = [conn.execute(sa.text(q)).all() for q in queries]
    assert all(len(rows) == 1 for rows in results), results


def test_every_command_in_the_commands_table_exists():
    from typer.main import get_command

    from pipeline.cli import app

    cli = get_command(app)
    names = set(re.findall(r"^\| `ltwatch ([a-z]+)", README, flags=re.M))
    assert names <= set(cli.commands), names - set(cli.commands)


def test_the_readme_sources_example_is_a_valid_sources_file(tmp_path: Path):
    from pipeline.sources import load_sources

    [example] = [block for block in code_blocks("yaml") if block.startswith("sources:")]
    path = tmp_path / "sources.yaml"
    path.write_text(example)
    assert [s.kind for s in load_sources(path)] == ["rss", "sitemap", "html"]


def test_the_readme_alerts_example_is_a_valid_channels_file(tmp_path: Path, monkeypatch):
    from pipeline.alert_channels import load_channels_file

    [example] = [block for block in code_blocks("yaml") if block.startswith("channels:")]
    for name in ("SMTP_USER", "SMTP_PASSWORD", "TELEGRAM_TOKEN", "TELEGRAM_CHAT"):
        monkeypatch.setenv(f"LTWATCH_{name}", "1234:abcd" if "TOKEN" in name else "123456")
    path = tmp_path / "alerts.yaml"
    path.write_text(example)
    assert [c.name for c in load_channels_file(path)] == ["desk-email", "telegram-meetings"]


def test_every_setting_is_documented_in_the_configuration_table():
    from pipeline.settings import Settings

    documented = set(re.findall(r"^\| `(LTWATCH_[A-Z_]+)`", README, flags=re.M))
    settings = {f"LTWATCH_{name.upper()}" for name in Settings.model_fields}
    assert settings <= documented, settings - documented
