"""Project-level Celery tasks (not domain logic)."""

from celery import shared_task


@shared_task(name="gulou_portal.tasks.ping")
def ping() -> str:
    """Answers "pong": proves that a worker consumes the queue (smoke tests, operators' checks)."""
    return "pong"
