"""The gig editor's rules, field by field and for a whole draft (pure: no database)."""

from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace.services.gigs import rules
from tests.gig_fixtures import valid_draft

SUB = 7


def errors_of(draft, **kwargs):
    return rules.validate_draft(draft, category_ids={SUB}, **kwargs)


def with_package(tier, **values):
    draft = valid_draft(SUB)
    draft["packages"][tier].update(values)
    return draft


def test_the_reference_draft_is_valid_and_cleans_to_live_values():
    draft = valid_draft(SUB)
    assert errors_of(draft, gallery_count=1) == {}
    clean = rules.clean_draft(draft, category_ids={SUB})
    assert clean.title == "I will design a modern minimalist logo"
    assert clean.category_id == SUB
    assert clean.tags == ("logo design", "minimalist", "brand-identity")
    assert [p.tier for p in clean.packages] == ["basic", "standard", "premium"]
    assert [p.price_cents for p in clean.packages] == [2000, 4000, 120050]
    assert [p.revisions for p in clean.packages] == [1, 3, -1]
    assert clean.price_from_cents == 2000 and clean.delivery_days_min == 3
    assert clean.packages[1].features == ("Source file", "Logo transparency")  # row order
    assert clean.extras[0].title == "Extra-fast delivery"
    assert clean.extras[0].extra_days == -2
    assert clean.extras[1].extra_days == 1 and clean.extras[1].price_cents == 2550
    assert clean.requirements[1].choices == ("Minimal", "Vintage")
    assert clean.requirements[1].required is False


# --- title ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("I will design your logo", ""),
        ("  i WILL design your logo  ", ""),
        ("I will " + "x" * 73, ""),  # exactly 80
        ("I will " + "x" * 74, "at most 80 characters (now 81)"),
        ("I will do it", "at least 15 characters (now 12)"),
        ("I will do it 12", ""),  # exactly 15
        ("", 'starts with "I will"'),
        ("   ", 'starts with "I will"'),
        ("I will", 'Say what you will do after "I will"'),
        ("We will design your logo", 'Start your title with "I will"'),
        ("Iwill design your logo", 'Start your title with "I will"'),
        ("I will design\x00 your logo", "control characters"),
        (["I will design your logo"], "can't be read"),
    ],
)
def test_title_rules(title, message):
    error = rules.title_error(title)
    assert (message in error) if message else error == ""


def test_title_is_trimmed_collapsed_and_capitalised():
    assert rules.clean_title("  i will   design\n your logo ") == "I will design your logo"


# --- category -------------------------------------------------------------------------------------


def test_category_must_be_an_existing_subcategory():
    assert rules.category_error("7", {7}) == ""
    assert rules.category_error(7, {7}) == ""
    assert "Choose a category" in rules.category_error("", {7})
    assert "from the list" in rules.category_error("8", {7})  # a top category or unknown id
    assert "from the list" in rules.category_error("abc", {7})
    assert "from the list" in rules.category_error("-7", {7})
    assert "from the list" in rules.category_error("0", None)
    assert rules.category_error("12", None) == ""  # only the form when ids are unknown
    assert rules.category_error({"id": 7}, {7}) == rules.BAD_VALUE


# --- tags -----------------------------------------------------------------------------------------


def test_tags_are_lowercased_trimmed_and_deduplicated():
    assert rules.clean_tags([" Logo  Design ", "logo design", "LOGO", "", "logo"]) == [
        "logo design",
        "logo",
    ]


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        (["logo"], ""),
        (["a1", "b2", "c3", "d4", "e5"], ""),
        (["a1", "b2", "c3", "d4", "e5", "E5 "], ""),  # the duplicate does not count
        ([], "at least one search tag"),
        (["", "  "], "at least one search tag"),
        (["a1", "b2", "c3", "d4", "e5", "f6"], "at most 5 tags (now 6)"),
        (["x"], "too short"),
        (["x" * 31], "too long"),
        (["x" * 30], ""),
        (["c++"], "only letters, digits, spaces and hyphens"),
        (["logo_design"], "only letters, digits, spaces and hyphens"),
        (["-logo"], "start and end with a letter or a digit"),
        (["web-design", "café logo"], ""),  # hyphens and accented letters are fine
        ("logo", "can't be read"),
        ([["logo"]], "can't be read"),
    ],
)
def test_tag_rules(tags, message):
    error = rules.tags_error(tags)
    assert (message in error) if message else error == ""


