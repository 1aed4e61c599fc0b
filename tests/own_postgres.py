"""A PostgreSQL server that a test starts, restarts and stops itself (``initdb`` + ``pg_ctl``).

The suite's shared database cannot be restarted under the other tests' feet; faults of the
database itself (a restart mid-crawl, a server that stays down) need a server of their own.
It listens on 127.0.0.1 on a free port, trusts local connections, and lives in a temporary
directory. Binaries: the system's (Debian: ``/usr/lib/postgresql/*/bin``), else the ones in
the ``pgserver`` wheel that the embedded database uses. As root, the server runs as the
``postgres`` user (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _bin_dir() -> Path:
    system = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if system:
        return Path(system[-1]).parent
    from pgserver._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnPostgres:
    def __init__(self) -> None:
        self.bin = _bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="ltwatch-own-pg-"))
        self.pgdata = self.root / "data"
        self.port = _free_port()
        self.user: str | None = None
        if os.geteuid() == 0:
            self.user = "postgres"
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self._run(
            "initdb", "-D", str(self.pgdata), "-U", "postgres", "-A", "trust", "-E", "UTF8", "-N"
        )
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "ltwatch")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/ltwatch"

    def _run(self, program: str, *args: str) -> None:
        # Output to a file, not a pipe: the server that pg_ctl starts inherits it, and a
        # pipe would stay open (and this call waiting) for as long as the server runs.
        with (self.root / "ctl.log").open("a") as out:
            subprocess.run(
                [str(self.bin / program), *args],
                check=True,
                stdout=out,
                stderr=subprocess.STDOUT,
                user=self.user,
                cwd=self.root,
                timeout=120,
            )

    def _ctl(self, *args: str) -> None:
        self._run("pg_ctl", "-D", str(self.pgdata), "-w", "-t", "60", *args)

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off"
        self._ctl("-o", options, "-l", str(self.root / "server.log"), "start")

    def restart(self) -> None:
        """What an operator's restart does: every session is terminated, the server is back."""
        self._ctl("-m", "fast", "-l", str(self.root / "server.log"), "restart")

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")

    def close(self) -> None:
        if (self.pgdata / "postmaster.pid").exists():
            self._ctl("-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
