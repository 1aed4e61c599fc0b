"""Contact triggers: the verb or noun that states a contact (its words in ``lexicon``, the
status it has in ``status``)."""

from __future__ import annotations

from spacy.tokens import Span, Token

from pipeline.extract.lexicon import (
    CALL_PURPOSES,
    DELIVERY_VERBS,
    DISCUSS_VERBS,
    EXCHANGE_OBJECTS,
    LIGHT_VERBS,
    MESSAGE_NOUNS,
    MILITARY_MODIFIERS,
    NOMINAL_PREPOSITIONS,
    NOUN_TRIGGERS,
    PHONE_NOUNS,
    PHONE_VERBS,
    PHONE_WORDS,
    REMOTE_ADVERBS,
    SHIP_VERBS,
    SUMMIT_MODIFIERS,
    VERB_TRIGGERS,
    VESSEL_NOUNS,
)
from pipeline.extract.status import negated, speculative
from pipeline.extract.trigger_arguments import (
    accompanies_on_visit,
    by_phone,
    calls_someone,
    carrier_travels,
    co_prefixed,
    has_joint_subject,
    has_partner,
    has_person_object,
    is_party,
    names_a_document,
    trains_a_force,
    travels_for_talks,
    with_partner,
)
from pipeline.records import EventType

# Base confidences: a noun a verb carries ("held talks"), one only named ("after talks with").
CARRIED, NOMINAL = 0.8, 0.7


# ------------------------------------------------------------------ triggers
def find_triggers(sent: Span) -> list[tuple[EventType, Token, float]]:
    """Every contact trigger of a sentence, the one nearest its root first."""
    found: list[tuple[int, int, EventType, Token, float]] = []
    lemmas = {t.lemma_.lower() for t in sent}
    has_phone = bool(lemmas & {"phone", "telephone"}) or "video call" in sent.text.lower()
    for token in sent:
        hit = _trigger_for_token(token, has_phone)
        if hit is not None:
            found.append((_depth(token), token.i, hit[0], token, hit[1]))
    if not found:
        return []
    found.sort(key=lambda item: (item[0], item[1]))
    ordered = [(event_type, token, confidence) for _, _, event_type, token, confidence in found]
    if ordered[0][0] == "visit":
        # "travelled to Tripoli and held talks with X": the contact is the meeting.
        # A noun of purpose ("to visit Benghazi for talks with …") does not override it.
        meetings = [item for item in ordered if item[0] == "meeting" and item[2] >= CARRIED]
        if meetings:
            ordered.remove(meetings[0])
            ordered.insert(0, meetings[0])
    return ordered


def second_contact(
    sent: Span, first: tuple[EventType, Token, float]
) -> tuple[EventType, Token, float] | None:
    """A signing told together with a meeting or visit ("signed … during their talks",
    "met and signed …"): analysts count both, so the sentence gives both."""
    kinds = {"agreement": ("meeting", "visit"), "meeting": ("agreement",), "visit": ("agreement",)}
    wanted = kinds.get(first[0])
    if not wanted:
        return None
    for token in sent:
        if token.i == first[1].i:
            continue
        hit = _trigger_for_token(token, has_phone=False)
        # A signing must be told as one ("signed", "inked a deal"), not named in passing
        # ("based on existing agreements").
        if hit is not None and hit[0] in wanted and (hit[0] != "agreement" or hit[1] >= CARRIED):
            return hit[0], token, hit[1]
    return None