# --- prices, delivery, revisions ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("12", 1200),
        ("12.5", 1250),
        ("12.50", 1250),
        ("$1,200", 120000),
        ("$ 1,200.05", 120005),
        ("  5 ", 500),
        ("5.00", 500),
        ("10000", 1_000_000),
        ("$10,000.00", 1_000_000),
        ("12.", 1200),
        (25, 2500),
    ],
)
def test_prices_parse_to_integer_cents(typed, cents):
    assert rules.parse_price(typed) == (cents, "")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a price."),
        ("twelve", "like 25 or 25.50"),
        ("12,5", "like 25 or 25.50"),
        ("1,2000", "like 25 or 25.50"),
        ("1e3", "like 25 or 25.50"),
        ("NaN", "like 25 or 25.50"),
        ("Infinity", "like 25 or 25.50"),
        ("١٢", "like 25 or 25.50"),  # non-ASCII digits
        ("12.345", "at most 2 decimals"),
        ("12.001", "at most 2 decimals"),
        ("-5", "can't be negative"),
        ("-$5", "can't be negative"),
        ("$-5", "can't be negative"),
        ("4.99", "between $5 and $10,000"),
        ("0", "between $5 and $10,000"),
        ("10000.01", "between $5 and $10,000"),
        ("9" * 40, "like 25 or 25.50"),
        ([12], "can't be read"),
        (True, "can't be read"),
    ],
)
def test_bad_prices_are_refused_with_a_reason(typed, message):
    cents, error = rules.parse_price(typed)
    assert cents is None
    assert message in error


@pytest.mark.parametrize(
    ("typed", "ok"),
    [("1", True), ("90", True), (" 3 ", True), ("0", False), ("91", False), ("3.5", False)]
    + [("-1", False), ("abc", False), ("", False), ("1 day", False)],
)
def test_delivery_days_are_whole_days_from_1_to_90(typed, ok):
    assert (rules.delivery_days_error(typed) == "") is ok
    assert (rules.parse_delivery_days(typed) is not None) is ok


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [("0", 0), ("10", 10), ("unlimited", -1), (" Unlimited ", -1), ("11", None), ("-1", None)]
    + [("", None), ("lots", None)],
)
def test_revisions_are_0_to_10_or_unlimited(typed, parsed):
    assert rules.parse_revisions(typed) == parsed
    assert (rules.revisions_error(typed) == "") is (parsed is not None)


def test_higher_tiers_may_not_cost_less_and_the_message_sits_on_the_higher_price():
    errors = errors_of(with_package("premium", price="39.99"))
    assert errors == {
        "packages.premium.price": "Premium must cost at least as much as Standard ($40)."
    }
    errors = errors_of(with_package("standard", price="19"))
    assert errors == {
        "packages.standard.price": "Standard must cost at least as much as Basic ($20)."
    }
    assert errors_of(with_package("standard", price="20")) == {}  # equal is fine


def test_premium_is_compared_with_basic_when_standard_has_no_valid_price():
    draft = with_package("standard", price="abc")
    draft["packages"]["premium"]["price"] = "10"
    errors = errors_of(draft)
    assert errors["packages.premium.price"] == (
        "Premium must cost at least as much as Basic ($20)."
    )


def test_delivery_and_revisions_need_not_grow_with_the_tier():
    draft = with_package("premium", delivery_days="1", revisions="0")
    draft["extras"] = []
    assert errors_of(draft) == {}


def test_package_name_and_description_limits():
    assert "Name this package" in errors_of(with_package("basic", name=" "))["packages.basic.name"]
    assert "at most 40" in errors_of(with_package("basic", name="x" * 41))["packages.basic.name"]
    errors = errors_of(with_package("basic", description="x" * 301))
    assert "at most 300" in errors["packages.basic.description"]
    assert errors_of(with_package("basic", description="")) == {}


def test_every_package_field_is_checked_in_three_package_mode():
    draft = valid_draft(SUB)
    draft["packages"]["standard"] = rules.empty_draft()["packages"]["standard"]
    errors = errors_of(draft)
    assert set(errors) == {
        "packages.standard.name",
        "packages.standard.price",
        "packages.standard.delivery_days",
        "packages.standard.revisions",
    }


