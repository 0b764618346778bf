"""Real `claimcheck serve` and `claimcheck ingest` processes for tests: free loopback ports,
temporary databases, logs in files (never a pipe that could fill and stall the server)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def claimcheck(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "claimcheck", *args], cwd=ROOT,
                            env={**os.environ, **(env or {})}, **kwargs)


class Server:
    """``claimcheck serve`` on ``db``; ``seeds=None`` starts it with an empty seeds folder."""

    def __init__(self, db: Path, *, seeds: Path | None = None, env: dict[str, str] | None = None,
                 args: tuple[str, ...] = ()) -> None:
        """With CLAIMCHECK_DATABASE_URL in ``env`` the store is that database; ``db`` then only
        names where the log goes."""
        self.db, self.log_path = db, db.with_suffix(".serve.log")
        self.env = dict(env or {})
        self.args = args
        if seeds is not None:
            self.env["CLAIMCHECK_SEEDS"] = str(seeds)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 180) -> Server:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        with open(self.log_path, "a") as log:  # the child keeps its own copy of the descriptor
            where = () if "CLAIMCHECK_DATABASE_URL" in self.env else ("--db", str(self.db))
            self.proc = claimcheck("serve", "--port", str(self.port), *where, *self.args, env=self.env,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            assert self.proc.poll() is None, f"serve exited {self.proc.returncode}: {self.log()[-3000:]}"
            try:
                if httpx.get(f"{self.base}/readyz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"serve not ready: {self.log()[-3000:]}"
            time.sleep(0.2)

    def log(self) -> str:
        return self.log_path.read_text("utf-8", "replace") if self.log_path.exists() else ""

    def kill9(self) -> None:
        """SIGKILL to the whole process group: the server and its parse workers, no clean-up."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill9()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def article(tag: str, n: int) -> str:
    """A short article with a word of its own (``tag``), so that verification can find it."""
    return (f"{tag.capitalize()} officials said on Monday that {n} residents were evacuated from the "
            f"{tag} valley after the storm. \"We expect the roads to reopen soon,\" said Mara Quell, "
            f"the {tag} district mayor.\n")
