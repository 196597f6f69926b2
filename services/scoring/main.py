"""The scoring Cloud Functions: its HTTP function and its Pub/Sub event function."""

from typing import Any

import functions_framework
from flask import Request, Response

from gemeentedelers.scoring.service import consumer, handle


@functions_framework.http
def scoring_http(request: Request) -> Response:
    return handle(request)


@functions_framework.cloud_event
def scoring_events(cloud_event: Any) -> None:
    consumer(cloud_event)
