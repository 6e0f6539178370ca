"""A parsed query, as both backends read it: terms, phrases, prefixes, wildcards and ranges of
a field, joined by And, Or, AndNot, AndMaybe and Not (query_syntax.py makes them from a query
string). Each backend translates the tree: to Whoosh queries (whoosh/queries.py), to one SQL
condition (postgresql/queries.py).

`normalize` simplifies a tree as Whoosh's parser always did (nested groups merged, duplicates
and empty parts dropped, a one-word phrase a term), so both backends keep answering as before.
"""

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Term:
    """Documents holding `text` in `field` (a numeric field's text is an int, or the digits
    typed)."""

    field: str
    text: str | int
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """Documents holding `words` in `field` in order, each within `slop` positions of the last."""

    field: str
    words: tuple[str, ...]
    slop: int = 1
    boost: float = 1.0


@dataclass(frozen=True)
class Prefix:
    """Documents holding a term of `field` that starts with `text`."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Wildcard:
    """Documents holding a term of `field` that `text` matches (`*` any run, `?` one letter)."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class TermRange:
    """Documents holding a term of `field` between `start` and `end` (None: open)."""

    field: str
    start: str | None
    end: str | None
    startexcl: bool = False
    endexcl: bool = False
    boost: float = 1.0


@dataclass(frozen=True)
class NumericRange:
    """Documents whose numeric `field` lies between `start` and `end` (None: open)."""

    field: str
    start: int | None
    end: int | None
    startexcl: bool = False
    endexcl: bool = False
    boost: float = 1.0


@dataclass(frozen=True)
class Every:
    """Every document (with a value in `field`, when given)."""

    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class And:
    """Documents matching all `children`."""

    children: tuple
    boost: float = 1.0


@dataclass(frozen=True)
class Or:
    """Documents matching any of `children`."""

    children: tuple
    boost: float = 1.0


@dataclass(frozen=True)
class AndNot:
    """Documents matching `a` but not `b`."""

    a: object
    b: object


@dataclass(frozen=True)
class AndMaybe:
    """Documents matching `a`, scored higher when they match `b` too."""

    a: object
    b: object


@dataclass(frozen=True)
class Require:
    """Documents matching `a` and `b`, scored by `a` (the parser's REQUIRE)."""

    a: object
    b: object


@dataclass(frozen=True)
class Not:
    """Documents not matching `query`."""

    query: object
    boost: float = 1.0


@dataclass(frozen=True, eq=False)
class Error:
    """A part of the query that could not be read (`message` says why); never searched."""

    message: str


class _Null:
    """Nothing to search (a stop word, an empty group): dropped from the query around it."""

    def __repr__(self):
        return "NULL"


NULL = _Null()
LEAVES = (Term, Phrase, Prefix, Wildcard, TermRange, NumericRange, Every, Error)
COMPOUNDS = (And, Or)
BINARY = (AndNot, AndMaybe, Require)


def children(node) -> tuple:
    """The queries directly inside `node`."""
    if isinstance(node, COMPOUNDS):
        return node.children
    if isinstance(node, BINARY):
        return (node.a, node.b)
    if isinstance(node, Not):
        return (node.query,)
    return ()


def leaves(node):
    """Every leaf of the tree, those under Not too."""
    inside = children(node)
    if not inside:
        yield node
    for child in inside:
        yield from leaves(child)


def all_terms(node):
    """(field, text) of every term and every phrase word of the tree."""
    for leaf in leaves(node):
        if isinstance(leaf, Term):
            yield leaf.field, leaf.text
        elif isinstance(leaf, Phrase):
            yield from ((leaf.field, word) for word in leaf.words)


def errors(node) -> list[str]:
    """Why the parts of the tree that could not be read could not."""
    return [leaf.message for leaf in leaves(node) if isinstance(leaf, Error)]


def field_of(node) -> str | None:
    """The one field the whole of `node` searches, or None."""
    if isinstance(node, COMPOUNDS):
        fields = {field_of(child) for child in node.children}
        return fields.pop() if len(fields) == 1 and node.children else None
    if isinstance(node, BINARY):
        field = field_of(node.a)
        return field if field_of(node.b) == field else None
    return getattr(node, "field", None)


def with_boost(node, boost: float):
    """`node` with its boost set (binary queries pass it to the parts that score)."""
    if isinstance(node, (AndNot, Require)):
        return replace(node, a=with_boost(node.a, boost))
    if isinstance(node, AndMaybe):
        return replace(node, a=with_boost(node.a, boost), b=with_boost(node.b, boost))
    if node is NULL or isinstance(node, Error):
        return node
    return replace(node, boost=boost)


def boost_of(node) -> float:
    """The boost of `node` (1 for those without one)."""
    return getattr(node, "boost", 1.0)


def normalize(node):
    """The simplified tree (as Whoosh's `normalize`): see the module docstring."""
    if isinstance(node, COMPOUNDS):
        return _normalize_compound(node)
    if isinstance(node, BINARY):
        return _normalize_binary(node)
    if isinstance(node, Not):
        inner = normalize(node.query)
        return NULL if inner is NULL else Not(inner, node.boost)
    if isinstance(node, Phrase):
        return _normalize_phrase(node)
    if isinstance(node, Wildcard):
        return _normalize_wildcard(node)
    if isinstance(node, TermRange):
        return _normalize_range(node)
    return node


def _normalize_binary(node):
    a, b = normalize(node.a), normalize(node.b)
    if a is NULL or (b is NULL and isinstance(node, Require)):
        return NULL
    return a if b is NULL else type(node)(a, b)


def _normalize_phrase(node: Phrase):
    if not node.words:
        return NULL
    if len(node.words) == 1:
        return Term(node.field, node.words[0])  # (Whoosh drops the phrase's boost here)
    return node


def _normalize_wildcard(node: Wildcard):
    text = node.text
    if text == "*":
        return Every(node.field, node.boost)
    if "*" not in text and "?" not in text:
        return Term(node.field, text, node.boost)
    if "?" not in text and text.find("*") == len(text) - 1:
        return Prefix(node.field, text[:-1], node.boost)
    return node


def _normalize_range(node: TermRange):
    if node.start in ("", None) and node.end in ("\uffff", None):
        return Every(node.field, node.boost)
    if node.start is not None and node.start == node.end:
        return NULL if node.startexcl or node.endexcl else Term(node.field, node.start, node.boost)
    return node


def _normalize_compound(node):
    parts = []
    for child in map(normalize, node.children):
        if type(child) is type(node):
            parts += [with_boost(part, boost_of(part) * child.boost) for part in child.children]
        else:
            parts.append(child)
    if all(part is NULL for part in parts):
        return NULL
    if any(isinstance(part, Every) and part.field is None for part in parts):
        return Every()
    parts = _without_covered(parts)
    parts = [part for part in dict.fromkeys(parts) if part is not NULL]
    if not parts:
        return NULL
    if len(parts) == 1:
        only = parts[0]
        if node.boost == 1.0 and boost_of(only) == 1.0:
            return only
        return with_boost(only, boost_of(only) * node.boost)
    return type(node)(tuple(parts), node.boost)


def _without_covered(parts: list) -> list:
    """Whoosh's rule: a fielded Every drops the other parts on its field (ranges of a field are
    not merged here, as Whoosh does: the documents found are the same)."""
    every_fields = set()
    kept = []
    for part in parts:
        if field_of(part) in every_fields:
            continue
        if isinstance(part, Every):
            every_fields.add(part.field)
        kept.append(part)
    return [part for part in kept if isinstance(part, Every) or field_of(part) not in every_fields]