def test_single_package_mode_checks_and_keeps_only_basic():
    draft = valid_draft(SUB, single_package=True)
    draft["packages"]["standard"] = {"price": "junk", "name": ""}
    draft["packages"]["premium"] = "nonsense"
    assert errors_of(draft) == {}
    clean = rules.clean_draft(draft, category_ids={SUB})
    assert [p.tier for p in clean.packages] == ["basic"]
    assert clean.single_package is True


# --- feature rows ---------------------------------------------------------------------------------


def test_feature_rows_rules():
    assert (
        "at most 10"
        in errors_of(valid_draft(SUB, features=[f"f{i}" for i in range(11)]))["features"]
    )
    errors = errors_of(valid_draft(SUB, features=["Source file", " ", "x" * 41, "source FILE"]))
    assert "Name this feature" in errors["features.1"]
    assert "at most 40" in errors["features.2"]
    assert errors["features.3"] == "This feature is already listed."


def test_ticks_of_removed_rows_are_dropped_from_the_live_package():
    draft = valid_draft(SUB, features=["Source file"])
    clean = rules.clean_draft(draft, category_ids={SUB})
    assert [p.features for p in clean.packages] == [(), ("Source file",), ("Source file",)]


# --- extras ---------------------------------------------------------------------------------------


def extra(**values):
    row = rules.empty_extra()
    row.update(title="Logo animation", price="30", **values)
    return row


def test_extras_rules():
    too_many = errors_of(valid_draft(SUB, extras=[extra() for _ in range(7)]))
    assert too_many == {"extras": "Offer at most 6 extras (now 7)."}
    assert errors_of(valid_draft(SUB, extras=[extra() for _ in range(6)])) == {}
    errors = errors_of(valid_draft(SUB, extras=[extra(kind="teleport")]))
    assert errors["extras.0.kind"] == "Choose what this extra offers."
    errors = errors_of(valid_draft(SUB, extras=[{**extra(), "title": ""}]))
    assert errors["extras.0.title"] == "Name this extra."
    errors = errors_of(valid_draft(SUB, extras=[{**extra(), "price": "0"}]))
    assert "between $5 and $10,000" in errors["extras.0.price"]  # extras are never free
    errors = errors_of(valid_draft(SUB, extras=[{**extra(), "extra_days": "91"}]))
    assert "0 to 90" in errors["extras.0.extra_days"]
    errors = errors_of(valid_draft(SUB, extras=[{**extra(), "description": "x" * 301}]))
    assert "at most 300" in errors["extras.0.description"]


def test_preset_extras_are_offered_once_and_need_no_title():
    fast = {"kind": "fast_delivery", "title": "", "description": "", "price": "10"}
    draft = valid_draft(SUB, extras=[{**fast, "extra_days": "1"}, {**fast, "extra_days": "2"}])
    assert errors_of(draft) == {
        "extras.1.kind": "You already offer this extra; change that one instead."
    }
    revision = {**fast, "kind": "additional_revision", "extra_days": ""}
    clean = rules.clean_draft(valid_draft(SUB, extras=[revision]), category_ids={SUB})
    assert clean.extras[0].title == "Additional revision"
    assert clean.extras[0].extra_days == 0


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("2", ""),  # the fastest package takes 3 days: 3 - 2 = 1 day left
        ("-2", ""),  # a leading minus is the same thing
        ("3", "can save at most 2 days"),
        ("0", "at least 1"),
        ("", "at least 1"),
        ("fast", "at least 1"),
    ],
)
def test_fast_delivery_must_leave_the_fastest_package_at_least_one_day(days, message):
    draft = valid_draft(SUB)
    draft["extras"][0]["extra_days"] = days
    errors = errors_of(draft)
    if message:
        assert message in errors["extras.0.extra_days"]
    else:
        assert errors == {}


def test_fast_delivery_is_impossible_when_a_package_takes_one_day():
    draft = with_package("standard", delivery_days="1")
    assert "already takes 1 day" in errors_of(draft)["extras.0.extra_days"]


# --- description, FAQ, requirements, gallery ------------------------------------------------------


@pytest.mark.parametrize(
    ("length", "message"),
    [(0, "at least 120"), (119, "at least 120 characters (now 119)"), (120, ""), (1200, "")]
    + [(1201, "at most 1,200 characters (now 1,201)")],
)
def test_description_length(length, message):
    error = rules.description_error("d" * length)
    assert (message in error) if message else error == ""
    assert errors_of(valid_draft(SUB, description="d" * length)).get("description", "") == error


