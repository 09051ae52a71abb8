"""A registry of units of one kind (providers, rule kinds): each registered
once under its code, in the order registered."""


class Registry(dict):
    def __init__(self, kind):
        super().__init__()
        self.kind = kind

    def register(self, unit):
        """Add ``unit`` (anything with ``code`` and ``label``); a code twice is a mistake."""
        if unit.code in self:
            raise ValueError(f"{self.kind} {unit.code} is registered twice")
        self[unit.code] = unit
        return unit

    def selection(self):
        """``[(code, label)]`` in the order registered, for a selection field."""
        return [(unit.code, unit.label) for unit in self.values()]
