"""Gunicorn settings for docker-compose.yml and scripts/stack.sh (one command line for both:
`gunicorn --config gulou_portal/gunicorn.conf.py gulou_portal.wsgi:application`).

Everything that differs between machines is an environment variable; the defaults suit a small server.
"""

import multiprocessing
import os

bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]

# Threads let a worker keep serving while one request waits on PostgreSQL or a slow client; each thread
# holds its own database connection (CONN_MAX_AGE), so workers x threads must fit max_connections.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
threads = int(os.environ.get("GUNICORN_THREADS", 4))

# An Excel import preview of a large workbook is the slowest request; beyond this the worker is killed.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak never becomes an outage.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200

# X-Forwarded-* are honoured only from these proxies (the TLS-terminating proxy's address).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"  # heartbeat files off a possibly slow overlay filesystem

# Logs on stdout/stderr, access log as one JSON object per line like the portal's own logs.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "remote": "%(h)s", "method": "%(m)s", '
    '"path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s}'
)
pidfile = os.environ.get("GUNICORN_PIDFILE") or None
proc_name = "gulou-portal"
