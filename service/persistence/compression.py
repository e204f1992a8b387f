"""Text kept zlib-compressed against a preset dictionary: a sample of what the rows of a column share.

A complaint's instance state and its letters are mostly text every other complaint has too (the engine's keys and
task names; a letter's styles, the landlord's address, the Ombudsman's details). zlib compresses each row alone,
so without a dictionary every row pays for that text again; primed with a sample it costs a back-reference.

The dictionaries are files in `dictionaries/`, made once from a complaint walked through the shipped procedure
(made-up resident; the random task ids taken out of the state, as they never repeat). A stored row names its
dictionary by Adler-32 in its zlib header, so **a dictionary file is never edited or removed**: rows compressed
with it need exactly its bytes. A better sample is a new file, used for new rows; `tests/unit/test_compression.py`
pins the checksums of the files there.
"""

from __future__ import annotations

import zlib
from pathlib import Path

DICTIONARY_FOLDER = Path(__file__).with_name("dictionaries")


def _dictionaries() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(DICTIONARY_FOLDER.iterdir()) if path.is_file()}


DICTIONARIES = _dictionaries()
BY_CHECKSUM = {zlib.adler32(content): content for content in DICTIONARIES.values()}
_NEEDS_DICTIONARY = 0x20  # FDICT, in the second byte of a zlib stream (RFC 1950)


def compress(text: str, level: int, dictionary: str | None = None) -> bytes:
    """`text` as a zlib stream at `level`, primed with the dictionary file named `dictionary` if one is given."""
    if dictionary is None:
        return zlib.compress(text.encode("utf-8"), level)
    compressor = zlib.compressobj(level, zdict=DICTIONARIES[dictionary])
    return compressor.compress(text.encode("utf-8")) + compressor.flush()


def decompress(stream: bytes) -> str:
    """The text of a zlib stream from `compress`, with or without a dictionary (the stream says which)."""
    if len(stream) < 6 or not stream[1] & _NEEDS_DICTIONARY:
        return zlib.decompress(stream).decode("utf-8")
    checksum = int.from_bytes(stream[2:6], "big")
    if checksum not in BY_CHECKSUM:
        raise ValueError(f"stored text needs compression dictionary {checksum:#010x}, which this release lacks")
    decompressor = zlib.decompressobj(zdict=BY_CHECKSUM[checksum])
    return (decompressor.decompress(stream) + decompressor.flush()).decode("utf-8")
