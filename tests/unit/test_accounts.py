"""Joining, signing in, sessions and rate limiting, against a real (SQLite) database."""

from datetime import timedelta

import pytest
from sqlmodel import Session, SQLModel, select

from marketplace.auth import cookies
from marketplace.db import make_engine, utcnow
from marketplace.models import LoginAttempt, User, UserStatus
from marketplace.services.accounts import members as accounts
from marketplace.services.accounts.members import InvalidCredentials, RateLimited, ValidationError

SECRET = "s" * 40


@pytest.fixture
def db(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'accounts.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


def join(db, email="ana@example.com", password="correct horse", name="Ana Lima") -> User:
    user = accounts.register(db, email=email, password=password, display_name=name)
    db.commit()
    return user


def test_join_stores_an_argon2id_hash_and_a_username(db):
    user = join(db, email="  Ana@Example.COM ")
    assert user.email == "ana@example.com"
    assert user.username == "ana_lima"
    assert user.password_hash.startswith("$argon2id$")
    assert "correct horse" not in user.password_hash


@pytest.mark.parametrize(
    ("email", "password", "name", "field", "message"),
    [
        ("not-an-email", "long enough pw", "Ana", "email", "valid email"),
        ("", "long enough pw", "Ana", "email", "Enter your email"),
        ("a@example.com", "short", "Ana", "password", "at least 10"),
        ("a@example.com", "long enough pw", "A", "display_name", "name"),
    ],
)
def test_bad_join_input_names_the_field_and_saves_nothing(
    db, email, password, name, field, message
):
    with pytest.raises(ValidationError, match=message) as error:
        accounts.register(db, email=email, password=password, display_name=name)
    assert error.value.field == field
    db.rollback()
    assert db.exec(select(User)).all() == []


def test_email_taken_is_refused(db):
    join(db)
    with pytest.raises(ValidationError, match="already exists") as error:
        accounts.register(db, email="ANA@example.com", password="another pass", display_name="X Y")
    assert error.value.field == "email"


def test_usernames_stay_unique(db):
    first = join(db, email="a1@example.com")
    second = join(db, email="a2@example.com")
    assert first.username != second.username


def test_sign_in_with_right_and_wrong_password(db):
    join(db)
    user = accounts.authenticate(
        db, email="ANA@example.com", password="correct horse", ip="1.1.1.1"
    )
    assert user.last_login_at is not None
    with pytest.raises(InvalidCredentials, match="don't match"):
        accounts.authenticate(db, email="ana@example.com", password="wrong horse", ip="1.1.1.1")
    with pytest.raises(InvalidCredentials, match="don't match"):
        accounts.authenticate(db, email="nobody@example.com", password="whatever12", ip="1.1.1.1")


def test_five_failures_lock_the_email_for_ten_minutes(db):
    join(db)
    now = utcnow()
    for _ in range(accounts.FAILED_LOGIN_LIMIT):
        with pytest.raises(InvalidCredentials):
            accounts.authenticate(
                db, email="ana@example.com", password="nope", ip="2.2.2.2", now=now
            )
        db.commit()
    # even the right password is refused now, from any address
    with pytest.raises(RateLimited, match="Too many"):
        accounts.authenticate(
            db, email="ana@example.com", password="correct horse", ip="9.9.9.9", now=now
        )
    later = now + accounts.FAILED_LOGIN_WINDOW + timedelta(seconds=1)
    assert accounts.authenticate(
        db, email="ana@example.com", password="correct horse", ip="9.9.9.9", now=later
    )


def test_failures_from_one_address_lock_that_address(db):
    join(db)
    for i in range(accounts.FAILED_LOGIN_LIMIT):
        with pytest.raises(InvalidCredentials):
            accounts.authenticate(db, email=f"guess{i}@example.com", password="x", ip="6.6.6.6")
        db.commit()
    with pytest.raises(RateLimited):
        accounts.authenticate(db, email="ana@example.com", password="correct horse", ip="6.6.6.6")
    assert db.exec(select(LoginAttempt)).all()


def test_suspended_accounts_cannot_sign_in(db):
    user = join(db)
    user.status = UserStatus.suspended
    db.add(user)
    db.commit()
    with pytest.raises(InvalidCredentials, match="suspended"):
        accounts.authenticate(db, email="ana@example.com", password="correct horse", ip="1.1.1.1")


def test_session_lifecycle_handoff_once_then_revoke(db):
    user = join(db)
    new = accounts.start_session(db, user=user, ip="1.1.1.1", user_agent="test")
    db.commit()
    assert accounts.resolve_session(db, token=new.token) is None  # not handed to a browser yet
    assert accounts.activate_session(db, token=new.token) is True
    assert accounts.activate_session(db, token=new.token) is False  # the handoff works once
    db.commit()
    assert accounts.resolve_session(db, token=new.token).id == user.id
    assert accounts.resolve_session(db, token=new.token + "x") is None
    accounts.revoke_session(db, token=new.token)
    db.commit()
    assert accounts.resolve_session(db, token=new.token) is None


def test_handoff_expires(db):
    user = join(db)
    new = accounts.start_session(db, user=user)
    late = utcnow() + accounts.HANDOFF_WINDOW + timedelta(seconds=1)
    assert accounts.activate_session(db, token=new.token, now=late) is False


def test_suspension_and_revoke_all_end_every_session(db):
    user = join(db)
    tokens = []
    for _ in range(2):
        new = accounts.start_session(db, user=user)
        accounts.activate_session(db, token=new.token)
        tokens.append(new.token)
    db.commit()
    assert accounts.revoke_all_sessions(db, user_id=user.id) == 2
    db.commit()
    assert all(accounts.resolve_session(db, token=t) is None for t in tokens)

    new = accounts.start_session(db, user=user)
    accounts.activate_session(db, token=new.token)
    user.status = UserStatus.suspended
    db.add(user)
    db.commit()
    assert accounts.resolve_session(db, token=new.token) is None


def test_expired_sessions_resolve_to_nobody(db):
    user = join(db)
    new = accounts.start_session(db, user=user)
    accounts.activate_session(db, token=new.token)
    db.commit()
    after = utcnow() + accounts.SESSION_LIFETIME + timedelta(seconds=1)
    assert accounts.resolve_session(db, token=new.token, now=after) is None


def test_signed_cookie_round_trip_and_forgery():
    value = cookies.sign_session(SECRET, "tok")
    assert cookies.read_session(SECRET, value) == "tok"
    assert cookies.read_session("another-secret" * 3, value) is None
    assert cookies.read_session(SECRET, value[:-2] + "xx") is None
    assert cookies.read_session(SECRET, "tok") is None
    assert cookies.read_session(SECRET, None) is None


def test_handoff_ticket_keeps_only_same_site_next_paths():
    ticket = cookies.sign_handoff(SECRET, "tok", "//evil.example/steal")
    assert cookies.read_handoff(SECRET, ticket) == ("tok", "/")
    ticket = cookies.sign_handoff(SECRET, "tok", "/settings/profile")
    assert cookies.read_handoff(SECRET, ticket) == ("tok", "/settings/profile")
    assert cookies.read_handoff(SECRET, ticket + "x") is None


def test_cookie_is_found_in_a_raw_header():
    header = f"other=1; {cookies.SESSION_COOKIE}=abc.def; x=y"
    assert cookies.cookie_from_header(header) == "abc.def"
    assert cookies.cookie_from_header("other=1") is None
    assert cookies.cookie_from_header(None) is None
