"""Turkish: the people a sentence names, and the rules that find them (data/turkish.yaml).

Offices are written before names, a foreign one after its country ("Libya Dışişleri
Bakanı"), which gives the side of people the gazetteer lacks; a courtesy word ("Sayın")
says a name follows. Arabic names reach Turkish in Turkish spellings (Dibeybe, es-Serrac):
a name the gazetteer lacks in that spelling is its listed person when the consonant
skeleton and given names agree. Not every name is a party: the mourned, possessors
("Hafter'in oğlu") and namesakes ("Milletvekili Abdullah Güler") are not.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from pipeline.extract.actors import Actor, unique_actors
from pipeline.extract.anchored import AnchoredRules, load_rules
from pipeline.extract.anchored_parties import gazetteer_actors
from pipeline.extract.countries import third_country_re
from pipeline.extract.turkish_names import kin_named, listed_actor, recalled_people
from pipeline.gazetteer import Gazetteer, Mention, normalise, normalise_name
from pipeline.records import Side
from pipeline.transliteration import MIN_CONSONANTS, person_by_spelling


@dataclass(frozen=True)
class TurkishRules:
    anchored: AnchoredRules
    place_suffix: re.Pattern[str]
    titled_person: re.Pattern[str]
    deceased: re.Pattern[str]  # ends where the title and name of someone dead begin
    possessor: re.Pattern[str]  # follows a name that owns what the sentence is about
    forces: re.Pattern[str]  # follows a name whose forces the sentence is about
    page_stamp: re.Pattern[str]
    envoys: frozenset[str]  # heads of an office abroad: a city in the title is the posting
    title_words: frozenset[str]  # folded words of titles, ranks and heads: never a name
    honorifics: frozenset[str]  # folded: "Sayın", written before a name of any side


@cache
def turkish_rules() -> TurkishRules:
    anchored = load_rules("turkish")
    raw = anchored.raw
    suffixes = sorted({normalise(s) for s in raw["place_suffixes"]}, key=len, reverse=True)
    return TurkishRules(
        anchored=anchored,
        # "Bingazi'de", the place followed by what it is ("Kubbe kentinde"), a building in
        # it ("Trablus'taki … binasında")
        place_suffix=re.compile(
            rf"^(?:['’](?:{'|'.join(suffixes)})(?!\w)|\s+(?:{'|'.join(raw['place_nouns'])})"
            rf"|['’]n?[dt][ae]ki\s+(?:\w+\s+){{0,4}}(?:{'|'.join(raw['buildings'])}))"
        ),
        titled_person=_titled_person_pattern(raw["titles"]),
        deceased=re.compile(
            rf"(?:{'|'.join(raw['not_parties']['deceased'])})\s+(?:{_TITLE_WORD}\s+){{0,8}}$",
            re.I,
        ),
        possessor=re.compile(
            r"^['’](?:n?[ıiuü]n)\s+(?:\w+\s+)?(?:"
            + "|".join(sorted(raw["not_parties"]["possessed"], key=len, reverse=True))
            + r")(?!\w)",
            re.I,
        ),
        forces=re.compile(
            r"^(?:(?:['’]n?[ıiuü]n)?\s+(?:" + "|".join(raw["not_parties"]["forces"]) + r")"
            r"|['’]y?[ae]\s+bağlı)",  # "Hafter'e bağlı güçler": those answering to him
            re.I,
        ),
        page_stamp=re.compile("|".join(raw["page_stamps"]), re.M),
        envoys=frozenset(raw["titles"]["envoys"]),
        title_words=frozenset(
            normalise_name(w)
            for key in ("heads", "ranks", "words")
            for phrase in raw["titles"][key]
            for w in phrase.split()
        ),
        honorifics=frozenset(normalise_name(w) for w in raw["titles"]["honorifics"]),
    )


_CAPITALISED = r"[A-ZÇĞİÖŞÜ][a-zçğıöşüâîû]+(?:-[A-Za-zçğıöşü]+)?"
# Arabic names keep their article in lower case: "eş-Şahubi", "el-Menfi", "et-Trablusi".
# The article may also be joined to the word before it by an apostrophe ("Ebu'l Eyd",
# "Abdu'l Kerim"): tried first, or the name would stop at the apostrophe as at a suffix.
_NAME_WORD = (
    rf"(?:{_CAPITALISED}['’]l[\s-]{_CAPITALISED}|{_CAPITALISED}"
    r"|(?:e[lsştdrnz]|a[lsdr])-[A-ZÇĞİÖŞÜ][a-zçğıöşüâîû]+)"
)
# A word of a title or name between a relative clause and the name it describes.
_TITLE_WORD = r"(?:[A-ZÇĞİÖŞÜ][\w.’'-]*|ve|el|es|eş|et|ed|er|ez|en)"
# A run of capitalised words that may be a name the gazetteer spells otherwise.
_NAME_RUN = re.compile(rf"{_CAPITALISED}(?:\s+{_NAME_WORD}){{0,4}}(?=['’\s,.;:]|$)")


def _titled_person_pattern(titles: dict[str, list[str]]) -> re.Pattern[str]:
    # "[Libya] [Kara Kuvvetleri] Komutanı [Korgeneral] Ad Soyad['ın]": up to six
    # capitalised words of office before the head noun ("Petrol ve Gaz Bakanı", "Libya
    # Yüksek Devlet Konseyi İkinci Başkan Yardımcısı"), a rank, then two to four name words.
    heads = "|".join(sorted(titles["heads"], key=len, reverse=True))
    ranks = "|".join(sorted(titles["ranks"], key=len, reverse=True))
    # A country in the genitive may lead ("Libya'nın Ankara Büyükelçisi"): whose envoy.
    return re.compile(
        rf"(?P<title>(?P<owner>{_CAPITALISED}['’]n?[ıiuü]n\s+)?"
        rf"(?:{_CAPITALISED}\s+(?:ve\s+(?=[A-ZÇĞİÖŞÜ]))?){{0,6}}"
        rf"(?P<head>{heads}))\s+(?:(?:{ranks})\s+)?"
        rf"(?P<name>{_CAPITALISED}(?:\s+{_NAME_WORD}){{0,3}})(?=['’\s,.;:]|$)"
    )


def turkish_actors(
    sentence: str,
    mentions: list[Mention],
    gaz: Gazetteer,
    named: set[str],
    published: dt.date | None,
) -> list[Actor]:
    actors = gazetteer_actors(
        sentence, mentions, gaz, named, published, role_stands_alone=_turkish_role_stands_alone
    )
    # a name of one word, listed as a surname or as a person's short alias ("Güler")
    surnames = {m.start for m in mentions if m.kind in ("surname", "person") and " " not in m.text}
    actors = [a for a in actors if a.start not in surnames or not _namesake(sentence, a, gaz)]
    taken = [(m.start, m.end) for m in mentions if m.kind in ("person", "surname")]
    for actor in _titled_people(sentence, gaz, published):
        if not any(s < actor.end and actor.start < e for s, e in taken):
            actors.append(actor)
            taken.append((actor.start, actor.end))
    # An untitled run of capitals may be a place or an institution the gazetteer knows
    # ("Trablus" has the skeleton of "Trabelsi"): only runs no mention touches.
    taken += [(m.start, m.end) for m in mentions]
    recalled = recalled_people(sentence, gaz, named, published, turkish_rules().title_words)
    for actor in [
        *kin_named(sentence, gaz, published),
        *_spelled_people(sentence, gaz, published),
        *recalled,
    ]:
        if not any(s < actor.end and actor.start < e for s, e in taken):
            actors.append(actor)
            taken.append((actor.start, actor.end))
    actors = [a for a in unique_actors(actors) if _takes_part(sentence, a)]
    return _without_announcer(sentence, actors)


# A contact told as the object of a verb of saying: "-dığını hatırlattı / açıkladı".
_REPORTED_CONTACT = re.compile(
    r"\w+[dt][ıiuü]ğ[ıiuü]n[ıiuü]\b.*\b(?:hatırlat|anımsat|açıkla|bildir|duyur|aktar|kaydet)"
    r"\w*\W*$"
)
_GENITIVE = re.compile(r"^['’]n?[ıiuü]n\b")


def _without_announcer(sentence: str, actors: list[Actor]) -> list[Actor]:
    """Not the one who tells of the contact: "Sözcü X, Cumhurbaşkanı Y'nin Z ile
    görüştüğünü hatırlattı" — the subject of the telling, set off by a comma before the
    contact's own subject in the genitive, is no party to it."""
    told = turkish_rules().anchored.cue("announced_in").search(normalise(sentence))
    if told and {a.side for a in actors if a.start >= told.end()} >= {"turkiye", "libya"}:
        # "İletişim Başkanı X yaptığı açıklamada, Erdoğan'ın Menfi ile görüştüğünü …"
        return [a for a in actors if a.start >= told.start()]
    if not _REPORTED_CONTACT.search(sentence):
        return actors
    genitive = [a for a in actors if _GENITIVE.match(sentence[a.end : a.end + 6])]
    if not genitive:
        return actors
    first = min(a.start for a in genitive)
    return [
        a for a in actors if not (a.end < first and sentence[a.end : a.end + 2].startswith(","))
    ]


