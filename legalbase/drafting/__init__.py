"""Drafting: SK drafts from DOCX templates, with the Mengingat assembled and linted.

Reads corpus, coverage and regions. (Built with the drafting issue.)
"""
