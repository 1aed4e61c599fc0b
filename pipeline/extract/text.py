"""Text preparation: body paragraphs, sentences, datelines and names written in full."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.gazetteer import normalise_name

TERMINAL_PUNCT = (".", "!", "?", '"', "”", "’", "'", ")")
MIN_BODY_WORDS = 4  # "Fidan also met Menfi." is a paragraph of its own in wire copy
MIN_CUT_PROSE_WORDS = 30  # an unpunctuated line this long with a full stop inside is prose

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = (
    "Gen", "Lt", "Maj", "Col", "Capt", "Adm", "Brig", "Sgt", "Mr", "Mrs", "Ms", "Dr", "Prof",
    "St", "No", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov",
    "Dec", "U.S", "U.N", "U.K", "E.U", "Rep", "Sen", "Gov", "Amb", "approx", "vs", "etc",
)  # fmt: skip
# Turkish capitals included: the same splitter serves Turkish text.
_SENTENCE_END = re.compile(r"(?<=[.!?\"”’)])\s+(?=[\"“‘(]?[A-Z0-9ÇĞİÖŞÜ])")


# A full stop glued to the next sentence by a scraper ("… etmişti.Eylül 2020'den …"): a
# lower-case word, a stop, then a capitalised word. Initials and "U.S." have no lower case.
_GLUED_END = re.compile(r"(?<=[a-zçğıöşü]{2}[.!?])(?=[A-ZÇĞİÖŞÜ][a-zçğıöşü])")


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph on sentence-final punctuation, not after abbreviations."""
    paragraph = _GLUED_END.sub(" ", paragraph)
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        chunk = paragraph[start : match.start()]
        last_word = chunk.rsplit(maxsplit=1)[-1] if chunk.split() else ""
        if not re.search(r"[.!?][\"”’)]?$", last_word):
            continue  # a closing quote or bracket inside a sentence
        if last_word.rstrip(".") in _ABBREVIATIONS or re.fullmatch(r"[A-Z]\.", last_word):
            continue
        pieces.append(chunk.strip())
        start = match.end()
    pieces.append(paragraph[start:].strip())
    return [p for p in pieces if p]


# ------------------------------------------------------------------ article level
# "ANKARA, Sept 2 (Reuters) - ": the wire dateline gives the filing date, not the event's.
# "date 2024-07-15 …": the date a web index puts before the text it returns is the page's,
# like a dateline's, and a machine-readable one outranks "on Sunday" in the sentence after it.
DATELINE_RE = re.compile(
    r"^[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][a-z]{2,9}\.?\s+\d{1,2})?\s*(?:\([^)]{1,40}\))?\s*[-–—]+\s+"
    r"|^date\s+\d{4}-\d{2}-\d{2}\s+"
    # "Ankara, 9 February 2017(Lana) …": a city, a full date and the agency, as a dateline.
    r"|^[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?,\s*\d{1,2}\s+[A-Z][a-z]+\s+\d{4}\s*\([A-Za-z]{2,12}\)\s*"
    # "(LIBYA, 29 August 2021) – …", "Tripoli, June 12, 2024 (LANA) - …": a place and a full
    # date, in brackets or before the agency's, then a dash.
    r"|^\([A-Za-z][A-Za-z .'-]{2,30},\s*\d{1,2}\s+[A-Z][a-z]+\s+\d{4}\)\s*[-–—]+\s*"
    r"|^[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?,\s*[A-Z][a-z]+\s+\d{1,2},\s*\d{4}\s*\([A-Za-z]{2,12}\)"
    r"\s*[-–—]+\s*"
    # "Benghazi: Head of the …": a city and a colon before the first sentence (Libyan outlets).
    r"|^[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?:\s+(?=[A-Z])"
)


def strip_dateline(paragraph: str) -> str:
    """Drop a leading wire dateline so its date is not read as the event date."""
    return DATELINE_RE.sub("", paragraph, count=1)


WRAP_MIN_CHARS = 45  # a hard-wrapped line is about a column wide


def unwrap_lines(text: str) -> list[str]:
    """Lines, with prose hard-wrapped at a column width joined again ("… Racep Tayyeb" ¶
    "Erdogan on Wednesday received …"): a line that ends mid-sentence and runs into a
    lower-case line or another such line continues there, up to a sentence end."""
    lines = [line.strip() for line in text.splitlines()]
    out: list[str] = []
    joining = wrapped_text = False
    for i, line in enumerate(lines):
        if joining and line:
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        after = lines[i + 1] if i + 1 < len(lines) else ""
        open_end = bool(line) and not line.endswith(TERMINAL_PUNCT)
        wrapped = (
            open_end
            and len(line) >= WRAP_MIN_CHARS
            and bool(after)
            and (
                after[0].islower()
                or (not after.endswith(TERMINAL_PUNCT) and len(after) >= WRAP_MIN_CHARS)
                or joining
                or wrapped_text  # once the text is seen wrapped, any open line goes on
            )
        )
        wrapped_text = wrapped_text or wrapped
        joining = wrapped or (joining and open_end)
    return out


def is_body_paragraph(paragraph: str) -> bool:
    # Titles, captions and related-headline lists have no final punctuation. Prose cut off
    # by an excerpt or a paywall ("… boyunca T") has none either, but it has sentences.
    words = len(paragraph.split())
    if paragraph.endswith(TERMINAL_PUNCT):
        return words >= MIN_BODY_WORDS
    return words >= MIN_CUT_PROSE_WORDS and bool(_SENTENCE_END.search(paragraph))


_NAME_RE = re.compile(r"\b([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){1,3})\b")


def full_names(paragraphs: Iterable[str]) -> dict[str, str]:
    # Cheap: capitalised word runs, keyed by their last word, to expand "Altindag" to
    # "Ilkay Altindag". Only used for people spaCy tags as PERSON.
    names: dict[str, str] = {}
    for paragraph in paragraphs:
        for match in _NAME_RE.finditer(paragraph):
            words = match.group(1).split()
            names.setdefault(normalise_name(words[-1]), " ".join(words[-2:]))
    return names
