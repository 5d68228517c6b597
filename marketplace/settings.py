"""One typed settings object, read from the environment once.

Every setting has a documented default so that `make run` works with no configuration
(SQLite, the local Meilisearch, the local Stripe server). A bad value fails at start-up
with a `SettingsError` naming the variable, never later in a request.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

PROJECT_ROOT = Path(__file__).resolve().parent.parent

LOCAL_STRIPE_SECRET_KEY = "sk_test_gigworks_local"
LOCAL_STRIPE_PUBLISHABLE_KEY = "pk_test_gigworks_local"
LOCAL_STRIPE_WEBHOOK_SECRET = "whsec_gigworks_local"
LOCAL_STRIPE_PORT = 8420
LOCAL_MEILI_PORT = 7700
LOCAL_OIDC_PORT = 8430
LOCAL_SMTP_PORT = 1025  # the dev mail catcher (devservices/mailcatcher.py); its inbox is 1080
SMTP_TLS_MODES = ("none", "starttls", "ssl")

SELLER_LEVELS = ("new", "level_1", "level_2", "top_rated")

# The order process's delays (days); the one source of their defaults. The timed transitions of
# services/orders/process.py name the Settings field they read (`Delay.setting`).
AUTO_COMPLETE_DAYS_DEFAULT = 3
ORDER_START_DEADLINE_DAYS_DEFAULT = 6


class SettingsError(ValueError):
    """A setting has a value the marketplace cannot run with."""


@dataclass(frozen=True)
class OIDCProvider:
    """An external sign-in provider (OpenID Connect, or OAuth2 for GitHub)."""

    name: str
    label: str
    client_id: str
    client_secret: str
    issuer: str = ""  # OpenID Connect discovery base; empty for plain OAuth2 presets
    authorize_url: str = ""
    token_url: str = ""
    userinfo_url: str = ""
    scope: str = "openid email profile"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    redis_url: str | None
    app_url: str
    port: int
    secret_key: str
    meili_url: str
    meili_master_key: str
    meili_index_prefix: str
    meili_is_local: bool
    stripe_secret_key: str
    stripe_publishable_key: str
    stripe_webhook_secret: str
    stripe_api_base: str | None
    stripe_is_local: bool
    currency: str
    buyer_fee_bps: int
    seller_commission_bps: int
    auto_complete_days: int
    order_start_deadline_days: int
    gig_auto_approve: bool
    active_gig_limits: dict[str, int]
    upload_dir: Path
    max_upload_bytes: int
    oidc_providers: tuple[OIDCProvider, ...] = field(default_factory=tuple)
    # --- mail and account security (issue 14) ---
    smtp_host: str = "127.0.0.1"
    smtp_port: int = LOCAL_SMTP_PORT
    smtp_tls: str = "none"  # none | starttls | ssl
    smtp_user: str = ""
    smtp_password: str = ""
    mail_from: str = "Gigworks <no-reply@gigworks.test>"
    require_admin_2fa: bool = False
    # --- reviews and seller levels (issue 12) ---
    review_window_days: int = 10
    level_window_days: int = 60
    level_grace_days: int = 30  # below the level's requirements this long: one step down
    # level -> {metric: threshold}; see docs/levels.md and LEVEL_DEFAULTS below.
    level_thresholds: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


# name -> (default, meaning). The README's settings table is generated from this.
DOCUMENTED: dict[str, tuple[str, str]] = {
    "GIGWORKS_DATA_DIR": ("data/", "Folder for the SQLite file, keys, uploads and local services."),
    "DATABASE_URL": (
        "sqlite:///data/gigworks.db",
        "SQLAlchemy URL. PostgreSQL: postgresql+psycopg2://user@host/db.",
    ),
    "REDIS_URL": ("(unset)", "Redis for Reflex state; unset runs one process with disk state."),
    "DB_POOL_SIZE": ("5", "PostgreSQL connections each process keeps open (app worker, worker)."),
    "DB_MAX_OVERFLOW": ("5", "Extra PostgreSQL connections each process may open at a peak."),
    "APP_URL": ("http://127.0.0.1:3000", "Public address, used for OAuth redirects and links."),
    "PORT": ("3000", "Port `make run` serves the app on (frontend and backend share it)."),
    "SECRET_KEY": ("generated into data/secret_key", "Signs session cookies. Keep it secret."),
    "MEILI_URL": ("http://127.0.0.1:7700 (started by make run)", "Meilisearch server address."),
    "MEILI_MASTER_KEY": ("generated into data/meili_master_key", "Meilisearch API key."),
    "MEILI_INDEX_PREFIX": ("(empty)", "Prefix for index names, to share one server."),
    "STRIPE_SECRET_KEY": (
        f"{LOCAL_STRIPE_SECRET_KEY} (local Stripe server)",
        "Stripe secret key. Setting a real key talks to Stripe itself.",
    ),
    "STRIPE_PUBLISHABLE_KEY": (
        LOCAL_STRIPE_PUBLISHABLE_KEY,
        "Key given to Stripe.js in the browser.",
    ),
    "STRIPE_WEBHOOK_SECRET": (LOCAL_STRIPE_WEBHOOK_SECRET, "Verifies Stripe webhook signatures."),
    "STRIPE_API_BASE": (
        f"http://127.0.0.1:{LOCAL_STRIPE_PORT} when the key is the local one",
        "Stripe API base address; unset with a real key means api.stripe.com.",
    ),
    "CURRENCY": ("usd", "Three-letter currency of all prices."),
    "BUYER_FEE_PERCENT": ("5.5", "Service fee added to the buyer's total."),
    "SELLER_COMMISSION_PERCENT": ("20", "Platform commission kept from the seller's earnings."),
    "AUTO_COMPLETE_DAYS": (
        str(AUTO_COMPLETE_DAYS_DEFAULT),
        "Days after delivery before an order completes by itself.",
    ),
    "ORDER_START_DEADLINE_DAYS": (
        str(ORDER_START_DEADLINE_DAYS_DEFAULT),
        "Days after checkout before an unstarted order is voided.",
    ),
    "GIG_AUTO_APPROVE": ("false", "Publish gigs without waiting for moderation."),
    "ACTIVE_GIG_LIMITS": (
        "4,10,20,30",
        "Active gigs allowed for New, Level 1, Level 2, Top Rated.",
    ),
    "MAX_UPLOAD_MB": ("5", "Largest accepted upload, in MiB."),
    "OIDC_PROVIDERS": (
        "(empty; make run sets dev)",
        "Comma list of sign-in providers: google, github, dev or any name.",
    ),
    "OIDC_<NAME>_CLIENT_ID / _CLIENT_SECRET": ("", "Client credentials per provider."),
    "OIDC_<NAME>_ISSUER": (
        "preset for google; http://127.0.0.1:8430 for dev",
        "OpenID Connect issuer (discovery) of a provider.",
    ),
    "OIDC_<NAME>_LABEL": ("the name, capitalised", "Button text: 'Sign in with <label>'."),
    # --- reviews and seller levels (issue 12) ---
    "REVIEW_WINDOW_DAYS": ("10", "Days after completion in which buyer and seller may review."),
    "LEVEL_WINDOW_DAYS": (
        "60",
        "Days of history that rating, on-time delivery and response rate are measured over.",
    ),
    "LEVEL_GRACE_DAYS": (
        "30",
        "Days a seller below their level's requirements keeps it before falling one level.",
    ),
    "LEVEL_1_REQUIRES": (
        "age_days=60,orders=10,clients=3,earnings=400,rating=4.4,on_time=90,response=90",
        "What Level 1 needs (earnings in dollars, on_time/response in percent); docs/levels.md.",
    ),
    "LEVEL_2_REQUIRES": (
        "age_days=120,orders=25,clients=10,earnings=2000,rating=4.6,on_time=90,response=90",
        "What Level 2 needs.",
    ),
    "TOP_RATED_REQUIRES": (
        "age_days=180,orders=50,clients=20,earnings=10000,rating=4.7,on_time=95,response=90",
        "What Top Rated needs.",
    ),
}

LEVEL_METRICS = ("age_days", "orders", "clients", "earnings", "rating", "on_time", "response")
LEVEL_ENV = {
    "level_1": "LEVEL_1_REQUIRES",
    "level_2": "LEVEL_2_REQUIRES",
    "top_rated": "TOP_RATED_REQUIRES",
}


def _level_thresholds(env: Mapping[str, str]) -> dict[str, dict[str, float]]:
    """`LEVEL_1_REQUIRES=orders=10,rating=4.4,...`: a metric left out keeps its default."""
    levels: dict[str, dict[str, float]] = {}
    for level, name in LEVEL_ENV.items():
        default = DOCUMENTED[name][0]
        values: dict[str, float] = {}
        for raw in (default, env.get(name, "")):
            for part in filter(None, (p.strip() for p in raw.split(","))):
                key, _, number = part.partition("=")
                key = key.strip()
                if key not in LEVEL_METRICS:
                    raise SettingsError(f"{name}: unknown metric {key!r} (use {LEVEL_METRICS})")
                try:
                    values[key] = float(number)
                except ValueError:
                    raise SettingsError(f"{name}: {key} must be a number") from None
                if values[key] < 0:
                    raise SettingsError(f"{name}: {key} must not be negative")
        levels[level] = values
    return levels


def _read_or_create_secret(path: Path, nbytes: int = 32) -> str:
    """A secret generated once and kept under the data folder, so restarts keep sessions."""
    if path.exists():
        value = path.read_text().strip()
        if value:
            return value
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(nbytes)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(value)
    tmp.chmod(0o600)
    tmp.replace(path)
    return value


def _percent_to_bps(name: str, raw: str) -> int:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise SettingsError(
            f"{name} must be a number of percent such as 5.5, got {raw!r}"
        ) from None
    if not (Decimal(0) <= value <= Decimal(100)):
        raise SettingsError(f"{name} must be between 0 and 100, got {raw!r}")
    bps = value * 100
    if bps != bps.to_integral_value():
        raise SettingsError(f"{name} allows at most two decimals, got {raw!r}")
    return int(bps)


def _int(name: str, raw: str, low: int, high: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if not (low <= value <= high):
        raise SettingsError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _bool(name: str, raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _url(name: str, raw: str, schemes: tuple[str, ...] = ("http", "https")) -> str:
    parsed = urlparse(raw)
    if parsed.scheme not in schemes or not parsed.netloc:
        raise SettingsError(f"{name} must be an {'/'.join(schemes)} URL, got {raw!r}")
    return raw.rstrip("/")


def _database_url(raw: str, data_dir: Path) -> str:
    if raw.startswith("sqlite:///") and not raw.startswith("sqlite:////"):
        relative = raw.removeprefix("sqlite:///")
        if relative and relative != ":memory:":
            path = Path(relative)
            if not path.is_absolute():
                path = PROJECT_ROOT / path
            return f"sqlite:///{path}"
        return raw
    if raw.startswith(("sqlite", "postgresql", "postgres")):
        if raw.startswith("postgres://"):
            raw = "postgresql+psycopg2://" + raw.removeprefix("postgres://")
        return raw
    raise SettingsError(f"DATABASE_URL must be a sqlite:/// or postgresql:// URL, got {raw!r}")


_OIDC_PRESETS = {
    "google": {
        "label": "Google",
        "issuer": "https://accounts.google.com",
    },
    "github": {
        "label": "GitHub",
        "authorize_url": "https://github.com/login/oauth/authorize",
        "token_url": "https://github.com/login/oauth/access_token",
        "userinfo_url": "https://api.github.com/user",
        "scope": "read:user user:email",
    },
    "dev": {
        "label": "Dev SSO",
        "issuer": f"http://127.0.0.1:{LOCAL_OIDC_PORT}",
        "client_id": "gigworks-dev",
        "client_secret": "gigworks-dev-secret",
    },
}


def _oidc_providers(env: Mapping[str, str]) -> tuple[OIDCProvider, ...]:
    names = [n.strip().lower() for n in env.get("OIDC_PROVIDERS", "").split(",") if n.strip()]
    providers = []
    for name in names:
        if not name.isidentifier():
            raise SettingsError(f"OIDC_PROVIDERS has an invalid provider name {name!r}")
        preset = _OIDC_PRESETS.get(name, {})
        prefix = f"OIDC_{name.upper()}_"

        def pick(key: str, preset=preset, prefix=prefix) -> str:
            return env.get(prefix + key.upper(), preset.get(key, ""))

        client_id, client_secret = pick("client_id"), pick("client_secret")
        if not client_id:
            raise SettingsError(f"{prefix}CLIENT_ID must be set for provider {name!r}")
        issuer = pick("issuer")
        if issuer:
            issuer = _url(prefix + "ISSUER", issuer)
        elif not pick("authorize_url"):
            raise SettingsError(f"{prefix}ISSUER must be set for provider {name!r}")
        providers.append(
            OIDCProvider(
                name=name,
                label=pick("label") or name.capitalize(),
                client_id=client_id,
                client_secret=client_secret,
                issuer=issuer,
                authorize_url=pick("authorize_url"),
                token_url=pick("token_url"),
                userinfo_url=pick("userinfo_url"),
                scope=pick("scope") or "openid email profile",
            )
        )
    return tuple(providers)


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build Settings from an environment mapping (os.environ by default)."""
    env = os.environ if env is None else env
    data_dir = Path(env.get("GIGWORKS_DATA_DIR", "") or PROJECT_ROOT / "data")
    if not data_dir.is_absolute():
        data_dir = PROJECT_ROOT / data_dir

    database_url = _database_url(
        env.get("DATABASE_URL", "") or f"sqlite:///{data_dir / 'gigworks.db'}", data_dir
    )
    redis_url = env.get("REDIS_URL") or None
    if redis_url:
        redis_url = _url("REDIS_URL", redis_url, ("redis", "rediss"))

    port = _int("PORT", env.get("PORT", "3000"), 1, 65535)
    app_url = _url("APP_URL", env.get("APP_URL", "") or f"http://127.0.0.1:{port}")

    meili_url_raw = env.get("MEILI_URL", "")
    meili_is_local = not meili_url_raw
    meili_url = _url("MEILI_URL", meili_url_raw or f"http://127.0.0.1:{LOCAL_MEILI_PORT}")
    meili_master_key = env.get("MEILI_MASTER_KEY", "")
    if not meili_master_key:
        if not meili_is_local:
            raise SettingsError("MEILI_MASTER_KEY must be set when MEILI_URL is set")
        meili_master_key = _read_or_create_secret(data_dir / "meili_master_key", 24)
    if len(meili_master_key) < 16:
        raise SettingsError("MEILI_MASTER_KEY must be at least 16 characters long")

    stripe_key = env.get("STRIPE_SECRET_KEY", "") or LOCAL_STRIPE_SECRET_KEY
    if not stripe_key.startswith(("sk_", "rk_")):
        raise SettingsError("STRIPE_SECRET_KEY must start with sk_ or rk_")
    stripe_is_local = stripe_key == LOCAL_STRIPE_SECRET_KEY
    stripe_api_base = env.get("STRIPE_API_BASE", "") or (
        f"http://127.0.0.1:{LOCAL_STRIPE_PORT}" if stripe_is_local else None
    )
    if stripe_api_base:
        stripe_api_base = _url("STRIPE_API_BASE", stripe_api_base)
    publishable = env.get("STRIPE_PUBLISHABLE_KEY", "") or LOCAL_STRIPE_PUBLISHABLE_KEY
    if not publishable.startswith("pk_"):
        raise SettingsError("STRIPE_PUBLISHABLE_KEY must start with pk_")
    if not stripe_is_local and publishable == LOCAL_STRIPE_PUBLISHABLE_KEY:
        raise SettingsError("STRIPE_PUBLISHABLE_KEY must be set when STRIPE_SECRET_KEY is real")

    currency = env.get("CURRENCY", "usd").lower()
    if len(currency) != 3 or not currency.isalpha():
        raise SettingsError(f"CURRENCY must be a three-letter ISO code, got {currency!r}")

    limits_raw = env.get("ACTIVE_GIG_LIMITS", "4,10,20,30")
    parts = [p.strip() for p in limits_raw.split(",")]
    if len(parts) != len(SELLER_LEVELS):
        raise SettingsError("ACTIVE_GIG_LIMITS must list four numbers: New, L1, L2, Top Rated")
    limits = {
        level: _int("ACTIVE_GIG_LIMITS", raw, 0, 1000)
        for level, raw in zip(SELLER_LEVELS, parts, strict=True)
    }

    secret_key = env.get("SECRET_KEY", "") or _read_or_create_secret(data_dir / "secret_key")
    if len(secret_key) < 32:
        raise SettingsError("SECRET_KEY must be at least 32 characters long")

    upload_dir = data_dir / "uploads"
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        redis_url=redis_url,
        app_url=app_url,
        port=port,
        secret_key=secret_key,
        meili_url=meili_url,
        meili_master_key=meili_master_key,
        meili_index_prefix=env.get("MEILI_INDEX_PREFIX", ""),
        meili_is_local=meili_is_local,
        stripe_secret_key=stripe_key,
        stripe_publishable_key=publishable,
        stripe_webhook_secret=env.get("STRIPE_WEBHOOK_SECRET", "") or LOCAL_STRIPE_WEBHOOK_SECRET,
        stripe_api_base=stripe_api_base,
        stripe_is_local=stripe_is_local,
        currency=currency,
        buyer_fee_bps=_percent_to_bps("BUYER_FEE_PERCENT", env.get("BUYER_FEE_PERCENT", "5.5")),
        seller_commission_bps=_percent_to_bps(
            "SELLER_COMMISSION_PERCENT", env.get("SELLER_COMMISSION_PERCENT", "20")
        ),
        auto_complete_days=_int(
            "AUTO_COMPLETE_DAYS",
            env.get("AUTO_COMPLETE_DAYS", str(AUTO_COMPLETE_DAYS_DEFAULT)),
            1,
            60,
        ),
        order_start_deadline_days=_int(
            "ORDER_START_DEADLINE_DAYS",
            env.get("ORDER_START_DEADLINE_DAYS", str(ORDER_START_DEADLINE_DAYS_DEFAULT)),
            1,
            6,
        ),
        gig_auto_approve=_bool("GIG_AUTO_APPROVE", env.get("GIG_AUTO_APPROVE", "false")),
        active_gig_limits=limits,
        upload_dir=upload_dir,
        max_upload_bytes=_int("MAX_UPLOAD_MB", env.get("MAX_UPLOAD_MB", "5"), 1, 100) * 1024 * 1024,
        oidc_providers=_oidc_providers(env),
        **_mail_settings(env),
        review_window_days=_int("REVIEW_WINDOW_DAYS", env.get("REVIEW_WINDOW_DAYS", "10"), 1, 60),
        level_window_days=_int("LEVEL_WINDOW_DAYS", env.get("LEVEL_WINDOW_DAYS", "60"), 7, 730),
        level_grace_days=_int("LEVEL_GRACE_DAYS", env.get("LEVEL_GRACE_DAYS", "30"), 0, 365),
        level_thresholds=_level_thresholds(env),
    )


