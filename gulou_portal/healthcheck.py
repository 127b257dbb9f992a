"""`python -m gulou_portal.healthcheck [URL]`: exit 0 when /healthz answers 200, 1 otherwise.

The probe of docker-compose.yml's web service and of scripts/stack.sh. It sends the Host header of the
first name in DJANGO_ALLOWED_HOSTS, so the portal's host validation accepts a probe made on loopback.
Standard library only: it must not pay for starting Django.
"""

import os
import sys
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8000/healthz"


def probe_host() -> str | None:
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(","):
        host = host.strip()
        if host and host != "*" and not host.startswith("."):
            return host
    return None


def main(argv: list[str]) -> int:
    url = argv[1] if len(argv) > 1 else DEFAULT_URL
    request = urllib.request.Request(url)
    host = probe_host()
    if host:
        request.add_header("Host", host)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read().decode()
            status = response.status
    except urllib.error.HTTPError as error:
        body, status = error.read().decode(errors="replace"), error.code
    except OSError as error:
        print(f"healthz unreachable: {error}", file=sys.stderr)
        return 1
    print(body)
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
