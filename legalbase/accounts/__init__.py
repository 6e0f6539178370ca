"""Accounts: users, their role and regional scope, API tokens, and the access policy.

Reads the region registry.
"""
