"""The quarterly supplier review: snapshots, movers, due reviews, deadlines, actions, data gaps.

``quarters`` names calendar quarters, ``models`` holds what a review records and
shows, ``analysis`` works the lists out (pure functions of data and day) and
the application layer (:mod:`supplier_register.services.reviews`) runs the
operations against a register database.
"""
