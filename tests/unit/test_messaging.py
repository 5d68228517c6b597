"""Messaging rules: only the two parties read or write a conversation (admins read a reported
one), the send rate limit, blocks and suspensions, unread counts and seen receipts, star and
archive per participant, inbox search and paging, the contact-details warning, the custom
offer lifecycle (expiry and replayed events), and the notification bell."""

from datetime import timedelta

import pytest
from sqlmodel import Session, SQLModel, select

from marketplace.db import make_engine, utcnow
from marketplace.models import CustomOffer, Message, MessageKind, Notification, OfferStatus, Report
from marketplace.services.common import notifications
from marketplace.services.common.errors import DomainError, NotFound, PermissionDenied
from marketplace.services.messaging import conversations, messages, offers
from tests.gig_fixtures import make_categories, make_user, published_gig


@pytest.fixture
def db(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'messaging.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


@pytest.fixture
def pair(db):
    """(buyer, seller, their conversation)."""
    buyer = make_user(db, "buyer")
    seller = make_user(db, "seller", seller=True)
    conversation = conversations.open_with(db, actor=buyer, other_user_id=seller.id)
    return buyer, seller, conversation


def say(db, who, conversation, text="Hello there", **kw):
    return messages.send(db, actor=who, conversation_id=conversation.id, body=text, **kw)


# --- who may read and write ----------------------------------------------------------------


def test_opening_twice_reuses_the_conversation_in_either_direction(db, pair):
    buyer, seller, conversation = pair
    assert conversations.open_with(db, actor=buyer, other_user_id=seller.id).id == conversation.id
    assert conversations.open_with(db, actor=seller, other_user_id=buyer.id).id == conversation.id


def test_the_gig_becomes_the_context(db):
    _, sub = make_categories(db)
    buyer, seller = make_user(db, "buyer"), make_user(db, "seller", seller=True)
    gig = published_gig(db, seller, sub)
    found = conversations.open_with(db, actor=buyer, other_user_id=seller.id, gig_id=gig.id)
    assert found.gig_id == gig.id
    with pytest.raises(NotFound):  # a gig of someone else is no context for this pair
        conversations.open_with(db, actor=seller, other_user_id=buyer.id, gig_id=gig.id)


def test_nobody_messages_themselves(db):
    user = make_user(db, "solo")
    with pytest.raises(DomainError, match="yourself"):
        conversations.open_with(db, actor=user, other_user_id=user.id)


def test_only_the_two_parties_read_or_write(db, pair):
    buyer, seller, conversation = pair
    say(db, buyer, conversation)
    stranger = make_user(db, "stranger")
    with pytest.raises(NotFound):
        messages.history(db, actor=stranger, conversation_id=conversation.id)
    with pytest.raises(NotFound):
        say(db, stranger, conversation)
    with pytest.raises(NotFound):
        messages.mark_seen(db, actor=stranger, conversation_id=conversation.id)
    with pytest.raises(PermissionDenied):
        messages.history(db, actor=None, conversation_id=conversation.id)
    assert len(messages.history(db, actor=seller, conversation_id=conversation.id).messages) == 1


def test_an_admin_reads_only_a_reported_conversation_and_never_writes(db, pair):
    buyer, seller, conversation = pair
    sent = say(db, seller, conversation, "Pay me outside please")
    admin = make_user(db, "admin", admin=True)
    with pytest.raises(NotFound):
        messages.history(db, actor=admin, conversation_id=conversation.id)
    conversations.report_message(db, actor=buyer, message_id=sent.message.id, reason="scam")
    assert messages.history(db, actor=admin, conversation_id=conversation.id).messages
    assert messages.mark_seen(db, actor=admin, conversation_id=conversation.id) == 0
    with pytest.raises(NotFound):
        say(db, admin, conversation)


def test_reporting_a_conversation_names_it_for_the_admin(db, pair):
    buyer, seller, conversation = pair
    say(db, seller, conversation)
    report = conversations.report_conversation(
        db, actor=buyer, conversation_id=conversation.id, reason="harassment", details="rude"
    )
    assert (report.target_type, report.target_id) == ("user", seller.id)
    admin = make_user(db, "admin", admin=True)
    assert messages.history(db, actor=admin, conversation_id=conversation.id).messages
    with pytest.raises(DomainError, match="reason"):
        conversations.report_conversation(
            db, actor=buyer, conversation_id=conversation.id, reason="<script>"
        )


def test_a_party_cannot_report_their_own_message(db, pair):
    buyer, _, conversation = pair
    sent = say(db, buyer, conversation)
    with pytest.raises(DomainError, match="own"):
        conversations.report_message(db, actor=buyer, message_id=sent.message.id, reason="spam")
    assert db.exec(select(Report)).all() == []


@pytest.mark.parametrize("bad", [None, "1", 1.0, True, -3, 2**40, [1]])
def test_a_bad_conversation_id_is_not_found(db, pair, bad):
    buyer, _, _ = pair
    with pytest.raises(NotFound):
        messages.history(db, actor=buyer, conversation_id=bad)


# --- sending -------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["", "   \n ", None, 42, "x" * (messages.MAX_BODY + 1)])
def test_an_empty_or_oversized_message_is_refused(db, pair, body):
    buyer, _, conversation = pair
    with pytest.raises(DomainError):
        say(db, buyer, conversation, body)


def test_the_rate_limit_stops_a_burst_with_a_clear_message(db, pair):
    buyer, _, conversation = pair
    now = utcnow()
    for i in range(messages.RATE_LIMIT_COUNT):
        say(db, buyer, conversation, f"message {i}", now=now)
    with pytest.raises(messages.RateLimited, match="wait a minute"):
        say(db, buyer, conversation, "one too many", now=now)
    later = now + messages.RATE_LIMIT_WINDOW + timedelta(seconds=1)
    say(db, buyer, conversation, "after the window", now=later)


def test_a_suspended_sender_cannot_send_but_their_messages_stay_visible(db, pair):
    buyer, seller, conversation = pair
    say(db, seller, conversation, "Earlier message")
    seller.status = "suspended"
    db.add(seller)
    db.flush()
    with pytest.raises(PermissionDenied, match="suspended"):
        say(db, seller, conversation)
    with pytest.raises(PermissionDenied, match="suspended"):  # nor can anyone write to them
        say(db, buyer, conversation)
    bodies = [
        m.body for m in messages.history(db, actor=buyer, conversation_id=conversation.id).messages
    ]
    assert bodies == ["Earlier message"]


def test_a_block_stops_messages_both_ways_until_lifted(db, pair):
    buyer, seller, conversation = pair
    conversations.block(db, actor=buyer, user_id=seller.id)
    conversations.block(db, actor=buyer, user_id=seller.id)  # idempotent
    with pytest.raises(PermissionDenied, match="blocked"):
        say(db, seller, conversation)
    with pytest.raises(PermissionDenied, match="blocked"):
        say(db, buyer, conversation)
    conversations.unblock(db, actor=buyer, user_id=seller.id)
    say(db, seller, conversation)


def test_unread_counts_and_seen_receipts(db, pair):
    buyer, seller, conversation = pair
    say(db, buyer, conversation, "one")
    say(db, buyer, conversation, "two")
    assert conversations.unread_total(db, user_id=seller.id) == 2
    assert conversations.unread_total(db, user_id=buyer.id) == 0
    assert messages.last_seen_id(db, conversation_id=conversation.id, sender_id=buyer.id) == 0
    assert messages.mark_seen(db, actor=seller, conversation_id=conversation.id) == 2
    assert conversations.unread_total(db, user_id=seller.id) == 0
    newest = db.exec(select(Message.id).order_by(Message.id.desc())).first()
    assert messages.last_seen_id(db, conversation_id=conversation.id, sender_id=buyer.id) == newest


def test_history_comes_a_page_at_a_time(db, pair):
    buyer, _, conversation = pair
    start = utcnow() - timedelta(hours=2)
    for i in range(45):
        say(db, buyer, conversation, f"m{i}", now=start + timedelta(minutes=2 * i))
    first = messages.history(db, actor=buyer, conversation_id=conversation.id)
    assert [m.body for m in first.messages][-1] == "m44"
    assert len(first.messages) == messages.HISTORY_PAGE and first.has_older
    older = messages.history(
        db, actor=buyer, conversation_id=conversation.id, before_id=first.messages[0].id
    )
    assert [m.body for m in older.messages] == [f"m{i}" for i in range(15)]
    assert not older.has_older
    newer = messages.newer(
        db, actor=buyer, conversation_id=conversation.id, after_id=first.messages[-2].id
    )
    assert [m.body for m in newer] == ["m44"]


@pytest.mark.parametrize(
    ("text", "warned"),
    [
        ("write me at jane.doe@example.com", True),
        ("pay via PayPal instead", True),
        ("card 4242 4242 4242 4242 exp 12/30", True),
        ("Can you do it in 3 days for 40 dollars?", False),
    ],
)
def test_contact_details_before_an_order_get_a_gentle_warning(db, pair, text, warned):
    buyer, _, conversation = pair
    sent = say(db, buyer, conversation, text)
    assert bool(sent.warning) is warned
    assert sent.message.id is not None  # a warning, never a block


# --- the inbox ------------------------------------------------------------------------------


def test_star_and_archive_are_per_participant(db, pair):
    buyer, seller, conversation = pair
    say(db, seller, conversation, "hi")
    conversations.set_flag(
        db, actor=buyer, conversation_id=conversation.id, name="starred", value=True
    )
    conversations.set_flag(
        db, actor=buyer, conversation_id=conversation.id, name="archived", value=True
    )
    assert conversations.inbox(db, actor=buyer, tab="starred").total == 0  # archived hides
    assert conversations.inbox(db, actor=buyer, tab="archived").rows[0].starred
    assert conversations.inbox(db, actor=seller, tab="starred").total == 0
    assert conversations.inbox(db, actor=seller).total == 1
    say(db, seller, conversation, "new message brings it back")
    assert conversations.inbox(db, actor=buyer, tab="unread").total == 1
    with pytest.raises(DomainError):
        conversations.set_flag(
            db, actor=buyer, conversation_id=conversation.id, name="read", value=True
        )


def test_inbox_search_finds_message_text_and_names_literally(db, pair):
    buyer, seller, conversation = pair
    other_seller = make_user(db, "zed", seller=True)
    second = conversations.open_with(db, actor=buyer, other_user_id=other_seller.id)
    say(db, buyer, conversation, "Need a logo with 100% vector files")
    say(db, buyer, second, "Hi Zed")
    found = conversations.inbox(db, actor=buyer, search="100%")
    assert [r.conversation_id for r in found.rows] == [conversation.id]
    assert conversations.inbox(db, actor=buyer, search="10_%").total == 0
    assert conversations.inbox(db, actor=buyer, search=other_seller.display_name).total == 1
    row = conversations.inbox(db, actor=seller).rows[0]
    assert (row.other_name, row.unread, row.last_from_me) == (buyer.display_name, 1, False)


def test_the_inbox_pages(db):
    me = make_user(db, "busy")
    for _ in range(conversations.INBOX_PAGE_SIZE + 3):
        other = make_user(db, "peer")
        c = conversations.open_with(db, actor=other, other_user_id=me.id)
        say(db, other, c)
    first = conversations.inbox(db, actor=me)
    assert (len(first.rows), first.pages, first.total) == (conversations.INBOX_PAGE_SIZE, 2, 23)
    assert len(conversations.inbox(db, actor=me, page=2).rows) == 3
    assert conversations.inbox(db, actor=me, page=99).page == 2


# --- custom offers ----------------------------------------------------------------------------


@pytest.fixture
def offer_pair(db):
    _, sub = make_categories(db)
    buyer, seller = make_user(db, "buyer"), make_user(db, "seller", seller=True)
    gig = published_gig(db, seller, sub)
    conversation = conversations.open_with(db, actor=buyer, other_user_id=seller.id, gig_id=gig.id)
    return buyer, seller, gig, conversation


def draft(gig, **over):
    values = dict(
        gig_id=gig.id, description="A logo with three concepts and source files",
        price_cents=12_000, delivery_days=4, revisions=2, expiry_days=3,
        requirements="Your brand name",
    )  # fmt: skip
    values.update(over)
    return offers.OfferDraft(**values)


def test_an_offer_shows_as_a_card_and_notifies_the_buyer(db, offer_pair):
    buyer, seller, gig, conversation = offer_pair
    offer = offers.send_offer(db, actor=seller, conversation_id=conversation.id, draft=draft(gig))
    card = db.exec(select(Message).where(Message.offer_id == offer.id)).one()
    assert card.kind == MessageKind.offer and card.sender_id == seller.id
    assert offer.buyer_id == buyer.id and offer.status == OfferStatus.pending
    kinds = db.exec(select(Notification.kind).where(Notification.user_id == buyer.id)).all()
    assert kinds == ["offer.received"]


def test_only_the_seller_of_an_active_gig_sends_an_offer(db, offer_pair):
    buyer, seller, gig, conversation = offer_pair
    with pytest.raises(DomainError, match="your active gigs"):
        offers.send_offer(db, actor=buyer, conversation_id=conversation.id, draft=draft(gig))
    with pytest.raises(DomainError, match="price"):
        offers.send_offer(
            db, actor=seller, conversation_id=conversation.id, draft=draft(gig, price_cents=499)
        )
    with pytest.raises(DomainError, match="expires"):
        offers.send_offer(
            db, actor=seller, conversation_id=conversation.id, draft=draft(gig, expiry_days=5)
        )


def test_accepting_then_a_replayed_accept_fails(db, offer_pair):
    buyer, seller, gig, conversation = offer_pair
    offer = offers.send_offer(db, actor=seller, conversation_id=conversation.id, draft=draft(gig))
    found = offers.acceptable(db, actor=buyer, offer_id=offer.id)
    offers.mark_accepted(db, offer=found)
    assert offer.status == OfferStatus.accepted
    with pytest.raises(DomainError, match="already accepted"):
        offers.acceptable(db, actor=buyer, offer_id=offer.id)
    with pytest.raises(DomainError, match="already accepted"):
        offers.decline(db, actor=buyer, offer_id=offer.id)


def test_a_withdrawn_or_expired_offer_cannot_be_accepted(db, offer_pair):
    buyer, seller, gig, conversation = offer_pair
    withdrawn = offers.send_offer(
        db, actor=seller, conversation_id=conversation.id, draft=draft(gig)
    )
    with pytest.raises(NotFound):  # only the seller withdraws
        offers.withdraw(db, actor=buyer, offer_id=withdrawn.id)
    offers.withdraw(db, actor=seller, offer_id=withdrawn.id)
    with pytest.raises(DomainError, match="withdrew"):
        offers.acceptable(db, actor=buyer, offer_id=withdrawn.id)
    expiring = offers.send_offer(
        db, actor=seller, conversation_id=conversation.id, draft=draft(gig, expiry_days=1)
    )
    later = utcnow() + timedelta(days=1, seconds=1)
    with pytest.raises(DomainError, match="expired"):
        offers.acceptable(db, actor=buyer, offer_id=expiring.id, now=later)
    assert offers.effective_status(expiring, later) == OfferStatus.expired


def test_only_the_buyer_accepts_or_declines(db, offer_pair):
    buyer, seller, gig, conversation = offer_pair
    offer = offers.send_offer(db, actor=seller, conversation_id=conversation.id, draft=draft(gig))
    stranger = make_user(db, "stranger")
    for who in (seller, stranger):
        with pytest.raises(NotFound):
            offers.acceptable(db, actor=who, offer_id=offer.id)
        with pytest.raises(NotFound):
            offers.decline(db, actor=who, offer_id=offer.id)
    offers.decline(db, actor=buyer, offer_id=offer.id)
    assert db.get(CustomOffer, offer.id).status == OfferStatus.declined


def test_a_buyer_asks_for_an_offer(db, offer_pair):
    buyer, _, _, conversation = offer_pair
    offers.request_offer(
        db, actor=buyer, conversation_id=conversation.id, details="Logo + business card?"
    )
    row = db.exec(select(Message).where(Message.kind == MessageKind.offer_request)).one()
    assert row.sender_id == buyer.id


# --- notifications ------------------------------------------------------------------------------


def test_the_bell_counts_opens_and_clears(db):
    user, other = make_user(db, "belle"), make_user(db, "other")
    for i in range(3):
        db.add(Notification(user_id=user.id, kind="order.deliver", title=f"n{i}", link="/orders/X"))
    db.add(Notification(user_id=other.id, kind="order.deliver", title="theirs", link="/x"))
    db.flush()
    assert notifications.unread_count(db, user_id=user.id) == 3
    newest = notifications.latest(db, actor=user)[0]
    assert newest.title == "n2"
    assert notifications.open_one(db, actor=user, notification_id=newest.id) == "/orders/X"
    assert notifications.unread_count(db, user_id=user.id) == 2
    theirs = notifications.latest(db, actor=other)[0]
    with pytest.raises(NotFound):
        notifications.open_one(db, actor=user, notification_id=theirs.id)
    assert notifications.mark_all_read(db, actor=user) == 2
    assert notifications.unread_count(db, user_id=user.id) == 0
    assert notifications.unread_count(db, user_id=other.id) == 1


def test_the_order_page_thread_is_the_pair_s_conversation(db, offer_pair):
    from marketplace.models import Order

    buyer, seller, gig, conversation = offer_pair
    order = Order(
        code="GW-THREAD1", gig_id=gig.id, buyer_id=buyer.id, seller_id=seller.id, title=gig.title,
        subtotal_cents=2000, service_fee_cents=110, total_cents=2110, commission_cents=400,
        seller_earnings_cents=1600, delivery_days=3, revisions_allowed=1,
    )  # fmt: skip
    db.add(order)
    db.flush()
    for who in (buyer, seller):
        found = conversations.for_order(db, actor=who, order_code="GW-THREAD1")
        assert found.id == conversation.id
    with pytest.raises(NotFound):
        conversations.for_order(db, actor=make_user(db, "peek"), order_code="GW-THREAD1")


# --- the conversation page's read model (services/messaging/threads.py) ----------------------


@pytest.mark.parametrize(
    ("status", "buyer_id", "viewer_id", "is_party", "accept"),
    [
        ("pending", 1, 1, True, True),  # the buyer, while it is pending
        ("pending", 1, 2, True, False),  # the seller never accepts their own offer
        ("pending", 1, 1, False, False),  # an admin reading a reported thread (never a party)
        ("expired", 1, 1, True, False),
        ("declined", 1, 1, True, False),
        ("withdrawn", 1, 1, True, False),
        ("accepted", 1, 1, True, False),
    ],
)
def test_only_the_buyer_may_accept_a_pending_offer(status, buyer_id, viewer_id, is_party, accept):
    from marketplace.services.messaging import threads

    assert (
        threads.can_accept(status=status, buyer_id=buyer_id, viewer_id=viewer_id, is_party=is_party)
        is accept
    )
    # withdrawing is the mirror image: the seller, while it is pending
    assert threads.can_withdraw(
        status=status, seller_id=buyer_id, viewer_id=viewer_id, is_party=is_party
    ) is (accept)


def test_an_offer_card_past_its_expiry_cannot_be_accepted_nor_withdrawn(db, offer_pair):
    from marketplace.services.messaging import threads

    buyer, seller, gig, conversation = offer_pair
    offers.send_offer(db, actor=seller, conversation_id=conversation.id, draft=draft(gig))
    later = utcnow() + timedelta(days=4)
    for who in (buyer, seller):
        (item,) = threads.page(db, actor=who, conversation_id=conversation.id, now=later).items
        assert (item.offer.status, item.offer.can_accept, item.offer.can_withdraw) == (
            "expired",
            False,
            False,
        )
        assert item.offer.gig_title == gig.title
    (item,) = threads.page(db, actor=buyer, conversation_id=conversation.id).items
    assert item.offer.can_accept and not item.offer.can_withdraw and not item.mine


def test_the_offer_form_starts_on_the_conversation_s_gig(db, offer_pair):
    """A seller with a newer gig than the conversation's: the form's first (default) gig is
    still the one the buyer wrote about."""
    from marketplace.models import Category
    from marketplace.services.messaging import threads

    buyer, seller, gig, conversation = offer_pair
    newer = published_gig(db, seller, db.get(Category, gig.category_id))
    assert [g for g, _ in offers.seller_gigs(db, actor=seller)] == [newer.id, gig.id]
    head = threads.header(db, actor=seller, conversation_id=conversation.id)
    assert [g for g, _ in head.offer_gigs] == [gig.id, newer.id]
    assert head.i_am_seller and head.gig_title == gig.title
    assert not threads.header(db, actor=buyer, conversation_id=conversation.id).i_am_seller


def test_the_offer_form_reads_prices_like_the_gig_editor_and_revisions_without_minus_one():
    from marketplace.services.common import money

    form = {
        "gig_id": "7", "description": "A logo", "price": "$1,200.50", "delivery_days": "5",
        "revisions": "unlimited", "expiry_days": "3",
    }  # fmt: skip
    found = offers.draft_from_form(form)
    assert (found.price_cents, found.revisions, found.gig_id) == (120_050, -1, 7)
    assert offers.draft_from_form({**form, "revisions": "2"}).revisions == 2
    for typed in ("12,34", "abc", "1.234", "-5"):  # the same message as the gig editor's
        with pytest.raises(DomainError) as refused:
            offers.draft_from_form({**form, "price": typed})
        assert str(refused.value) == money.parse_dollars(typed)[1]
    with pytest.raises(DomainError, match="0 to 10 revisions, or unlimited"):
        offers.draft_from_form({**form, "revisions": "-1"})
    with pytest.raises(DomainError, match="every number"):
        offers.draft_from_form({**form, "delivery_days": "five"})


def test_an_empty_conversation_previews_as_no_messages_yet(db, pair):
    from marketplace.state.inbox import inbox_preview

    buyer, seller, _ = pair
    (row,) = conversations.inbox(db, actor=seller).rows
    assert inbox_preview(row.last_body, row.last_from_me) == "No messages yet"
    say(db, buyer, pair[2], "Hello   there\nSelma")
    (row,) = conversations.inbox(db, actor=buyer).rows
    assert inbox_preview(row.last_body, row.last_from_me) == "You: Hello there Selma"
