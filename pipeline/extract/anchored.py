"""Gazetteer-anchored extraction, for languages the spaCy model does not read.

Turkish and Arabic articles have no parser here, so a sentence counts when one of the
language's trigger patterns (its data file) matches it and known actors of both sides
appear in it, or in the neighbouring sentence of its paragraph for the side it leaves
out. What differs by language — the triggers, how dates and places are written, how
people are named — comes in an :class:`AnchoredLanguage`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.dates import DateMention
from pipeline.extract.actors import (
    Actor,
    actor_of,
    both_sides,
    participant,
    unique_actors,
)
from pipeline.extract.anchored_followups import (
    Companions,
    TripPlaces,
    each_separately,
    restate,
    restates,
    signing_too,
    split_joint,
    within_visit,
)
from pipeline.extract.anchored_joins import (
    body_sentences,
    contact_day,
    delivered_message,
    join_guests,
    joins_gathering,
    quoted_spans,
    resolve_day,
    trigger_of,
)
from pipeline.extract.anchored_parties import (
    counterpart_state,
    host_body,
    latest_namesakes,
    names_delegation,
    partner_bodies,
    signatories,
    unnamed_counterpart,
    unnamed_delegation,
    unnamed_offices,
    visits_someone,
)
from pipeline.extract.assembly import Candidate, finish
from pipeline.extract.institutions import institution_actors, visit_host
from pipeline.extract.text import is_body_paragraph, split_sentences
from pipeline.extract.timing import StoryDay, mentions_history
from pipeline.gazetteer import Gazetteer, Mention, load_gazetteer, normalise
from pipeline.records import EventStatus, EventType, ExtractedEvent

DATA_DIR = Path(__file__).parent.parent / "data"

DateFinder = Callable[..., list[DateMention]]  # (text, published, *, future) -> mentions
PlaceFinder = Callable[[Gazetteer, str, list[Mention]], tuple[str | None, str | None]]
ActorFinder = Callable[[str, list[Mention], Gazetteer, set[str], dt.date | None], list[Actor]]


@dataclass(frozen=True)
class AnchoredRules:
    """A language's cues, matched on folded text (data/<language>.yaml)."""

    triggers: tuple[tuple[re.Pattern[str], EventType, EventStatus], ...]
    not_news: re.Pattern[str]
    recent_past: re.Pattern[str]
    military_talks: re.Pattern[str]  # "askeri heyet": talks typed military
    # Optional cues by name (the data file's `cues:`), a language without one never matches:
    # delegation  "heyet": a group whose members an earlier sentence named
    # visiting_delegation  "Libya'da bulunan heyet": one named by its trip, the visitor's
    # attendance  "Görüşmeye X de katıldı": more people at the contact just told
    # restated  "That came in a phone call": the contact just told, what it was and when
    # separately  "X and Y received Z, each separately": one contact per listed party
    # state_signing  a signing "between the two countries": the governments are the parties
    # referenced  "X'in Y ile yaptığı görüşme": a contact cited, not reported; day unknown
    # same_day_past  "olaydan kısa süre önce": a pluperfect on the story's own day
    # signed  a signing told as done, whose parties may be the talks just told
    # partner  after a body's name, marks it as met ("… Hükümeti ile görüştü")
    # both_held  "the two sides held a meeting": the parties of the contact just told
    # within_visit  "Libya ziyareti sırasında": a contact held during a visit, not the visit
    # undated_past  "geçtiğimiz hafta": a past the story gives no day for
    # separate_report  "كما نشرت …", "Ayrıca …": one more contact reported, not a restatement
    # counted_apart  "خلال الاتصالين": the next sentence counts the contact just told as two
    # trip_under_way  "ziyarette bulunan": a visit going on as the story is written
    # companion  "X, beraberinde Y ile": Y travels with X (group `with` spans the companions)
    cues: dict[str, re.Pattern[str]]
    raw: dict[str, Any]

    def cue(self, name: str) -> re.Pattern[str]:
        return self.cues.get(name, _NEVER)


_NEVER = re.compile("(?!)")


