"""Fifty people at once (issue 18, item 4): the demo's users browsing and writing, as Locust users.

Run by `bench/load_test.py`, which starts the node, writes the logins file and reads the table;
by hand: `JUSOOR_LOAD_LOGINS=logins.json locust -f bench/load/locustfile.py --headless ...`.

One Locust user per demo login, each signed in once, as the browser does: the sign-in page (for
its CSRF token), the password, then the second factor for the roles that need one (admin, liaison
officer). Logins are handed out one role after another (admin, case worker, provider, screener...)
so that any number of users mixes the roles. Each user then walks its role's journey once, every
page in turn, and afterwards picks pages at random in the journey's proportions, with think time
between clicks. Pages are named by their route (`/cases/{id}`), so the table has one row a page.

Anything but a 2xx answer (or the redirect a form is meant to give) counts as an error, and so
does a page that sends a signed-in user back to the sign-in page. `/healthz` is probed by a
separate user once a second: the baseline of the table, measured under the same load.
"""

from __future__ import annotations

import json
import os
import random
import re
import threading
from collections.abc import Callable
from typing import Any

import final_stats  # noqa: F401 (registers the final tables' writer; Locust puts this folder on sys.path)
from locust import HttpUser, between, constant, task
from locust.clients import ResponseContextManager

LOGINS_ENV = (
    "JUSOOR_LOAD_LOGINS"  # a JSON file: {"password": ..., "users": [{username, roles, totp}]}
)
THINK_ENV = "JUSOOR_LOAD_THINK"  # "low-high" seconds between clicks
# The test's mode: each of this many users walks its journey once, then the run ends.
TOUR_ENV = "JUSOOR_LOAD_TOUR_USERS"
HEALTH = "GET /healthz"

