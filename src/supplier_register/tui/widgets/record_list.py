"""An option list of records, each option's id the record's id."""

from __future__ import annotations

from textual.widgets import OptionList


class RecordList(OptionList):
    """An option list whose options are records (contracts, people) with their ids as ids."""

    @property
    def highlighted_option_id(self) -> str | None:
        """The id of the highlighted option; None when none is highlighted."""
        index = self.highlighted
        if index is None or index >= self.option_count:
            return None
        return self.get_option_at_index(index).id

    @property
    def highlighted_record(self) -> int | None:
        """The id of the highlighted record; None when none is highlighted."""
        option_id = self.highlighted_option_id
        return int(option_id) if option_id is not None else None
