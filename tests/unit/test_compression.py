"""Stored text compressed against a dictionary: it opens again, old rows open, and the dictionaries never change."""

import zlib

import pytest

from service.persistence import compression
from service.persistence.models import CompressedText

# Rows compressed with a dictionary need exactly its bytes to open: a changed file would lose them.
PINNED = {"instance_state.json": 0xB2799085, "letter.html": 0xE7DCDEBD}


def test_the_dictionaries_are_the_ones_rows_were_stored_with():
    assert {name: zlib.adler32(content) for name, content in compression.DICTIONARIES.items()} == PINNED


def test_text_compressed_with_a_dictionary_opens_and_is_smaller_than_without():
    # A letter like the shipped ones, to a resident the dictionary has never seen.
    shipped = compression.DICTIONARIES["letter.html"].decode("utf-8").split("\n<!doctype")[1]
    letter = "<!doctype" + shipped.replace("Dear ,", "Dear Ms Ada Lovelace,").replace("about: ", "about: mould")
    primed = compression.compress(letter, 3, "letter.html")
    assert compression.decompress(primed) == letter
    assert len(primed) < len(compression.compress(letter, 3)) / 2


def test_rows_stored_before_the_dictionaries_still_open():
    column = CompressedText("instance_state.json")
    assert column.process_result_value(zlib.compress(b'{"tasks": {}}', 3), None) == '{"tasks": {}}'
    assert column.process_result_value(column.process_bind_param("état", None), None) == "état"


def test_a_row_naming_a_dictionary_this_release_lacks_says_so():
    compressor = zlib.compressobj(3, zdict=b"a dictionary no release ever shipped")
    stream = compressor.compress(b"some state") + compressor.flush()
    with pytest.raises(ValueError, match="needs compression dictionary"):
        compression.decompress(stream)
