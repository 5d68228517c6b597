"""Benchmark the demo seed at scale: wall time, gigs per second and the resulting database size.

Not a test. Creates the schema in a fresh database, runs `seed()` with progress output and
prints one summary line, so the "100,000 gigs in a few minutes" promise can be checked on any
machine:

    .venv/bin/python bench/seed_bench.py                       # 100,000 gigs, temp SQLite file
    .venv/bin/python bench/seed_bench.py --gigs 20000
    .venv/bin/python bench/seed_bench.py --database-url postgresql+psycopg2://postgres@127.0.0.1/bench

The database given by --database-url must be empty (the seed refuses otherwise); a temporary
SQLite file is deleted afterwards unless --keep is given.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

import marketplace.models  # noqa: E402,F401  (registers every table)
from marketplace.db import make_engine  # noqa: E402
from marketplace.demo.seed import seed  # noqa: E402


def _size_bytes(engine, url: str, sqlite_path: Path | None) -> int:
    """On-disk size: the SQLite file (plus WAL) or pg_database_size for PostgreSQL."""
    if sqlite_path is not None:
        return sum(
            p.stat().st_size
            for p in (sqlite_path, Path(f"{sqlite_path}-wal"), Path(f"{sqlite_path}-shm"))
            if p.exists()
        )
    if url.startswith("postgres"):
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gigs", type=int, default=100_000, help="gigs to create (100000)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (42)")
    parser.add_argument(
        "--database-url", default="", help="SQLAlchemy URL of an EMPTY database (temp SQLite)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)

    tmp_dir = None
    sqlite_path: Path | None = None
    url = args.database_url
    if not url:
        tmp_dir = tempfile.mkdtemp(prefix="gigworks-seed-bench-")
        sqlite_path = Path(tmp_dir) / "bench.db"
        url = f"sqlite:///{sqlite_path}"
    elif url.startswith("sqlite:///"):
        sqlite_path = Path(url.removeprefix("sqlite:///"))

    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    started = time.perf_counter()

    def progress(message: str) -> None:
        if not args.quiet:
            print(f"[{time.perf_counter() - started:7.1f}s] {message}", flush=True)

    report = seed(engine, seed=args.seed, gigs=args.gigs, progress=progress)
    elapsed = time.perf_counter() - started
    if sqlite_path is not None:
        with engine.connect() as conn:  # fold the WAL back so the size is the database's own
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    size = _size_bytes(engine, url, sqlite_path)
    engine.dispose()

    rows = (
        report.categories
        + report.subcategories
        + report.freelancers * 2  # user + profile
        + report.buyers
        + report.admins
        + report.gigs
        + report.packages
        + report.extras
        + report.faqs
        + report.requirements
        + report.orders
        + report.deliveries
        + report.order_events
        + report.ledger_entries
        + report.reviews
    )
    print(
        f"seed bench: {report.gigs:,} gigs in {elapsed:,.1f}s "
        f"= {report.gigs / elapsed:,.0f} gigs/s; "
        f"{rows:,} rows ({rows / elapsed:,.0f} rows/s); {report.orders:,} orders, "
        f"{report.reviews:,} reviews; database {size / 1024 / 1024:,.1f} MiB "
        f"({engine.dialect.name})"
    )
    if tmp_dir is not None:
        if args.keep:
            print(f"kept {sqlite_path}")
        else:
            for path in Path(tmp_dir).iterdir():
                path.unlink()
            Path(tmp_dir).rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
