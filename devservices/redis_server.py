"""A private Redis for a stack of its own (the scaled e2e pass): on a free port, nothing kept on
disk, so a test can stop and start it without touching the machine's shared Redis."""

from __future__ import annotations

import shutil
from pathlib import Path

import redis

from devservices.process import ManagedProcess


def find_redis_server() -> str | None:
    return shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )


class RedisServer(ManagedProcess):
    name = "redis"
    ready_timeout = 20.0

    def __init__(self, *, port: int, data_dir: Path, log_path: Path) -> None:
        super().__init__(log_path=log_path, port=port, cwd=data_dir)
        self.data_dir = data_dir

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def command(self) -> list[str]:
        binary = find_redis_server()
        if binary is None:
            raise FileNotFoundError("redis-server is not installed")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return [
            binary,
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(self.data_dir),
        ]  # fmt: skip

    def probe(self) -> bool:
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
