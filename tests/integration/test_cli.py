"""`python -m marketplace createadmin` as an operator runs it, against a migrated database."""

import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import Session, select

from marketplace.auth.passwords import verify_password
from marketplace.db import make_engine
from marketplace.models import User

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
