"""Settings read from `JUSOOR_*` environment variables (and a `.env` file); defaults make `make run` work."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATA_DIR = Path("var")


class Settings(BaseSettings):
    """Every tunable of a Jusoor node. Secrets are `SecretStr` so they never print by accident."""

    model_config = SettingsConfigDict(env_prefix="JUSOOR_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str = ""
    # Signs CSRF tokens. When unset, a random key is generated once and kept in data_dir (0600).
    secret_key: SecretStr | None = None
    # Data-encryption keys: "kid:base64key[,kid:base64key…]"; the first is used to encrypt.
    # When unset, a key is generated once and kept in data_dir (0600) so a laptop install just works.
    data_key: SecretStr | None = None
    # Audit-trail keys (ASVS 7.3.3): "kid:base64key[,kid:base64key…]"; the first keys new events'
    # HMACs and the anchor checkpoints. When unset, generated once into data_dir/audit.key (0600).
    audit_key: SecretStr | None = None
    # The append-only file of signed checkpoints of the audit chain's head; empty:
    # data_dir/audit-anchors.jsonl. Keep it off the database's disk, ideally on write-once storage.
    audit_anchor: str = ""
    audit_checkpoint_seconds: float = 60.0  # how often `serve` anchors a moved head (0: off)
    # How often `serve`'s appender seals recorded events onto the hash chain (issue 18). Requests
    # write their events unchained in their own transaction; one appender chains them in order.
    audit_append_seconds: float = 0.5
    # Web worker processes of `serve` (1: one process; more only on PostgreSQL) and each
    # process's database connection pool (issue 18: fifty people at once).
    web_workers: int = 1
    db_pool_size: int = 10
    db_pool_overflow: int = 10
    # How long a write waits for SQLite's single writer lock before the person is told the node is
    # busy and asked to try again (issue 18, item 5). PostgreSQL waits on row locks instead.
    sqlite_busy_ms: int = 5000
    # PostgreSQL bounds its waits too: a lock wait (every transaction) and a web request's
    # statement (0: no limit) end with the same "busy, try again" answer (issue 18, item 5).
    pg_lock_timeout_ms: int = 5000
    pg_statement_timeout_ms: int = 30000
    # How long the dashboards' protected tables are shown as kept before one background thread
    # counts them again (`stats.kept`). At a million cases a country's dashboard is ~15 grouped
    # counts of its cases: counted every minute for every scope viewed, they kept the database busy.
    stats_fresh_seconds: float = 300.0
    # `serve` counts every scope's default dashboard when it starts (`stats.warming`), so the first
    # viewer of a scope does not wait for the count; off: counted on first view.
    stats_warm: bool = True
    # `serve` compiles every template and loads what the domains read lazily before it answers
    # (`jusoor.app.warm_up`, about 1.5 s); off: each is loaded by its first viewer (test nodes,
    # which start by the dozen and are asked for a handful of pages).
    serve_warm_up: bool = True
    demo_password: SecretStr | None = None
    demo_cases: int = 300  # synthetic cases loaded with the demo directory (0: none)
    # `serve --init-demo` also runs the demo's peer nodes (EG, TN, MR) as processes of their own
    # (jusoor.cli.demo_peers); false: the demo's peers are keys only, and nothing answers them.
    demo_peers: bool = True
    node_id: str = "XX"
    default_locale: str = "ar"
    # Session lifetime (ASVS 3.3): idle and absolute time-outs, in minutes.
    session_idle_minutes: int = 30
    session_absolute_minutes: int = 12 * 60
    # None: Secure cookies unless the server binds to a loopback address.
    cookie_secure: bool | None = None
    # Login throttling (ASVS 2.2.1; auth.throttle): after `login_max_failures` failures of one
    # username from one address, a wait of one minute that doubles with each failure, capped at
    # `login_lockout_minutes`; the per-address ceiling counts failures within the window.
    login_max_failures: int = 5
    login_window_minutes: int = 15
    login_lockout_minutes: int = 15
    mfa_required_roles: list[str] = Field(default_factory=lambda: ["admin", "liaison_officer"])
    password_min_length: int = 12
    token_default_days: int = 90
    max_body_bytes: int = 1_000_000
    # Addresses of reverse proxies whose X-Forwarded-For is trusted (comma-separated). Empty: none,
    # so that a client cannot forge its address and escape the per-address login limit.
    forwarded_allow_ips: str = ""
    # Requests per minute (ASVS 11.1.4): per signed-in session or token, and per anonymous address.
    rate_limit_per_minute: int = 600
    rate_limit_anonymous_per_minute: int = 120
    # Cross-border exchange (src/jusoor/exchange). The address peers reach this node at, as put
    # in its descriptor; empty: http://HOST:PORT.
    public_url: str = ""
    # Host names this node answers to (comma-separated; "*.example.org" allowed). Empty: localhost,
    # 127.0.0.1, HOST and the host of PUBLIC_URL. Any other Host header is refused with 400,
    # so that no link or redirect is built from a name an attacker chose (ASVS 4.0.3 V5.1.5).
    allowed_hosts: str = ""
    exchange_deliver_seconds: float = 5.0  # the delivery worker's pass interval in `serve` (0: off)
    exchange_timeout_seconds: float = 20.0  # one delivery attempt
    exchange_default_days: int = 30  # how long an undelivered message is retried before it expires
    exchange_clock_skew_seconds: int = 300  # how far in the future a peer's clock may run
    exchange_inbox_per_minute: int = 3000  # envelopes accepted per peer address and minute
    # Imported files (ASVS 12.1.1, 12.1.2, 5.1.4): checked before they are read. The console takes
    # large legal files; the web and API a request's worth (and never more than max_body_bytes).
    import_max_bytes: int = 200_000_000
    import_max_rows: int = 1_000_000
    import_web_max_bytes: int = 20_000_000
    import_web_max_rows: int = 50_000
    # XLSX (a zip): what its members may inflate to, in all and per compressed byte, and how many.
    import_max_unpacked_bytes: int = 500_000_000
    import_max_zip_ratio: int = 100
    import_max_zip_members: int = 1_000
    # Documents attached to an investigation file. Their upload routes, and only they, take
    # requests of this size and a form's worth more than max_body_bytes (web.body_limits).
    attachment_max_bytes: int = 10_000_000

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'jusoor.db'}"

    @property
    def effective_audit_anchor(self) -> Path:
        return (
            Path(self.audit_anchor) if self.audit_anchor else self.data_dir / "audit-anchors.jsonl"
        )

    @property
    def effective_public_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def effective_allowed_hosts(self) -> list[str]:
        given = [h.strip() for h in self.allowed_hosts.split(",") if h.strip()]
        if given:
            return given
        # No "::1": Starlette reads the name before the first ":", so an IPv6 literal never matches.
        hosts = ["localhost", "127.0.0.1"]
        if self.host not in ("", "0.0.0.0", "::"):  # noqa: S104 - a wildcard bind is no name
            hosts.append(self.host)
        public = urlsplit(self.public_url).hostname if self.public_url else None
        if public:
            hosts.append(public)
        return list(dict.fromkeys(hosts))

    @property
    def secure_cookies(self) -> bool:
        if self.cookie_secure is not None:
            return self.cookie_secure
        try:
            return not ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return self.host != "localhost"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
