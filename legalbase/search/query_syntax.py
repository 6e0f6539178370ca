"""The syntax of a query string, read exactly as Whoosh 2.7's default query parser (with our
field aliases) has always read it, so that queries keep their meaning on either backend: words,
"phrases" (~slop), 'quoted words', field:, wildcards (* ?), [ranges TO them] ({} exclusive),
(groups), AND, OR, NOT, ANDNOT, ANDMAYBE, REQUIRE, ^boosts and *:*.

The same three steps as Whoosh's parser: the string is tagged into syntax nodes (the text
between tags becoming words), filters arrange them (groups, wildcards, field names, boosts,
operators, in Whoosh's order and precedence: NOT, then AND, OR, ANDNOT, ANDMAYBE, REQUIRE,
juxtaposition meaning AND), and each node becomes a query (query_nodes.py), its text analysed
as its field reads it (documents.FIELDS).
"""

import re

from .analysis import query_terms
from .documents import FIELDS, POSITIONAL
from .query_nodes import (
    NULL,
    And,
    AndMaybe,
    AndNot,
    Error,
    Every,
    Not,
    NumericRange,
    Or,
    Phrase,
    Prefix,
    Require,
    Term,
    TermRange,
    Wildcard,
)

DEFAULT_FIELD = "body"
QUESTION_MARKS = "?\u055e\u061f\u1367"  # Latin, Armenian, Arabic, Ethiopic (as Whoosh's)
KEYWORD_SPLIT = re.compile(r"[^ \t\r\n]+")
NUMBER_RANGE = (-(2**31), 2**31 - 1)  # Whoosh's NUMERIC(int): 32 bits, signed
OPERATOR_ORDER = ("not", "and", "or", "andnot", "andmaybe", "require")
MERGING = ("and", "or")  # side-by-side groups of these kinds merge into one
BINARY = {"andnot": AndNot, "andmaybe": AndMaybe, "require": Require}
RANGE = re.compile(
    r"""
    (?P<open>\{|\[)
    (?P<start>('[^']*?'\s+)|([^\]}]+?(?=[Tt][Oo])))?
    [Tt][Oo]
    (?P<end>(\s+'[^']*?')|([^\]}]+?))?
    (?P<close>}|])
    """,
    re.VERBOSE,
)


class OperatorWithoutOperand(Exception):
    """An operator with nothing to apply to ("NOT AND pajak"), where Whoosh's parser failed."""


class Node:
    """A piece of the query string: what it can take (a field, a boost) and hold (text)."""

    has_fieldname = has_text = has_boost = is_ws = False
    fieldname = None

    def set_fieldname(self, name: str, override: bool = False) -> None:
        """Search this node in field `name` (unless it names its own, or `override`)."""
        if self.has_fieldname and (self.fieldname is None or override):
            self.fieldname = name

    def set_boost(self, boost: float) -> None:
        """Weigh this node's score by `boost`."""
        if self.has_boost:
            self.boost = boost


class Space(Node):
    """Whitespace between pieces (dropped once field names are applied)."""

    is_ws = True


class TextNode(Node):
    """Text to look up in a field: a word, a prefix, a wildcard pattern or a phrase."""

    has_fieldname = has_text = has_boost = True
    query_class: type = Term
    tokenize = removestops = False

    def __init__(self, text: str):
        self.text, self.boost = text, 1.0


class Word(TextNode):
    """A word (or a 'quoted word'), analysed and without its stop words."""

    tokenize = removestops = True


class PrefixWord(TextNode):
    """`word*`: the terms starting with the word."""

    query_class = Prefix


class WildcardWord(TextNode):
    """A pattern with * or ?."""

    query_class = Wildcard


class PhraseText(TextNode):
    """A "phrase" with its slop (~N)."""

    def __init__(self, text: str, slop: int):
        super().__init__(text)
        self.slop = slop


class RangeText(Node):
    """[start TO end], {start TO end} (exclusive), either end open."""

    has_fieldname = True

    def __init__(self, start, end, startexcl: bool, endexcl: bool):
        self.start, self.end, self.startexcl, self.endexcl = start, end, startexcl, endexcl


class FieldName(Node):
    """`field:`, naming the field of the node right after it."""

    has_fieldname = True

    def __init__(self, fieldname: str, original: str):
        self.fieldname, self.original = fieldname, original


class Boost(Node):
    """`^N`, weighing the node right before it."""

    def __init__(self, original: str, boost: float):
        self.original, self.boost = original, boost


class Open(Node):
    """An opening bracket."""


