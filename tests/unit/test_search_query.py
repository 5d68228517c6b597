"""The search query builder: escaping, URL round trips and hostile parameters (no server)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marketplace.services.gigs import catalog
from marketplace.services.search import gig_search
from search.query import (
    HIGHLIGHT_POST,
    HIGHLIGHT_PRE,
    PER_PAGE,
    FilterValueError,
    GigQuery,
    equals,
    highlight_segments,
    one_of,
    quote,
)


def read_literal(text: str, start: int) -> tuple[str, int]:
    """Meilisearch's reading of a double-quoted literal at `start`: its value and where it ends."""
    assert text[start] == '"'
    value, i = [], start + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            value.append(text[i + 1])
            i += 2
            continue
        if ch == '"':
            return "".join(value), i
        value.append(ch)
        i += 1
    raise AssertionError("the literal never closes")


@given(st.text(max_size=300))
def test_any_value_stays_inside_its_quotes(value):
    expression = equals("seller_country", value)
    prefix = "seller_country = "
    assert expression.startswith(prefix)
    literal, end = read_literal(expression, len(prefix))
    assert literal == value
    assert end == len(expression) - 1  # nothing after the closing quote


@given(st.lists(st.text(max_size=40), min_size=1, max_size=5))
def test_every_value_of_a_list_stays_inside_its_own_quotes(values):
    expression = one_of("seller_languages", values)
    i = len("seller_languages IN [")
    read = []
    for position in range(len(values)):
        literal, end = read_literal(expression, i)
        read.append(literal)
        i = end + 1
        if position < len(values) - 1:
            assert expression[i : i + 2] == ", "
            i += 2
    assert read == values
    assert expression[i:] == "]"


def test_backslash_is_escaped_before_the_quote():
    assert quote('a\\"b') == '"a\\\\\\"b"'
    assert quote("\\") == '"\\\\"'


def test_attribute_names_come_from_the_allowlist():
    with pytest.raises(FilterValueError):
        equals("title", "x")
    with pytest.raises(FilterValueError):
        equals("seller_country = 'x' OR id", "x")


def test_url_round_trip_keeps_the_view():
    view = GigQuery.clean(
        q="logo design",
        category="graphics-design",
        subcategory="logo-design",
        levels=["top_rated", "level_2"],
        pro_only=True,
        languages=["English", "Portuguese"],
        countries=["PT"],
        price_min=5_000,
        price_max=20_000,
        delivery="3",
        rating="4.5",
        sort="price_asc",
        page=3,
    )
    params = view.to_params()
    assert params == {
        "q": "logo design",
        "cat": "graphics-design",
        "sub": "logo-design",
        "level": "top_rated,level_2",
        "pro": "1",
        "lang": "English,Portuguese",
        "country": "PT",
        "min": "50",
        "max": "200",
        "delivery": "3",
        "rating": "4.5",
        "sort": "price_asc",
        "page": "3",
    }
    assert GigQuery.from_params(params) == view


@pytest.mark.parametrize(
    "params",
    [
        {"page": "-1", "sort": "DROP TABLE", "rating": "5", "delivery": "2"},
        {"page": "9" * 50, "min": "ten", "max": "-5", "level": "admin", "pro": "yes"},
        {"page": "١٢", "min": "1e9", "max": "9" * 40, "q": "\x00\x1b" * 5},
        {"q": ["a", "b"], "cat": {"x": 1}, "lang": None},
    ],
)
def test_hostile_params_are_dropped(params):
    view = GigQuery.from_params(params)
    assert view.page == 1
    assert view.sort == "relevance"
    assert view.rating == "" and view.delivery == "" and view.levels == ()
    assert view.price_min is None and view.price_max is None and not view.pro_only
    assert "\x00" not in view.q


def test_search_params_ask_for_one_page_facets_and_highlights():
    body = GigQuery.clean(q="logo", delivery="1", rating="4", sort="newest").search_params()
    assert body["hitsPerPage"] == PER_PAGE == 24
    assert body["filter"] == ["delivery_days_min <= 1", "rating_avg >= 4.0"]
    assert body["sort"] == ["created_at:desc"]
    assert "price_from" in body["facets"] and "seller_country" in body["facets"]
    assert body["highlightPreTag"] == HIGHLIGHT_PRE


def test_swapped_budget_bounds_are_put_in_order():
    view = GigQuery.clean(price_min=9_000, price_max=1_000)
    assert (view.price_min, view.price_max) == (1_000, 9_000)


def test_highlights_become_text_segments():
    text = f"I will design a {HIGHLIGHT_PRE}logo{HIGHLIGHT_POST} <b>now</b>"
    assert highlight_segments(text) == [
        ("I will design a ", False),
        ("logo", True),
        (" <b>now</b>", False),
    ]
    assert highlight_segments(f"odd {HIGHLIGHT_PRE}tag") == [("odd tag", False)]
    assert highlight_segments("") == []


@given(st.text(max_size=100))
def test_segments_never_lose_or_invent_text(text):
    joined = "".join(part for part, _ in highlight_segments(text))
    assert joined == text.replace(HIGHLIGHT_PRE, "").replace(HIGHLIGHT_POST, "")


def test_toggled_adds_and_removes_one_value_and_returns_to_page_one():
    view = GigQuery.clean(q="logo", category="graphics-design", subcategory="logo-design", page=3)
    with_level = view.toggled("level", "level_2")
    assert with_level.levels == ("level_2",) and with_level.page == 1
    assert with_level.toggled("level", "level_2").levels == ()
    assert view.toggled("cat", "graphics-design").subcategory == ""  # a category takes its sub
    assert view.toggled("pro", "1").pro_only is True
    assert view.toggled("nonsense", "x") is None
    budget = GigQuery.clean(price_min=500, price_max=9000).toggled("budget", "")
    assert (budget.price_min, budget.price_max) == (None, None)


def test_active_filters_name_each_chip_so_toggling_each_removes_it():
    view = GigQuery.clean(
        category="graphics-design",
        levels=["new", "top_rated"],
        pro_only=True,
        languages=["English"],
        countries=["PT"],
        price_max=5000,
        delivery="3",
        rating="4.5",
    )
    found = view.active_filters()
    assert ("cat", "graphics-design") in found and ("budget", "") in found
    assert len(found) == 9
    for group, value in found:
        relaxed = GigQuery.clean(**view.toggled(group, value).fields())
        assert (group, value) not in relaxed.active_filters()
        assert len(relaxed.active_filters()) == len(found) - 1


def test_both_engines_leave_the_same_groups_own_choice_out_of_their_counts():
    """Meilisearch's extra counts (gig_search.DISJUNCTIVE) and the SQL fallback's choice
    flags (catalog.CHOICE_GROUPS) must name the same groups, or the panels would differ."""
    assert tuple(gig_search.DISJUNCTIVE) == catalog.CHOICE_GROUPS