def test_faq_rules():
    faq = {"question": "Is it fast?", "answer": "Yes."}
    assert "at most 10" in errors_of(valid_draft(SUB, faqs=[faq] * 11))["faqs"]
    errors = errors_of(
        valid_draft(
            SUB, faqs=[faq, {"question": "", "answer": "x" * 1001}, {"question": "q" * 201}]
        )
    )
    assert errors["faqs.1.question"] == "Write the question."
    assert "at most 1,000" in errors["faqs.1.answer"]
    assert "at most 200" in errors["faqs.2.question"]
    assert errors["faqs.2.answer"] == "Write the answer."


def requirement(**values):
    return {**rules.empty_requirement(), "question": "Your brand colours?", **values}


def test_requirement_rules():
    assert (
        "at most 10"
        in errors_of(valid_draft(SUB, requirements=[requirement()] * 11))["requirements"]
    )
    errors = errors_of(
        valid_draft(
            SUB,
            requirements=[
                requirement(question=""),
                requirement(kind="video"),
                requirement(kind="choice", choices=["Only one"]),
                requirement(kind="choice", choices=["Red", " red "]),
                requirement(kind="choice", choices=["Red", ""]),
                requirement(kind="choice", choices=[f"c{i}" for i in range(11)]),
                requirement(kind="choice", choices=["Red", "x" * 81]),
                requirement(required="maybe"),
                requirement(question="q" * 301),
            ],
        )
    )
    assert errors["requirements.0.question"] == "Write what you need from the buyer."
    assert "free text, a choice, or a file" in errors["requirements.1.kind"]
    assert "at least 2 options" in errors["requirements.2.choices"]
    assert "must be different" in errors["requirements.3.choices"]
    assert "empty option" in errors["requirements.4.choices"]
    assert "at most 10 options" in errors["requirements.5.choices"]
    assert "at most 80" in errors["requirements.6.choices"]
    assert "required" in errors["requirements.7.required"]
    assert "at most 300" in errors["requirements.8.question"]


def test_choices_matter_only_for_choice_requirements():
    draft = valid_draft(SUB, requirements=[requirement(kind="file", choices=["", ""])])
    assert errors_of(draft) == {}
    assert rules.clean_draft(draft, category_ids={SUB}).requirements[0].choices == ()


def test_the_gallery_needs_an_image_only_when_it_is_checked():
    assert "at least one image" in errors_of(valid_draft(SUB), gallery_count=0)["gallery"]
    assert errors_of(valid_draft(SUB), gallery_count=None) == {}


def test_a_new_draft_lists_what_is_missing_and_clean_refuses_it():
    errors = rules.validate_draft(rules.empty_draft())
    assert {"title", "category_id", "tags", "description", "packages.basic.price"} <= set(errors)
    with pytest.raises(ValueError):
        rules.clean_draft(rules.empty_draft())


# --- steps ----------------------------------------------------------------------------------------


def test_errors_are_grouped_by_editor_step():
    assert [step.label for step in rules.STEPS] == [
        "Overview",
        "Pricing",
        "Description & FAQ",
        "Requirements",
        "Gallery",
        "Publish",
    ]
    errors = {
        "title": "a",
        "packages.premium.price": "b",
        "extras.0.price": "c",
        "faqs.1.answer": "d",
        "requirements.0.choices": "e",
        "gallery": "f",
    }
    assert rules.errors_for_step(errors, "overview") == {"title": "a"}
    assert rules.errors_for_step(errors, "Pricing") == {
        "packages.premium.price": "b",
        "extras.0.price": "c",
    }
    assert rules.errors_for_step(errors, "description") == {"faqs.1.answer": "d"}
    assert rules.errors_for_step(errors, "requirements") == {"requirements.0.choices": "e"}
    assert rules.errors_for_step(errors, "gallery") == {"gallery": "f"}
    assert rules.errors_for_step(errors, "publish") == errors
    assert rules.errors_for_step(errors, "nonsense") == {}


# --- the draft's shape ----------------------------------------------------------------------------