def load_rules(name: str) -> AnchoredRules:
    with (DATA_DIR / f"{name}.yaml").open(encoding="utf-8") as handle:
        raw: dict[str, Any] = yaml.safe_load(handle)
    triggers = tuple(
        (re.compile(rf"(?<!\w)(?:{t['pattern']})(?!\w)"), t["type"], t["status"])
        for t in raw["triggers"]
    )
    return AnchoredRules(
        triggers=triggers,
        not_news=re.compile("|".join(raw["not_news"])),
        recent_past=re.compile("|".join(raw.get("recent_past") or ["(?!)"])),
        military_talks=re.compile("|".join(raw.get("military_talk_cues") or ["(?!)"])),
        # A cue is a pattern, or a list of alternatives (some shared with a trigger).
        cues={
            name: re.compile(pattern if isinstance(pattern, str) else "|".join(pattern))
            for name, pattern in (raw.get("cues") or {}).items()
        },
        raw=raw,
    )


@dataclass(frozen=True)
class AnchoredLanguage:
    rules: AnchoredRules
    find_dates: DateFinder
    place: PlaceFinder
    actors: ActorFinder
    # A rewrite before matching (Arabic: "والدبيبة" → " الدبيبة"); everything after it,
    # the evidence included, reads the rewritten text.
    prepare: Callable[[str], str] = lambda text: text
    # Sentences and body paragraphs: Arabic has no capitals to tell a sentence start by.
    split: Callable[[str], list[str]] = split_sentences
    is_body: Callable[[str], bool] = is_body_paragraph
    # Turkish puts the verb last and a relative clause's day before its noun ("23 Aralık'ta
    # düşen uçakta ölen … için dün düzenlenen törene katıldı"): the day nearest the verb,
    # the last one, is the contact's. Arabic puts the verb first.
    verb_final: bool = False
    # A trigger read another way when no pattern matches (Turkish: by lemma, a setting).
    fallback_trigger: Callable[[str], tuple[EventType, EventStatus] | None] | None = None


