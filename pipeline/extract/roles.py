"""Roles: the office the text gives a person (apposition, leading title, delegation head)."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from pipeline.extract.lexicon import OFFICE_NOUNS

DETERMINERS = {"the", "a", "an"}
RANK_ABBREVIATION_RE = re.compile(r"(?:Gen|Lt|Col|Maj|Adm|Brig|Capt|Cdr|Dr|Mr|Mrs|Ms)\.?")
# Titles written before a name ("Major General X"): part of the role, not of the name.
TITLE_WORDS = {
    "major", "general", "brigadier", "lieutenant", "colonel", "admiral", "rear", "vice",
    "field", "marshal", "ambassador", "minister", "deputy", "director", "president", "prime",
    "chief", "commander", "dr", "mr", "mrs", "ms", "sheikh", "gen", "maj", "lt", "col",
    "adm", "brig", "captain", "capt", "consul", "foreign", "defence", "defense",
}  # fmt: skip


def role_from_text(span: Span) -> tuple[str | None, tuple[int, int] | None]:
    """The office the text gives a name: apposition, leading title, or delegation head."""
    root = span.root
    for child in root.children:
        if child.dep_ == "appos" and child.i > root.i and child.ent_type_ != "PERSON":
            return _phrase(child, exclude=None)
    if root.dep_ == "appos" and root.head.i < span.start:
        head = root.head
        while (
            head.dep_ == "pobj"
            and head.head.lower_ in ("to", "of", "in", "for")
            and head.head.head.pos_ in ("NOUN", "PROPN")
            and head.head.head.i < head.i
        ):
            # "Turkish Ambassador to Libya, Guven Begec": the parser hangs the name on the
            # country; the office is the noun the country completes.
            head = head.head.head
        return _phrase(head, exclude=root, name_start=span.start)
    title = _title_before(span)
    delegation = led_delegation(root)
    if delegation is not None:
        text, where = delegation
        role = f"{title[0]}, head of the {text}" if title[0] else f"head of the {text}"
        return role, where
    return title


def _phrase(
    head: Token, exclude: Token | None, name_start: int | None = None
) -> tuple[str | None, tuple[int, int] | None]:
    # The noun phrase under ``head`` minus coordinated people and the named person.
    skip: set[int] = set()
    for child in head.children:
        if child.dep_ in ("conj", "cc", "appos", "relcl", "acl") or child.ent_type_ == "PERSON":
            skip.update(t.i for t in child.subtree)
    tokens = [t for t in head.subtree if t.i not in skip]
    if exclude is not None:
        # "the commander of X, Khalifa Haftar, in Benghazi": the office ends at the name.
        # The parser may hang a name's first words elsewhere ("Mohammed al-" under
        # "staff"): the name's own start bounds the office too.
        first = min([t.i for t in exclude.subtree] + ([name_start] if name_start else []))
        tokens = [t for t in tokens if t.i < first]
    tokens = _trim(tokens)
    if not tokens:
        return None, None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    return clean_role(head.doc.text[start:end]), (start, end)


def _trim(tokens: list[Token]) -> list[Token]:
    while tokens and (tokens[0].is_punct or tokens[0].lower_ in DETERMINERS):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct and tokens[-1].text not in (")",):
        tokens = tokens[:-1]
    return tokens


def _title_before(span: Span) -> tuple[str | None, tuple[int, int] | None]:
    # "Prime Minister X", "Major General X", "Turkish ... (MIT) Director X": the run of
    # capitalised words (and "of the", brackets) right before the name.
    doc = span.doc
    i = span.start - 1
    run: list[Token] = []
    while i >= 0:  # each doc is one sentence (see extract_events)
        token = doc[i]
        titled = (token.is_title or token.is_upper) and token.pos_ in ("PROPN", "NOUN", "ADJ")
        # "Libyan lawmaker X", "Turkish envoy X": an office in lower case after a demonym.
        titled = titled or (
            token.lower_ in OFFICE_NOUNS
            and i > 0
            and (doc[i - 1].is_title or doc[i - 1].text in ("'s", "’s"))
            and (not run or run[0].lower_ == "to")
        )
        if token.ent_type_ in ("DATE", "TIME", "PERSON") and not titled:
            break
        if token.ent_type_ == "PERSON" and token.lower_ not in TITLE_WORDS:
            break  # "Foreign Minister Mohammed Tahir Siyala": a given name, not the office
        # "Libya's ambassador to Turkey X": the possessive and the destination are the title's.
        joiner = (
            token.text in ("(", ")", "'s", "’s")
            or token.lower_ in ("of", "the")
            or (token.lower_ == "to" and bool(run) and run[0].is_title)
        )
        if (titled and token.ent_type_ not in ("DATE", "TIME")) or joiner:
            run.insert(0, token)
        else:
            break
        i -= 1
    run = _trim(run)
    while run and run[0].lower_ in ("of", "the", ")", "to", "'s", "’s"):
        run = _trim(run[1:])
    if not run:
        return None, None
    start, end = run[0].idx, run[-1].idx + len(run[-1])
    return clean_role(doc.text[start:end]), (start, end)


def led_delegation(root: Token) -> tuple[str, tuple[int, int]] | None:
    # "a Turkish defence ministry delegation, led by Major General X"
    by = root.head
    if root.dep_ != "pobj" or by.lower_ != "by":
        return None
    verb = by.head
    if verb.lemma_.lower() not in ("lead", "head", "chair"):
        return None
    group = verb.head
    if group.pos_ not in ("NOUN", "PROPN"):
        return None
    text, where = _phrase(group, exclude=verb)
    return (text, where) if text and where else None


# A photo caption's pointer to a face, "(4th L)", "(top C)", "(R)": no office.
CAPTION_POSITION_RE = re.compile(
    r"\(?(?:(?:top|bottom|front|back|centre|center)\s+)?(?:\d+(?:st|nd|rd|th)\s+)?[LRC]\)?"
)


def clean_role(text: str) -> str:
    text = " ".join(text.split()).strip(" ,;:")
    if CAPTION_POSITION_RE.fullmatch(text):
        return ""
    if text.count("(") > text.count(")"):
        text += ")"  # the parser often hangs "(MIT)"'s closing bracket elsewhere
    words = text.split()
    while words and words[0].lower() in DETERMINERS:
        words = words[1:]
    while words and RANK_ABBREVIATION_RE.fullmatch(words[-1]):
        words = words[:-1]  # "Chief of General Staff Gen. X": the rank is not the office
    return " ".join(words)
