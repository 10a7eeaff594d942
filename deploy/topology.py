"""The deployment topology, runnable anywhere nginx is installed: nginx (a caching reverse proxy)
in front of several `truce serve` processes on one database.

Used by tests/test_deploy.py and by `make bench` (req/s through nginx), and by hand:

    python -m deploy.topology run --database-url postgresql+psycopg://truce:truce@127.0.0.1:5432/truce
    python -m deploy.topology render --listen 0.0.0.0:80 --app 127.0.0.1:8001 --app 127.0.0.1:8002 \\
        --run-dir /var/lib/truce-nginx > nginx.conf

From Python:

    from deploy.topology import Topology
    with Topology(database_url, run_dir, app_env={"CACHE_MAX_AGE": "2"}) as topology:
        topology.url          # http://127.0.0.1:PORT, through nginx
        topology.apps[0].url  # one app process directly
        topology.apps[0].kill()

The database must be migrated and imported already (`truce migrate`, `truce import`).
"""

import argparse
import getpass
import grp
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PLACEHOLDER = re.compile(r"\{\{([A-Z_0-9]+)\}\}")
START_TIMEOUT = 30.0


class TopologyError(RuntimeError):
    """A process of the topology did not start; the message holds its log."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def render_nginx_config(
    *, listen: str, apps: list[str], run_dir: Path, worker_processes: str = "1", template: Path = TEMPLATE
) -> str:
    """The nginx config for these app addresses (host:port), with every placeholder filled."""
    values = {
        "LISTEN": listen,
        "UPSTREAM_SERVERS": "\n".join(f"        server {app} max_fails=1 fail_timeout=2s;" for app in apps),
        "RUN_DIR": str(run_dir),
        "WORKER_PROCESSES": worker_processes,
        "USER": getpass.getuser(),
        "GROUP": grp.getgrgid(os.getegid()).gr_name,
    }
    text = template.read_text(encoding="utf-8")
    missing = sorted(set(PLACEHOLDER.findall(text)) - set(values))
    if missing:
        raise ValueError(f"{template} has placeholders nothing fills: {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise TopologyError(f"{what} exited with code {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise TopologyError(f"{what} did not answer {url} within {START_TIMEOUT:.0f} s:\n{log.read_text(errors='replace')}")


def _stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class AppProcess:
    """One `truce serve` process on a loopback port."""

    def __init__(self, port: int, env: dict[str, str], log: Path, workers: int = 1):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_until_up(self) -> None:
        _wait_until_up(self.url + "/healthz", self.process, self.log, f"truce serve on port {self.port}")

    def kill(self) -> None:
        """SIGKILL: the process dies mid-request, as in a crash."""
        _stop(self.process, signal.SIGKILL)

    def stop(self) -> None:
        _stop(self.process)


class Topology:
    """nginx on a free port in front of `apps` `truce serve` processes, all on database_url."""

    def __init__(
        self,
        database_url: str,
        run_dir: Path | None = None,
        *,
        apps: int = 2,
        app_env: dict[str, str] | None = None,
        workers_per_app: int = 1,
        nginx_worker_processes: str = "1",
    ):
        self.run_dir = Path(run_dir or tempfile.mkdtemp(prefix="truce-topology-")).resolve()
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k.upper() not in {"DATABASE_URL", "BASE_URL"}}
        # Absolute links name the address people use: nginx's, not an app's.
        env.update(DATABASE_URL=database_url, BASE_URL=self.url, PYTHONUNBUFFERED="1", **(app_env or {}))
        self._env = env
        self._app_count = apps
        self._workers_per_app = workers_per_app
        self._nginx_worker_processes = nginx_worker_processes
        self.apps: list[AppProcess] = []
        self.nginx: subprocess.Popen | None = None

    @property
    def access_log(self) -> Path:
        return self.run_dir / "access.log"

    @property
    def error_log(self) -> Path:
        return self.run_dir / "error.log"

    def start(self) -> "Topology":
        try:
            for index in range(self._app_count):
                self.apps.append(
                    AppProcess(free_port(), self._env, self.run_dir / f"app-{index + 1}.log", self._workers_per_app)
                )
            for app in self.apps:
                app.wait_until_up()
            config = self.run_dir / "nginx.conf"
            config.write_text(
                render_nginx_config(
                    listen=f"127.0.0.1:{self.port}",
                    apps=[f"127.0.0.1:{app.port}" for app in self.apps],
                    run_dir=self.run_dir,
                    worker_processes=self._nginx_worker_processes,
                ),
                encoding="utf-8",
            )
            log = self.run_dir / "nginx.out"
            with log.open("wb") as out:
                # -e: the error log before the config is read (the default one may not be writable).
                self.nginx = subprocess.Popen(
                    [NGINX, "-c", str(config), "-p", str(self.run_dir), "-e", str(self.error_log)],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            _wait_until_up(self.url + "/healthz", self.nginx, self.error_log, "nginx")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.nginx is not None:
            _stop(self.nginx, signal.SIGQUIT)  # graceful: finish what is in flight
            self.nginx = None
        for app in self.apps:
            app.stop()

    def __enter__(self) -> "Topology":
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.topology", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_render = sub.add_parser("render", help="print the nginx config for given app addresses")
    p_render.add_argument("--listen", required=True, help="address:port nginx listens on")
    p_render.add_argument("--app", action="append", required=True, help="an app's host:port (repeat)")
    p_render.add_argument("--run-dir", type=Path, required=True, help="folder for the cache, logs, pid and temp files")
    p_render.add_argument("--worker-processes", default="auto")
    p_run = sub.add_parser("run", help="start nginx and the app processes until Ctrl-C")
    p_run.add_argument("--database-url", required=True)
    p_run.add_argument("--apps", type=int, default=2)
    p_run.add_argument("--run-dir", type=Path)
    args = parser.parse_args(argv)
    if args.command == "render":
        print(render_nginx_config(listen=args.listen, apps=args.app, run_dir=args.run_dir.resolve(), worker_processes=args.worker_processes))
        return 0
    with Topology(args.database_url, args.run_dir, apps=args.apps) as topology:
        print(f"nginx at {topology.url}; apps at {', '.join(app.url for app in topology.apps)}; files in {topology.run_dir}")
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
