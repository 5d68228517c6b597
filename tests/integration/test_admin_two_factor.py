"""REQUIRE_ADMIN_2FA over the real event path: with the setting on, an admin without two-factor
who calls an admin handler is sent to set it up and nothing is read; once two-factor is on,
the same call goes through. (A buyer is not affected.)"""

import asyncio
import os
import uuid
from pathlib import Path

import pyotp
import pytest
from sqlmodel import Session

from devservices.process import free_port
from marketplace.auth import cookies
from marketplace.db import make_engine, utcnow
from marketplace.migrations import upgrade_to_head
from marketplace.models import User
from marketplace.services.accounts import members as accounts
from marketplace.settings import load_settings
from marketplace.state.admin import AdminAuditState
from marketplace.state.base import TWO_FACTOR_SETUP_PATH
from tests.reflex_backend import running_backend
from tests.reflex_client import Browser


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    data_dir: Path = tmp_path_factory.mktemp("admin-2fa")
    port = free_port()
    env = {
        "GIGWORKS_DATA_DIR": str(data_dir),
        "REQUIRE_ADMIN_2FA": "true",
        "PORT": str(port),
        "APP_URL": f"http://127.0.0.1:{port}",
    }
    settings = load_settings({**os.environ, **env})
    upgrade_to_head(settings.database_url)
    with running_backend(env, data_dir, port) as url:
        yield {"url": url, "settings": settings}


def signed_in(settings, *, admin: bool) -> tuple[User, str]:
    engine = make_engine(settings.database_url)
    with Session(engine, expire_on_commit=False) as session:
        user = accounts.register(
            session,
            email=f"a2f-{uuid.uuid4().hex[:8]}@example.com",
            password="long enough password",
            display_name="Ada Admin" if admin else "Bea Buyer",
        )
        user.is_admin = admin
        new = accounts.start_session(session, user=user)
        accounts.activate_session(session, token=new.token)
        session.commit()
    engine.dispose()
    return user, cookies.sign_session(settings.secret_key, new.token)


def audit_load(url: str, cookie: str):
    async def call():
        async with Browser(url, cookie) as tab:
            return await tab.call(f"{AdminAuditState.get_full_name()}.load", {}, path="/admin")

    return asyncio.run(call())


def sent_to_setup(reply) -> bool:
    return any(
        str(e.get("name", "")).endswith("_redirect")
        and (e.get("payload") or {}).get("path") == TWO_FACTOR_SETUP_PATH
        for e in reply.events
    )


def test_an_admin_without_two_factor_is_sent_to_set_it_up_then_gets_through(backend):
    settings = backend["settings"]
    admin, cookie = signed_in(settings, admin=True)
    assert sent_to_setup(audit_load(backend["url"], cookie))
    engine = make_engine(settings.database_url)
    with Session(engine) as session:  # two-factor turned on (as the enrolment does)
        row = session.get(User, admin.id)
        row.totp_secret, row.totp_enabled_at = pyotp.random_base32(), utcnow()
        session.add(row)
        session.commit()
    engine.dispose()
    through = audit_load(backend["url"], cookie)
    assert not sent_to_setup(through) and not through.redirects_to_login()
    assert through.var("denied") in (None, False)


def test_a_buyer_is_refused_as_a_non_admin_not_sent_to_set_up_two_factor(backend):
    _, cookie = signed_in(backend["settings"], admin=False)
    reply = audit_load(backend["url"], cookie)
    assert not sent_to_setup(reply)
    assert any(str(e.get("name", "")).endswith("_redirect") for e in reply.events)
