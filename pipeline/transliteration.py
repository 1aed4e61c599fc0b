"""Names written from Arabic in Latin letters, compared by their consonant skeleton.

One Arabic name reaches English, French and Turkish news in many spellings: Dbeibah,
Dbeibeh, Dbeiba, Dibeybe, Aldabaiba; Menfi, Manfi, Mnefi; Mishri, Mechri, Meshri. They
differ in vowels, doubled letters, a final -h, the article (al-, el-, Al) and a few
consonant spellings (ch/sh, q/k, dh/z, ou/w), not in the order of the consonants. So a
surname the gazetteer lacks in that exact spelling is recognised by its skeleton — when
exactly one listed person has it and it has enough consonants not to be a coincidence,
and the name opens and ends as the listed one does (``vowel_frame``): "Ahmadi" has the
skeleton of "Hamuda" but is another name.
"""

from __future__ import annotations

import re

from pipeline.gazetteer import Gazetteer, Person, alias_key, normalise_name

# Consonant spellings of one Arabic sound, in the order they must be replaced.
_CONSONANT_FOLDS = (
    ("kh", "h"), ("gh", "g"), ("sh", "s"), ("ch", "s"), ("th", "t"), ("dh", "z"),
    ("ph", "f"), ("ou", "w"), ("q", "k"), ("c", "k"), ("j", "g"), ("x", "ks"), ("w", "v"),
)  # fmt: skip
# Turkish writes the Arabic jīm with "c" ("Serrac", "Cibril", "Necla") and wāw with "v"
# ("Velid", "Sveyhli"): a name is also looked up with its "c" read as "j".
_TURKISH_C = re.compile(r"c(?!h)")
_ARTICLE = re.compile(r"^(?:al|el|ul|ad|ed|as|es|at|et|az|ez|ar|er|an|en)(?=[^aeiouy]{2}|$)")
MIN_CONSONANTS = 3  # "Saleh" (s-l) could be anyone; "Dbeibah" (d-b-b) cannot
MIN_LONE_CONSONANTS = 4  # a surname without a given name must be longer still


def _bare(word: str) -> str:
    """The name in plain letters, without its article or a final "-h"."""
    text = re.sub(r"[^a-z]", "", normalise_name(word).replace(" ", ""))
    # "Aldabaiba", "elMenfi": the article written together with the name.
    joined = text.startswith(("al", "el")) and len(text) > 5
    text = text[2:] if joined else _ARTICLE.sub("", text)
    return text.removesuffix("h")


def skeleton(word: str) -> str:
    """The consonants of a transliterated name, article, vowels and doubling removed."""
    text = _bare(word)
    for spelled, sound in _CONSONANT_FOLDS:
        text = text.replace(spelled, sound)
    text = re.sub(r"(.)\1+", r"\1", text)  # "Dabbaiba": doubling is spelling, not a sound
    return re.sub(r"[aeiouy]", "", text)


def vowel_frame(word: str) -> str:
    """Whether a name opens on a vowel and which vowel, if any, ends it.

    The skeleton drops vowels, but an opening hamza or ʿayn ("Ahmadi", "Issawi") and the
    ending (nisba -i against -a/-e/-ah for the feminine ending) are letters of the Arabic
    name, which every spelling of it keeps: "Ahmadi" (a…i) and "Hamuda" (h…a) share the
    skeleton h-m-d but are different names, while "Dbeibah", "Dbeiba" and "Dibeybe" all
    open on a consonant and end in a vowel of one class.
    """
    text = _bare(word)
    if not text:
        return ""
    opening = "v" if text[0] in "aeiou" else "c"
    last = text[-1]
    ending = "i" if last in "iy" else "a" if last in "ae" else "u" if last in "ou" else "c"
    return opening + ending


def _surname_key(word: str) -> str:
    return skeleton(word) + ":" + vowel_frame(word)


_INDEXES: dict[int, dict[str, frozenset[str]]] = {}  # per loaded gazetteer


