"""Data models: the proposal (``proposal``), the sections table, the Global Goals, value types, messages."""
