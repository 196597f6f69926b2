"""The jury Cloud Functions: its HTTP function and its Pub/Sub event function."""

from typing import Any

import functions_framework
from flask import Request, Response

from gemeentedelers.jury.service import consumer, handle


@functions_framework.http
def jury_http(request: Request) -> Response:
    return handle(request)


@functions_framework.cloud_event
def jury_events(cloud_event: Any) -> None:
    consumer(cloud_event)
