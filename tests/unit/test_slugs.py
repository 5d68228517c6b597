"""Gig URLs: the seller's title without "I will", in lowercase ASCII words, and the gig's id."""

from marketplace.services.common.slugs import gig_slug, slugify


def test_slugify_keeps_ascii_words_only():
    assert slugify("Café & Logo  design!") == "cafe-logo-design"
    assert slugify("  --  ") == ""


def test_a_gig_slug_drops_the_title_prefix_and_ends_with_the_id():
    assert gig_slug("I will design a modern logo", 7) == "design-a-modern-logo-7"
    assert gig_slug("I will ✨✨", 8) == "gig-8"
    long = gig_slug("I will " + "word " * 40, 9)
    assert long.endswith("-9") and len(long) <= 100 + len("-9") and "--" not in long
