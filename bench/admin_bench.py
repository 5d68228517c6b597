"""Benchmark the admin page's read models on a seeded database.

Not a test. Seeds a temporary database with the demo seed (`--gigs`, default 5,000 gigs, which
brings about 9,000 orders and 7,700 reviews), then times each read model seven times and prints
the median, the maximum and how many SQL statements it ran:

    .venv/bin/python bench/admin_bench.py [--gigs 5000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gigs", type=int, default=5000)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="gigworks-admin-bench-")
    try:
        return run_bench(args, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run_bench(args: argparse.Namespace, data_dir: str) -> int:
    env = {**os.environ, "GIGWORKS_DATA_DIR": data_dir}
    for command in (["migrate"], ["seed", "--gigs", str(args.gigs)]):
        subprocess.run([sys.executable, "-m", "marketplace", *command], env=env, check=True,
                       cwd=ROOT, stdout=subprocess.DEVNULL)  # fmt: skip
    os.environ["GIGWORKS_DATA_DIR"] = data_dir
    sys.path.insert(0, str(ROOT))

    from sqlalchemy import event
    from sqlmodel import Session, select

    from marketplace.db import get_engine
    from marketplace.models import User
    from marketplace.services.moderation import audit_log
    from marketplace.services.moderation import dashboard as admin_dashboard
    from marketplace.services.moderation import gigs as gig_moderation
    from marketplace.services.moderation import reviews as review_moderation
    from marketplace.services.moderation import users as user_moderation

    engine = get_engine()
    statements = {"n": 0}

    def count(*_args, **_kwargs) -> None:
        statements["n"] += 1

    event.listen(engine, "before_cursor_execute", count)
    with Session(engine) as session:
        admin = session.exec(select(User).where(User.is_admin.is_(True))).first()
        cases = [
            ("dashboard", lambda: admin_dashboard.dashboard(session, admin=admin)),
            ("active gigs, page 1", lambda: gig_moderation.gig_queue(session, admin=admin,
                                                                  queue="active")),
            ("gigs matching 'logo'", lambda: gig_moderation.gig_queue(session, admin=admin,
                                                                   queue="active", query="logo")),
            ("users matching 'a'", lambda: user_moderation.search_users(session, admin=admin,
                                                                    query="a")),
            ("reviews, page 10", lambda: review_moderation.list_reviews(session, admin=admin,
                                                                        page=10)),
            ("audit log, page 1", lambda: audit_log.audit_log(session, admin=admin)),
        ]  # fmt: skip
        for name, run in cases:
            times = []
            for _ in range(7):
                statements["n"] = 0
                started = time.perf_counter()
                run()
                times.append((time.perf_counter() - started) * 1000)
            print(
                f"{name:24s} median {statistics.median(times):6.1f} ms  "
                f"max {max(times):6.1f} ms  {statements['n']} statements"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