# A capitalised word within the sentence (not its first: "Dün Güler …") right before a name.
_GIVEN_NAME_BEFORE = re.compile(rf"(?<=[\w.][\s,(])\s*({_CAPITALISED})\s+$")  # "Prof. Dr. Ahmet"


def _namesake(sentence: str, actor: Actor, gaz: Gazetteer) -> bool:
    """A listed surname after a given name that is not the listed person's ("Milletvekili
    Abdullah Güler" is not Yaşar Güler): someone else of that name."""
    before = _GIVEN_NAME_BEFORE.search(sentence[max(0, actor.start - 30) : actor.start])
    if before is None:
        return False
    word = normalise_name(before.group(1))
    if word in turkish_rules().title_words or gaz.find_mentions(before.group(1)):
        return False  # "Orgeneral Güler", "Libya Hafter": a title or a known name
    person = next((p for p in gaz.people.values() if p.name == actor.name), None)
    names = (
        {w for alias in person.aliases for w in normalise_name(alias).split()} if person else set()
    )
    return word not in names


def _takes_part(sentence: str, actor: Actor) -> bool:
    """Not someone mourned ("hayatını kaybeden … X"), a possessor ("X'in oğlu") or a
    leader named for his forces ("Hafter güçlerinin karargâhı")."""
    rules = turkish_rules()
    if rules.deceased.search(sentence[max(0, actor.start - 160) : actor.start]):
        return False
    after = sentence[actor.end : actor.end + 40]
    return not (rules.possessor.match(after) or rules.forces.match(after))


