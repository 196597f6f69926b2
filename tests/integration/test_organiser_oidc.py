"""Organisers signing in with OpenID Connect, mapped to the same accounts, against a small OpenID provider run
here: a real HTTP server on loopback with discovery, a key set, an authorization endpoint that approves the
person it is told to, and a token endpoint that checks PKCE and issues RS256-signed ID tokens.

The scoring function's own routes run in this process (a Flask test client over ``web.app.serve``), because the
session's local cloud was started without a provider; the store is the real emulator."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import cloudtest
import pytest
import requests
from flask import Flask, Response
from flask import request as flask_request

from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.people import organisers
from gemeentedelers.platform import audit, settings
from gemeentedelers.platform.firestore import db

CLIENT_ID, CLIENT_SECRET = "gemeentedelers-console", secrets.token_urlsafe(16)


class Provider:
    """An OpenID provider on 127.0.0.1: ``email`` is who signs in at the next authorization."""

    def __init__(self) -> None:
        from joserfc.jwk import RSAKey

        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
        self.email = "anna@vng.test"
        self.email_verified = True
        self.nonce_override: str | None = None
        self.codes: dict[str, dict[str, Any]] = {}
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlsplit(self.path)
                if url.path == "/.well-known/openid-configuration":
                    base = provider.issuer
                    return self._json({"issuer": base, "authorization_endpoint": f"{base}/authorize",
                                       "token_endpoint": f"{base}/token", "jwks_uri": f"{base}/jwks",
                                       "response_types_supported": ["code"],
                                       "id_token_signing_alg_values_supported": ["RS256"],
                                       "code_challenge_methods_supported": ["S256"]})
                if url.path == "/jwks":
                    return self._json({"keys": [provider.key.as_dict(private=False)]})
                if url.path == "/authorize":
                    query = {k: v[0] for k, v in parse_qs(url.query).items()}
                    if query.get("client_id") != CLIENT_ID or query.get("code_challenge_method") != "S256":
                        return self._json({"error": "invalid_request"}, 400)
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = {**query, "email": provider.email}
                    self.send_response(302)
                    answer = urlencode({"code": code, "state": query["state"]})
                    self.send_header("Location", f"{query['redirect_uri']}?{answer}")
                    self.end_headers()
                    return None
                return self._json({"error": "not_found"}, 404)

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"])).decode()
                body = {k: v[0] for k, v in parse_qs(raw).items()}
                grant = provider.codes.pop(body.get("code", ""), None)  # a code works once
                if grant is None or body.get("client_secret") != CLIENT_SECRET or body.get("client_id") != CLIENT_ID:
                    return self._json({"error": "invalid_grant"}, 400)
                challenge = base64.urlsafe_b64encode(hashlib.sha256(body.get("code_verifier", "").encode()).digest())
                if challenge.rstrip(b"=").decode() != grant["code_challenge"] or body.get("redirect_uri") != grant[
                        "redirect_uri"]:
                    return self._json({"error": "invalid_grant"}, 400)
                return self._json({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 300,
                                   "id_token": provider.id_token(grant)})

            def _json(self, payload: dict[str, Any], status: int = 200) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def id_token(self, grant: dict[str, Any]) -> str:
        from joserfc import jwt

        now = int(time.time())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "sub": hashlib.sha256(grant["email"].encode()).hexdigest(),
                  "email": grant["email"], "email_verified": self.email_verified,
                  "nonce": self.nonce_override or grant.get("nonce"), "iat": now, "exp": now + 300}
        return jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, self.key)

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def provider(fresh: LocalCloud) -> Iterator[Provider]:
    found = Provider()
    before = {k: os.environ.get(k) for k in ("GD_OIDC_ISSUER", "GD_OIDC_CLIENT_ID", "GD_OIDC_CLIENT_SECRET",
                                             "GD_OIDC_NAME")}
    os.environ.update({"GD_OIDC_ISSUER": found.issuer, "GD_OIDC_CLIENT_ID": CLIENT_ID,
                       "GD_OIDC_CLIENT_SECRET": CLIENT_SECRET, "GD_OIDC_NAME": "Microsoft Entra ID"})
    settings.reset_cache()
    try:
        yield found
    finally:
        found.close()
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        settings.reset_cache()


@pytest.fixture
def scoring() -> Any:
    """The scoring function's routes in this process, as functions-framework serves them."""
    from gemeentedelers.scoring.web import ROUTES
    from gemeentedelers.web.app import serve

    app = Flask("scoring-in-process")

    @app.route("/", defaults={"path": ""}, methods=["GET", "POST"])
    @app.route("/<path:path>", methods=["GET", "POST"])
    def handle(path: str) -> Response:
        return serve("scoring", ROUTES, flask_request)

    return app.test_client()


