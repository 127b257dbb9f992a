"""A real `celery beat` process sends the indicator recomputation through Redis.

The production schedule fires at 02:00 Asia/Shanghai (checked in indicators/tests/test_runs.py); here
beat runs briefly with a one-second test schedule for the same task, on a queue of its own, and the
test reads the message it published from Redis.
"""

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parent.parent
TASK = "indicators.tasks.recompute_indicators"

BEAT_APP = """
from gulou_portal.celery import app

app.conf.beat_schedule = {{
    "test-recompute-indicators": {{"task": "{task}", "schedule": 1.0, "options": {{"queue": "{queue}"}}}},
}}
"""


@pytest.mark.celery_worker
def test_real_beat_process_sends_the_recompute_task(tmp_path, redis_url):
    queue = f"beat-test-{uuid.uuid4().hex[:8]}"
    (tmp_path / "beat_test_app.py").write_text(BEAT_APP.format(task=TASK, queue=queue))
    broker = redis.Redis.from_url(redis_url)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "gulou_portal.settings.test",
        "CELERY_BROKER_URL": redis_url,
    }
    beat = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "beat_test_app",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(tmp_path / "beat-schedule"),
            "--pidfile",
            "",
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        messages = []
        while time.monotonic() < deadline and not messages:
            messages = broker.lrange(queue, 0, -1)
            time.sleep(0.3)
        assert messages, "celery beat sent nothing within 30 s"
        message = json.loads(messages[0])
        assert message["headers"]["task"] == TASK
    finally:
        beat.terminate()
        output = beat.communicate(timeout=20)[0].decode(errors="replace")
        broker.delete(queue)
    assert "beat: Starting" in output