class Close(Node):
    """A closing bracket."""


class EveryNode(Node):
    """`*:*`, every document."""


class Operator(Node):
    """AND, OR, NOT, ANDNOT, ANDMAYBE or REQUIRE, before it joins its nodes into a group."""

    def __init__(self, kind: str):
        self.kind = kind


class Group(Node):
    """Nodes joined by `kind`: and, or (any number), andnot, andmaybe, require (two), not (one)."""

    def __init__(self, kind: str = "and", nodes: list | None = None, boost: float = 1.0):
        self.kind, self.nodes, self.boost = kind, nodes or [], boost
        self.has_boost = kind not in BINARY

    def set_fieldname(self, name: str, override: bool = False) -> None:
        """Search every node of the group in field `name` (unless it names its own)."""
        for node in self.nodes:
            node.set_fieldname(name, override)

    def copy_with(self, nodes: list) -> "Group":
        """This group holding `nodes` instead."""
        return Group(self.kind, nodes, self.boost)


def _boost_node(match):
    try:
        return Boost(match[0], float(match["boost"]))
    except ValueError:  # "^" alone
        return Word(match[0])


def _range_node(match):
    start, end = match["start"], match["end"]
    if start:
        start = start.rstrip()
        start = start[1:-1] if start.startswith("'") and start.endswith("'") else start
    if end:
        end = end.lstrip()
        end = end[1:-1] if end.startswith("'") and end.endswith("'") else end
    return RangeText(start, end, match["open"] == "{", match["close"] == "}")


# Tried in this order at each position (Whoosh's priorities); the first that matches wins.
_TAGGED = (
    (r"(?<=\s)ANDNOT(?=\s)", lambda match: Operator("andnot")),
    (r"(?<=\s)ANDMAYBE(?=\s)", lambda match: Operator("andmaybe")),
    (r"[*]:[*]", lambda match: EveryNode()),
    (r"(^|(?<=\W))'(?P<text>.*?)'(?=\s|\]|[)}]|$)", lambda match: Word(match["text"])),
    (r"(?P<text>\w+|[*]):", lambda match: FieldName(match["text"], match[0])),
    (rf"(?P<text>[*{QUESTION_MARKS}])", lambda match: WildcardWord(match["text"])),
    (
        r'"(?P<text>.*?)"(~(?P<slop>[1-9][0-9]*))?',
        lambda match: PhraseText(match["text"], int(match["slop"] or 1)),
    ),
    (r"[(]", lambda match: Open()),
    (r"[)]", lambda match: Close()),
    (r"(^|(?<=(\s|[()])))NOT(?=\s)", lambda match: Operator("not")),
    (r"(?<=\s)AND(?=\s)", lambda match: Operator("and")),
    (r"(?<=\s)OR(?=\s)", lambda match: Operator("or")),
    (r"(^|(?<=\s))REQUIRE(?=\s)", lambda match: Operator("require")),
    (r"\^(?P<boost>[0-9]*(\.[0-9]+)?)($|(?=[ \t\r\n)]))", _boost_node),
    (RANGE, _range_node),
    (r"\s+", lambda match: Space()),
)
TAGGERS = tuple((re.compile(expression), create) for expression, create in _TAGGED)


def parse(text: str, aliases: dict[str, str]):
    """The query (query_nodes.py, not yet normalized) of a query string; `aliases` maps the
    field names a user types to the fields. OperatorWithoutOperand where Whoosh failed."""
    group = _groups(tag(text))
    _clean_boosts(group)
    group = _wildcards(group)
    group = _aliases(group, aliases)
    group = _fieldnames(group)
    group = _boosts(_without_spaces(group))
    query = to_query(_operators(group))
    return NULL if query is None or _empty(query) else query


def tag(text: str) -> Group:
    """The nodes of the string, in order: tagged pieces, and the words between them."""
    nodes, previous, position = [], 0, 0
    while position < len(text):
        tagged = _tag_at(text, position)
        if tagged is None:
            position += 1
            continue
        node, end = tagged
        if previous < position:
            nodes.append(Word(text[previous:position]))
        nodes.append(node)
        previous = position = end
    if previous < len(text):
        nodes.append(Word(text[previous:]))
    return Group("and", nodes)


def _tag_at(text: str, position: int) -> tuple | None:
    """(the node the first matching tagger makes at `position`, where it ends), or None."""
    for expression, create in TAGGERS:
        match = expression.match(text, position)
        if match:
            return create(match), match.end()
    return None