def extract_anchored_events(
    text: str, *, published: dt.date | None, title: str | None, language: AnchoredLanguage
) -> list[ExtractedEvent]:
    """Contacts between known actors in an article of ``language``."""
    gaz = load_gazetteer()
    text, title = language.prepare(text), language.prepare(title or "")
    title_mentions = gaz.find_mentions(title)
    named = {gaz.person_aliases[m.key] for m in title_mentions if m.kind == "person"}
    recency = list(named)  # people in the order last named
    title_place = language.place(gaz, title, title_mentions)
    candidates: list[Candidate] = []
    numbered = body_sentences(text, language)
    found = [gaz.find_mentions(sentence) for _, sentence in numbered]
    story_day = StoryDay()
    trips = TripPlaces(gaz)
    company = Companions()
    host = host_body(found, gaz, language.rules)  # who a visit no Libyan is named for is to
    under_way = any(language.rules.cue("trip_under_way").search(normalise(s)) for _, s in numbered)
    delegation: tuple[str, list[Mention]] | None = None  # the last one named with members
    last_named: tuple[str, list[Mention]] | None = None  # the last sentence naming someone
    for index, (paragraph, sentence) in enumerate(numbered, start=1):
        mentions = found[index - 1]
        day_before = story_day.day_for(paragraph)
        told: dt.date | None = None
        origin = "none"
        if published is not None:
            told, origin = resolve_day(language, sentence, published, future=False)
            if origin == "vague":  # a day ahead ("yarın"): the day of the plans told next
                told, origin = resolve_day(language, sentence, published, future=True)
            if origin == "text" and told is not None:
                story_day.tell(paragraph, told)
        # The parties a sentence leaves out ("… ile görüştü" after a sentence naming the
        # visitor) are those of its paragraph's previous sentence, else its next one.
        neighbours = [
            (numbered[i][1], found[i])
            for i in (index - 2, index)
            if 0 <= i < len(numbered) and numbered[i][0] == paragraph
        ]
        # "Heyet, dün Serrac ile bir araya geldi": the delegation is the one the story
        # listed by name, paragraphs before.
        cue = language.rules.cue("delegation").search(normalise(sentence))
        if cue and delegation is not None:
            neighbours.append(delegation)
        elif last_named is not None and language.rules.cue("visiting_delegation").search(
            normalise(sentence)
        ):
            # No delegation listed, one named by the trip: the one the story's last named
            # visitor leads ("Libya'da bulunan Bakan X …", "Libya'da bulunan heyetin …").
            neighbours.append(last_named)
        if cue and names_delegation(mentions, delegation, gaz):
            delegation = (sentence, mentions)
        if any(m.kind == "person" for m in mentions):
            last_named = (sentence, mentions)
        before = numbered[index - 2] if index >= 2 else (-1, "")
        folded = normalise(sentence)
        guest = joins_gathering(folded, normalise(before[1]), language.rules) and (
            before[0] == paragraph
        )
        attends = bool(candidates) and language.rules.cue("attendance").search(folded)
        own = language.actors(sentence, mentions, gaz, named, told or published)
        if guest or attends:
            # Those present at the contact just told: its participants; guests of a gathering
            # of one side ("… yemeğinde bir araya geldi. Yemeğe X de katıldı") make it one.
            last = candidates[-1] if candidates else None
            joined_event = None
            if guest and not (last and last.sentence_index == index - 1):
                joined = f"{before[1]} {sentence}"
                context = _Context(gaz, language, named, published, day_before, told)
                joined_event = _event(joined, gaz.find_mentions(joined), context, index, [])
            if joined_event is not None:
                candidates.append(joined_event)
            elif last is not None and (attends or last.sentence_index == index - 1):
                join_guests(last, own, sentence if guest else None)
            named |= {gaz.person_aliases[m.key] for m in mentions if m.kind == "person"}
            recency += [gaz.person_aliases[m.key] for m in mentions if m.kind == "person"]
            continue
        if language.rules.cue("companion").search(folded):
            company.note(folded, own, language.rules.cue("companion"))
        if language.rules.cue("restated").search(folded):
            # "جاء ذلك في اتصال هاتفي … مساء الثلاثاء", "Erdoğan görüşmede …": the contact
            # just told, what it was and when, not one more.
            hit = trigger_of(sentence, folded, language)
            previous = candidates[-1] if candidates else None
            # A signing in the talks is one more contact ("görüşmede … imza attı").
            signing = hit is not None and hit[0] == "agreement"
            if previous is not None and previous.event.type == "agreement":
                signing = False
            if not signing and restates(previous, index, {a.key for a in own}):
                day = told if origin == "text" else None
                past = language.rules.cue("undated_past").search(folded) is not None
                place = language.place(gaz, sentence, mentions)
                restate(candidates[-1], hit and hit[0], day, place, undated=past and not day)
                continue
        last = [actor_of(p) for p in candidates[-1].event.participants] if candidates else []
        view = latest_namesakes(named, recency, gaz)
        context = _Context(gaz, language, view, published, day_before, told, last, host, under_way)
        candidate = _event(sentence, mentions, context, index, neighbours)
        if candidate is not None:
            company.join(candidate)
            event = candidate.event
            if event.type != "call" and event.location is None and event.country is None:
                event.location, event.country = trips.place_of(event) or title_place
            after = normalise(numbered[index][1]) if index < len(numbered) else ""
            if language.rules.cue("separately").search(folded) or (
                language.rules.cue("counted_apart").search(after)
            ):
                candidates.extend(each_separately(candidate))
            elif language.rules.cue("talks_in_plural").search(folded):
                candidates.extend(each_separately(candidate, named={a.name for a in own}))
            else:
                candidates.append(candidate)
            message = delivered_message(candidate, folded, language.rules, own)
            candidates += [message] if message is not None else []
            if signing_too(candidate, folded, language.rules):
                # "… Toplantısı'nı, X ile imzaladığımız Mutabakat Zaptı ile nihayete
                # erdirdik": the session and the signing that closed it.
                twin = candidate.event.model_copy(update={"type": "agreement"}, deep=True)
                candidates.append(Candidate(twin, index, set(candidate.keys)))
        named |= {gaz.person_aliases[m.key] for m in mentions if m.kind == "person"}
        recency += [gaz.person_aliases[m.key] for m in mentions if m.kind == "person"]
        if published is None or not mentions_history(
            language.find_dates(sentence, published), published
        ):
            trips.note(mentions, language.place(gaz, sentence, mentions))  # not "in 2019"
    if not candidates and title.strip():
        # A body that never states the contact in full leaves the headline, a sentence in
        # itself in Turkish and Arabic news ("Bakan X, Libyalı mevkidaşı Y ile görüştü").
        context = _Context(gaz, language, named, published, story_day.lede, None)
        headline = _event(title, title_mentions, context, 0, [])
        candidates = [headline] if headline is not None else []
    if not any(within_visit(c, language.rules) for c in candidates):
        return finish(split_joint(candidates, language.rules))
    # A trilateral held during the trip is not the visit's bilateral contacts.
    with_third = [c for c in candidates if any(p.side == "other" for p in c.event.participants)]
    rest = [c for c in candidates if c not in with_third]
    return finish(split_joint(rest, language.rules)) + finish(with_third)


