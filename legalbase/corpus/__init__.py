"""The corpus: national and regional regulations, their metadata (JDIH), text and relations.

Reads the region registry; read by coverage, drafting and search.
"""
