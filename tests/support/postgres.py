"""A throwaway PostgreSQL server for the tests, started from the installed binaries.

It lives in a temporary directory, listens on 127.0.0.1 on a free port, trusts local connections,
and is stopped (and removed) when the test session ends. As root, the server runs as `postgres`.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def find_bindir() -> Path | None:
    """The directory holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    candidates = [Path(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)]
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).parent)
    for directory in candidates:
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return directory
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PostgresServer:
    bindir: Path
    root: Path
    port: int
    run_as: str | None

    @property
    def datadir(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if self.run_as:
            entry = pwd.getpwnam(self.run_as)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self._run(
            "initdb",
            "-D",
            str(self.datadir),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.root} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.datadir),
            "-o",
            options,
            "-l",
            str(self.root / "log"),
            "-w",
            "start",
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("PostgreSQL did not start")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "-w", "stop")
        finally:
            _remove_in_background(self.root)


_REMOVERS: list[subprocess.Popen[bytes]] = []  # kept, so that none is reaped as garbage


def _remove_in_background(root: Path) -> None:
    """Delete the server's files without making the test session wait for it.

    A session leaves a database per test that used one (10-15 MB each: gigabytes by the end);
    deleting them is the likely cause of the 30 s teardowns of each worker's last test. The
    folder is renamed at once (nothing can use it again), then removed by a process of its own
    that outlives the session; shutil.rmtree here when `rm` cannot be started."""
    doomed = root.with_name(f"{root.name}.removing")
    try:
        root.rename(doomed)
        _REMOVERS.append(
            subprocess.Popen(
                ["rm", "-rf", "--", str(doomed)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
    except OSError:
        shutil.rmtree(doomed if doomed.exists() else root, ignore_errors=True)


def start_server() -> PostgresServer | None:
    bindir = find_bindir()
    if bindir is None:
        return None
    run_as = None
    if os.geteuid() == 0:  # initdb refuses to run as root
        run_as = "postgres"
        try:
            pwd.getpwnam(run_as)
        except KeyError:
            return None
    root = Path(tempfile.mkdtemp(prefix="jusoor-pg-"))
    os.chmod(root, 0o755)
    server = PostgresServer(bindir=bindir, root=root / "pg", port=_free_port(), run_as=run_as)
    server.start()
    return server