@dataclass(frozen=True)
class _Context:
    gaz: Gazetteer
    language: AnchoredLanguage
    named: set[str]
    published: dt.date | None
    story_day: dt.date | None
    told: dt.date | None  # the day the sentence's own words give
    last_parties: list[Actor] = field(default_factory=list)  # of the contact told last
    host: Actor | None = None  # the Libyan body a visit to Libya is to, if the story names one
    under_way: bool = False  # the story tells of a trip going on as it writes


def _event(
    sentence: str,
    mentions: list[Mention],
    ctx: _Context,
    index: int,
    neighbours: list[tuple[str, list[Mention]]],
) -> Candidate | None:
    rules, gaz, published = ctx.language.rules, ctx.gaz, ctx.published
    folded = normalise(sentence)
    if sentence.rstrip().endswith(("?", "؟")):
        return None
    hit = trigger_of(sentence, folded, ctx.language)
    if hit is None:
        return None
    event_type, status = hit
    if event_type in ("meeting", "visit") and rules.military_talks.search(folded):
        event_type = "military"
    # A denial names the claim it denies ("… iddiasını yalanladı"): that is the news.
    if status != "denied" and rules.not_news.search(folded):
        return None
    # Offices named alone resolve to whoever held them on the day the sentence tells of.
    role_day = ctx.told or published
    actors = ctx.language.actors(sentence, mentions, gaz, ctx.named, role_day)
    quotes = quoted_spans(sentence, folded, ctx.language)
    actors = [a for a in actors if not any(s <= a.start < e for s, e in quotes)]
    if event_type in ("meeting", "military") and rules.cue("both_held").search(folded):
        # "وعقد الجانبان اجتماعا عقب التوقيع": the two sides of the contact just told.
        actors = unique_actors([*actors, *ctx.last_parties])
    if event_type == "agreement" and actors:
        actors = [*actors, *counterpart_state(folded, rules, actors)]
    sides = {a.side for a in actors}
    if len(sides & {"turkiye", "libya"}) == 1 and "other" not in sides:
        missing = "libya" if "turkiye" in sides else "turkiye"
        for text, found in neighbours:
            extra = [
                a
                for a in ctx.language.actors(text, found, gaz, ctx.named, role_day)
                if a.side == missing
            ]
            if extra:
                actors = [*actors, *extra]
                break
    if not both_sides(actors):
        actors = [*actors, *unnamed_counterpart(folded, actors, gaz, rules, role_day)]
    if event_type in ("meeting", "visit") and not both_sides(actors):
        # "… heyet, Trablus merkezli Ulusal Birlik Hükümeti ile görüştü": the body met.
        actors = [*actors, *partner_bodies(folded, mentions, actors, gaz, rules)]
    if event_type == "agreement" and not actors:
        actors = signatories(folded, rules, ctx.last_parties)
    if event_type in ("meeting", "military", "visit") and not both_sides(actors):
        office, kind = unnamed_offices(folded, rules, actors)  # "Türk askeri ataşesi"
        actors, event_type = [*actors, *office], kind or event_type
    if event_type == "military" and not both_sides(actors):
        if rules.cue("delegation").search(folded):
            actors = [*actors, *unnamed_delegation(folded, rules, actors)]
        actors = [*actors, *institution_actors(mentions, actors, gaz)]  # a navy, an army
    if (
        event_type == "visit"
        and not both_sides(actors)
        and not visits_someone(sentence, rules, mentions)
    ):
        # "وصل وزير الدفاع التركي … إلى العاصمة الليبية طرابلس", "Fidan Trablus'u ziyaret
        # etti" and no one named there: to the body the story names, else the government.
        place = ctx.language.place(gaz, sentence, mentions)
        host = visit_host(actors, gaz, place, ctx.told or published, sentence, ctx.host)
        actors = [*actors, *([host] if host is not None else [])]
    if not both_sides(actors):
        return None
    day: dt.date | None = None
    source: str | None = None
    if published is not None:
        dated = contact_day(
            ctx.language, sentence, published, status, story_day=ctx.story_day,
            under_way=ctx.under_way,
        )  # fmt: skip
        if dated is None:
            return None  # history
        day, source = dated
    city, country = (None, None)
    if event_type != "call":
        city, country = ctx.language.place(gaz, sentence, mentions)
    event = ExtractedEvent(
        type=event_type,
        status=status,
        date=day,
        date_source=source,  # type: ignore[arg-type]
        location=city,  # a country alone is no location (annotators leave it null)
        country=country,
        participants=[participant(a) for a in actors],
        evidence=sentence.strip(),
        confidence=0.8 if (city or event_type == "call") else 0.75,
    )
    return Candidate(event, index, {a.key for a in actors})
