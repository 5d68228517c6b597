"""Every way an external sign-in can end, against a real (SQLite) database."""

import pytest
from sqlmodel import Session, SQLModel, select

from marketplace.db import make_engine
from marketplace.models import OAuthIdentity, User, UserStatus
from marketplace.services.accounts import identities
from marketplace.services.accounts import members as accounts
from marketplace.services.accounts.identities import OutcomeKind
from marketplace.services.common.errors import DomainError


@pytest.fixture
def db(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'identities.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


def join(db, email="ana@example.com", name="Ana Lima") -> User:
    user = accounts.register(db, email=email, password="correct horse", display_name=name)
    db.commit()
    return user


def sign_in(db, **overrides) -> identities.IdentityOutcome:
    args = {
        "provider": "google",
        "subject": "g-123",
        "email": "ana@example.com",
        "email_verified": True,
        "display_name": "Ana Lima",
        "current_user_id": None,
    }
    args.update(overrides)
    outcome = identities.sign_in_with_identity(db, **args)
    db.commit()
    return outcome


def identity_rows(db) -> list[OAuthIdentity]:
    return list(db.exec(select(OAuthIdentity)).all())


def test_first_login_creates_a_passwordless_account_and_its_identity(db):
    outcome = sign_in(db, email="  New.Person@Example.com ", display_name="  New   Person ")
    assert outcome.kind == OutcomeKind.created
    user = outcome.user
    assert (user.email, user.display_name, user.username) == (
        "new.person@example.com",
        "New Person",
        "new_person",
    )
    assert user.password_hash is None
    assert user.email_verified is True
    assert user.last_login_at is not None
    [identity] = identity_rows(db)
    assert (identity.user_id, identity.provider, identity.subject) == (user.id, "google", "g-123")


def test_unverified_email_makes_an_unverified_account_named_after_the_email(db):
    outcome = sign_in(db, email="zed@example.com", email_verified=False, display_name=None)
    assert outcome.kind == OutcomeKind.created
    assert outcome.user.email_verified is False
    assert outcome.user.display_name == "zed"


def test_usernames_of_created_accounts_stay_unique(db):
    join(db, email="other@example.com", name="Ana Lima")  # takes the username ana_lima
    outcome = sign_in(db)
    assert outcome.user.username.startswith("ana_lima_")


def test_second_login_signs_in_as_the_linked_user(db):
    first = sign_in(db)
    again = sign_in(db, email="ana.new@example.com", display_name="Someone Else")
    assert again.kind == OutcomeKind.signed_in
    assert again.user.id == first.user.id
    assert again.user.email == "ana@example.com"  # the provider's email never renames us
    assert [i.email for i in identity_rows(db)] == ["ana.new@example.com"]
    assert len(db.exec(select(User)).all()) == 1


def test_linked_but_suspended_user_is_refused(db):
    user = sign_in(db).user
    user.status = UserStatus.suspended
    db.add(user)
    db.commit()
    with pytest.raises(identities.AccountUnavailable, match="suspended"):
        sign_in(db)


def test_signed_in_user_links_a_new_identity(db):
    ana = join(db)
    outcome = sign_in(db, email="ana@gmail.com", current_user_id=ana.id)
    assert outcome.kind == OutcomeKind.linked
    assert outcome.user.id == ana.id
    [identity] = identity_rows(db)
    assert identity.user_id == ana.id
    # From now on the provider alone signs Ana in.
    assert sign_in(db, email="ana@gmail.com").user.id == ana.id


def test_signed_in_user_links_even_without_a_provider_email(db):
    ana = join(db)
    outcome = sign_in(db, email=None, email_verified=False, current_user_id=ana.id)
    assert outcome.kind == OutcomeKind.linked
    assert identity_rows(db)[0].email is None


def test_identity_of_another_user_is_not_moved_to_the_signed_in_user(db):
    owner = sign_in(db).user
    bob = join(db, email="bob@example.com", name="Bob Stone")
    with pytest.raises(identities.IdentityTaken, match="another Gigworks account"):
        sign_in(db, current_user_id=bob.id)
    db.rollback()
    [identity] = identity_rows(db)
    assert identity.user_id == owner.id


def test_own_identity_while_signed_in_is_already_linked(db):
    user = sign_in(db).user
    outcome = sign_in(db, current_user_id=user.id)
    assert (outcome.kind, outcome.user.id) == (OutcomeKind.linked, user.id)
    assert len(identity_rows(db)) == 1


def test_verified_email_of_a_password_account_needs_the_password(db):
    ana = join(db)
    outcome = sign_in(db, email="ANA@example.com")
    assert outcome.kind == OutcomeKind.needs_password_link
    assert outcome.user is None
    assert outcome.email == ana.email
    assert identity_rows(db) == []


def test_unverified_email_of_an_existing_account_is_refused(db):
    join(db)
    with pytest.raises(identities.EmailInUse, match="password"):
        sign_in(db, email_verified=False)
    db.rollback()
    assert identity_rows(db) == []
    assert len(db.exec(select(User)).all()) == 1


def test_verified_email_of_a_passwordless_account_points_to_its_own_provider(db):
    sign_in(db, provider="github", subject="gh-1")
    with pytest.raises(identities.EmailInUse, match="another provider"):
        sign_in(db, provider="google", subject="g-123")
    db.rollback()
    assert [(i.provider, i.subject) for i in identity_rows(db)] == [("github", "gh-1")]


def test_verified_email_of_a_suspended_account_is_refused(db):
    ana = join(db)
    ana.status = UserStatus.banned
    db.add(ana)
    db.commit()
    with pytest.raises(identities.AccountUnavailable):
        sign_in(db)


@pytest.mark.parametrize("email", [None, "", "not-an-email"])
def test_missing_email_creates_nothing(db, email):
    with pytest.raises(identities.EmailMissing, match="did not share an email"):
        sign_in(db, email=email)
    db.rollback()
    assert db.exec(select(User)).all() == []
    assert identity_rows(db) == []


@pytest.mark.parametrize(("provider", "subject"), [("", "s"), ("google", ""), ("g", "x" * 256)])
def test_blank_or_oversized_names_are_refused(db, provider, subject):
    with pytest.raises(identities.IdentityError):
        sign_in(db, provider=provider, subject=subject)


def test_errors_are_domain_errors_with_a_message(db):
    with pytest.raises(DomainError) as error:
        sign_in(db, email=None)
    assert str(error.value)


# --- link_after_password ------------------------------------------------------------------


def ticket(email="ana@example.com", provider="google", subject="g-123") -> dict:
    return {"provider": provider, "subject": subject, "email": email}


def test_link_after_password_links_the_identity_and_marks_the_email_verified(db):
    ana = join(db)
    assert sign_in(db).kind == OutcomeKind.needs_password_link
    identity = identities.link_after_password(
        db, link_ticket_data=ticket("Ana@Example.com"), user=ana
    )
    db.commit()
    assert (identity.user_id, identity.provider, identity.subject) == (ana.id, "google", "g-123")
    assert db.get(User, ana.id).email_verified is True
    again = sign_in(db)
    assert (again.kind, again.user.id) == (OutcomeKind.signed_in, ana.id)


def test_link_ticket_for_another_email_is_refused(db):
    ana = join(db)
    with pytest.raises(identities.LinkRefused, match="different email"):
        identities.link_after_password(db, link_ticket_data=ticket("mallory@example.com"), user=ana)
    db.rollback()
    assert identity_rows(db) == []


@pytest.mark.parametrize(
    "data",
    [{}, {"provider": "google", "subject": "g-1"}, {"provider": 1, "subject": "s", "email": "a"}],
)
def test_incomplete_link_ticket_is_refused(db, data):
    ana = join(db)
    with pytest.raises(identities.LinkRefused):
        identities.link_after_password(db, link_ticket_data=data, user=ana)


def test_link_of_an_identity_owned_by_someone_else_is_refused(db):
    owner = sign_in(db, email="owner@example.com").user
    ana = join(db)
    with pytest.raises(identities.IdentityTaken):
        identities.link_after_password(db, link_ticket_data=ticket(), user=ana)
    db.rollback()
    [identity] = identity_rows(db)
    assert identity.user_id == owner.id


def test_link_twice_is_harmless(db):
    ana = join(db)
    first = identities.link_after_password(db, link_ticket_data=ticket(), user=ana)
    db.commit()
    second = identities.link_after_password(db, link_ticket_data=ticket(), user=ana)
    assert first.id == second.id
    assert len(identity_rows(db)) == 1


def test_link_for_a_suspended_user_is_refused(db):
    ana = join(db)
    ana.status = UserStatus.suspended
    db.add(ana)
    db.commit()
    with pytest.raises(identities.AccountUnavailable):
        identities.link_after_password(db, link_ticket_data=ticket(), user=ana)
