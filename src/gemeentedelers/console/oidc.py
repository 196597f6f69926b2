"""Signing organisers in with OpenID Connect (the organisation's Microsoft Entra ID or Google account), mapped to
the same accounts as the mailed links: the provider vouches for an e-mail address, and only an active organiser
with that address gets a session. A deployment turns it on with ``GD_OIDC_ISSUER``, ``GD_OIDC_CLIENT_ID`` and
``GD_OIDC_CLIENT_SECRET`` (Secret Manager); ``GD_OIDC_NAME`` is what the button says.

The authorization code flow with PKCE, through authlib's OAuth2 client: ``/organiser/oidc/start`` keeps state,
nonce and code verifier in a signed, short-lived cookie and sends the browser to the provider;
``/organiser/oidc/callback`` checks the state, exchanges the code, and checks the ID token's signature against the
provider's published keys (joserfc, authlib's JOSE library) and its issuer, audience, expiry and nonce.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import requests
from flask import Request, Response

from gemeentedelers.platform import settings
from gemeentedelers.web import cookies, links
from gemeentedelers.web.pages import redirect

log = logging.getLogger(__name__)

COOKIE = "gd_oidc"
FLOW_MAX_AGE_S = 600
DISCOVERY_TTL_S = 3600
_lock = threading.Lock()
_discovered: dict[str, tuple[float, dict[str, Any]]] = {}


class OidcRefused(ValueError):
    """The provider's answer cannot sign anyone in (for the log; the person reads a plain refusal)."""


def configured() -> bool:
    current = settings.current()
    return bool(current.oidc_issuer and current.oidc_client_id)


def provider_name() -> str:
    return settings.current().oidc_name or "OpenID Connect"


def discovery(issuer: str) -> dict[str, Any]:
    """The provider's metadata (``/.well-known/openid-configuration``), cached for an hour per process."""
    with _lock:
        found = _discovered.get(issuer)
        if found and time.monotonic() - found[0] < DISCOVERY_TTL_S:
            return found[1]
    answer = requests.get(issuer.rstrip("/") + "/.well-known/openid-configuration", timeout=10)
    answer.raise_for_status()
    metadata = dict(answer.json())
    if metadata.get("issuer", "").rstrip("/") != issuer.rstrip("/"):
        raise OidcRefused(f"the provider's metadata names issuer {metadata.get('issuer')!r}, not {issuer!r}")
    with _lock:
        _discovered[issuer] = (time.monotonic(), metadata)
    return metadata


def _client(service: str) -> Any:
    from authlib.integrations.requests_client import OAuth2Session

    current = settings.current()
    return OAuth2Session(current.oidc_client_id, current.oidc_client_secret or None, scope="openid email profile",
                         redirect_uri=links.public_url(service, "/organiser/oidc/callback"),
                         code_challenge_method="S256", token_endpoint_auth_method="client_secret_post")


def start(request: Request, service: str) -> Response:
    """Send the browser to the provider, with state, nonce and PKCE kept in a signed cookie for 10 minutes."""
    from authlib.common.security import generate_token

    metadata = discovery(settings.current().oidc_issuer)
    verifier, nonce = generate_token(48), generate_token(24)
    url, state = _client(service).create_authorization_url(metadata["authorization_endpoint"],
                                                           code_verifier=verifier, nonce=nonce)
    response = redirect(url)
    return cookies.set_cookie(response, request, COOKIE,
                              links.dumps("oidc-flow", {"state": state, "nonce": nonce, "verifier": verifier}),
                              max_age=FLOW_MAX_AGE_S, path="/organiser/oidc")


def verified_email(request: Request, service: str) -> str:
    """The e-mail address the provider vouches for, after every check; ``OidcRefused`` (or ``BadLink``) if not."""
    from joserfc import jwt
    from joserfc.jwk import KeySet

    flow = links.loads("oidc-flow", request.cookies.get(COOKIE, ""), FLOW_MAX_AGE_S)
    if request.args.get("error"):
        raise OidcRefused(f"the provider refused: {request.args.get('error')}")
    if not request.args.get("state") or request.args.get("state") != flow.get("state"):
        raise OidcRefused("the state does not match this browser's sign-in")
    current = settings.current()
    metadata = discovery(current.oidc_issuer)
    token = _client(service).fetch_token(metadata["token_endpoint"], code=request.args.get("code", ""),
                                         code_verifier=flow["verifier"])
    id_token = token.get("id_token")
    if not id_token:
        raise OidcRefused("the provider sent no ID token")
    keys = KeySet.import_key_set(requests.get(metadata["jwks_uri"], timeout=10).json())
    decoded = jwt.decode(id_token, keys, algorithms=["RS256", "ES256"])
    claims = decoded.claims
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": metadata["issuer"]}, aud={"essential": True, "value": current.oidc_client_id},
        exp={"essential": True}, nonce={"essential": True, "value": flow["nonce"]}, leeway=60,
    ).validate(claims)
    if claims.get("email_verified") is False:
        raise OidcRefused("the provider has not verified this e-mail address")
    email = claims.get("email") or claims.get("preferred_username") or claims.get("upn")
    if not isinstance(email, str) or "@" not in email:
        raise OidcRefused("the ID token names no e-mail address")
    return email.strip().lower()


def callback(request: Request, service: str) -> Response:
    """Back from the provider: the organiser with the verified address gets a session, nobody else."""
    from gemeentedelers.people import organisers
    from gemeentedelers.platform.firestore import db
    from gemeentedelers.web.sessions import message, organiser_session_for

    try:
        email = verified_email(request, service)
    except Exception as problem:  # any failed check refuses; the log says which, the person reads a plain page
        log.warning("OpenID Connect sign-in refused: %s: %s", type(problem).__name__, problem)
        return message(request, 401, "org_sign_in_title", "org_oidc_refused")
    record = organisers.find(db(), email)
    if record is None or record.get("status") != "active":
        return message(request, 403, "org_sign_in_title", "org_oidc_unknown")
    response = organiser_session_for(record, request, method="oidc")
    cookies.clear_cookie(response, request, COOKIE, path="/organiser/oidc")
    return response