def _mail_settings(env: Mapping[str, str]) -> dict:
    """SMTP_* and MAIL_FROM (issue 14); the defaults reach the dev mail catcher."""
    tls = env.get("SMTP_TLS", "none").strip().lower() or "none"
    if tls not in SMTP_TLS_MODES:
        raise SettingsError(f"SMTP_TLS must be one of {', '.join(SMTP_TLS_MODES)}, got {tls!r}")
    mail_from = env.get("MAIL_FROM", "") or "Gigworks <no-reply@gigworks.test>"
    if "@" not in mail_from:
        raise SettingsError(f"MAIL_FROM must hold an email address, got {mail_from!r}")
    return {
        "smtp_host": env.get("SMTP_HOST", "") or "127.0.0.1",
        "smtp_port": _int("SMTP_PORT", env.get("SMTP_PORT", str(LOCAL_SMTP_PORT)), 1, 65535),
        "smtp_tls": tls,
        "smtp_user": env.get("SMTP_USER", ""),
        "smtp_password": env.get("SMTP_PASSWORD", ""),
        "mail_from": mail_from,
        "require_admin_2fa": _bool("REQUIRE_ADMIN_2FA", env.get("REQUIRE_ADMIN_2FA", "false")),
    }


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, loaded on first use."""
    return load_settings()
