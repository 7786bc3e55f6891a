"""Two worker processes sending from one outbox at the same time send each message once."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from practice.extensions import db
from practice.mail import outbox as outbox_service
from practice.mail.messages import render_message

from .mail_helpers import outbox_rows

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = 60

WORKER = """
import sys, time
from pathlib import Path
from practice import create_app
from practice.mail import outbox

app = create_app()
real_send = outbox._send


def send_like_a_real_server(row):
    time.sleep(0.05)
    real_send(row)


outbox._send = send_like_a_real_server
Path(sys.argv[2]).touch()
go = Path(sys.argv[1])
while not go.exists():
    time.sleep(0.01)
with app.app_context():
    while outbox.deliver_due(limit=3):
        pass
"""


def test_two_workers_send_each_message_exactly_once(app, ctx, world, database_url, tmp_path):
    for n in range(MESSAGES):
        message = render_message("invitation", f"Message {n}", link="http://localhost/x", hours=72)
        outbox_service.enqueue("invitation", world.partner_a, f"race:{n}", message)
    db.session.commit()
    go = tmp_path / "go"
    workers = []
    for name in ("one", "two"):
        env = dict(os.environ, BRIDGEWORK_ENV="testing", DATABASE_URL=database_url,
                   MAIL_BACKEND="file", MAIL_FILE_PATH=str(tmp_path / name))
        workers.append(subprocess.Popen(
            [sys.executable, "-c", WORKER, str(go), str(tmp_path / f"{name}.ready")],
            cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True))
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"{n}.ready").exists() for n in ("one", "two")):
        assert time.monotonic() < deadline, "the workers did not start"
        time.sleep(0.05)
    go.touch()  # both start sending at the same moment
    for process in workers:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err

    subjects = []
    per_worker = {}
    for name in ("one", "two"):
        texts = [f.read_text() for f in (tmp_path / name).glob("*.log")] if (
            tmp_path / name).exists() else []
        found = [m for t in texts for m in re.findall(r"^Subject: (Message \d+)$", t, re.M)]
        per_worker[name] = len(found)
        subjects += found
    assert sorted(subjects) == sorted(f"Message {n}" for n in range(MESSAGES))
    db.session.expire_all()
    assert all(row.status == "sent" for row in outbox_rows())
    # Both really worked (otherwise the test would prove nothing about two workers).
    assert per_worker["one"], per_worker
    assert per_worker["two"], per_worker
