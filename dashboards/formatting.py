"""How the app writes numbers; tests format expected figures with the same functions."""

from __future__ import annotations

import datetime as dt
import math

NOT_AVAILABLE = "–"


def format_money(amount: float | None, currency: str, decimals: int = 2) -> str:
    """`1234567.891, "CNY"` -> `"1,234,567.89 CNY"` (thousands separators, currency code).

    `decimals=0` gives whole units (`"1,234,568 CNY"`), for tiles where space is short.
    """
    if amount is None or math.isnan(amount):
        return NOT_AVAILABLE
    rounded = round(float(amount), decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{rounded:,.{decimals}f} {currency}"


def format_percent(ratio: float | None) -> str:
    """`0.2345` -> `"23.5%"`; no ratio (e.g. no revenue) -> a dash."""
    if ratio is None or math.isnan(ratio):
        return NOT_AVAILABLE
    return f"{ratio:.1%}"


def format_count(count: int) -> str:
    return f"{int(count):,}"


def format_age(published_at: dt.datetime, now: dt.datetime | None = None) -> str:
    """How long ago a snapshot was published, in the largest whole unit: `"3 hours ago"`."""
    seconds = ((now or dt.datetime.now(dt.UTC)) - published_at).total_seconds()
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"
