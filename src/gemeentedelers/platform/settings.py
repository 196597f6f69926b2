"""Process settings from the environment, and the guard that keeps local runs away from real Google Cloud.

Local runs and tests use ``demo-*`` project ids against the emulators; a ``demo-`` project without the
emulator hosts set would make the Google clients reach for real credentials, so it refuses to start.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

DEFAULT_PROJECT = "demo-gemeentedelers"
PROVIDER_SECRET_VARS = {
    "typeform": "GD_WEBHOOK_SECRET_TYPEFORM",
    "tally": "GD_WEBHOOK_SECRET_TALLY",
    "generic": "GD_WEBHOOK_SECRET_GENERIC",
}


@dataclass(frozen=True)
class Limit:
    """At most ``count`` requests per ``window_s`` seconds."""

    count: int
    window_s: int

    @classmethod
    def parse(cls, text: str, variable: str) -> Limit:
        """``"5/3600"``: 5 per hour. A bad value is refused with the variable's name."""
        count, _, window = text.partition("/")
        try:
            limit = cls(int(count), int(window))
        except ValueError:
            raise ValueError(f"{variable} must be COUNT/SECONDS, e.g. 5/3600, not {text!r}") from None
        if limit.count < 1 or limit.window_s < 1:
            raise ValueError(f"{variable} must have a count and a window of at least 1, not {text!r}")
        return limit


class UnsafeEnvironment(RuntimeError):
    """The environment would point a local run at real Google Cloud, or is incomplete."""


@dataclass(frozen=True)
class Settings:
    project: str
    firestore_emulator: str | None
    pubsub_emulator: str | None
    edition_override: str | None
    smtp_host: str
    smtp_port: int
    smtp_user: str | None
    smtp_password: str | None = field(repr=False, default=None)
    smtp_starttls: bool = False
    mail_from: str = "GemeenteDelers <noreply@gemeentedelers.nl>"
    webhook_secrets: dict[str, str] = field(repr=False, default_factory=dict)
    link_secret: str = field(repr=False, default="")
    public_urls: dict[str, str] = field(default_factory=dict)
    push_token: str = field(repr=False, default="")
    inflight_dir: str = ""
    """Locally only: where event handlers mark that they are at work (``platform.inflight``)."""
    build_commit: str = "unknown"
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = field(repr=False, default="")
    oidc_name: str = ""
    privacy_contact: str = "privacy@vng.nl"
    mail_reply_to: str = "GemeenteDelers <gemeentedelers@vng.nl>"
    """Where replies to a mail go: a mailbox people read (mails come from a no-reply sender)."""
    mail_domain: str = "gemeentedelers.nl"
    """The domain of every Message-ID (and the .ics UID): stable, so a mail sent twice is recognisably one."""
    rate_limit_address: Limit = field(default_factory=lambda: Limit(5, 3600))
    """Sign-ups or sign-in link requests per e-mail address per window (``GD_RATE_LIMIT_ADDRESS``, ``5/3600``)."""
    rate_limit_ip: Limit = field(default_factory=lambda: Limit(30, 600))
    """The same per client IP (``GD_RATE_LIMIT_IP``, ``30/600``)."""
    client_ip_hop: int = 1
    """Which ``X-Forwarded-For`` entry, counted from the right, is the client (``GD_CLIENT_IP_HOP``): 1 behind Cloud
    Run alone, 2 behind an external load balancer in front of it."""

    @property
    def is_local(self) -> bool:
        return self.project.startswith("demo-")

    def secret_for(self, provider: str) -> str | None:
        return self.webhook_secrets.get(provider) or None