def test_empty_draft_has_the_documented_shape():
    draft = rules.empty_draft()
    assert set(draft) == {
        "title",
        "category_id",
        "tags",
        "single_package",
        "features",
        "packages",
        "extras",
        "description",
        "faqs",
        "requirements",
    }
    assert set(draft["packages"]) == {"basic", "standard", "premium"}
    assert draft["packages"]["basic"] == {
        "name": "",
        "description": "",
        "price": "",
        "delivery_days": "",
        "revisions": "",
        "features": [],
    }
    assert rules.coerce_draft(draft) == draft


def test_the_editor_form_holds_the_same_draft_as_text_rows():
    draft = valid_draft(SUB)
    draft["requirements"].append(
        {"question": "Pick one", "kind": "choice", "choices": ["A", "B"], "required": False}
    )
    form = rules.editor_form(draft)
    assert form["requirements"][-1] == {
        "question": "Pick one",
        "kind": "choice",
        "choices": "A\nB",
        "required": "no",
    }
    assert all(isinstance(v, str) for row in form["extras"] for v in row.values())
    expected = rules.coerce_draft(draft)
    for package in expected["packages"].values():  # ticks come back in the rows' order
        package["features"] = [f for f in draft["features"] if f in package["features"]]
    assert rules.draft_from_editor_form(form) == expected
    # a new row in the editor is the draft's empty row as text
    assert rules.FORM_ROW_TEMPLATES["requirements"] == {
        "question": "",
        "kind": "text",
        "choices": "",
        "required": "yes",
    }
    assert rules.draft_row("extras", rules.FORM_ROW_TEMPLATES["extras"]) == rules.empty_extra()


def test_a_tick_for_a_removed_feature_row_is_not_saved():
    form = rules.editor_form(valid_draft(SUB))
    form["package_features"]["basic"] = [*form["package_features"]["basic"], "gone"]
    assert "gone" not in rules.draft_from_editor_form(form)["packages"]["basic"]["features"]


def test_coerce_keeps_what_was_typed_and_replaces_junk():
    draft = valid_draft(SUB)
    draft["packages"]["basic"]["price"] = "12.345"  # invalid but typed: kept as is
    assert rules.coerce_draft(draft) == draft
    junk = {"title": ["x"], "tags": "logo", "packages": {"basic": {"price": 12}}, "evil": 1}
    shaped = rules.coerce_draft(junk)
    assert shaped["title"] == "" and shaped["tags"] == []
    assert shaped["packages"]["basic"]["price"] == "12"
    assert "evil" not in shaped
    assert rules.coerce_draft("not a dict") == rules.empty_draft()
    assert len(rules.coerce_draft({"tags": ["t"] * 10_000})["tags"]) == rules.LIST_CAP


def test_draft_from_live_rows_round_trips_to_the_same_live_values():
    clean = rules.clean_draft(valid_draft(SUB), category_ids={SUB})
    gig = SimpleNamespace(
        title=clean.title,
        category_id=clean.category_id,
        tags=list(clean.tags),
        single_package=clean.single_package,
        package_features=list(clean.features),
        description=clean.description,
    )
    packages = [row(p) for p in clean.packages]
    extras = [row(e, id=i, position=i) for i, e in enumerate(clean.extras)]
    faqs = [row(f, id=i, position=i) for i, f in enumerate(clean.faqs)]
    reqs = [row(r, id=i, position=i) for i, r in enumerate(clean.requirements)]
    draft = rules.draft_from_gig(gig, packages, extras, faqs, reqs)
    assert draft["packages"]["premium"]["price"] == "1200.50"
    assert draft["packages"]["basic"]["price"] == "20"
    assert draft["packages"]["premium"]["revisions"] == "unlimited"
    assert draft["extras"][0]["extra_days"] == "2"  # days faster, as the editor asks
    assert rules.clean_draft(draft, category_ids={SUB}) == clean


def row(clean_value, **extra):
    """A stand-in for a live row: the clean value's fields, tuples as the lists rows hold."""
    fields = {k: list(v) if isinstance(v, tuple) else v for k, v in vars(clean_value).items()}
    return SimpleNamespace(**fields, **extra)


def test_money_text_helpers():
    assert rules.money_text(4000) == "$40"  # the one formatter (services/common/money.py)
    assert rules.money_text(120005) == "$1,200.05"
    assert rules.dollars_text(4000) == "40"
    assert rules.dollars_text(4050) == "40.50"


