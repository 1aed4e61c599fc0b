"""Turkish triggers by lemma: the package-based variant measured against the rules alone.

The rules (``data/turkish.yaml``, ``triggers``) spell each contact verb as a stem and its
suffix families on folded text. This variant adds what a morphology package gives: when no
pattern matches a sentence, each word is reduced to its lemma (spaCy's Turkish lookup
lemmatizer, 1.3 million forms from ``spacy-lookups-data``) or stem (the Snowball Turkish
stemmer), and a contact verb's lemma (``lemma_triggers``) counts as the trigger — so forms
the patterns do not list ("görüşeceği", "imzalayacağız") are read too.

It is switched by the setting ``turkish_morphology`` (``LTWATCH_TURKISH_MORPHOLOGY``):
``rules`` (the default: the patterns alone), ``spacy-lookups`` or ``snowball``. Neither
package is a default dependency: ``bench/bench_turkish_nlp.py`` measured that they add
nothing on the annotated Turkish articles (README, "How well it extracts"), so they are the
optional extra ``turkish-nlp`` (``uv sync --extra turkish-nlp``), locked like the rest.

Also here, for every variant: case endings written onto an office ("Başbakanıyla"), which
the gazetteer lists without them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Literal, cast

from pipeline.extract.anchored import load_rules
from pipeline.gazetteer import normalise
from pipeline.records import EventStatus, EventType

Morphology = Literal["rules", "spacy-lookups", "snowball"]
MORPHOLOGIES: tuple[Morphology, ...] = ("rules", "spacy-lookups", "snowball")

Lemmatiser = Callable[[list[str]], list[str]]  # words → their lemmas, one for one

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass(frozen=True)
class LemmaTrigger:
    lemma: str  # folded
    type: EventType
    then: str | None  # a lemma that must follow ("ziyaret" then "et": a visit made)


@dataclass(frozen=True)
class LemmaRules:
    triggers: tuple[LemmaTrigger, ...]
    future: re.Pattern[str]  # a suffix of the future on the surface word: a plan
    not_finite: re.Pattern[str]  # a negation, infinitive or verbal noun: no contact here
    not_after: frozenset[str]  # folded words before the verb that make it no contact


@cache
def lemma_rules() -> LemmaRules:
    raw = load_rules("turkish").raw["lemma_triggers"]
    return LemmaRules(
        triggers=tuple(
            LemmaTrigger(normalise(t["lemma"]), t["type"], t.get("then") and normalise(t["then"]))
            for t in raw["verbs"]
        ),
        future=re.compile(raw["future"]),
        not_finite=re.compile(raw["not_finite"]),
        not_after=frozenset(normalise(w) for w in raw["not_after"]),
    )


@cache
def lemmatiser(morphology: Morphology) -> Lemmatiser:
    """The package's lemmatiser, loaded once (spaCy's table takes some four seconds)."""
    if morphology == "spacy-lookups":
        import spacy

        nlp = spacy.blank("tr")
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()  # reads tr_lemma_lookup from spacy-lookups-data
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")

        def lookup(words: list[str]) -> list[str]:
            # The table is keyed by the lower-cased form; names keep their apostrophe
            # ending, which no contact verb has.
            return [str(table.get(w.lower(), w.lower())) for w in words]

        return lookup
    if morphology == "snowball":
        import snowballstemmer

        stemmer = snowballstemmer.stemmer("turkish")
        return lambda words: cast(list[str], stemmer.stemWords([w.lower() for w in words]))
    raise ValueError(f"no lemmatiser for {morphology!r}")


def lemma_trigger(sentence: str, morphology: Morphology) -> tuple[EventType, EventStatus] | None:
    """The contact a sentence's verb states by its lemma, else None.

    The status comes from the surface form: a future suffix is a plan; a negated verb is
    left alone (the rules' denial patterns read denials, and a negation the lemma hides
    must not become a contact that occurred), and so is an infinitive (an intention).
    """
    if morphology == "rules":
        return None
    rules = lemma_rules()
    words = _WORD.findall(sentence)
    lemmas = [normalise(lemma) for lemma in lemmatiser(morphology)(words)]
    for i, lemma in enumerate(lemmas):
        for trigger in rules.triggers:
            if lemma != trigger.lemma:
                continue
            verb = i
            if trigger.then is not None:
                if i + 1 >= len(lemmas) or lemmas[i + 1] != trigger.then:
                    continue
                verb = i + 1
            if i and normalise(words[i - 1]) in rules.not_after:
                continue
            ending = normalise(words[verb])[len(lemmas[verb]) :]
            if rules.not_finite.match(ending):
                continue
            return trigger.type, "planned" if rules.future.search(ending) else "occurred"
    return None


# Case endings written onto an office ("Başbakanıyla", "Bakanını", "Komutanından"): the
# gazetteer's offices end at the possessive, so the ending becomes spaces (offsets kept).
_FUSED_ENDING = re.compile(r"(?<=[ıi])(?:yla|yle|nın|nin|ndan|nden|nda|nde|na|ne|nı|ni)(?!\w)")
_OFFICE_WORD = re.compile(
    r"\b(?:Bakan|Başbakan|Cumhurbaşkan|Başkan|Komutan|Müsteşar|Sözcüs|Danışman|Elçis"
    r"|Büyükelçis|Temsilcis|Yardımcıs)[ıi](?:yla|yle|nın|nin|ndan|nden|nda|nde|na|ne|nı|ni)\b"
)


def separate_office_endings(text: str) -> str:
    """ "Libya Başbakanıyla" → "Libya Başbakanı   ": the office as the gazetteer lists it."""
    return _OFFICE_WORD.sub(
        lambda m: _FUSED_ENDING.sub(lambda e: " " * len(e.group(0)), m.group(0)), text
    )
