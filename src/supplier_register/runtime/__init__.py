"""Process-wide runtime policies (garbage collection)."""
