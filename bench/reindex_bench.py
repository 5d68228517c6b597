"""Benchmark the search sync at scale: a full reindex and draining the outbox.

Not a test. Seeds a fresh temporary SQLite database (100,000 gigs by default; or uses an
already seeded --database-url), starts its own Meilisearch on a free port, then prints:
- reindex: wall time, documents per second, and the time spent reading + sending batches;
- outbox: time to drain N upsert rows (batch 500) and the latency of a single change.

    .venv/bin/python bench/reindex_bench.py                  # 100,000 gigs
    .venv/bin/python bench/reindex_bench.py --gigs 20000 --outbox 2000
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402

from devservices.meili import MeiliServer  # noqa: E402
from devservices.process import free_port  # noqa: E402
from marketplace.db import make_engine, utcnow  # noqa: E402
from marketplace.demo.seed import seed  # noqa: E402
from marketplace.migrations import upgrade_to_head  # noqa: E402
from marketplace.models import Gig, GigStatus, SearchOutbox  # noqa: E402
from marketplace.settings import load_settings  # noqa: E402
from search import sync  # noqa: E402
from search.index import live_index, make_client  # noqa: E402

MASTER_KEY = "bench-master-key-0123456789"


def _queue(engine, gig_ids: list[int]) -> None:
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(
            insert(SearchOutbox.__table__),
            [
                {
                    "gig_id": g,
                    "op": "upsert",
                    "created_at": now,
                    "available_at": now,
                    "attempts": 0,
                    "last_error": "",
                }
                for g in gig_ids
            ],
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gigs", type=int, default=100_000, help="gigs to seed (100000)")
    parser.add_argument("--database-url", default="", help="an already seeded database instead")
    parser.add_argument("--outbox", type=int, default=5_000, help="outbox rows to drain (5000)")
    parser.add_argument("--batch", type=int, default=5_000, help="reindex batch size (5000)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)
    say = (lambda _m: None) if args.quiet else (lambda m: print(f"  {m}", flush=True))

    with tempfile.TemporaryDirectory(prefix="gigworks-reindex-bench-") as tmp:
        tmp_dir = Path(tmp)
        url = args.database_url
        if not url:
            url = f"sqlite:///{tmp_dir / 'bench.db'}"
            upgrade_to_head(url)
            started = time.perf_counter()
            print(f"Seeding {args.gigs:,} gigs…", flush=True)
            seed(make_engine(url), gigs=args.gigs, progress=say)
            print(f"seeded in {time.perf_counter() - started:.1f}s", flush=True)
        engine = make_engine(url)
        port = free_port()
        server = MeiliServer(
            db_path=tmp_dir / "meili" / "data.ms",
            port=port,
            master_key=MASTER_KEY,
            log_path=tmp_dir / "meili.log",
        )
        settings = load_settings(
            {
                "GIGWORKS_DATA_DIR": str(tmp_dir),
                "SECRET_KEY": "b" * 40,
                "DATABASE_URL": url,
                "MEILI_URL": server.url,
                "MEILI_MASTER_KEY": MASTER_KEY,
            }
        )
        with server:
            client = make_client(settings)
            print("Reindexing…", flush=True)
            report = sync.reindex(engine, settings, client=client, batch=args.batch, progress=say)
            read_send = sum(report.batches)
            print(
                f"reindex: {report.documents:,} documents in {report.seconds:.1f}s "
                f"({report.documents / report.seconds:,.0f}/s); reading + sending "
                f"{len(report.batches)} batches took {read_send:.1f}s, "
                f"Meilisearch indexing the rest"
            )

            index = live_index(client, settings)
            with engine.connect() as conn:
                active = list(
                    conn.execute(
                        select(Gig.id).where(Gig.status == GigStatus.active.value)
                    ).scalars()
                )
            rng = random.Random(1)
            _queue(engine, rng.sample(active, min(args.outbox, len(active))))
            started = time.perf_counter()
            drained = 0
            batches = 0
            while True:
                result = sync.drain_outbox(engine, index, batch=500)
                if not result.claimed:
                    break
                if result.failed:
                    raise SystemExit(f"drain failed: {result.error}")
                drained += result.processed
                batches += 1
            elapsed = time.perf_counter() - started
            print(
                f"outbox: {drained:,} rows in {batches} batches of <= 500 gigs, {elapsed:.1f}s "
                f"({drained / elapsed:,.0f} rows/s)"
            )
            single = []
            for gig_id in rng.sample(active, 10):
                _queue(engine, [gig_id])
                started = time.perf_counter()
                sync.drain_outbox(engine, index)
                single.append((time.perf_counter() - started) * 1000)
            print(
                f"one change, drain -> searchable: p50 {statistics.median(single):.0f} ms, "
                f"max {max(single):.0f} ms (plus up to the worker's 1 s poll)"
            )
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
