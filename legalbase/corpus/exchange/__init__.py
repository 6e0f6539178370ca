"""Exchange of the corpus with JDIHN (its JSON feed) and as CSV, both ways.

Exports read the live (not withdrawn) records. Imports create each entry, or update the live
record with the same identity, each inside its own savepoint: a refused entry is reported with
its reason and the others still go in. Nothing here commits; the caller does, once. Import never
downloads files. The keys and columns are described in corpus/EXCHANGE.md.

    jdihn.py          the feed's keys, and building the feed of the live records
    jdihn_import.py   reading a feed in: its entries, then their relations
    csv_records.py    the CSV columns, export and import
    naming.py         how a catalogue writes a regulation: teuBadan, jenis, the judul's prefix,
                      the gazette reference and the subjects as text (and reading them back)
    reports.py        what both formats share: the live records an export holds, the upsert of
                      one imported entry in its savepoint, and the report of every outcome
"""
