"""An office that points back at the person the story named with it: "Turkish Foreign
Minister X paid a visit to Libya. … The foreign minister met with Y": X met Y.

Only a definite office with no name of its own, and only when exactly one person the story
named before holds it (by the office the text or the gazetteer gave him): "the president"
after both Erdogan and the Presidential Council's head is nobody.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span, Token

from pipeline.extract.context import Actor, ArticleContext
from pipeline.extract.lexicon import BACK_REFERRING_OFFICES, OFFICE_SPELLINGS, REPORTING_VERBS

DEMONYM_SIDES = {"turkish": "turkiye", "libyan": "libya"}
PARTY_DEPS = {"nsubj", "nsubjpass", "pobj", "dobj", "conj"}


def offices_named_before(sent: Span, actors: list[Actor], ctx: ArticleContext) -> list[Actor]:
    found = []
    here = {a.name for a in actors}
    for token in sent:
        if token.lower_ not in BACK_REFERRING_OFFICES or not _definite_and_unnamed(token):
            continue
        # "the foreign minister", "the minister of foreign affairs", "the prime minister of
        # the eastern government": every word that says which office.
        words = [c.lower_ for c in token.children if c.dep_ in ("amod", "compound")]
        words += [t.lower_ for t in _of_phrase(token) if t.is_alpha and not t.is_stop]
        side = next((DEMONYM_SIDES[w] for w in words if w in DEMONYM_SIDES), None)
        wanted = {
            OFFICE_SPELLINGS.get(w, w) for w in [*words, token.lower_] if w not in DEMONYM_SIDES
        }
        holders = {
            a.name: a
            for a in ctx.known_actors.values()
            if a.name not in here
            and (side is None or a.side == side)
            and wanted <= _office_words(a.role)
        }
        if len(holders) == 1:
            (holder,) = holders.values()
            end = token.idx + len(token.text)
            found.append(replace(holder, start=token.idx, end=end, role_span=None))
    return found


def _definite_and_unnamed(token: Token) -> bool:
    # "the foreign minister met …", "was received by the minister", not "the foreign
    # minister, Hakan Fidan," nor "Foreign Minister Fidan" nor "a minister"; and not the
    # one told something ("Saleh told the ambassador that …"): that is the talk restated.
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
        return False
    if token.dep_ not in PARTY_DEPS or token.head.lemma_.lower() in REPORTING_VERBS:
        return False
    if any(c.dep_ == "appos" or c.ent_type_ == "PERSON" for c in token.children):
        return False
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return following is None or not (following.ent_type_ == "PERSON" or following.text == ",")


def _of_phrase(token: Token) -> list[Token]:
    return [t for c in token.children if c.dep_ == "prep" and c.lower_ == "of" for t in c.subtree]


def _office_words(role: str | None) -> set[str]:
    words = (role or "").lower().replace("-", " ").split()
    return {OFFICE_SPELLINGS.get(w, w) for w in words}