def _groups(flat: Group) -> Group:
    """Brackets made into nested groups (an unmatched one ignored, as Whoosh does)."""
    stack = [Group()]
    for node in flat.nodes:
        if isinstance(node, Open):
            stack.append(Group())
        elif isinstance(node, Close):
            if len(stack) > 1:
                last = stack.pop()
                stack[-1].nodes.append(last)
        else:
            stack[-1].nodes.append(node)
    top = stack[0]
    for level in stack[1:]:
        top.nodes.extend(level.nodes)
    if len(top.nodes) == 1 and isinstance(top.nodes[0], Group):
        top.nodes[0].boost = top.boost
        return top.nodes[0]
    return top


def _clean_boosts(group: Group) -> None:
    """A ^boost with nothing before it to boost is a word (at the top level, as Whoosh)."""
    for index, node in enumerate(group.nodes):
        if isinstance(node, Boost) and (not index or not group.nodes[index - 1].has_boost):
            group.nodes[index] = Word(node.original)


def _wildcards(group: Group) -> Group:
    """Wildcard characters joined to the text around them; `word*` a prefix."""
    nodes, index = group.nodes, 0
    while index < len(nodes):
        node = nodes[index]
        if isinstance(node, WildcardWord):
            if index < len(nodes) - 1 and nodes[index + 1].has_text:
                node.text += nodes.pop(index + 1).text
            if index > 0 and nodes[index - 1].has_text:
                node.text = nodes.pop(index - 1).text + node.text
            else:
                index += 1
        else:
            if isinstance(node, Group):
                _wildcards(node)
            index += 1
    for index, node in enumerate(nodes):
        if isinstance(node, WildcardWord) and _is_prefix(node.text):
            nodes[index] = PrefixWord(node.text[:-1])
    return group


def _is_prefix(text: str) -> bool:
    return (
        len(text) > 1
        and not any(mark in text for mark in QUESTION_MARKS)
        and text.find("*") == len(text) - 1
    )


def _aliases(group: Group, aliases: dict[str, str]) -> Group:
    """Field names as typed (judul:) made the fields' own (title)."""
    for node in group.nodes:
        if isinstance(node, Group):
            _aliases(node, aliases)
        elif node.has_fieldname and node.fieldname in aliases:
            node.set_fieldname(aliases[node.fieldname], override=True)
    return group


def _fieldnames(group: Group) -> Group:
    """Each field name given to the node right after it; an unknown one, or one with nothing
    right after it, read as text."""
    known, unknown = [], None
    for node in group.nodes:
        if isinstance(node, FieldName) and node.fieldname not in FIELDS:
            unknown = node
            continue
        if unknown is not None:
            if node.has_text:
                node.text = unknown.original + node.text
            else:
                known.append(Word(unknown.original))
            unknown = None
        known.append(node)
    if unknown is not None:
        known.append(Word(unknown.original))
    fielded, index = [], len(known)
    while index > 0:
        index -= 1
        node = known[index]
        if isinstance(node, FieldName):
            node = Word(node.original)
        elif isinstance(node, Group):
            node = _fieldnames(node)
        if index > 0 and not node.is_ws and isinstance(known[index - 1], FieldName):
            node.set_fieldname(known[index - 1].fieldname)
            index -= 1
        fielded.append(node)
    return group.copy_with(fielded[::-1])


def _without_spaces(group: Group) -> Group:
    return group.copy_with(
        [
            _without_spaces(node) if isinstance(node, Group) else node
            for node in group.nodes
            if not node.is_ws
        ]
    )


def _boosts(group: Group) -> Group:
    """Each ^boost applied to the node before it (or, with none to boost, read as a word)."""
    boosted: list = []
    for node in group.nodes:
        if isinstance(node, Group):
            node = _boosts(node)
        elif isinstance(node, Boost):
            if boosted and boosted[-1].has_boost:
                boosted[-1].set_boost(node.boost)
                continue
            node = Word(node.original)
        boosted.append(node)
    return group.copy_with(boosted)


def _operators(group: Group) -> Group:
    """Operators made into groups of the nodes they join, by precedence, then within groups."""
    nodes = group.nodes
    for kind in OPERATOR_ORDER:
        index = 0
        while index < len(nodes):
            node = nodes[index]
            if isinstance(node, Operator) and node.kind == kind:
                _apply_operator(nodes, index, kind)
            else:
                index += 1
    for index, node in enumerate(nodes):
        if isinstance(node, Group):
            nodes[index] = _operators(node)
    return group


