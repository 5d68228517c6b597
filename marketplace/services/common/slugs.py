"""URL slugs: lowercase ASCII words joined by hyphens. Used by the gig service and the seeder."""

import re
import unicodedata

from marketplace.services.gigs.rules import TITLE_PREFIX

_SLUG_STRIP = re.compile(r"[^a-z0-9]+")
GIG_SLUG_BASE_MAX = 100


def slugify(value: str) -> str:
    """ "Café & Logo design" -> "cafe-logo-design"."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return _SLUG_STRIP.sub("-", ascii_text.lower()).strip("-")


def gig_slug(title: str, gig_id: int) -> str:
    """ "I will design a logo", 7 -> "design-a-logo-7": the title without its "I will", and
    the id, which keeps it unique."""
    base = slugify(title.removeprefix(TITLE_PREFIX))[:GIG_SLUG_BASE_MAX].strip("-") or "gig"
    return f"{base}-{gig_id}"
