"""Coverage: which regions have a current legal basis for their TPPO task force, and why not.

Reads corpus and regions. (Built with the coverage issue.)
"""
