"""Importer tests: tabular and OCDS imports, their limits and fuzzing."""
