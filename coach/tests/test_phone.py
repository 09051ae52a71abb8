import pytest

from coach.phone import normalize_e164


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+1 512 555 0123", None, "+15125550123"),
        ("(512) 555-0123", "US", "+15125550123"),
        ("512.555.0123", "us", "+15125550123"),
        ("0015125550123", None, "+15125550123"),
        ("+44 20 7946 0018", "US", "+442079460018"),
        ("020 7946 0018", "GB", "+442079460018"),
    ],
)
def test_numbers_become_e164(raw, region, expected):
    assert normalize_e164(raw, region) == expected


@pytest.mark.parametrize("raw", ["", "anonymous", "Restricted", None, "12", "not a number", "+1 555 010 0000"])
def test_unusable_numbers_give_none(raw):
    assert normalize_e164(raw, "US") is None


def test_national_number_without_region_is_not_guessed():
    assert normalize_e164("(512) 555-0123") is None


def test_withheld_markers_are_no_number():
    for withheld in ("anonymous", "Private", "", None):
        assert normalize_e164(withheld, "US") is None
    assert normalize_e164("+15125550123") == "+15125550123"