# --- hostile input never raises -------------------------------------------------------------------

json_leaf = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=50)
    | st.sampled_from(["", "12", "-1", "unlimited", "$1,200.50", "choice", "fast_delivery"])
)
json_junk = st.recursive(
    json_leaf,
    lambda children: (
        st.lists(children, max_size=6) | st.dictionaries(st.text(max_size=10), children, max_size=6)
    ),
    max_leaves=30,
)
package_junk = json_junk | st.fixed_dictionaries(
    {key: json_junk for key in rules.empty_draft()["packages"]["basic"]}
)
row_junk = json_junk | st.lists(
    st.dictionaries(
        st.sampled_from(["kind", "title", "price", "extra_days", "question", "answer", "choices"])
        | st.text(max_size=5),
        json_junk,
    ),
    max_size=12,
)
draft_junk = json_junk | st.fixed_dictionaries(
    {
        "title": json_junk,
        "category_id": json_junk,
        "tags": json_junk,
        "single_package": json_junk,
        "features": json_junk,
        "packages": json_junk | st.fixed_dictionaries({tier: package_junk for tier in rules.TIERS}),
        "extras": row_junk,
        "description": json_junk,
        "faqs": row_junk,
        "requirements": row_junk,
    }
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(draft=draft_junk, gallery=st.none() | st.integers(-2, 5))
def test_hostile_drafts_give_messages_never_exceptions(draft, gallery):
    errors = rules.validate_draft(draft, category_ids={SUB}, gallery_count=gallery)
    assert isinstance(errors, dict)
    assert all(isinstance(k, str) and isinstance(v, str) and v for k, v in errors.items())
    shaped = rules.coerce_draft(draft)
    assert set(shaped) == set(rules.empty_draft())
    assert rules.coerce_draft(shaped) == shaped  # the shape is stable
    rules.validate_draft(shaped)
    for step in rules.STEPS:
        rules.errors_for_step(errors, step.key)


@pytest.mark.parametrize("path", ["title", "tags", "packages", "extras", "faqs", "requirements"])
@pytest.mark.parametrize(
    "junk", ["x" * 1_000_000, [[["deep"]]] * 100, {"a": {"b": {"c": []}}}, 10**40, -1.5e308]
)
def test_huge_or_nested_values_anywhere_become_messages_on_that_field(path, junk):
    draft = valid_draft(SUB)
    draft[path] = junk
    errors = errors_of(draft)
    assert errors and all(p.split(".")[0] == path for p in errors)


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("25", 2500), ("$1,200", 120_000), ("12.5", 1250), ("0.99", 99), ("$20,000", 2_000_000)],
)
def test_dollars_parse_to_cents_without_the_price_bounds(typed, cents):
    assert rules.parse_dollars(typed) == (cents, "")


@pytest.mark.parametrize("typed", ["", "abc", "1.234", "-5", "12,34"])
def test_dollars_that_are_not_an_amount_are_refused_with_a_message(typed):
    cents, message = rules.parse_dollars(typed)
    assert cents is None and message


def test_prices_keep_their_bounds_on_top_of_the_dollar_format():
    assert rules.parse_price("0.99")[0] is None
    assert rules.parse_price("$20,000")[0] is None
    assert rules.parse_price("25") == (2500, "")


# --- finished steps after a reload (issue 23) --------------------------------------------------


def test_a_reload_reaches_every_step_up_to_the_last_one_with_content():
    draft = rules.empty_draft()
    assert rules.reached_steps(draft, gallery_count=0, status="draft") == []
    draft["title"] = "I will draw your cat"
    assert rules.reached_steps(draft, gallery_count=0, status="draft") == ["overview"]
    draft["description"] = "Cats, drawn."
    # Pricing was passed on the way to the description: reached, and ticked if it has no problem.
    assert rules.reached_steps(draft, gallery_count=0, status="draft") == [
        "overview",
        "pricing",
        "description",
    ]
    assert rules.reached_steps(draft, gallery_count=1, status="draft") == [
        "overview",
        "pricing",
        "description",
        "requirements",
        "gallery",
    ]


def test_a_submitted_gig_has_been_through_every_step():
    every = [step.key for step in rules.STEPS]
    for status in ("pending_review", "active", "paused", "rejected", "suspended"):
        assert rules.reached_steps({}, gallery_count=0, status=status) == every
