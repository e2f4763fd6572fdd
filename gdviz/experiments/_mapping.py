"""A result that reads as the dict it holds, beside the landscape and settings that made it."""

from collections.abc import Mapping


class MappingResult(Mapping):
    """Base of the frozen dataclasses whose result is a dict: `result[label]`, `result.items()`, ...

    `ITEMS` names the field holding that dict; the other fields record what made it.
    """

    ITEMS = ""

    def __getitem__(self, key):
        return getattr(self, self.ITEMS)[key]

    def __iter__(self):
        return iter(getattr(self, self.ITEMS))

    def __len__(self):
        return len(getattr(self, self.ITEMS))