def sign_in_with_provider(scoring: Any) -> Any:
    """Start on the console, let the provider approve, come back with its answer; the callback's response."""
    started = scoring.get("/organiser/oidc/start")
    assert started.status_code == 303 and started.headers["Location"].startswith("http://127.0.0.1")
    approved = requests.get(started.headers["Location"], allow_redirects=False, timeout=10)
    assert approved.status_code == 302, approved.text
    back = urlsplit(approved.headers["Location"])
    assert back.path == "/organiser/oidc/callback"
    return scoring.get(f"{back.path}?{back.query}")


def test_an_organiser_signs_in_with_openid_connect_mapped_to_their_account(fresh: LocalCloud, provider: Provider,
                                                                          scoring: Any) -> None:
    cloudtest.add_organiser("anna@vng.test", "Anna de Vries", "round-lead")
    page = scoring.get("/organiser/login")
    assert 'href="/organiser/oidc/start"' in page.get_data(as_text=True)
    assert "Aanmelden met Microsoft Entra ID" in page.get_data(as_text=True)

    done = sign_in_with_provider(scoring)
    assert done.status_code == 303 and done.headers["Location"] == "/organiser"
    home = scoring.get("/organiser")
    assert home.status_code == 200 and "Aangemeld als Anna de Vries (rondeleider)." in home.get_data(as_text=True)
    entry = [e for e in audit.entries(db(), actor="organiser:anna@vng.test") if e["action"] == "organiser.signed_in"]
    assert entry and entry[-1]["after"] == {"method": "oidc"}

    # revoked: the session stops, and the provider's word no longer opens the console
    organisers.revoke(db(), "anna@vng.test", by=audit.organiser(cloudtest.COORDINATOR))
    assert scoring.get("/organiser").status_code == 401
    assert sign_in_with_provider(scoring).status_code == 403


def test_the_provider_must_vouch_for_a_known_address_with_this_sign_ins_nonce_and_state(
        fresh: LocalCloud, provider: Provider, scoring: Any) -> None:
    cloudtest.add_organiser("anna@vng.test", "Anna de Vries", "coordinator")
    provider.email = "mallory@example.org"  # a valid account of the organisation, but no organiser
    refused = sign_in_with_provider(scoring)
    assert refused.status_code == 403 and "geen organisator" in refused.get_data(as_text=True)

    provider.email = "anna@vng.test"
    provider.nonce_override = "another sign-in's nonce"  # an ID token replayed from elsewhere
    assert sign_in_with_provider(scoring).status_code == 401
    provider.nonce_override = None
    provider.email_verified = False
    assert sign_in_with_provider(scoring).status_code == 401
    provider.email_verified = True

    started = scoring.get("/organiser/oidc/start")
    approved = requests.get(started.headers["Location"], allow_redirects=False, timeout=10)
    back = urlsplit(approved.headers["Location"])
    query = parse_qs(back.query)
    forged = scoring.get(f"{back.path}?code={query['code'][0]}&state=forged")
    assert forged.status_code == 401  # the state is not this browser's
    assert scoring.get("/organiser").status_code == 401
    fine = scoring.get(f"{back.path}?{back.query}")  # the state is checked before the code is spent
    assert fine.status_code == 303 and scoring.get("/organiser").status_code == 200
    replayed = scoring.get(f"{back.path}?{back.query}")
    assert replayed.status_code == 401  # the flow is over and the provider's code works once
