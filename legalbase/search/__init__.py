"""Search: the Indonesian full-text index over the corpus, always in step with the database.

Reads corpus and regions. (Built with the search issue.)
"""
