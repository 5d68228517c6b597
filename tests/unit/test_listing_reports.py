"""Members report a gig or a profile: only active gigs and existing members, not one's own,
a known reason, bounded details, one open report each; visitors and suspended accounts not."""

import pytest
from sqlmodel import Session, SQLModel, select

from marketplace.db import make_engine
from marketplace.models import GigStatus, Report, ReportStatus, ReportTarget, UserStatus
from marketplace.services.common.errors import DomainError, NotFound, PermissionDenied
from marketplace.services.moderation import listing_reports
from tests.gig_fixtures import make_categories, make_user, published_gig


@pytest.fixture
def world(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'reports.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        seller = make_user(session, "seller", seller=True)
        buyer = make_user(session, "buyer")
        _, sub = make_categories(session)
        gig = published_gig(session, seller, sub)
        session.commit()
        yield session, seller, buyer, gig
    engine.dispose()


def reports(session) -> list[Report]:
    return list(session.exec(select(Report)).all())


def test_a_member_reports_a_gig_once_while_it_is_open(world):
    session, _, buyer, gig = world
    listing_reports.report_gig(
        session, actor=buyer, slug=gig.slug, reason="misleading", details="  asks for a wire  "
    )
    [row] = reports(session)
    assert (row.target_type, row.target_id, row.details) == (
        ReportTarget.gig.value, gig.id, "asks for a wire",
    )  # fmt: skip
    assert row.reason == listing_reports.GIG_REASONS["misleading"]  # the words moderators read
    with pytest.raises(DomainError, match="already reported"):
        listing_reports.report_gig(session, actor=buyer, slug=gig.slug, reason="spam")
    row.status = ReportStatus.dismissed.value  # once handled, a new report may be filed
    session.add(row)
    session.flush()
    listing_reports.report_gig(session, actor=buyer, slug=gig.slug, reason="spam")
    assert len(reports(session)) == 2


def test_a_member_reports_a_profile(world):
    session, seller, buyer, _ = world
    listing_reports.report_member(
        session, actor=buyer, username=seller.username, reason="impersonation"
    )
    [row] = reports(session)
    assert (row.target_type, row.target_id) == (ReportTarget.user.value, seller.id)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda s, seller, buyer, gig: listing_reports.report_gig(
            s, actor=seller, slug=gig.slug, reason="spam"), "your own gig"),
        (lambda s, seller, buyer, gig: listing_reports.report_member(
            s, actor=buyer, username=buyer.username, reason="spam"), "your own profile"),
        (lambda s, seller, buyer, gig: listing_reports.report_gig(
            s, actor=buyer, slug=gig.slug, reason="<b>made up</b>"), "Choose why"),
        (lambda s, seller, buyer, gig: listing_reports.report_member(
            s, actor=buyer, username=seller.username, reason=["spam"]), "Choose why"),
        (lambda s, seller, buyer, gig: listing_reports.report_gig(
            s, actor=buyer, slug=gig.slug, reason="spam", details="x" * 2001), "under 2,000"),
        (lambda s, seller, buyer, gig: listing_reports.report_gig(
            s, actor=buyer, slug="no-such-gig", reason="spam"), "no such gig"),
        (lambda s, seller, buyer, gig: listing_reports.report_gig(
            s, actor=buyer, slug={"$ne": 1}, reason="spam"), "no such gig"),
        (lambda s, seller, buyer, gig: listing_reports.report_member(
            s, actor=buyer, username="x" * 500, reason="spam"), "no such member"),
        (lambda s, seller, buyer, gig: listing_reports.report_gig(
            s, actor=None, slug=gig.slug, reason="spam"), "Sign in"),
    ],
)  # fmt: skip
def test_bad_reports_are_refused_with_a_message_and_write_nothing(world, call, error):
    session, seller, buyer, gig = world
    with pytest.raises((DomainError, PermissionDenied), match=error):
        call(session, seller, buyer, gig)
    assert reports(session) == []


def test_paused_gigs_and_suspended_reporters_are_refused(world):
    session, _, buyer, gig = world
    gig.status = GigStatus.paused.value
    session.add(gig)
    session.flush()
    with pytest.raises(NotFound):
        listing_reports.report_gig(session, actor=buyer, slug=gig.slug, reason="spam")
    gig.status = GigStatus.active.value
    buyer.status = UserStatus.suspended.value
    session.add_all([gig, buyer])
    session.flush()
    with pytest.raises(PermissionDenied):
        listing_reports.report_gig(session, actor=buyer, slug=gig.slug, reason="spam")
    assert reports(session) == []
