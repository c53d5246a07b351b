"""Background work of the handling workspace: thin wrappers over coding.services."""

from django_tasks import task

from havainto.coding import services


@task()
def deliver_outbox_message(message_id: int) -> bool:
    """Send one outbox e-mail; a failure leaves it pending for `havainto send_outbox`."""
    return services.deliver_message(message_id)