def _trigger_for_token(token: Token, has_phone: bool) -> tuple[EventType, float] | None:
    lemma = token.lemma_.lower()
    if (
        lemma in ("travel", "fly", "tour")
        and token.tag_ == "VBG"
        and token.dep_ in ("amod", "compound")
        and token.head.pos_ == "NOUN"
    ):
        return None  # "facilitating travelling procedures", "flying hours": a modifier
    if token.pos_ in ("VERB", "AUX") or (token.tag_.startswith("VB")):
        if has_phone and lemma in PHONE_VERBS and _phone_in_reach(token):
            return "call", 0.9
        if lemma in ("meet", "talk", "confer") and (
            any(c.lower_ in REMOTE_ADVERBS for c in token.children) or by_phone(token)
        ):
            return "call", 0.85  # "met virtually with X", "met on Zoom": a video call
        if has_phone and lemma in CALL_PURPOSES and by_phone(token):
            return "call", 0.85  # "congratulated Dbeibah by phone", "… in a phone call"
        if lemma in SHIP_VERBS and any(
            c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in VESSEL_NOUNS
            for c in token.children
        ):
            return "military", 0.85  # "a Turkish frigate docked at / visited Tripoli"
        if VERB_TRIGGERS.get(lemma) == "visit" and carrier_travels(token):
            return None  # "Turkish Airlines will restart flying to Libya": a route, no visit
        if VERB_TRIGGERS.get(lemma) == "visit" and lemma != "visit" and travels_for_talks(token):
            # "flew to Malta for talks with X": the talks are the contact; a trip framed as
            # a visit ("is set to visit Benghazi for talks with X") stays a visit.
            return None
        if lemma == "call" and calls_someone(token):
            return "call", 0.8  # "Erdogan called Dbeibah on Sunday"
        if lemma in ("receive", "host", "welcome") and not has_person_object(token):
            return None
        if lemma == "chair" and (
            co_prefixed(token) or any(c.lower_ == "jointly" for c in token.children)
        ):
            return "meeting", 0.8  # "co-chaired the joint commission": both sat at it
        if lemma == "accompany" and accompanies_on_visit(token):
            return "visit", 0.8  # "Hammad accompanied Ambassador X on his visit to Derna"
        if (
            lemma == "see"
            and has_person_object(token)
            and any(c.dep_ == "nsubj" and is_party(c) for c in token.children)
            and not any(
                c.dep_ in ("oprd", "xcomp", "ccomp") or c.lower_ == "as" for c in token.children
            )
        ):
            return "meeting", 0.7  # "the ambassador and the envoy saw Serraj at the base"
        if lemma == "sit" and any(c.lower_ == "down" for c in token.children):
            return "meeting", 0.85  # "sat down with"
        if lemma in DISCUSS_VERBS and with_partner(token):
            return "meeting", 0.7
        if lemma in DISCUSS_VERBS and has_joint_subject(token):
            return "meeting", 0.75  # "Gurak and Dbeibah on Sunday discussed …"
        if (
            lemma == "exchange"
            and any(
                c.dep_ == "dobj" and c.lemma_.lower() in EXCHANGE_OBJECTS for c in token.children
            )
            and (has_joint_subject(token) or with_partner(token))
        ):
            return "meeting", 0.75  # "Akar and Dbeibah exchanged views on …"
        if lemma == "welcome" and any(
            c.dep_ == "nsubj" and c.ent_type_ in ("GPE", "NORP") for c in token.children
        ):
            return None  # "Turkey welcomed the government's arrival": a stance, not a host
        if lemma == "welcome":
            return "meeting", 0.85  # "welcomed a Turkish delegation": a reception
        if lemma in DELIVERY_VERBS and any(
            c.dep_ == "dobj" and c.lemma_.lower() in MESSAGE_NOUNS for c in token.children
        ):
            return "other", 0.85  # "conveyed Erdogan's message to Dbeibah"
        if VERB_TRIGGERS.get(lemma) == "agreement" and names_a_document(token):
            return None  # "putting the agreements signed between the two countries into action"
        if lemma in VERB_TRIGGERS:
            return VERB_TRIGGERS[lemma], 0.9
        return None
    if (
        token.pos_ in ("NOUN", "PROPN")
        and lemma == "ceremony"
        and any(c.lower_ == "signing" for c in token.children)
        and _noun_is_carried(token)
    ):
        return "agreement", CARRIED  # "the signing ceremony was attended by X and Y"
    if token.pos_ == "NOUN" and lemma == "ceremony" and _noun_is_carried(token):
        # "attended the opening ceremony of a hospital": officials of both sides at an
        # opening or a handover; a graduation of trainees is military cooperation.
        kinds = {c.lemma_.lower() for c in token.children}
        if kinds & {"reception", "welcome", "welcoming"}:
            return "meeting", NOMINAL  # "an official reception ceremony was held for X"
        return ("military" if "graduation" in kinds else "other"), NOMINAL
    if token.pos_ in ("NOUN", "PROPN") and (
        lemma in NOUN_TRIGGERS or token.lower_ in NOUN_TRIGGERS
    ):
        event_type = NOUN_TRIGGERS.get(lemma) or NOUN_TRIGGERS[token.lower_]
        if not _noun_is_carried(token):
            return None
        if lemma in PHONE_NOUNS:
            modifiers = {c.lower_ for c in token.children}
            if "port" in modifiers:
                return "military", 0.85  # a warship's port call
            if "courtesy" in modifiers:
                return "visit", 0.8  # "paid a courtesy call on X" is a visit
            if lemma == "conference" and not modifiers & PHONE_WORDS:
                # A video conference is a call; a press conference is a contact only held
                # jointly ("a joint news conference", "a news conference with X").
                if modifiers & {"news", "press"} and ("joint" in modifiers or has_partner(token)):
                    return "meeting", NOMINAL
                return None
            if modifiers & PHONE_WORDS or has_phone or (lemma == "call" and has_partner(token)):
                return "call", 0.85  # "a phone call", "Erdogan's call with Dbeibah"
            return None
        if event_type == "meeting" and token.dep_ == "dobj" and by_phone(token.head):
            return "call", 0.85  # "held a meeting via video link with X"
        modifiers = {c.lower_ for c in token.children}
        if event_type == "military" and not (
            modifiers & MILITARY_MODIFIERS
            or has_partner(token)
            or _given_by_verb(token)
            or trains_a_force(token)
        ):
            return None  # "joint drills", "training with the coast guard"; not "job training"
        if lemma == "summit" and not (modifiers & SUMMIT_MODIFIERS or has_partner(token)):
            return None  # "the NATO summit": many countries, no contact of its own
        return event_type, CARRIED if _is_carried_by_verb(token) or is_told_contact(
            token
        ) else NOMINAL
    return None


