"""CPU time per Meilisearch multi-search on the search path's connection. Not a test.

The search path reads Meilisearch through one kept-alive `http.client` connection per worker
thread (`gig_search._post_json`). This starts a Meilisearch, indexes 600 small documents and
sends the same multi-search (one page with facets plus four counts, the shape of a search
page's call) many times, through that path and, for comparison, through a kept-alive
`httpx.Client` (what the search path used before), printing this process's CPU time and the
wall time per call, in alternating rounds.

    .venv/bin/python bench/meili_client_bench.py            # 2,000 calls per round
    .venv/bin/python bench/meili_client_bench.py --calls 500 --rounds 5
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
import meilisearch  # noqa: E402

from devservices.meili import MeiliServer  # noqa: E402
from devservices.process import free_port  # noqa: E402
from marketplace.services.search import gig_search  # noqa: E402
from marketplace.settings import load_settings  # noqa: E402

KEY = "bench-master-key-0123456789"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="calls per client per round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="meili-client-bench-"))
    server = MeiliServer(
        db_path=data / "data.ms", port=free_port(), master_key=KEY, log_path=data / "meili.log"
    )
    with server:
        print(f"Meilisearch on {server.url}; indexing 600 documents…", flush=True)
        client = meilisearch.Client(server.url, KEY)
        index = client.index("bench")
        docs = [
            {"id": i, "title": f"logo design {i}", "cat": f"c{i % 7}", "price": i * 100}
            for i in range(600)
        ]
        client.wait_for_task(index.add_documents(docs).task_uid)
        client.wait_for_task(index.update_filterable_attributes(["cat", "price"]).task_uid)
        queries = [{"indexUid": "bench", "q": "logo", "limit": 24, "facets": ["cat", "price"]}]
        queries += [
            {"indexUid": "bench", "q": "logo", "limit": 0, "filter": f"cat = c{i}"}
            for i in range(4)
        ]
        settings = load_settings(
            {
                "GIGWORKS_DATA_DIR": str(data),
                "SECRET_KEY": "s" * 40,
                "MEILI_URL": server.url,
                "MEILI_MASTER_KEY": KEY,
            }
        )
        pool = httpx.Client(
            base_url=server.url,
            headers={
                "Accept-Encoding": "identity",
                "Content-Type": "application/json",
                "Authorization": f"Bearer {KEY}",
            },
            timeout=gig_search.SEARCH_TIMEOUT_S,
        )

        def through_httpx() -> dict:
            response = pool.post("/multi-search", content=json.dumps({"queries": queries}))
            response.raise_for_status()
            return response.json()

        def through_search_path() -> dict:
            return gig_search.reader(settings).multi_search(queries)

        def answers(reply: dict) -> list:
            """What the page reads (the timings differ from call to call)."""
            return [(r["hits"], r.get("facetDistribution")) for r in reply["results"]]

        assert answers(through_httpx()) == answers(through_search_path())
        clients = (("search path (http.client)", through_search_path), ("httpx", through_httpx))
        print(f"{args.calls:,} multi-searches per client per round")
        for number in range(1, args.rounds + 1):
            for name, call in clients:
                cpu, wall = time.process_time(), time.perf_counter()
                for _ in range(args.calls):
                    call()
                cpu_ms = 1000 * (time.process_time() - cpu) / args.calls
                wall_ms = 1000 * (time.perf_counter() - wall) / args.calls
                print(
                    f"  round {number}  {name:26s} CPU {cpu_ms:.3f} ms/call  "
                    f"wall {wall_ms:.3f} ms/call",
                    flush=True,
                )
        pool.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
