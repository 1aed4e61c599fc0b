"""Which language an article is written in.

py3langid is reliable on a whole article but misclassifies short English snippets
(a headline alone can come out as Latin or Dutch), so it is only trusted on enough text
and only for the languages this project reads; otherwise the page's own ``<html lang>``
and then the source's configured language decide.
"""

from __future__ import annotations

import re
from functools import cache

# Languages the pipeline reads; a detection outside this set on a page that declares
# one of them is more likely a detector error than a genuinely foreign article.
SUPPORTED: tuple[str, ...] = ("en", "tr", "ar", "fr", "it")
MIN_DETECT_CHARS = 200  # below this py3langid is unreliable on English
MIN_CONFIDENCE = 0.8
# Letters only Turkish uses among the languages we meet: a strong cue on short text.
_TURKISH_LETTERS = re.compile(r"[ğışĞİŞ]")
_TURKISH_WORDS = re.compile(
    r"\b(?:ve|ile|bir|bu|için|olarak|görüştü|ziyaret|Cumhurbaşkanı|Bakanı|dün|bugün)\b"
)


@cache
def _identifier():  # type: ignore[no-untyped-def]
    # Loading the model takes ~0.3 s: once per process, restricted to our languages.
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(SUPPORTED))
    return identifier


def _primary(tag: str | None) -> str | None:
    """'en-US' / 'tr_TR' → 'en' / 'tr'; None for empty or junk tags."""
    if not tag:
        return None
    primary = re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0]
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def detect_language(
    text: str, *, html_lang: str | None = None, source_language: str | None = None
) -> str | None:
    """The ISO 639-1 code of ``text``'s language.

    Whole-article detection wins when the text is long enough and the detector is
    confident; otherwise a short text with Turkish-only letters and function words is
    Turkish; otherwise ``html_lang``, then ``source_language`` (None when all are silent).
    """
    declared = _primary(html_lang) or _primary(source_language)
    sample = text.strip()
    if len(sample) >= MIN_DETECT_CHARS:
        lang, prob = _identifier().classify(sample[:5000])
        if prob >= MIN_CONFIDENCE:
            return str(lang)
    if _looks_turkish(sample):
        return "tr"
    return declared


def _looks_turkish(text: str) -> bool:
    letters = len(_TURKISH_LETTERS.findall(text))
    words = len(_TURKISH_WORDS.findall(text))
    return letters >= 1 and words >= 1
