"""The Textual user interface of the register; it only calls into the core packages."""
