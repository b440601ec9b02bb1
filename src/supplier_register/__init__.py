"""supplier-register: a board-ready register of an NHS trust's technology suppliers."""

__version__ = "0.1.0"
