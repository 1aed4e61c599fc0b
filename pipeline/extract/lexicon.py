"""The English lexicon, read once from ``data/english.yaml``: the words that state a
contact, and those that qualify it (plans, denials, phones, armed forces, offices)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from pipeline.records import EventType


def _load_lexicon() -> dict[str, Any]:
    path = Path(__file__).parent.parent / "data" / "english.yaml"
    with path.open(encoding="utf-8") as handle:
        lexicon: dict[str, Any] = yaml.safe_load(handle)
    return lexicon


_LEXICON = _load_lexicon()
VERB_TRIGGERS: dict[str, EventType] = _LEXICON["verb_triggers"]
NOUN_TRIGGERS: dict[str, EventType] = _LEXICON["noun_triggers"]
PHONE_VERBS = set(_LEXICON["phone_verbs"])
DISCUSS_VERBS = set(_LEXICON["discuss_verbs"])
TALK_NOUNS = set(_LEXICON["talk_nouns"])
CALL_PURPOSES = DISCUSS_VERBS | set(_LEXICON["call_purposes"])
EXCHANGE_OBJECTS = set(_LEXICON["exchange_objects"])
LIGHT_VERBS = set(_LEXICON["light_verbs"])
PHONE_WORDS = set(_LEXICON["phone_words"])
PHONE_NOUNS = set(_LEXICON["phone_nouns"])
MILITARY_MODIFIERS = set(_LEXICON["military_modifiers"])
ONGOING_WORDS = set(_LEXICON["ongoing_words"])
TOPIC_VERBS = set(_LEXICON["topic_verbs"])
SUMMIT_MODIFIERS = set(_LEXICON["summit_modifiers"])
NOMINAL_PREPOSITIONS = set(_LEXICON["nominal_prepositions"])
PARTY_NOUNS = set(_LEXICON["party_nouns"])
SHIP_VERBS = set(_LEXICON["ship_verbs"])
VESSEL_NOUNS = set(_LEXICON["vessel_nouns"])
CARRIER_WORDS = set(_LEXICON["carrier_words"])
PLAN_HEADS = set(_LEXICON["plan_heads"])
PLAN_MODIFIERS = set(_LEXICON["plan_modifiers"])
UNREALISED_HEADS = set(_LEXICON["unrealised_heads"])
DENIAL_HEADS = set(_LEXICON["denial_heads"])
SPECULATIVE_AUX = set(_LEXICON["speculative_aux"])
REPORTING_VERBS = set(_LEXICON["reporting_verbs"])
DELIVERY_VERBS = set(_LEXICON["delivery_verbs"])
MESSAGE_NOUNS = set(_LEXICON["message_nouns"])
COUNTERPART_OFFICES: dict[str, str] = _LEXICON["counterpart_offices"]
MILITARY_TALKS = re.compile("|".join(_LEXICON["military_talk_cues"]), re.I)
ARMED_FORCE_NOUNS = set(_LEXICON["armed_force_nouns"])
ARMED_FORCE_GROUP_NOUNS = set(_LEXICON["armed_force_group_nouns"])
ARMED_FORCE_MODIFIERS = set(_LEXICON["armed_force_modifiers"])
NAVAL_WORDS = set(_LEXICON["naval_words"])
OFFICE_NOUNS = set(_LEXICON["office_nouns"])
REMOTE_ADVERBS = set(_LEXICON["remote_adverbs"])
# Time words that make a present tense a timetable ("flies to Ankara tomorrow").
FUTURE_CUE_RE = re.compile(
    r"\b(?:tomorrow|next\s+(?:week|month|year|monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday)|later\s+this\s+(?:week|month|year)|in\s+the\s+coming\s+(?:days|weeks))\b",
    re.I,
)
BACK_REFERRING_OFFICES = set(_LEXICON["back_referring_offices"])
OFFICE_SPELLINGS: dict[str, str] = _LEXICON["office_spellings"]
