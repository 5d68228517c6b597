"""`/status` says in words which part answers, never a probe's detail (it can name hosts)."""

from marketplace.state.status import HEADLINES, status_rows


def report(database=True, meilisearch=True, stripe=True, status="ok") -> dict:
    def probe(name, ok):
        detail = "ok" if ok else "ConnectError: [Errno 111] 10.0.0.7:7700 refused"
        return {"name": name, "ok": ok, "latency_ms": 1.0, "detail": detail}

    return {
        "status": status,
        "checks": {
            "database": probe("database", database),
            "meilisearch": probe("meilisearch", meilisearch),
            "stripe": probe("stripe", stripe),
        },
    }


def test_every_part_answering_reads_answering():
    rows = status_rows(report())
    assert [(r.name, r.ok, r.words) for r in rows] == [
        ("Accounts, gigs and orders", True, "Answering."),
        ("Search", True, "Answering."),
        ("Payments", True, "Answering."),
    ]
    assert HEADLINES["ok"] == "All systems are working."


def test_search_down_says_what_still_works_and_hides_the_probe_detail():
    rows = status_rows(report(meilisearch=False, status="degraded"))
    search = rows[1]
    assert not search.ok
    assert search.words.startswith("Not answering: searches are answered from the database")
    assert all("10.0.0.7" not in r.words and "Errno" not in r.words for r in rows)
    assert HEADLINES["degraded"] == "Gigworks works, with slower search."
