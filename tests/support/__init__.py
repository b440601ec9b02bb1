"""Helpers shared by the test packages: import them as ``tests.support.<module>``.

pytest fixtures live in ``tests/conftest.py``; plain functions and data live here.
"""
