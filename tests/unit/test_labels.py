"""Each stored code has one label, and every screen and message takes it from marketplace.labels."""

import pytest

from marketplace import labels
from marketplace.models import GigStatus
from marketplace.models.gigs import UNLIMITED_REVISIONS, PackageTier
from marketplace.services.gigs.pages import MY_GIGS_STATUSES


def test_every_gig_status_has_a_label_and_a_phrase():
    statuses = {status.value for status in GigStatus}
    assert set(labels.GIG_STATUS_LABELS) == statuses
    assert set(labels.GIG_STATUS_PHRASES) == statuses
    assert set(MY_GIGS_STATUSES) <= statuses
    assert labels.gig_status_label("pending_review") == "Pending review"
    assert labels.GIG_STATUS_PHRASES["pending_review"] == "waiting for review"


def test_every_tier_has_a_label():
    assert set(labels.TIER_LABELS) == {tier.value for tier in PackageTier}


@pytest.mark.parametrize(
    ("level", "label", "phrase"),
    [
        ("new", "New seller", "New seller"),
        ("level_1", "Level 1", "Level 1 seller"),
        ("level_2", "Level 2", "Level 2 seller"),
        ("top_rated", "Top Rated", "Top Rated seller"),
        ("unknown_level", "Unknown Level", "seller"),
    ],
)
def test_a_seller_level_reads_the_same_on_cards_and_in_messages(level, label, phrase):
    assert labels.seller_level_label(level) == label
    assert labels.seller_level_phrase(level) == phrase


@pytest.mark.parametrize(
    ("revisions", "label", "count"),
    [
        (UNLIMITED_REVISIONS, "Unlimited", "Unlimited revisions"),
        (0, "0", "0 revisions"),
        (1, "1", "1 revision"),
        (3, "3", "3 revisions"),
    ],
)
def test_revisions_labels(revisions, label, count):
    assert labels.revisions_label(revisions) == label
    assert labels.revisions_count(revisions) == count


def test_revisions_used_on_an_order():
    from marketplace.labels import revisions_used

    assert revisions_used(1, 3) == "1 of 3 revisions used"
    assert revisions_used(0, 1) == "0 of 1 revision used"
    assert revisions_used(2, -1) == "2 of unlimited revisions used"


@pytest.mark.parametrize(
    ("tier", "name", "shown"),
    [
        ("basic", "Basic", ""),  # not "Basic / Basic"
        ("standard", " standard ", ""),
        ("premium", "Brand kit", "Brand kit"),
        ("basic", "Basic logo", "Basic logo"),
    ],
)
def test_a_package_name_shows_beside_its_tier_only_when_it_adds_something(tier, name, shown):
    assert labels.package_name_shown(tier, name) == shown