def _surname_index(gaz: Gazetteer) -> dict[str, frozenset[str]]:
    if id(gaz) in _INDEXES:
        return _INDEXES[id(gaz)]
    index: dict[str, set[str]] = {}
    for person in gaz.people.values():
        for name in (person.name, *person.aliases, *person.surnames):
            last = normalise_name(name).split()[-1:]
            if last and len(skeleton(last[0])) >= MIN_CONSONANTS:
                index.setdefault(_surname_key(last[0]), set()).add(person.id)
    _INDEXES[id(gaz)] = {key: frozenset(ids) for key, ids in index.items()}
    return _INDEXES[id(gaz)]


_GIVEN_INDEXES: dict[int, frozenset[str]] = {}


def _given_name_index(gaz: Gazetteer) -> frozenset[str]:
    """The keys of the given names listed people go by (the first word of a full alias)."""
    if id(gaz) not in _GIVEN_INDEXES:
        _GIVEN_INDEXES[id(gaz)] = frozenset(
            _surname_key(words[0])
            for person in gaz.people.values()
            for name in (person.name, *person.aliases)
            if len(words := normalise_name(name).split()) > 1
        )
    return _GIVEN_INDEXES[id(gaz)]


def person_by_spelling(
    gaz: Gazetteer, name: str, *, min_lone: int = MIN_LONE_CONSONANTS
) -> Person | None:
    """The one gazetteer person whose surname has the skeleton of ``name``'s last word.

    ``min_lone`` is the skeleton a surname alone needs; an office written before it
    ("Libya Başbakanı Dbeyba") makes a shorter one safe to the caller.
    """
    words = normalise_name(name).split()
    if not words:
        return None
    found = _without_middle_names(gaz, words)
    if found is not None:
        return found
    found = _by_skeleton(gaz, words, min_lone)
    if found is None and any(_TURKISH_C.search(w) for w in words):
        found = _by_skeleton(gaz, [_TURKISH_C.sub("j", w) for w in words], min_lone)
    return found


def _without_middle_names(gaz: Gazetteer, words: list[str]) -> Person | None:
    """ "Muhammed Ahmed Oun", "Mohammed Ali al-Haddad": a father's name between the given
    name and the surname, which the listed spelling leaves out (too short a surname for
    its skeleton to be safe, "Oun", is still recognised this way)."""
    if len(words) < 3:
        return None
    surname = words[-1] if words[-2] not in _PARTICLES else " ".join(words[-2:])
    ids = {
        gaz.person_aliases.get(alias_key(f"{given} {surname}"))
        for given in (words[0], " ".join(words[:2]))
        if given != surname
    } - {None}
    return gaz.people[ids.pop()] if len(ids) == 1 else None


def _by_skeleton(gaz: Gazetteer, words: list[str], min_lone: int) -> Person | None:
    index = _surname_index(gaz)
    people = [gaz.people[i] for i in index.get(_surname_key(words[-1]), frozenset())]
    if len(words) > 1:
        # Given names must agree too: "Abd Alhamid" is Abdulhamid, "Sigmar Gabriel" is not
        # Mahmoud Jibril, whatever their surnames' skeletons share. A middle name one
        # spelling gives and another leaves out ("Muhammed Yunus el-Menfi") is no
        # disagreement: the first given name then decides.
        full, first = _given_keys(words)
        people = [p for p in people if full in (keys := _given_names(p)) or first in keys]
    elif len(skeleton(words[0])) < min_lone:
        return None  # "Hussein" alone could be any of several Hassans
    elif _surname_key(words[0]) in _given_name_index(gaz):
        return None  # "Belkasım" alone is Belgassem Haftar's given name, not Naji Belqasem
    else:
        people = [p for p in people if p.is_default] if len(people) > 1 else people
    return people[0] if len(people) == 1 else None


_PARTICLES = frozenset({"al", "el", "ad", "ed", "as", "es", "at", "et", "az", "ez", "ar", "er"})


def _given_keys(words: list[str]) -> tuple[str, str]:
    """The skeletons of all given names and of the first, articles left out."""
    given = [w for w in words[:-1] if w not in _PARTICLES] or words[:1]
    return skeleton("".join(given)), "1:" + skeleton(given[0])


def _given_names(person: Person) -> set[str]:
    names = (normalise_name(n).split() for n in (person.name, *person.aliases))
    keys: set[str] = set()
    for words in names:
        if len(words) > 1:
            keys.update(_given_keys(words))
            keys.add(skeleton("".join(words[:-1])))
    return keys
