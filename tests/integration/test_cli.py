"""`python -m marketplace createadmin` as an operator runs it, against a migrated database."""

import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import Session, select

from marketplace.auth.passwords import verify_password
from marketplace.db import make_engine
from marketplace.models import Gig, User
from marketplace.services.gigs import actions as gigs
from tests.gig_fixtures import LIMITS, make_categories, make_user, ready_gig

ROOT = Path(__file__).resolve().parents[2]


def cli(tmp_path, *args, password=None):
    env = {**os.environ, "GIGWORKS_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    if password is not None:
        env["GIGWORKS_ADMIN_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "marketplace", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_createadmin_creates_then_promotes(tmp_path):
    assert cli(tmp_path, "migrate").returncode == 0
    created = cli(
        tmp_path, "createadmin", "--email", "Ops@Example.com", password="admin password 1"
    )
    assert created.returncode == 0, created.stderr
    assert "Created admin ops@example.com" in created.stdout

    engine = make_engine(f"sqlite:///{tmp_path / 'gigworks.db'}")
    with Session(engine) as session:
        admin = session.exec(select(User).where(User.email == "ops@example.com")).one()
        assert admin.is_admin and verify_password(admin.password_hash, "admin password 1")
        session.add(User(email="member@example.com", username="member", display_name="Mem Ber"))
        session.commit()

    promoted = cli(tmp_path, "createadmin", "--email", "member@example.com")
    assert promoted.returncode == 0, promoted.stderr
    with Session(engine) as session:
        member = session.exec(select(User).where(User.email == "member@example.com")).one()
        assert member.is_admin and member.password_hash is None
    engine.dispose()


def test_createadmin_refuses_a_weak_password_and_writes_nothing(tmp_path):
    assert cli(tmp_path, "migrate").returncode == 0
    result = cli(tmp_path, "createadmin", "--email", "ops@example.com", password="short")
    assert result.returncode == 1
    assert "at least 10" in result.stderr
    engine = make_engine(f"sqlite:///{tmp_path / 'gigworks.db'}")
    with Session(engine) as session:
        assert session.exec(select(User)).all() == []
    engine.dispose()


def test_review_gig_lists_then_approves_and_rejects_as_an_admin(tmp_path):
    assert cli(tmp_path, "migrate").returncode == 0
    engine = make_engine(f"sqlite:///{tmp_path / 'gigworks.db'}")
    with Session(engine, expire_on_commit=False) as session:
        _top, sub = make_categories(session)
        seller = make_user(session, "seller", seller=True)
        member = make_user(session, "member")
        admin = make_user(session, "ops", admin=True)
        first, second = (ready_gig(session, seller, sub) for _ in range(2))
        for gig in (first, second):
            gigs.publish_gig(
                session,
                actor=seller,
                gig_id=gig.id,
                expected_version=gig.version,
                settings_auto_approve=False,
                active_gig_limits=LIMITS,
            )
        session.commit()

    listing = cli(tmp_path, "review-gig")
    assert listing.returncode == 0 and "2 gigs waiting for review." in listing.stdout
    refused = cli(tmp_path, "review-gig", str(first.id), "--admin", member.email)
    assert refused.returncode == 1 and "Only moderators" in refused.stderr
    approved = cli(tmp_path, "review-gig", str(first.id), "--admin", admin.email)
    assert approved.returncode == 0 and "is now active" in approved.stdout
    rejected = cli(
        tmp_path, "review-gig", str(second.id), "--admin", admin.email, "--reject", "Blurry"
    )
    assert rejected.returncode == 0, rejected.stderr
    with Session(engine) as session:
        assert session.get(Gig, first.id).status == "active"
        assert (session.get(Gig, second.id).status, session.get(Gig, second.id).status_reason) == (
            "rejected",
            "Blurry",
        )
    engine.dispose()


def test_evaluate_levels_warns_then_lowers_a_seller_one_level_at_a_time(tmp_path, monkeypatch):
    """Issue 23: below the level's requirements, a grace period first (here 0 days, so the next
    run ends it), then one step down per run: Level 2 -> Level 1 -> New, never straight to New."""
    from marketplace.labels import seller_level_label
    from marketplace.models import FreelancerProfile, Notification

    monkeypatch.setenv("LEVEL_GRACE_DAYS", "0")
    assert cli(tmp_path, "migrate").returncode == 0
    engine = make_engine(f"sqlite:///{tmp_path / 'gigworks.db'}")
    with Session(engine, expire_on_commit=False) as session:
        seller = make_user(session, "lev", seller=True, level="level_2")  # no orders at all
        session.commit()

    def level_and_notes():
        with Session(engine) as session:
            level = session.exec(
                select(FreelancerProfile.level).where(FreelancerProfile.user_id == seller.id)
            ).one()
            kinds = [
                n.kind
                for n in session.exec(
                    select(Notification)
                    .where(Notification.user_id == seller.id)
                    .order_by(Notification.id)
                ).all()
            ]
        return level, kinds

    first = cli(tmp_path, "evaluate-levels")
    assert first.returncode == 0, first.stderr
    assert "levels: 0 changes" in first.stdout
    assert level_and_notes() == ("level_2", ["level.at_risk"])
    second = cli(tmp_path, "evaluate-levels")
    assert (
        f"seller {seller.id}: {seller_level_label('level_2')} -> {seller_level_label('level_1')}"
        in second.stdout
    )
    assert level_and_notes() == ("level_1", ["level.at_risk", "level.down"])
    third = cli(tmp_path, "evaluate-levels")
    assert "levels: 1 change" in third.stdout
    assert level_and_notes() == ("new", ["level.at_risk", "level.down", "level.down"])
    again = cli(tmp_path, "evaluate-levels")
    assert "levels: 0 changes" in again.stdout
    engine.dispose()