CASE = re.compile(r'href="/cases/([0-9a-f-]{36})"')
REFERENCE = re.compile(r'href="/cases/[0-9a-f-]{36}"><strong><bdi dir="ltr">([A-Z0-9-]+)</bdi>')
REFERRAL = re.compile(r'href="/referrals/([0-9a-f-]{36})"')
ENTITY = re.compile(r'href="/entities/([0-9a-f-]{36})"><bdi[^>]*>([^<]+)</bdi>')
MESSAGE = re.compile(r'href="/exchange/messages/([0-9a-f-]{36})"')
SCREENING = re.compile(r'href="/screening/([0-9a-f-]{36})/result"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ACTION = re.compile(r'name="action" value="(accept|start|complete)"')
STAGES = (
    "identification",
    "assistance",
    "recovery_reflection",
    "return_reintegration",
)  # stages.yaml


def _think() -> Callable[[Any], float]:
    low, _, high = os.environ.get(THINK_ENV, "0.5-1.5").partition("-")
    return between(float(low), float(high or low))


class _Logins:
    """The demo logins, handed out once each (Locust starts users from several greenlets)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: dict[str, Any] | None = None
        self._next = 0

    def take(self) -> tuple[str, dict[str, Any]]:
        with self._lock:
            if self._loaded is None:
                with open(os.environ[LOGINS_ENV], encoding="utf-8") as fh:
                    self._loaded = json.load(fh)
            users = self._loaded["users"]
            if self._next >= len(users):
                raise RuntimeError(f"more Locust users than demo logins ({len(users)})")
            login = users[self._next]
            self._next += 1
            return str(self._loaded["password"]), login


LOGINS = _Logins()


class _Tours:
    """How many users have walked their whole journey (the test's mode ends the run then)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.done = 0

    def finished(self) -> bool:
        with self._lock:
            self.done += 1
            return self.done >= int(os.environ.get(TOUR_ENV, "0") or 0)


TOURS = _Tours()


class Person(HttpUser):
    """A signed-in user of one role, walking that role's journey."""

    wait_time = _think()

    def on_start(self) -> None:
        self.seen: dict[str, list[str]] = {}
        self.references: list[str] = []
        self.entity_names: list[str] = []
        password, login = LOGINS.take()
        self.username: str = login["username"]
        self.role: str = login["roles"][0]
        self.signed_in = self._sign_in(password, login.get("totp"))
        self.journey = JOURNEYS.get(self.role, JOURNEYS["default"])
        self.tour = [step for step, _weight in self.journey]

    # --- signing in --------------------------------------------------------------------------

    def _sign_in(self, password: str, totp_secret: str | None) -> bool:
        page = self.client.get("/login", name="GET /login")
        token = _csrf(page.text)
        with self.client.post(
            "/login",
            data={
                "username": self.username,
                "password": password,
                "next": "/",
                "csrf_token": token,
            },
            name="POST /login",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 303:
                answer.failure(f"sign-in of {self.username}: {answer.status_code}")
                return False
            answer.success()
            location = answer.headers.get("location", "/")
        if "second-factor" in location:
            if not totp_secret:
                return False
            from jusoor.core.security import totp

            form = self.client.get(location, name="GET /login/second-factor")
            with self.client.post(
                "/login/second-factor",
                data={
                    "code": totp.current_code(totp_secret),
                    "next": "/",
                    "csrf_token": _csrf(form.text),
                },
                name="POST /login/second-factor",
                allow_redirects=False,
                catch_response=True,
            ) as answer:
                if answer.status_code != 303:
                    answer.failure(f"second factor of {self.username}: {answer.status_code}")
                    return False
                answer.success()
        return True

    # --- the journey -------------------------------------------------------------------------

    @task
    def step(self) -> None:
        if not self.signed_in:
            if os.environ.get(TOUR_ENV) and TOURS.finished():
                self._end_run()
            self.stop()
            return
        if self.tour:  # every page of the journey once, in order, then at random
            name = self.tour.pop(0)
            STEPS[name](self)
            if not self.tour and os.environ.get(TOUR_ENV) and TOURS.finished():
                self._end_run()
            return
        else:
            names, weights = zip(*self.journey, strict=True)
            name = random.choices(names, weights)[0]
        STEPS[name](self)

    def _end_run(self) -> None:
        """End the whole run (every tour is walked). From a greenlet of its own: the runner's
        stop kills every user's greenlet, this one included, before it could finish quitting."""
        import gevent

        gevent.spawn(self.environment.runner.quit)

    def page(self, path: str, name: str) -> str:
        """GET a page as a signed-in person; the text, or "" when it failed."""
        with self.client.get(path, name=name, catch_response=True) as answer:
            return _check(answer, self.username)

    def pick(self, kind: str, pattern: re.Pattern[str], text: str) -> str | None:
        found = pattern.findall(text)
        if found:
            self.seen[kind] = [f if isinstance(f, str) else f[0] for f in found]
        known = self.seen.get(kind)
        return random.choice(known) if known else None


def _csrf(text: str) -> str:
    found = CSRF.search(text)
    return found.group(1) if found else ""


def _check(answer: ResponseContextManager, username: str) -> str:
    if answer.status_code >= 400:
        answer.failure(f"{answer.status_code} for {username}")
        return ""
    if answer.url and "/login" in answer.url.split("?")[0]:
        answer.failure(f"{username} was sent back to the sign-in page")
        return ""
    answer.success()
    return str(answer.text)


# --- the pages, one function each ---------------------------------------------------------------


def home(p: Person) -> None:
    p.page("/", "GET /")


def case_list(p: Person, *, filtered: bool = True) -> None:
    choices = [
        "",
        f"?stage={random.choice(STAGES)}",
        "?overdue=1",
        "?page=2",
        "?stage=assistance&page=2",
    ]
    query = random.choice(choices) if filtered and p.seen.get("case") else ""
    text = p.page(f"/cases{query}", "GET /cases (filters)" if query else "GET /cases")
    p.pick("case", CASE, text)
    p.references = REFERENCE.findall(text) or p.references


def case_search(p: Person) -> None:
    # Search by reference (issue 18, item 3); the list ignores `q` until the search lands.
    if not p.references:
        case_list(p, filtered=False)
    term = random.choice(p.references) if p.references else "2026"
    text = p.page(f"/cases?q={term}", "GET /cases?q= (search)")
    p.pick("case", CASE, text)


def _a_case(p: Person) -> str | None:
    if not p.seen.get("case"):
        case_list(p, filtered=False) if p.role == "case_worker" else referral_inbox(p)
    known = p.seen.get("case")
    return random.choice(known) if known else None


def case_page(p: Person) -> None:
    if (case_id := _a_case(p)) is not None:
        p.page(f"/cases/{case_id}", "GET /cases/{id}")


def case_profile(p: Person) -> None:
    if (case_id := _a_case(p)) is not None:
        p.page(f"/cases/{case_id}/profile", "GET /cases/{id}/profile")


def case_note(p: Person) -> None:
    """A case worker writes a note on a case of their agency, from the case page."""
    case_id = _a_case(p)
    if case_id is None:
        return
    text = p.page(f"/cases/{case_id}", "GET /cases/{id}")
    form = re.search(
        r'action="/cases/[0-9a-f-]{36}/notes".*?name="csrf_token" value="([^"]+)"', text, re.S
    )
    if form is None:
        return
    body = random.choice(
        ["Called the shelter; follow-up on Thursday.", "Interview held with an interpreter."]
    )
    with p.client.post(
        f"/cases/{case_id}/notes",
        data={"body": body, "csrf_token": form.group(1)},
        name="POST /cases/{id}/notes",
        allow_redirects=False,
        catch_response=True,
    ) as answer:
        if answer.status_code == 303:
            answer.success()
        else:
            answer.failure(f"note: {answer.status_code} for {p.username}")
            return
    p.page(f"/cases/{case_id}?done=note", "GET /cases/{id}")


def referral_inbox(p: Person) -> None:
    text = p.page("/referrals", "GET /referrals")
    p.pick("referral", REFERRAL, text)
    p.pick("case", CASE, text)


def referral_overdue(p: Person) -> None:
    p.page("/referrals/overdue", "GET /referrals/overdue")


def referral_page(p: Person) -> None:
    if not p.seen.get("referral"):
        referral_inbox(p)
    if p.seen.get("referral"):
        text = p.page(f"/referrals/{random.choice(p.seen['referral'])}", "GET /referrals/{id}")
        p.pick("case", CASE, text)


def referral_move(p: Person) -> None:
    """A provider answers a referral: accept a request, start or complete the service."""
    if not p.seen.get("referral"):
        referral_inbox(p)
    for referral_id in random.sample(p.seen.get("referral", []), k=len(p.seen.get("referral", []))):
        text = p.page(f"/referrals/{referral_id}", "GET /referrals/{id}")
        action = ACTION.search(text)
        if action is None:
            continue
        with p.client.post(
            f"/referrals/{referral_id}/move",
            data={"action": action.group(1), "reason": "", "csrf_token": _csrf(text)},
            name="POST /referrals/{id}/move",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code == 303:
                answer.success()
            else:
                answer.failure(f"referral move: {answer.status_code} for {p.username}")
        return


def screenings(p: Person) -> None:
    p.page("/screening", "GET /screening")


def identification(p: Person) -> None:
    text = p.page("/identification", "GET /identification")
    p.pick("screening", SCREENING, text)


def screening_result(p: Person) -> None:
    if not p.seen.get("screening"):
        identification(p)
    if p.seen.get("screening"):
        p.page(
            f"/screening/{random.choice(p.seen['screening'])}/result", "GET /screening/{id}/result"
        )


def entities(p: Person) -> None:
    text = p.page("/entities", "GET /entities")
    found = ENTITY.findall(text)
    if found:
        p.seen["entity"] = [i for i, _name in found]
        p.entity_names = [name.split()[0] for _i, name in found if name.strip()]


def entity_search(p: Person) -> None:
    if not p.entity_names:
        entities(p)
    term = random.choice(p.entity_names) if p.entity_names else "a"
    p.page(f"/entities?q={term}", "GET /entities?q= (search)")


def entity_page(p: Person) -> None:
    if not p.seen.get("entity"):
        entities(p)
    if p.seen.get("entity"):
        p.page(f"/entities/{random.choice(p.seen['entity'])}", "GET /entities/{id}")


def exchange_inbox(p: Person) -> None:
    text = p.page("/exchange", "GET /exchange")
    p.pick("message", MESSAGE, text)


def exchange_sent(p: Person) -> None:
    text = p.page("/exchange/sent", "GET /exchange/sent")
    p.pick("message", MESSAGE, text)


def exchange_message(p: Person) -> None:
    if not p.seen.get("message"):
        exchange_inbox(p)
    if p.seen.get("message"):
        p.page(
            f"/exchange/messages/{random.choice(p.seen['message'])}", "GET /exchange/messages/{id}"
        )


def contacts(p: Person) -> None:
    p.page("/exchange/contacts", "GET /exchange/contacts")


def audit(p: Person) -> None:
    p.page("/audit", "GET /audit")


def audit_filtered(p: Person) -> None:
    action = random.choice(["case.read", "case.list", "auth.login"])
    p.page(f"/audit?action={action}", "GET /audit (filters)")


def dashboards(p: Person) -> None:
    p.page("/stats", "GET /stats")


def services(p: Person) -> None:
    p.page("/services", "GET /services")


def plans(p: Person) -> None:
    p.page("/plans", "GET /plans")


def investigations(p: Person) -> None:
    p.page("/investigations", "GET /investigations")


def monitor(p: Person) -> None:
    p.page("/monitor", "GET /monitor")


def own_profile(p: Person) -> None:
    p.page("/profile", "GET /profile")


STEPS: dict[str, Callable[[Person], None]] = {
    f.__name__: f
    for f in (
        home, case_list, case_search, case_page, case_profile, case_note, referral_inbox,
        referral_overdue, referral_page, referral_move, screenings, identification,
        screening_result, entities, entity_search, entity_page, exchange_inbox, exchange_sent,
        exchange_message, contacts, audit, audit_filtered, dashboards, services, plans,
        investigations, monitor, own_profile,
    )
}  # fmt: skip

# Each role's pages and how often it opens them (relative weights), in the order of its first walk
# (the writes early, so that a short run under load has some): reads dominate, a case worker
# writes a note about one click in twenty, a provider answers a referral about one in fifteen.
JOURNEYS: dict[str, list[tuple[str, float]]] = {
    "case_worker": [
        ("home", 1), ("case_list", 4), ("case_note", 1), ("case_search", 2), ("case_page", 5),
        ("case_profile", 2), ("referral_inbox", 1), ("referral_overdue", 1), ("dashboards", 0.5),
    ],
    "service_provider": [
        ("home", 1), ("referral_inbox", 4), ("referral_move", 1), ("referral_overdue", 2),
        ("referral_page", 4), ("case_page", 2), ("services", 1),
    ],
    "screener": [("home", 1), ("screenings", 3), ("services", 1), ("dashboards", 1)],
    "coordinator": [("home", 1), ("dashboards", 4), ("services", 1), ("plans", 1)],
    "investigator": [
        ("home", 1), ("identification", 3), ("screening_result", 1), ("entities", 1),
        ("entity_search", 3), ("entity_page", 2), ("investigations", 1),
    ],
    "prosecutor": [
        ("home", 1), ("identification", 2), ("entity_search", 2), ("entity_page", 1),
        ("investigations", 2),
    ],
    "liaison_officer": [
        ("home", 1), ("exchange_inbox", 4), ("exchange_sent", 1), ("exchange_message", 2),
        ("contacts", 1),
    ],
    "analyst": [("home", 1), ("dashboards", 4), ("monitor", 1), ("plans", 1)],
    "auditor": [("home", 1), ("audit", 4), ("audit_filtered", 2), ("own_profile", 1)],
    "admin": [("home", 2), ("audit", 3), ("audit_filtered", 1)],
    "default": [("home", 1), ("own_profile", 1)],
}  # fmt: skip


class Probe(HttpUser):
    """The baseline: `/healthz` once a second, under the same load (a load balancer's probe)."""

    fixed_count = 1
    wait_time = constant(1)

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name=HEALTH)
