"""Record identifiers shaped like the source systems' own."""

from __future__ import annotations

import numpy as np

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def salesforce_ids(prefix: str, numbers: np.ndarray) -> list[str]:
    """18-character Salesforce ids: 3-char key prefix, pod '5g', 10 base62 digits, checksum.

    The last three characters are Salesforce's case-safe checksum of the first 15, so the
    ids behave like real ones (case-insensitive tools can still tell them apart).
    """
    ids = []
    for number in numbers.tolist():
        digits = []
        for _ in range(10):
            number, remainder = divmod(number, 62)
            digits.append(_BASE62[remainder])
        base = prefix + "5g" + "".join(reversed(digits))
        ids.append(base + _checksum(base))
    return ids


def _checksum(fifteen: str) -> str:
    suffix = ""
    for chunk in range(3):
        bits = 0
        for position, char in enumerate(fifteen[chunk * 5 : chunk * 5 + 5]):
            if char.isupper():
                bits |= 1 << position
        suffix += _SUFFIX[bits]
    return suffix


def zero_padded(numbers: np.ndarray, width: int) -> np.ndarray:
    """ERP numbers with leading zeros, e.g. customer 12345 -> '0000012345'."""
    return np.char.zfill(numbers.astype(str), width)