def _titled_people(sentence: str, gaz: Gazetteer, day: dt.date | None) -> list[Actor]:
    """People named after their office: "Libya İçişleri Bakanı X Y".

    Turkish news writes a foreign official's office after the country ("Libya Dışişleri
    Bakanı", "Mısır Genelkurmay Başkanı") and a Turkish official's without one ("Ticaret
    Bakanı Ömer Bolat"): the country word before the office gives the side. A name the
    gazetteer lists in another spelling ("Dibeybe", "es-Serrac") is that listed person.
    """
    rules = turkish_rules()
    actors: list[Actor] = []
    # Where a country's list of officials goes on, its side, and whether it is one yet.
    listing: tuple[int, Side | None, bool] = (-1, None, False)
    for match in rules.titled_person.finditer(sentence):
        title, name = _own_title(gaz, match.group("title")), match.group("name")
        side = _title_side(gaz, title, match.group("head"), bool(match.group("owner")))
        side = side or _owner_side(gaz, sentence[max(0, match.start() - 60) : match.start()])
        if _names_country(gaz, title):
            listing = (match.end(), side, False)
        elif (
            listing[1]
            and _LIST_COMMA.fullmatch(sentence[listing[0] : match.start()])
            and (listing[2] or _LIST_COMMA.match(sentence[match.end() :]))
        ):
            # "Libya Savunma Bakan Yardımcısı X, Genelkurmay Başkanı Y, Deniz Kuvvetleri
            # Komutanı Z ile": the offices listed after a country's are that country's. Two
            # items are no list ("Libya'nın Ankara Büyükelçisi X, Bakan Yardımcısı Y ile
            # görüştü": the comma ends the subject).
            side, listing = listing[1], (match.end(), listing[1], True)
        start, end = match.start("name"), match.end("name")
        lone = " " not in name
        # A surname alone after its office ("Libya Başbakanı Dbeyba"): the office vouches
        # for a short skeleton, but only a listed person of the office's side is taken.
        listed = person_by_spelling(gaz, name, min_lone=MIN_CONSONANTS if lone else 4)
        if listed is not None and (side == listed.side or (side is None and not lone)):
            actors.append(listed_actor(listed, start, end, day))
            continue
        if lone:
            continue
        if third_country_re("tr").match(match.group("title")):
            side = "other"  # "Gana Dışişleri ve Bölgesel Entegrasyon Bakanı X"
        envoy = match.group("head") in rules.envoys  # postings change hands unlisted
        if side in (None, "turkiye") and not envoy and _held_by_another(gaz, title, day):
            side = "other"  # "Dışişleri Bakanı Nikos Dendias": not Türkiye's minister that day
        actors.append(
            Actor(
                name=name,
                side=side or "turkiye",
                role=" ".join(title.split()),
                start=start,
                end=end,
                from_gazetteer=False,
            )
        )
    return actors


_LIST_COMMA = re.compile(r"['’]?\w{0,3}\s*,\s*")


def _names_country(gaz: Gazetteer, title: str) -> bool:
    return any(m.kind in ("place", "institution") for m in gaz.find_mentions(title))


