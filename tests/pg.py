"""A throw-away PostgreSQL cluster for the test suite: initdb + pg_ctl in a temporary folder.

PostgreSQL refuses to run as root, so when the tests run as root the server commands run as the
``postgres`` user through runuser. The cluster listens on 127.0.0.1 on a free port only.

Under pytest-xdist one cluster serves every worker (tests/conftest.py starts it once and shares
its ``record()``); each test still gets a database of its own.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path


def find_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl (Debian keeps them out of PATH)."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if Path(folder, "initdb").exists() and Path(folder, "pg_ctl").exists():
            return Path(folder)
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    def __init__(self, bin_dir: Path, base: Path | None = None, port: int | None = None) -> None:
        self.bin_dir = bin_dir
        self.base = base if base is not None else Path(tempfile.mkdtemp(prefix="d3k2db-pg-"))
        self.data = self.base / "data"
        self.port = port if port is not None else _free_port()
        self.as_root = os.geteuid() == 0

    def record(self) -> dict[str, str | int]:
        """What another process needs to use (and stop) this running cluster: see ``attach``."""
        return {"bin_dir": str(self.bin_dir), "base": str(self.base), "port": self.port}

    @classmethod
    def attach(cls, record: dict[str, str | int]) -> PostgresServer:
        """The cluster another process started and described with ``record()``."""
        return cls(Path(str(record["bin_dir"])), Path(str(record["base"])), int(record["port"]))

    def _run(self, *args: str) -> None:
        command = [str(a) for a in args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True)

    def start(self) -> None:
        if self.as_root:
            shutil.chown(self.base, "postgres", "postgres")
        self._run(
            self.bin_dir / "initdb",
            "-D",
            self.data,
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        for attempt in range(3):  # the free port may be taken by another process before the server binds it
            try:
                self._start_server()
                return
            except subprocess.CalledProcessError:
                if attempt == 2:
                    raise
                self.port = _free_port()

    def _start_server(self) -> None:
        # max_connections: every xdist worker's tests (and their subprocesses) share this cluster
        options = (
            f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=400"
        )
        self._run(
            self.bin_dir / "pg_ctl",
            "-D",
            self.data,
            "-o",
            options,
            "-l",
            self.base / "server.log",
            "-w",
            "start",
        )

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(self.bin_dir / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, template: str | None = None) -> str:
        """A new empty (or template-copied) database; returns its URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as connection:
            suffix = f" TEMPLATE {template}" if template else ""
            connection.execute(f'CREATE DATABASE "{name}"{suffix}')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a test's database (its connections first), so a run leaves no database behind."""
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
