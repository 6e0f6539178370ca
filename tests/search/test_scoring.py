"""BM25F with field lengths read once per segment: documents with an empty field included."""

from whoosh import index as whoosh_index
from whoosh.query import Term

from legalbase.search.whoosh.index import make_schema
from legalbase.search.whoosh.postings import LengthCachedBM25F
from tests.search.backend import whoosh_only

pytestmark = whoosh_only("Whoosh's BM25F scorer reading field lengths per segment")


def test_a_segment_where_some_documents_have_no_subjects_scores_the_others(tmp_path):
    index = whoosh_index.create_in(str(tmp_path), make_schema())
    writer = index.writer()
    writer.add_document(id="1", title="Retribusi pasar", body="Retribusi pasar daerah")
    writer.add_document(id="2", title="Kesehatan", body="Kesehatan jiwa", subjects="KESEHATAN JIWA")
    writer.commit()
    with index.searcher(weighting=LengthCachedBM25F()) as searcher:
        term = next(text for text in searcher.lexicon("subjects") if b"jiwa" in text)
        hits = searcher.search(Term("subjects", term.decode()))
        assert [hit["id"] for hit in hits] == ["2"] and hits[0].score > 0
