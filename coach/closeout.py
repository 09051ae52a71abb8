"""What finishes a job: the close-out's completeness and the work proposed.

A job is done only when its checklist, its required readings and (where its
job type asks for them) its photos are in. A technician's proposal ("a new
capacitor and a surge protector", or good/better/best options) becomes quote
items, matched to products by the Odoo side.
"""

import dataclasses
import re

from .checkin_values import JOB_CHECKLIST, InvalidValue
from .lexicon import ENGLISH, fold

FILLER = re.compile(r"^(?:(?:new|replacement|replace|the|of|some|install|installing)\s+)+", re.IGNORECASE)
TIERS = {"good": "Good", "better": "Better", "best": "Best", "1": "Good", "2": "Better", "3": "Best",
         "basic": "Good", "standard": "Better", "premium": "Best"}
MAX_ITEMS = 30
MAX_QUANTITY = 1000


def missing_items(checklist, photos_required=True, photos_in=False, missing_readings=()):
    """What keeps a job open, in the words said back to the technician.

    ``checklist``: the close-out's answers by key; ``photos_in``: photos reached
    the job some other way (the upload link) whatever the technician said.
    """
    missing = []
    for key, label in JOB_CHECKLIST:
        if key == "photos_uploaded" and (not photos_required or photos_in):
            continue
        if not checklist.get(key):
            missing.append(label)
    missing += [f"reading: {label}" for label in missing_readings]
    return missing


@dataclasses.dataclass(frozen=True)
class QuoteItem:
    text: str  # what to search products by, and the line's text when nothing matches
    quantity: float = 1.0
    tier: str = ""  # Good, Better, Best, or "" for a single quote
    said: str = ""  # as the technician said it


def quantity_words(lexicon):
    """How a quantity is said before a part: the number words, "a", "a couple of"."""
    return dict(lexicon.number_words, **{fold(phrase): n for phrase, n in lexicon.quantity_words.items()})


def _quantity(value, lexicon=ENGLISH):
    if isinstance(value, bool):
        raise InvalidValue("quantity must be a number")
    if isinstance(value, str):
        value = quantity_words(lexicon).get(fold(value.strip()), value)
    try:
        quantity = float(value)
    except (TypeError, ValueError, OverflowError):
        raise InvalidValue(f"quantity must be a number, got {str(value)[:20]!r}") from None
    if not 0 < quantity <= MAX_QUANTITY:
        raise InvalidValue(f"quantity must be more than 0 and at most {MAX_QUANTITY}")
    return quantity


def _tier(value):
    text = " ".join(str(value or "").lower().replace("option", "").replace("tier", "").split())
    if not text:
        return ""
    if text not in TIERS:
        raise InvalidValue("tier must be good, better or best")
    return TIERS[text]


def split_spoken(text):
    """ "a new capacitor and a surge protector" → quantity and words of each part."""
    parts = re.split(r",|;|\band\b|\bplus\b", " ".join(str(text).split()), flags=re.IGNORECASE)
    return [part.strip() for part in parts if part.strip()]


def spoken_item(text, lexicon=ENGLISH):
    """ "two new filters" → (2.0, "filters")."""
    words = " ".join(str(text).split())
    quantity = 1.0
    said = quantity_words(lexicon)
    for phrase in sorted(said, key=len, reverse=True):
        if fold(words).startswith(phrase + " "):
            quantity, words = float(said[phrase]), words[len(phrase) + 1:]
            break
    else:
        leading = re.match(r"^(\d+(?:\.\d+)?)\s*(?:x\s+)?", words)
        if leading:
            quantity, words = _quantity(leading.group(1)), words[leading.end():]
    return quantity, FILLER.sub("", words).strip() or words


def parse_items(items):
    """The ``items`` of the create_quote tool as quote items.

    Each item is a string ("two filters", or several joined by "and") or an
    object ``{"name", "quantity", "tier"}``; raises :class:`InvalidValue`.
    """
    if isinstance(items, str):
        items = [items]
    if not isinstance(items, list) or not items:
        raise InvalidValue("items must list what was proposed, e.g. [\"a new capacitor\"]")
    parsed = []
    for item in items:
        if isinstance(item, str):
            for part in split_spoken(item):
                quantity, text = spoken_item(part)
                parsed.append(QuoteItem(text[:200], quantity, "", part[:200]))
            continue
        if not isinstance(item, dict) or not str(item.get("name") or "").strip():
            raise InvalidValue("each item is a text or an object with a name")
        name = " ".join(str(item["name"]).split())
        quantity, text = spoken_item(name)
        if item.get("quantity") not in (None, ""):
            quantity = _quantity(item["quantity"])
        parsed.append(QuoteItem(text[:200], quantity, _tier(item.get("tier")), name[:200]))
    if not parsed:
        raise InvalidValue("items must list what was proposed, e.g. [\"a new capacitor\"]")
    if len(parsed) > MAX_ITEMS:
        raise InvalidValue(f"at most {MAX_ITEMS} items in one quote")
    return parsed


def by_tier(items):
    """The items grouped into one quote per tier, Good → Better → Best
    (items with no tier belong to every quote when tiers are given)."""
    tiers = [tier for tier in ("Good", "Better", "Best") if any(item.tier == tier for item in items)]
    if not tiers:
        return {"": list(items)}
    common = [item for item in items if not item.tier]
    return {tier: common + [item for item in items if item.tier == tier] for tier in tiers}


# words that say nothing about which product was meant
MATCH_STOP_WORDS = frozenset({"a", "an", "the", "of", "for", "and", "with", "new", "replacement", "replace", "some",
                              "install", "installing", "on", "to", "unit", "part"})


def _tokens(text):
    """Lowercase tokens as a reference is written: "CAP-405 run capacitor" → cap-405, run, capacitor."""
    return re.findall(r"[\w][\w./-]*[\w]|[\w]", str(text or "").lower())


def _name_words(text):
    """The words that tell products apart, hyphens split: "Run capacitor 45/5" → run, capacitor, 45, 5."""
    return [word for word in re.findall(r"[^\W_]+", str(text or "").lower()) if word not in MATCH_STOP_WORDS]


def product_search_words(said):
    """What to look products up by: every token said (an internal reference
    is one token) and every meaningful word."""
    return list(dict.fromkeys(token for token in _tokens(said) + _name_words(said) if token not in MATCH_STOP_WORDS))


def match_product(said, products):
    """The one product a spoken item names, else ``None`` (the office prices it).

    ``products`` are candidates ``{"id", "default_code", "name"}``. In order,
    the first rule that finds anything decides, and finding several is
    ambiguous: an internal reference said among the words ("CAP-405 run
    capacitor"); the whole name said; a name holding every word said ("run
    capacitor" → "Run capacitor 45/5 µF"); a name whose every word was said
    ("a new run capacitor, dual" → "Run capacitor").
    """
    tokens, words = set(_tokens(said)), _name_words(said)
    if not words:
        return None
    rules = (
        lambda p: bool(p.get("default_code")) and str(p["default_code"]).lower() in tokens,
        lambda p: _name_words(p["name"]) == words,
        lambda p: _contains_run(_name_words(p["name"]), words),
        lambda p: bool(_name_words(p["name"])) and set(_name_words(p["name"])) <= set(words),
    )
    for rule in rules:
        found = {product["id"] for product in products if rule(product)}
        if found:
            return found.pop() if len(found) == 1 else None
    return None


def _contains_run(name_words, words):
    """``words`` stand together, in order, within ``name_words``."""
    size = len(words)
    return any(name_words[start:start + size] == words for start in range(len(name_words) - size + 1))
