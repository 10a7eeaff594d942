"""`truce serve --workers N`: N uvicorn worker processes on one port, whose ETags agree."""

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from deploy.topology import AppProcess, free_port
from tests.conftest import ROOT, sqlite_url


def test_serve_starts_the_workers_asked_for(seeded_db: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k.upper() not in {"DATABASE_URL", "BASE_URL", "WORKERS"}}
    env["DATABASE_URL"] = sqlite_url(seeded_db)
    app = AppProcess(free_port(), env, tmp_path / "serve.log", workers=2)
    try:
        app.wait_until_up()
        # The first worker may answer before the second has started.
        deadline = time.monotonic() + 30
        while (log := (tmp_path / "serve.log").read_text()).count("Application startup complete") < 2:
            assert time.monotonic() < deadline, log
            time.sleep(0.1)
        children = Path(f"/proc/{app.pid}/task/{app.pid}/children").read_text().split()
        workers = [pid for pid in children if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text()]
        assert len(workers) == 2
        # Each worker renders on its own (its own cache), yet a view has one ETag whoever answers.
        tags = set()
        for _ in range(12):
            with urllib.request.urlopen(app.url + "/?actor=vladimir-putin") as response:
                assert response.status == 200
                tags.add(response.headers["ETag"])
        assert len(tags) == 1
    finally:
        app.stop()
    started = re.findall(r"Started server process \[(\d+)\]", (tmp_path / "serve.log").read_text())
    assert sorted(started) == sorted(workers)


def test_workers_must_be_a_positive_number() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--workers", "0"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "'0' is not a whole number of 1 or more" in result.stderr
