"""Message attachments through the real HTTP route: type checked from the bytes, stored under a
random name, downloadable only by the conversation's two parties (and an admin handling a
report about it), as an attachment; a key from another message is refused; a file is sent only
by its uploader and once; files never sent are swept after the grace period."""

from datetime import timedelta

import pytest
from sqlmodel import Session
from starlette.testclient import TestClient

from marketplace.auth import cookies
from marketplace.db import make_engine, utcnow
from marketplace.migrations import upgrade_to_head
from marketplace.services.accounts import members as accounts
from marketplace.services.common.errors import DomainError
from marketplace.services.messaging import conversations, messages
from marketplace.services.messaging import files as message_files
from tests.gig_fixtures import make_user


@pytest.fixture
def live_settings(tmp_path, monkeypatch):
    from marketplace import db
    from marketplace import settings as settings_module

    url = f"sqlite:///{tmp_path / 'files.db'}"
    upgrade_to_head(url)
    monkeypatch.setenv("GIGWORKS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", url)
    settings_module.get_settings.cache_clear()
    db.get_engine.cache_clear()
    engine = make_engine(url)
    yield engine, settings_module.get_settings()
    engine.dispose()
    db.get_engine.cache_clear()
    settings_module.get_settings.cache_clear()


def client_for(engine, user, secret_key: str) -> TestClient:
    from marketplace import api

    with Session(engine, expire_on_commit=False) as session:
        new = accounts.start_session(session, user=user)
        accounts.activate_session(session, token=new.token)
        session.commit()
    client = TestClient(api.build_api())
    client.cookies.update({cookies.SESSION_COOKIE: cookies.sign_session(secret_key, new.token)})
    return client


def test_attachments_are_served_only_to_the_parties(live_settings):
    engine, settings = live_settings
    with Session(engine, expire_on_commit=False) as session:
        buyer, seller = make_user(session, "buyer"), make_user(session, "seller")
        stranger, admin = make_user(session, "peek"), make_user(session, "admin", admin=True)
        with pytest.raises(DomainError, match="not a PNG"):
            message_files.store(
                session, uploader_id=buyer.id, data=b"\x00\x01MZ binary", filename="tool.exe"
            )
        stored = message_files.store(
            session, uploader_id=buyer.id, data=b"%PDF-1.4 brief", filename="../../Brief <v2>.pdf"
        )
        assert stored["name"] == "Brief v2.pdf" and stored["key"].endswith(".pdf")
        path = settings.upload_dir / "messages" / stored["key"]
        assert path.read_bytes() == b"%PDF-1.4 brief"
        thread = conversations.open_with(session, actor=buyer, other_user_id=seller.id)
        with pytest.raises(DomainError, match="Upload it again"):  # the buyer's file, not hers
            messages.send(
                session, actor=seller, conversation_id=thread.id, body="", attachments=[stored]
            )
        sent = messages.send(
            session, actor=buyer, conversation_id=thread.id, body="", attachments=[stored]
        )
        with pytest.raises(DomainError, match="Upload it again"):  # a key nobody stored
            messages.send(
                session, actor=buyer, conversation_id=thread.id, body="x",
                attachments=[{"name": "a", "key": "0" * 32 + ".pdf"}],
            )  # fmt: skip
        with pytest.raises(DomainError, match="Upload it again"):  # already sent once
            messages.send(
                session, actor=buyer, conversation_id=thread.id, body="", attachments=[stored]
            )
        session.commit()
    url = message_files.url(message_id=sent.message.id, key=stored["key"])
    for party in (buyer, seller):
        response = client_for(engine, party, settings.secret_key).get(url)
        assert response.status_code == 200 and response.content == b"%PDF-1.4 brief"
        assert response.headers["content-disposition"].startswith("attachment")
        assert response.headers["x-content-type-options"] == "nosniff"
    assert client_for(engine, stranger, settings.secret_key).get(url).status_code == 404
    from marketplace import api

    assert TestClient(api.build_api()).get(url).status_code == 404  # signed out
    admin_client = client_for(engine, admin, settings.secret_key)
    assert admin_client.get(url).status_code == 404  # no report about it
    with Session(engine) as session:
        conversations.report_conversation(
            session, actor=seller, conversation_id=thread.id, reason="spam"
        )
        session.commit()
    assert admin_client.get(url).status_code == 200  # handling the report
    # The key of this file under another message of the same people: refused.
    with Session(engine, expire_on_commit=False) as session:
        other = messages.send(session, actor=seller, conversation_id=thread.id, body="hello")
        session.commit()
    wrong = message_files.url(message_id=other.message.id, key=stored["key"])
    assert client_for(engine, buyer, settings.secret_key).get(wrong).status_code == 404


def test_files_never_sent_are_swept_after_the_grace_period_and_sent_ones_kept(live_settings):
    engine, settings = live_settings
    with Session(engine, expire_on_commit=False) as session:
        buyer, seller = make_user(session, "buyer"), make_user(session, "seller")
        thread = conversations.open_with(session, actor=buyer, other_user_id=seller.id)
        kept, dropped = (
            message_files.store(
                session, uploader_id=buyer.id, data=b"%PDF-1.4 " + name, filename=name.decode()
            )
            for name in (b"sent.pdf", b"removed.pdf")
        )
        messages.send(session, actor=buyer, conversation_id=thread.id, body="", attachments=[kept])
        session.commit()
    folder = settings.upload_dir / "messages"
    soon = utcnow() + message_files.UNSENT_GRACE - timedelta(minutes=1)
    later = utcnow() + message_files.UNSENT_GRACE + timedelta(minutes=1)
    with Session(engine) as session:
        assert message_files.sweep_unsent(session, now=soon) == 0  # still within the grace
        session.commit()
    assert (folder / dropped["key"]).is_file()
    with Session(engine) as session:
        assert message_files.sweep_unsent(session, now=later) == 1
        session.commit()
    assert not (folder / dropped["key"]).exists()
    assert (folder / kept["key"]).read_bytes() == b"%PDF-1.4 sent.pdf"
    with Session(engine) as session:
        assert message_files.sweep_unsent(session, now=later) == 0
