"""Unit tests: pure logic (domain models, scoring, validity, interchange) with no database."""