def is_told_contact(token: Token) -> bool:
    # "after his meeting with Erdogan": a contact the sentence places in time, with its
    # partner; it outweighs the trip the sentence goes on to ("… flew on to Rome").
    # "following Dbeibah's visit to Ankara": the possessor is its party.
    head = token.head
    return (
        token.dep_ == "pobj"
        and head.lower_ in NOMINAL_PREPOSITIONS
        and (
            has_partner(token)
            or any(c.dep_ == "poss" and c.pos_ == "PROPN" for c in token.children)
        )
    )


def is_anaphoric(trigger: Token) -> bool:
    """ "the meeting", "this visit" with no "with …"/"between …" of its own refers back."""
    if trigger.pos_ not in ("NOUN", "PROPN"):
        return False
    children = list(trigger.children)
    definite = any(
        c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those") for c in children
    )
    return definite and not any(c.lower_ in ("with", "between") for c in children)


def _is_carried_by_verb(token: Token) -> bool:
    return token.dep_ == "ROOT" or (
        token.dep_ in ("dobj", "attr", "nsubjpass") and token.head.lemma_.lower() in LIGHT_VERBS
    )


def _noun_is_carried(token: Token) -> bool:
    # "held talks", "paid a visit", "in a phone call", "during the meeting": the noun
    # is the event; "Kalin's visit marks ..." (subject of another verb) is commentary.
    head = token.head
    if token.dep_ == "ROOT":
        return True
    if (
        NOUN_TRIGGERS.get(token.lemma_.lower()) == "agreement"
        and token.dep_ == "dobj"
        and head.lemma_.lower() not in LIGHT_VERBS
    ):
        return False  # "described the ceasefire agreement between X and Y as weak"
    if NOUN_TRIGGERS.get(token.lemma_.lower()) == "agreement" and _held_as_state(token):
        return False  # "there is a military agreement between X and Y": a document in force
    if has_partner(token) and token.dep_ not in ("nsubj", "nsubjpass"):
        return True  # "after his meeting with X", "following talks between X and Y"
    if has_partner(token) and not negated(head) and not speculative(head):
        return True  # "The meeting between X and Y, held on Monday, focused on …"
    if token.dep_ == "pobj" and head.lower_ in NOMINAL_PREPOSITIONS:
        return True  # "following the visit", "on the sidelines of the talks"
    if token.dep_ in ("dobj", "attr", "nsubjpass") and head.lemma_.lower() in LIGHT_VERBS:
        return True  # "held talks", "the deal was struck"
    if NOUN_TRIGGERS.get(token.lemma_.lower()) == "military" and _given_by_verb(token):
        return True  # "provided the Libyan Navy with five weeks of training"
    if token.dep_ in ("dobj", "compound") and trains_a_force(token):
        return True  # "announced the continued training of Libyan divers"; not "to contribute
        # to training of Libyan pilots", a plan
    if token.dep_ == "pobj" and head.lower_ in ("in", "during", "at"):
        # "in a phone call", "during talks"; but "involved in the agreement", "under the
        # terms set in the deal" speak of a document, not of its signing.
        if NOUN_TRIGGERS.get(token.lemma_.lower()) == "agreement":
            return False
        return head.head.pos_ == "VERB" or head.head.dep_ == "ROOT"
    return token.dep_ == "nsubj" and head.lemma_.lower() in ("take", "occur", "happen")


def tells_when(noun: Token) -> bool:
    """ "The visit took place on Tuesday", "the talks were held on …": a sentence about when
    the contact happened, not one about what was said in it."""
    return noun.dep_ in ("nsubj", "nsubjpass") and noun.head.lemma_.lower() in (
        "take", "hold", "come", "happen", "occur", "be",
    )  # fmt: skip


def _held_as_state(noun: Token) -> bool:
    """ "There is an agreement between …", "Turkey has a deal with …": an agreement that
    exists, told with "be" or "have", not one signed."""
    head = noun.head
    if head.lemma_.lower() == "be" and any(c.dep_ == "expl" for c in head.children):
        return True
    return noun.dep_ == "dobj" and head.lemma_.lower() in ("have", "possess")


def _phone_in_reach(verb: Token) -> bool:
    """Whether the phone the sentence names is this verb's ("spoke by phone", "received a
    call", "in a phone call, they discussed"), not another clause's: "That phone call came
    after a speech about a commander receiving arms" is no call received."""
    clauses = ("relcl", "acl", "ccomp", "advcl", "conj", "xcomp")
    stack = [verb]
    while stack:
        token = stack.pop()
        if token.lemma_.lower() in PHONE_WORDS:
            return True
        stack.extend(c for c in token.children if token is not verb or c.dep_ not in clauses)
    # "Erdogan and Dbeibah held talks … by phone": the parser may hang it on the verb above.
    return verb.dep_ in ("xcomp", "conj") and _phone_in_reach(verb.head)


def _given_by_verb(noun: Token) -> bool:
    # "provided X with five weeks of training", "conducted training": given, not named.
    return any(a.lemma_.lower() in LIGHT_VERBS for a in list(noun.ancestors)[:4])


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i and depth < 50:
        token = token.head
        depth += 1
    return depth