def _held_by_another(gaz: Gazetteer, title: str, day: dt.date | None) -> bool:
    """Whether a Turkish office written without a country ("Dışişleri Bakanı") was held that
    day by a listed Turkish official: a name the gazetteer does not list is then another
    country's minister, named in a story about a trip abroad ("Atina'da … Dışişleri Bakanı
    Nikos Dendias ile"), not Türkiye's. Later mentions drop the country ("Dışişleri
    Bakanı Dendias"), so the sentence need not name it; the gazetteer lists Türkiye's
    ministers in every spelling in use, so one of them is not taken for a foreigner."""
    if _names_country(gaz, title):
        return False  # "Türkiye Dışişleri Bakanı": the country vouches for the office
    # "Başbakan Kiryakos Miçotakis ve Dışişleri Bakanı": the office is the last one.
    for office in (title, title.rsplit(" ve ", 1)[-1]):
        holder = gaz.resolve_role_phrase(" ".join(normalise(office).split()), day)
        if holder is not None:
            return holder.side == "turkiye"
    return False


def _own_title(gaz: Gazetteer, title: str) -> str:
    """The office alone, without a party joined to it by "ve" ("Erdoğan ve Libya Başbakanı"
    is Erdoğan and the Libyan prime minister): what follows the last person named in it."""
    people = [m for m in gaz.find_mentions(title) if m.kind in ("person", "surname")]
    if not people:
        return title
    return re.sub(r"^[\s,]*(?:ve\s+)?", "", title[people[-1].end :])


def _title_side(gaz: Gazetteer, title: str, head: str, owned: bool) -> Side | None:
    """The side an office belongs to, from the first country, city or body in its title.

    An envoy's city is the posting ("Trablus Büyükelçisi" is Türkiye's man in Tripoli,
    "Ankara Büyükelçisi" another country's in Ankara) unless a country owns the office
    ("Libya'nın Ankara Büyükelçisi").
    """
    for mention in gaz.find_mentions(title):
        side = gaz.side_of_mention(mention)
        posting = mention.kind == "place" and not owned and head in turkish_rules().envoys
        if posting and side in _OTHER_SIDE:
            return _OTHER_SIDE[side]
        return side
    return None


_OTHER_SIDE: dict[Side, Side] = {"turkiye": "libya", "libya": "turkiye"}
_GENITIVE_END = re.compile(r"\w(?:n[ıiuü]n|[ıiuü]n)\s*$")


def _owner_side(gaz: Gazetteer, before: str) -> Side | None:
    """The side of whoever owns an office through a genitive phrase before it ("Hafter
    güçlerinin Genel Sekreteri X", "Libya ordusunun Sözcüsü X"): the last known name there."""
    if not _GENITIVE_END.search(before):
        return None
    sides = [gaz.side_of_mention(m) for m in gaz.find_mentions(before)]
    return next((side for side in reversed(sides) if side in ("turkiye", "libya")), None)


def _spelled_people(sentence: str, gaz: Gazetteer, day: dt.date | None) -> list[Actor]:
    """Listed people in a Turkish spelling, named without an office ("… Dibeybe ile")."""
    honorifics = turkish_rules().honorifics
    actors: list[Actor] = []
    for match in _NAME_RUN.finditer(sentence):
        words = match.group(0).split()
        marked = [i for i, w in enumerate(words[:-1]) if normalise_name(w) in honorifics]
        if marked:
            # "(Dün) Sayın Dbeyba": the honorific says a name follows, even a surname alone.
            rest = words[marked[0] + 1 :]
            listed = person_by_spelling(gaz, " ".join(rest), min_lone=MIN_CONSONANTS)
            if listed is not None:
                start = match.end() - len(" ".join(rest))
                actors.append(listed_actor(listed, start, match.end(), day))
            continue
        # The run may start with a capitalised word that is not part of the name
        # ("Görüşmede Abdulhamid Dibeybe"): try it whole, then without its first words.
        for first in range(len(words) - 1 if len(words) > 1 else 1):
            listed = person_by_spelling(gaz, " ".join(words[first:]))
            if listed is not None:
                start = match.start() + len(" ".join(words[:first])) + (1 if first else 0)
                actors.append(listed_actor(listed, start, match.end(), day))
                break
    return actors


def _turkish_role_stands_alone(
    sentence: str, mentions: list[Mention], i: int, gaz: Gazetteer
) -> bool:
    # "Cumhurbaşkanı Erdoğan": the name that follows is the actor. "Mısır Cumhurbaşkanı
    # Sisi": another country's office. "Cumhurbaşkanı Abdulfettah ...": an unknown name.
    mention = mentions[i]
    if mention.text == mention.text.lower():
        return False  # "Rusya savunma bakanı, dışişleri bakanı ve …": a post, not a title
    following = sentence[mention.end : mention.end + 40].lstrip()
    if following[:1].isupper():
        return False
    previous = [m for m in mentions[:i] if m.end <= mention.start]
    # Only a word right before the office ("Mısır Cumhurbaşkanı"), not the previous party
    # of a list ("Erdoğan, Libya Başbakanı ile").
    if previous and not sentence[previous[-1].end : mention.start].strip(" "):
        side = gaz.side_of_mention(previous[-1])
        role_side = gaz.side_of_mention(mention)
        if side is not None and side != role_side:
            return False
    return True
