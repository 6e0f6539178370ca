"""The region registry: provinces and kabupaten/kota keyed by their Kemendagri code.

Depends on nothing else in legalbase; every other room reads it.
"""
