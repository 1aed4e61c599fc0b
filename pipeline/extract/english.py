"""English: spaCy-parsed sentences → trigger, actors, status, date, place → candidates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace

from pipeline.dates import RELATIVE_DAY_RE
from pipeline.extract.actors import actor_of, both_sides, find_actors, participant
from pipeline.extract.assembly import Candidate, add_participants, confidence, finish
from pipeline.extract.clauses import inside, masked
from pipeline.extract.context import Actor, ArticleContext
from pipeline.extract.english_contacts import (
    SEPARATELY_RE,
    contacts_of,
    followed_by_statement,
    names_another_country,
    restates_lede,
)
from pipeline.extract.institutions import is_host_government
from pipeline.extract.lexicon import MILITARY_TALKS
from pipeline.extract.neighbours import (
    attended_contact,
    complete_sides,
    days_from_follow_ups,
    institution_sides,
    named_in,
    names_any_group,
    talk_verb,
)
from pipeline.extract.places import location, title_place
from pipeline.extract.sentences import TWO_SIDES_RE, SentenceFacts, read_sentence
from pipeline.extract.text import (
    full_names,
    is_body_paragraph,
    split_sentences,
    strip_dateline,
    unwrap_lines,
)
from pipeline.extract.timing import (
    LEDE_PARAGRAPHS,
    SEQUENCE_RE,
    StoryDay,
    announced_day,
    event_date,
    shifted_day,
)
from pipeline.extract.triggers import CARRIED, is_anaphoric, tells_when
from pipeline.gazetteer import load_gazetteer
from pipeline.nlp import load_nlp
from pipeline.records import ExtractedEvent

FOLLOW_UP_DISTANCE = 2  # sentences


def extract_english_events(
    text: str, *, published: dt.date | None, title: str | None = None
) -> list[ExtractedEvent]:
    """The contacts an English-language article reports, one per distinct contact."""
    paragraphs = [strip_dateline(p) for p in unwrap_lines(text) if p]
    # A page's title repeated above its text is not its lede.
    heading = " ".join((title or "").split()).rstrip(".")
    body = [p for p in paragraphs if is_body_paragraph(p) and p.rstrip(".") != heading]
    if not body:
        return []
    ctx = _article_context(paragraphs, title, published)
    split = [
        (number, s) for number, paragraph in enumerate(body) for s in split_sentences(paragraph)
    ]
    facts: list[SentenceFacts] = []
    docs = load_nlp().pipe([_headline_as_sentence(title or ""), *(s for _, s in split)])
    headline = next(docs)[:]
    headline_actors = find_actors(headline, ctx.gaz.find_mentions(headline.text), ctx)
    ctx.remember(headline_actors)
    for index, doc in enumerate(docs, start=1):
        # One doc per sentence: the parser's own sentence splitting breaks on
        # "(MIT) Director ..." and similar, and a whole doc is then one clause.
        facts.append(read_sentence(doc[:], ctx, index, split[index - 1][0]))
    day, origin = (
        event_date(title, published, planned=False) if published and title else (None, None)
    )
    headline_day = day if origin == "text" else None
    candidates = assemble(facts, ctx, headline_actors, headline_day=headline_day)
    if not candidates and title:
        # A body that never states the contact in full (cut off, or all context) leaves
        # the headline: "Erdogan receives Dbeibah in Istanbul" is news in itself.
        lede = read_sentence(headline, ctx, 0, 0)
        # With the first sentence beside it, from which the headline may take a side.
        candidates = assemble([lede, *facts[:1]], ctx) if lede.trigger else []
        candidates = [c for c in candidates if c.sentence_index == 0]
    return finish(candidates)


# Headlinese: "Erdogan to host Dbeibah on Friday" is "Erdogan will host …".
_HEADLINE_PLAN = re.compile(r"^([A-Z][^,:;]{2,80}?)\s+to\s+(?=[a-z]+\b)")


def _headline_as_sentence(title: str) -> str:
    return _HEADLINE_PLAN.sub(r"\1 will ", title, count=1)


def _article_context(
    paragraphs: list[str], title: str | None, published: dt.date | None
) -> ArticleContext:
    gaz = load_gazetteer()
    # Full names in the title count from the start; body names as they are read.
    named = {
        gaz.person_aliases[m.key] for m in gaz.find_mentions(title or "") if m.kind == "person"
    }
    return ArticleContext(
        gaz=gaz,
        published=published,
        named_person_ids=named,
        full_names=full_names(paragraphs),
        title_place=title_place(gaz, title or ""),
    )


def _event_from_facts(
    facts: SentenceFacts,
    actors: list[Actor],
    ctx: ArticleContext,
    *,
    antecedent: Candidate | None = None,
    undated_narrative: bool = False,
    story_day: dt.date | None = None,
    plan_day: dt.date | None = None,
    restates_lede: bool = False,
) -> Candidate:
    assert facts.trigger is not None and facts.status is not None
    event_type, _, base_confidence = facts.trigger
    text, sent = facts.sent.text.strip(), facts.sent
    if event_type in ("meeting", "visit") and (
        MILITARY_TALKS.search(text) or any(a.armed_force for a in actors)
    ):
        event_type = "military"  # a military delegation's talks, a warship's visit
    # The day words of another clause ("days after he had met X on Monday") are its own.
    own_text = masked(sent.doc.text, facts.other_clauses + facts.not_its_day).strip()
    if RELATIVE_DAY_RE.search(text):
        own_text = text  # "a day after the frigate docked on Sunday": counted from its day
    if facts.own_span is not None:
        own_text = sent.doc.text[facts.own_span[0] : facts.own_span[1]]
    day, source = event_date(own_text, ctx.published, planned=facts.status == "planned")
    told = ctx.last_told_day or story_day or ctx.published
    shifted = None if source == "text" else shifted_day(text, told)
    if shifted is not None:
        day, source = shifted, "text"  # "a day earlier", "the next day"
    elif source != "text" and antecedent is not None:
        # "The two officials signed an agreement": on the day of the contact just told.
        day, source = antecedent.event.date, antecedent.event.date_source
    elif source != "text" and facts.status == "planned" and plan_day is not None:
        day, source = plan_day, "text"  # the day the plan was announced for
    elif (
        source != "text"
        and ctx.published is not None
        and followed_by_statement(facts)
        and (said := announced_day(text, ctx.published)) is not None
    ):
        day, source = said, "text"  # "Erdogan said on Sunday, after a meeting with X, …"
    elif source != "text" and (undated_narrative or facts.recent_past or facts.ongoing):
        day, source = None, None  # "had held talks", "continues to train": not the day of writing
    elif source == "published" and story_day is not None and facts.status == "occurred":
        # "X hosted a summit yesterday. … Erdogan brought together Y and Z.": a sentence with
        # no date words goes on with the day the story last gave (news dates its lede).
        day, source = story_day, "text"
    elif (
        source == "published"
        and ctx.published is not None
        and (said := announced_day(text, ctx.published)) is not None
    ):
        day, source = said, "text"
    elif (
        source == "published"
        and facts.status == "occurred"
        and facts.paragraph >= LEDE_PARAGRAPHS
        and not restates_lede
        and not SEQUENCE_RE.search(own_text)
    ):
        # Past the lede, a contact told with no date words is context ("During his visit,
        # X met Y"), not news of the day of writing; unless it is the programme's next
        # stop ("Fidan later held a separate meeting with Y"), on the story's day.
        day, source = None, None
    places = [m for m in facts.mentions if not inside(m.start, facts.other_clauses)]
    if facts.own_span is not None:
        places = [m for m in facts.mentions if inside(m.start, [facts.own_span])]
    city, country = location(sent, places, actors, ctx, event_type)
    if city is None and antecedent is not None and event_type != "call":
        city, country = antecedent.event.location, antecedent.event.country
    borrowed = len(actors) != len(facts.actors)
    event = ExtractedEvent(
        type=event_type,
        status=facts.status,
        date=day,
        date_source=source,
        location=city,
        country=country,
        participants=[participant(a) for a in actors],
        evidence=text,
        confidence=confidence(base_confidence, actors, city, sent, facts.mentions)
        - (0.1 if borrowed else 0.0),
    )
    return Candidate(event, facts.index, {a.key for a in actors}, earlier=facts.earlier)


def assemble(
    facts: list[SentenceFacts],
    ctx: ArticleContext,
    headline_actors: Sequence[Actor] = (),
    *,
    headline_day: dt.date | None = None,
) -> list[Candidate]:
    """Candidates from sentences, a contact's missing side taken from its neighbours.

    A sentence with a trigger and both sides is a contact. One with a trigger, one side
    and a word that points elsewhere ("he", "his counterpart", "the two sides", "the
    delegation") takes the other side from the nearest sentence of its paragraph that
    names it (before, then after), then from the sentence just before. "X and Y also took
    part" sentences add participants to the contact just reported.
    """
    candidates: list[Candidate] = []
    # Once a story tells of a contact as recent past ("recently held talks"), the sentences
    # that go on about it are undated too, until one gives a day.
    undated_narrative = False
    story_day = StoryDay()
    if headline_day is not None:
        # "Fidan meets Haftar in Benghazi on Monday": the headline dates the lede.
        story_day.tell(0, headline_day, frozenset(a.key for a in headline_actors))
    phoning: SentenceFacts | None = None  # a call told without its other side, so far
    plan: tuple[int, dt.date | None] = (-10, None)  # the last planned contact's day
    for position, current in enumerate(facts):
        text = current.sent.text
        # A call with a group ("with Libyan leaders") waits for the next sentence, wherever
        # it is, to name them; other calls only within their paragraph.
        if (
            phoning is not None
            and phoning.paragraph != current.paragraph
            and (current.index - phoning.index > 1 or not names_any_group(phoning))
        ):
            phoning = None
        if current.recent_past and current.trigger is not None:
            undated_narrative = True
        elif current.gives_time:
            undated_narrative = False
        people = frozenset(a.key for a in current.actors)
        day_before = story_day.day_for(current.paragraph, people)
        told_before = replace(story_day)
        ctx.last_told_day = story_day.day
        if current.told_day is not None:
            story_day.tell(
                current.paragraph, current.told_day, people, contact=current.trigger is not None
            )
        attended = current.follow_up and attended_contact(candidates, current, FOLLOW_UP_DISTANCE)
        if attended:
            add_participants(attended, current.actors)
            attended.event.evidence = f"{attended.event.evidence} {text.strip()}"
            continue
        if current.trigger is None:
            continue
        if current.status == "planned" and ctx.published is not None:
            # "X will visit Tripoli on Wednesday. He is expected to meet Y.": that day.
            day, source = event_date(text, ctx.published, planned=True)
            if source == "text":
                plan = (current.index, day)
            elif current.index - plan[0] <= FOLLOW_UP_DISTANCE:
                plan = (current.index, plan[1])  # the programme goes on: "He is also to …"
        recent = candidates[-1] if candidates else None
        if recent and current.index - recent.sentence_index > FOLLOW_UP_DISTANCE:
            recent = None
        if recent and is_anaphoric(current.trigger[1]):
            # "In the meeting, the president expressed …": the contact just told; "The visit
            # took place on Tuesday, 24 August" gives it the day its first telling lacked.
            if (
                current.told_day is not None
                and recent.event.date_source != "text"
                and tells_when(current.trigger[1])
            ):
                recent.event.date, recent.event.date_source = current.told_day, "text"
            continue
        actors = [a for a in current.actors if not inside(a.start, current.background)]
        antecedent = None
        signing = current.trigger[0] == "agreement" and current.trigger[2] >= CARRIED
        group = names_any_group(current)
        if not both_sides(actors) and (current.refers or signing) and not current.third_party:
            # "The two sides signed …", "Türkiye and Libya signed … at the talks": the
            # people of the contact just told.
            if recent and not actors and (TWO_SIDES_RE.search(text) or signing):
                actors = [
                    actor_of(p) for p in recent.event.participants if not is_host_government(p.name)
                ]
                antecedent = recent
            else:
                actors = complete_sides(actors, facts, position, headline_actors)
        elif not both_sides(actors) and group and not current.third_party:
            actors = complete_sides(actors, facts, position, group_only=True)
        if not both_sides(actors):
            actors = [*actors, *institution_sides(current, actors, ctx)]
        own = [a for a in actors if not inside(a.start, current.other_clauses)]
        if both_sides(own):
            actors = own  # the people of another clause's contact are not this one's
        elif current.other_clauses and names_another_country(
            current, outside=current.other_clauses
        ):
            # "Erdogan and Putin spoke by phone … after Turkey signed deals with Sarraj's
            # government": a contact with a third country; another clause's Libyan is no
            # party to it (that clause tells its own contact, if any).
            candidates += _side_candidates(current, actors, ctx, day_before)
            continue
        if not both_sides(actors):
            if current.trigger[0] == "call":
                phoning = current  # "X spoke by phone with two Libyan leaders." …
            continue
        if phoning is not None and talk_verb(current.trigger[1]):
            # … "He talked with A about … and with B about …": the calls it announced.
            talk = replace(current, trigger=("call", *current.trigger[1:]))
            separately = SEPARATELY_RE.search(phoning.sent.text) is not None
            for contact, group in contacts_of(talk, actors, separately=separately):
                candidates.append(
                    _event_from_facts(contact, group, ctx, story_day=story_day.day_for(
                        current.paragraph, frozenset(a.key for a in group)))
                )  # fmt: skip
            continue
        candidates += _side_candidates(current, actors, ctx, day_before)
        for contact, group in contacts_of(current, actors):
            # The people the contact took from its neighbours bring the day told with them
            # ("The two officials were welcomed by X" after "On Tuesday, A and B attended …").
            keys = frozenset(a.key for a in group)
            taken_day = told_before.day_of(current.paragraph, keys, keys - people)
            candidates.append(
                _event_from_facts(
                    contact,
                    group,
                    ctx,
                    antecedent=antecedent,
                    undated_narrative=undated_narrative,
                    story_day=day_before if keys <= people else taken_day,
                    plan_day=plan[1] if current.index - plan[0] <= FOLLOW_UP_DISTANCE else None,
                    restates_lede=restates_lede(current, group, facts),
                )
            )
    days_from_follow_ups(candidates, facts, ctx)
    return candidates


def _side_candidates(
    facts: SentenceFacts, actors: list[Actor], ctx: ArticleContext, story_day: dt.date | None
) -> list[Candidate]:
    """The contacts a sentence's clauses of another time tell: "Days after he had met
    Khalifa Haftar, Hakan Fidan hosted Aguila Saleh" tells Fidan's meeting with Haftar too."""
    found = []
    for side in facts.side_contacts:
        group = [a for a in facts.actors if named_in(a, facts, side.span)]
        sides = {a.side for a in group} | {"other"}
        if side.shares_subject and names_another_country(facts, within=facts.subject_span):
            continue  # "Erdogan and Putin held a call and discussed …": theirs, not Libya's
        if side.shares_subject and facts.subject_span is not None:
            # "… and then flew to Benghazi to meet X": the main clause's subject.
            group += [
                a
                for a in actors
                if a not in group and a.side != "other" and inside(a.start, [facts.subject_span])
            ]
        elif side.pronoun_subject:
            group += [a for a in actors if a.side not in sides]  # "he had met X"
        if not both_sides(group):
            continue
        clause = replace(
            facts, trigger=side.trigger, status=side.status, second_trigger=None,
            other_clauses=[], side_contacts=[], own_span=side.span,
            recent_past=side.recent, earlier=side.recent,
        )  # fmt: skip
        # "… on Monday and then flew to Benghazi to meet X": the day the sentence gave.
        day = (facts.told_day or story_day) if side.shares_subject else story_day
        found.append(_event_from_facts(clause, group, ctx, story_day=day))
    return found
