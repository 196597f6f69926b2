"""The intake Cloud Function: webhooks of the form tools (HTTP)."""

import functions_framework
from flask import Request, Response

from gemeentedelers.intake.http import handle


@functions_framework.http
def intake_http(request: Request) -> Response:
    return handle(request)