def load(env: os._Environ[str] | dict[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    project = env.get("GOOGLE_CLOUD_PROJECT") or env.get("GCLOUD_PROJECT") or ""
    if not project:
        raise UnsafeEnvironment("GOOGLE_CLOUD_PROJECT is not set (use a demo-* id for local runs)")
    settings = Settings(
        project=project,
        firestore_emulator=env.get("FIRESTORE_EMULATOR_HOST") or None,
        pubsub_emulator=env.get("PUBSUB_EMULATOR_HOST") or None,
        edition_override=env.get("GD_EDITION") or None,
        smtp_host=env.get("GD_SMTP_HOST", "127.0.0.1"),
        smtp_port=int(env.get("GD_SMTP_PORT", "25")),
        smtp_user=env.get("GD_SMTP_USER") or None,
        smtp_password=env.get("GD_SMTP_PASSWORD") or None,
        smtp_starttls=env.get("GD_SMTP_STARTTLS", "") in {"1", "true", "yes"},
        mail_from=env.get("GD_MAIL_FROM", "GemeenteDelers <noreply@gemeentedelers.nl>"),
        webhook_secrets={p: env.get(var, "") for p, var in PROVIDER_SECRET_VARS.items()},
        link_secret=env.get("GD_LINK_SECRET", ""),
        public_urls={
            service: env[f"GD_PUBLIC_URL_{service.upper()}"].rstrip("/")
            for service in ("intake", "scoring", "assessment", "jury", "notify")
            if env.get(f"GD_PUBLIC_URL_{service.upper()}")
        },
        # Locally only: the emulator's pushes carry no credentials; in production Cloud Run checks OIDC tokens.
        push_token=env.get("GD_PUSH_TOKEN", "") if project.startswith("demo-") else "",
        inflight_dir=env.get("GD_INFLIGHT_DIR", "") if project.startswith("demo-") else "",
        build_commit=env.get("GD_BUILD_COMMIT") or build_commit(),
        # OpenID Connect sign-in for organisers (Entra ID, Google): off unless an issuer and client are given
        oidc_issuer=env.get("GD_OIDC_ISSUER", "").rstrip("/"),
        oidc_client_id=env.get("GD_OIDC_CLIENT_ID", ""),
        oidc_client_secret=env.get("GD_OIDC_CLIENT_SECRET", ""),
        oidc_name=env.get("GD_OIDC_NAME", ""),
        privacy_contact=env.get("GD_PRIVACY_CONTACT", "privacy@vng.nl"),
        mail_reply_to=env.get("GD_MAIL_REPLY_TO", "GemeenteDelers <gemeentedelers@vng.nl>"),
        mail_domain=env.get("GD_MAIL_DOMAIN", "gemeentedelers.nl"),
        rate_limit_address=Limit.parse(env.get("GD_RATE_LIMIT_ADDRESS", "5/3600"), "GD_RATE_LIMIT_ADDRESS"),
        rate_limit_ip=Limit.parse(env.get("GD_RATE_LIMIT_IP", "30/600"), "GD_RATE_LIMIT_IP"),
        client_ip_hop=_positive(env.get("GD_CLIENT_IP_HOP", "1"), "GD_CLIENT_IP_HOP"),
    )
    check_safe(settings)
    return settings


def _positive(text: str, variable: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"{variable} must be a whole number of at least 1, not {text!r}")
    return value


def build_commit() -> str:
    """The commit this code was built from: written into each bundle by ``infra/bundle.py`` (``BUILD_COMMIT``)."""
    from pathlib import Path

    stamp = Path(__file__).resolve().parents[1] / "BUILD_COMMIT"
    try:
        return stamp.read_text(encoding="utf-8").strip() or "unknown"
    except OSError:
        return "unknown"


def check_safe(settings: Settings) -> None:
    """Refuse a demo project without emulators, and emulators with a real project."""
    missing = [
        var
        for var, value in (
            ("FIRESTORE_EMULATOR_HOST", settings.firestore_emulator),
            ("PUBSUB_EMULATOR_HOST", settings.pubsub_emulator),
        )
        if not value
    ]
    if settings.is_local and missing:
        raise UnsafeEnvironment(
            f"project {settings.project!r} is a local demo project but {' and '.join(missing)} "
            "is not set: start the local cloud (gemeentedelers dev up) or export its hosts"
        )
    if not settings.is_local and (settings.firestore_emulator or settings.pubsub_emulator):
        raise UnsafeEnvironment(
            f"emulator hosts are set but project {settings.project!r} is not a demo-* project"
        )


_current: Settings | None = None


def current() -> Settings:
    """Settings of this process, read once (Cloud Functions fix the environment per instance)."""
    global _current
    if _current is None:
        _current = load()
    return _current


def reset_cache() -> None:
    """Forget the cached settings; for tools and tests that change the environment."""
    global _current
    _current = None
