"""Blockers: which kind a note is, what the line tells the caller of his
blockers, and how fast they are cleared.

The word lists come from data (the routing table); this module only reads them.
"""

import statistics

from .lexicon import ENGLISH, words
from .vocabulary import BLOCKER_KINDS, OTHER_BLOCKER

KIND_CODES = tuple(code for code, _label in BLOCKER_KINDS)


def _words(text):
    return " " + " ".join(words(text)) + " "


def kind_of(note, word_lists):
    """The first kind one of whose words or phrases is in ``note``, else ``other``.

    ``word_lists``: ``[(kind, "word, a phrase, …")]`` in the routing table's order.
    Whole words only: "part" names parts, "apartment" does not.
    """
    said = _words(note)
    for kind, words in word_lists:
        for word in str(words or "").split(","):
            if word.strip() and _words(word) in said:
                return kind
    return OTHER_BLOCKER


def valid_kind(said):
    """An agent's ``blocker_kind``: a known code, else None (then the note decides)."""
    code = str(said or "").strip().lower()
    return code if code in KIND_CODES else None


def news(blocker_note, resolver, resolution_note, lexicon=ENGLISH):
    """What the line tells the caller of a blocker someone cleared."""
    what = _clause(blocker_note)
    who = resolver or lexicon.say("the_office")
    how = _clause(resolution_note)
    return lexicon.say("blocker_news_how" if how else "blocker_news", what=f"{what[:1].upper()}{what[1:]}",
                       who=who, how=how)


def still_blocked_question(blocker_note, lexicon=ENGLISH):
    """The question that asks an open blocker back."""
    return lexicon.say("still_blocked", note=_clause(blocker_note))


def _clause(text):
    return " ".join(str(text or "").split()).rstrip(".")


def clearing_sums(pairs):
    """``{blockers_cleared, blockers_cleared_same_day, blocker_hours}`` of resolved
    blockers' ``(raised, resolved)`` local datetimes: a day's counts, summed over
    any range by the dashboard and the digest."""
    cleared = _cleared(pairs)
    return {"blockers_cleared": len(cleared), "blockers_cleared_same_day": sum(same for _hours, same in cleared),
            "blocker_hours": round(sum(hours for hours, _same in cleared), 2)}


def _cleared(pairs):
    """``(hours, cleared the same day)`` of each resolved blocker with both times."""
    return [(max(0.0, (resolved - raised).total_seconds() / 3600), raised.date() == resolved.date())
            for raised, resolved in pairs if raised and resolved]


def clearing_figures(pairs):
    """``(median hours, % cleared the same day)`` of resolved blockers.

    ``pairs``: ``(raised, resolved)`` local datetimes (the company's clock).
    ``(None, None)`` when none was resolved.
    """
    cleared = _cleared(pairs)
    if not cleared:
        return None, None
    same_day = sum(same for _hours, same in cleared)
    return round(statistics.median(hours for hours, _same in cleared), 1), round(100.0 * same_day / len(cleared), 1)
