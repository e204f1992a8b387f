"""The same-person rule on plain values: how alike names are, which details count as the same, and what is not
enough to offer someone as a match."""

import pytest

from service.domain.person_match import (
    NAME_ALIKE,
    Details,
    likeness,
    name_likeness,
    phone_key,
    postcode_key,
)

ADA = Details("Ada Lovell", "ada@example.org", "0115 000 0000", "4 Elm Row, Nottingham NG1 1AA")


@pytest.mark.parametrize("typed", ["Ada Lovell", "  ada   LOVELL ", "Adá Lovell"])
def test_the_same_name_whatever_the_case_spacing_or_accents(typed):
    assert name_likeness(typed, "Ada Lovell") == 1.0
    assert likeness(Details(typed), ADA).reasons == ("same name",)


@pytest.mark.parametrize("typed", ["Ada Lovel", "Ada Lovall", "Ada Lov", "Lovell, Ada", "Ada Lovelace"])
def test_a_slip_a_part_typed_or_the_words_swapped_is_a_similar_name(typed):
    assert NAME_ALIKE <= name_likeness(typed, "Ada Lovell") < 1.0
    assert likeness(Details(typed), ADA).reasons == ("similar name",)


@pytest.mark.parametrize("typed", ["Bea Marsh", "Lovejoy", "Al"])
def test_a_different_or_too_short_name_is_no_match(typed):
    assert likeness(Details(typed), ADA) is None


def test_the_same_email_or_phone_is_a_match_whatever_the_name():
    assert likeness(Details("A. L.", email=" ADA@Example.org"), ADA).reasons == ("same email",)
    assert likeness(Details(phone="+44 (0)115 000-0000"), ADA).reasons == ("same phone",)
    assert likeness(Details(phone="0115 000"), ADA) is None  # not a whole number yet


def test_a_postcode_counts_only_beside_a_somewhat_alike_name():
    assert likeness(Details("Adah Lowell", address="flat 2, ng1 1aa"), ADA).reasons == ("similar name",
                                                                                     "same postcode")
    assert likeness(Details("Zed Quinn", address="NG1 1AA"), ADA) is None
    assert likeness(Details("Adah Lowell", address="NG2 1AA"), ADA).reasons == ("similar name",)


def test_stronger_evidence_scores_higher():
    scores = [likeness(typed, ADA).score for typed in (
        Details("Ada Lovel"), Details("Ada Lovell"), Details("Ada Lovell", phone="0115 000 0000"),
        Details("Ada Lovell", email="ada@example.org"),
        Details("Ada Lovell", email="ada@example.org", phone="01150000000"))]
    assert scores == sorted(scores) and len(set(scores)) == len(scores)


def test_keys():
    assert phone_key("+44 115 000 0000") == phone_key("0115 000 0000") == "1150000000"
    assert postcode_key("4 Elm Row\nnottingham ng1 1aa") == "NG11AA" and postcode_key("4 Elm Row") == ""
    assert Details("Al").enough() is False and Details("Ali").enough() is True
    assert Details(address="SW1A 1AA").enough() and Details(phone="0115 000 0000").enough()
