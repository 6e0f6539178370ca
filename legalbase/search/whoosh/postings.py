"""Dense terms held in memory: a word in most documents (`tugas`, `daerah`, `tahun`) costs an
intersection a walk through all its postings, since Whoosh skips within a block one posting at
a time. Its document numbers and weights are read once per segment reader and kept in arrays,
where skipping is a binary search.

The arrays live on the reader object, so they go when the searcher is refreshed after a change.
"""

from array import array
from bisect import bisect_left

from whoosh.matching import ListMatcher, NullMatcher, ReadTooFar, WrappingMatcher
from whoosh.query import Term
from whoosh.scoring import BM25F, BM25FScorer

DENSE_FRACTION = 0.2  # a term in more than this share of a segment's documents is kept
DENSE_TERMS_PER_READER = 256


class ArrayMatcher(ListMatcher):
    """A ListMatcher over arrays, skipping by binary search."""

    def skip_to(self, id):  # noqa: A002  (Whoosh's signature)
        if not self.is_active():
            raise ReadTooFar
        if id > self._ids[self._i]:
            self._i = bisect_left(self._ids, id, self._i)


class DenseTerm(Term):
    """A Term whose postings, when dense in a segment, are matched from cached arrays."""

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        if self.fieldname not in searcher.schema:
            return NullMatcher()
        field = searcher.schema[self.fieldname]
        if field is None:
            return NullMatcher()
        try:
            text = field.to_bytes(self.text)
        except ValueError:
            return NullMatcher()
        if (self.fieldname, text) not in reader:
            return NullMatcher()
        if reader.doc_frequency(self.fieldname, text) <= DENSE_FRACTION * reader.doc_count_all():
            return super().matcher(searcher, context)
        weighting = searcher.weighting if context is None else context.weighting
        ids, weights = _postings(reader, self.fieldname, text)
        scorer = weighting.scorer(searcher, self.fieldname, text) if weighting else None
        matcher = ArrayMatcher(ids, weights, scorer=scorer, term=(self.fieldname, text))
        return WrappingMatcher(matcher, boost=self.boost) if self.boost != 1.0 else matcher


def _postings(reader, fieldname: str, text: bytes) -> tuple:
    cache = reader.__dict__.setdefault("_legalbase_dense", {})
    key = (fieldname, text)
    found = cache.get(key)
    if found is None:
        ids, weights = array("i"), array("f")
        postings = reader.postings(fieldname, text)
        while postings.is_active():
            ids.append(postings.id())
            weights.append(postings.weight())
            postings.next()
        if len(cache) >= DENSE_TERMS_PER_READER:
            cache.clear()
        found = cache[key] = (ids, weights)
    return found


def dense_terms(query):
    """`query` with its Terms made DenseTerms (same matches and scores, faster on dense ones)."""

    def swap(node):
        if type(node) is Term:
            return DenseTerm(
                node.fieldname, node.text, boost=node.boost, minquality=node.minquality
            )
        return node

    return query.accept(swap)


class LengthCachedBM25F(BM25F):
    """Whoosh's BM25F, reading each field's document lengths once per segment reader instead
    of once per matching document (the cost that grows with the number of hits)."""

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if isinstance(scorer, BM25FScorer):
            scorer.dfl = _field_lengths(searcher, fieldname).__getitem__
        return scorer


def _field_lengths(searcher, fieldname: str) -> array:
    reader = searcher.reader()
    cache = reader.__dict__.setdefault("_legalbase_lengths", {})
    lengths = cache.get(fieldname)
    if lengths is None:
        # Whoosh answers None for a document with nothing in the field (an empty subjects).
        lengths = cache[fieldname] = array(
            "i",
            (
                searcher.doc_field_length(docnum, fieldname, 1) or 0
                for docnum in range(reader.doc_count_all())
            ),
        )
    return lengths
