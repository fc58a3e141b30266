"""Record identifiers shaped like the source systems' own."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def salesforce_ids(prefix: str, numbers: np.ndarray) -> np.ndarray:
    """18-character Salesforce ids: 3-char key prefix, pod '5g', 10 base62 digits, checksum.

    The last three characters are Salesforce's case-safe checksum of the first 15, so the
    ids behave like real ones (case-insensitive tools can still tell them apart).
    """
    numbers = np.asarray(numbers, dtype=np.int64)
    head = np.array(list(prefix + "5g"))
    digits = np.empty((len(numbers), 10), dtype=np.int64)
    rest = numbers.copy()
    for position in range(9, -1, -1):
        rest, digits[:, position] = np.divmod(rest, 62)
    alphabet = np.array(list(_BASE62))
    chars = np.concatenate([np.broadcast_to(head, (len(numbers), 5)), alphabet[digits]], axis=1)
    upper = np.char.isupper(chars)
    suffix = np.array(list(_SUFFIX))[
        [(upper[:, c * 5 : c * 5 + 5] * (1 << np.arange(5))).sum(axis=1) for c in range(3)]
    ].T
    full = np.ascontiguousarray(np.concatenate([chars, suffix], axis=1)).astype("<U1")
    return full.view("<U18").ravel().astype(object)


def _checksum(fifteen: str) -> str:
    """The case-safe suffix of one 15-character id (documents the algorithm; tests use it)."""
    suffix = ""
    for chunk in range(3):
        bits = 0
        for position, char in enumerate(fifteen[chunk * 5 : chunk * 5 + 5]):
            if char.isupper():
                bits |= 1 << position
        suffix += _SUFFIX[bits]
    return suffix


def prefixed(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """Document numbers: prefix + zero-padded digits, e.g. ('SHP-', 42, 10) -> 'SHP-0000000042'."""
    digits = pc.utf8_lpad(
        pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string()),
        width=width,
        padding="0",
    )
    return np.asarray(
        pc.binary_join_element_wise(prefix, digits, "").to_numpy(zero_copy_only=False), dtype=object
    )


def zero_padded(numbers: np.ndarray, width: int) -> np.ndarray:
    """ERP numbers with leading zeros, e.g. customer 12345 -> '0000012345'."""
    return prefixed("", numbers, width)