def _apply_operator(nodes: list, index: int, kind: str) -> None:
    """Replace the operator at `index` (and what it joins) by a group."""
    if kind == "not":
        del nodes[index]
        if index < len(nodes):
            nodes[index] = Group("not", [nodes[index]])
        return
    if not 0 < index < len(nodes) - 1:
        del nodes[index]  # nothing on one side: the operator is dropped
        return
    left, right = nodes[index - 1], nodes[index + 1]
    if kind in MERGING and isinstance(left, Group) and left.kind == kind:
        left.nodes.append(right)
        del nodes[index : index + 2]
    else:
        nodes[index - 1 : index + 2] = [Group(kind, [left, right])]


def to_query(node):
    """The query of a syntax node (None: nothing to search)."""
    if isinstance(node, Group):
        return _group_query(node)
    if isinstance(node, PhraseText):
        return _phrase_query(node)
    if isinstance(node, TextNode):
        return _text_query(node)
    if isinstance(node, RangeText):
        return _range_query(node)
    if isinstance(node, EveryNode):
        return Every()
    raise OperatorWithoutOperand  # an operator left over (cannot happen: each is replaced)


def _group_query(group: Group):
    if group.kind == "not":
        if not group.nodes:
            raise OperatorWithoutOperand
        inner = to_query(group.nodes[0])
        return None if inner is None or _empty(inner) else Not(inner)
    if group.kind in BINARY:
        if len(group.nodes) != 2:
            raise OperatorWithoutOperand
        first, second = map(to_query, group.nodes)
        if first is None and second is None:
            return NULL
        if first is None or second is None:
            return second if first is None else first
        return BINARY[group.kind](first, second)
    parts = tuple(part for part in map(to_query, group.nodes) if part is not None)
    return (And if group.kind == "and" else Or)(parts, group.boost)


def _empty(query) -> bool:
    return isinstance(query, (And, Or)) and not query.children


def _field(node) -> tuple[str, str]:
    name = node.fieldname or DEFAULT_FIELD
    return name, FIELDS.get(name, "id")


def _text_query(node: TextNode):
    """A word, prefix or pattern of a field, its text read as the field reads it."""
    name, kind = _field(node)
    if kind == "numeric":
        return _number_query(name, node.text, node.boost)
    texts = field_terms(kind, node.text, node.tokenize, node.removestops)
    if len(texts) > 1:
        if name in POSITIONAL:
            return Phrase(name, tuple(texts), boost=node.boost)
        return And(tuple(node.query_class(name, text, node.boost) for text in texts))
    return node.query_class(name, texts[0], node.boost) if texts else None


def _phrase_query(node: PhraseText):
    name, kind = _field(node)
    words = field_terms("id" if kind == "numeric" else kind, node.text)
    return Phrase(name, tuple(words), node.slop, node.boost)


def field_terms(kind: str, text: str, tokenize: bool = True, removestops: bool = True) -> list:
    """The terms `text` looks up in a field of `kind`: analysed (text), split at spaces
    (keyword), or whole (id)."""
    if kind == "text":
        return query_terms(text, tokenize, removestops)
    if kind == "keyword":
        return KEYWORD_SPLIT.findall(text) if tokenize else [text]
    return [text]


def _number_query(name: str, text: str, boost: float):
    if text == "*":
        return Every(name, boost)
    number = whole_number(text)
    if number is None:
        return Error(f"{text!r} is not a valid number")
    return Term(name, number, boost)


def whole_number(text) -> int | None:
    """`text` as a number of a numeric field (Python's int(), within 32 bits), or None."""
    try:
        number = int(text)
    except (ValueError, OverflowError):
        return None
    return number if NUMBER_RANGE[0] <= number <= NUMBER_RANGE[1] else None


def _range_query(node: RangeText):
    name, kind = _field(node)
    if kind == "numeric":
        return _number_range(name, node)
    start, end = (_bound(kind, bound) if bound else bound for bound in (node.start, node.end))
    return TermRange(name, start, end, node.startexcl, node.endexcl)


def _bound(kind: str, text: str) -> str | None:
    terms = field_terms(kind, text, tokenize=False, removestops=False)
    return terms[0] if terms else None


def _number_range(name: str, node: RangeText):
    bounds: list[int | None] = []
    for label, bound in (("start", node.start), ("end", node.end)):
        number = None if bound is None else whole_number(bound)
        if bound is not None and number is None:
            return Error(f"Range {label} {bound!r} is not a valid number")
        bounds.append(number)
    start, end = bounds
    return NumericRange(name, start, end, node.startexcl, node.endexcl)
