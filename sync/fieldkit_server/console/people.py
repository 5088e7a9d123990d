"""The people who sign in to the office console: accounts, passwords, sessions, lock-out.

- Passwords are hashed with Argon2id (``argon2-cffi``'s defaults); the password itself is
  never stored, logged or put on a command line (``fieldkit-server user add`` asks for it).
- A session is a random cookie; the database keeps its sha256 and a CSRF token. It ends
  after :data:`IDLE` without use, or :data:`LONGEST` after sign-in, or at sign-out.
- Failed sign-ins are rows in ``login_failures``, counted per account name and per client
  address over :data:`WINDOW` by every server process alike (as ``enrol_failures`` does
  for devices): past :data:`ACCOUNT_FAILURES` for a name, or :data:`ADDRESS_FAILURES` from
  an address, sign-in is refused — even with the right password — until the oldest
  counted failure leaves the window. A name that is no account counts the same, so the
  answer never tells whether an account exists.
- Each person has a row in ``devices`` of their own (no token: it can never sync), under
  which the console writes their changes into the feed (``writer.py``).
- A password an administrator chose in the console (a new account, a reset) is a first
  password: the person must choose their own at their next sign-in
  (``password_change_due``) before any other page opens. The office hands it over in
  person; nothing depends on e-mail, which a 物业 office's desk staff often lack.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, insert, select, update

from fieldkit.i18n import UserError
from fieldkit.sync.protocol import ALL_SITES
from fieldkit_server.db import Database
from fieldkit_server.tables import (
    ConsoleAction,
    ConsoleSession,
    ConsoleUser,
    Device,
    LoginFailure,
)

#: Console roles, least first. Each reads personal data and moves cases as the device role
#: beside it (the same masking and lifecycle rules a device of that role meets).
ROLES = ("desk", "supervisor", "manager", "admin")
DEVICE_ROLE = {"desk": "desk", "supervisor": "office", "manager": "office", "admin": "office"}
#: What each role may do beyond reading the dashboard, cases, incidents and reports.
#: ``units`` (importing units, residents and permits; printing labels) goes with the owner
#: records the service desk's supervisor keeps (业主档案), not to a desk clerk; ``people``
#: (accounts) to the administrator only.
GRANTS: dict[str, frozenset[str]] = {
    "desk": frozenset({"cases.act"}),
    "supervisor": frozenset({"cases.act", "devices", "checklists.publish", "units"}),
    "manager": frozenset({"cases.act", "devices", "checklists.publish", "units"}),
    "admin": frozenset({"cases.act", "devices", "checklists.publish", "units", "people"}),
}

PASSWORD_MIN = 10
PASSWORD_MAX = 200
NAME_MAX = 100
IDLE = timedelta(minutes=int(os.environ.get("FIELDKIT_CONSOLE_IDLE_MINUTES", "30") or 30))
LONGEST = timedelta(hours=12)
SEEN_EVERY = timedelta(seconds=60)
ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 30
WINDOW = timedelta(minutes=15)
MAX_FAILURE_ROWS = 10_000

_hasher = PasswordHasher()
#: Verified against when the name is no account, so a wrong name costs what a wrong
#: password does (the answer's time does not tell which names exist).
_DUMMY = _hasher.hash(secrets.token_urlsafe(16))


class PeopleError(UserError, ValueError):
    """Something the office asked that cannot be done; ``key`` names the message."""


@dataclass(frozen=True)
class Person:
    """A signed-in person as every console page sees them."""

    id: str
    name: str
    role: str
    site: str
    device_id: str
    change_due: bool = False

    @property
    def device_role(self) -> str:
        return DEVICE_ROLE[self.role]

    def may(self, grant: str) -> bool:
        return grant in GRANTS.get(self.role, frozenset())

    def sees(self, site: str) -> bool:
        return self.site == ALL_SITES or site in (self.site, ALL_SITES)


def _person(user: ConsoleUser) -> Person:
    return Person(user.id, user.name, user.role, user.site, user.device_id,
                  bool(user.password_change_due))  # fmt: skip


def _by(person: Person | None) -> tuple[str | None, str]:
    """Who to write in the audit trail: the person, or the command line ("system")."""
    return (person.id, person.name) if person is not None else (None, "system")


def now() -> datetime:
    return datetime.now(UTC)


def _aware(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def check_password(password: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise PeopleError("console.people.password_short", least=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:
        raise PeopleError("console.people.password_long", most=PASSWORD_MAX)


def add_user(
    db: Database, *, name: str, role: str, site: str, password: str,
    by: Person | None = None, change_due: bool = False,
) -> Person:  # fmt: skip
    """A new account (``change_due``: the password is a first one, see the module)."""
    name, site = name.strip(), site.strip()
    if not name or len(name) > NAME_MAX or any(not ch.isprintable() for ch in name):
        raise PeopleError("console.people.bad_name", most=NAME_MAX)
    if role not in ROLES:
        raise PeopleError("console.people.bad_role", roles=", ".join(ROLES))
    if not site or len(site) > 100 or (site == ALL_SITES and role == "desk"):
        raise PeopleError("console.people.bad_site")
    check_password(password)
    hashed = _hasher.hash(password)
    stamp = now()
    user_id, device_id = str(uuid.uuid4()), str(uuid.uuid4())
    with db.sessions() as session, session.begin():
        taken = session.execute(select(ConsoleUser.id).where(ConsoleUser.name == name)).first()
        if taken is not None:
            raise PeopleError("console.people.taken", name=name)
        session.execute(
            insert(Device).values(
                id=device_id, name=f"console: {name}"[:200], site=site,
                role=DEVICE_ROLE[role], created_at=stamp, last_seq=0,
            )
        )  # fmt: skip
        session.execute(
            insert(ConsoleUser).values(
                id=user_id, name=name, role=role, site=site, password_hash=hashed,
                device_id=device_id, created_at=stamp, password_change_due=change_due,
            )
        )  # fmt: skip
        _audit(session, *_by(by), "user_added", "user", user_id, site,
               {"role": role, "name": name})  # fmt: skip
    return Person(user_id, name, role, site, device_id, change_due)


def _find(session, name: str) -> ConsoleUser:
    user = session.execute(
        select(ConsoleUser).where(ConsoleUser.name == name.strip())
    ).scalar_one_or_none()
    if user is None:
        raise PeopleError("console.people.unknown", name=name)
    return user


def set_password(
    db: Database, name: str, password: str, by: Person | None = None, change_due: bool = False
) -> None:
    """A new password for the account; its sessions end (``change_due``: a first one)."""
    check_password(password)
    hashed = _hasher.hash(password)
    with db.sessions() as session, session.begin():
        user = _find(session, name)
        user.password_hash = hashed
        user.password_change_due = change_due
        session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user.id))
        _audit(session, *_by(by), "password_set", "user", user.id, user.site,
               {"name": user.name})  # fmt: skip


def change_own_password(
    db: Database, person: Person, current: str, new: str, keep_token: str = ""
) -> None:
    """The person's own new password, after their current one is checked; their other
    sessions end (``keep_token``: the one they are using stays)."""
    with db.sessions() as session:
        stored = session.execute(
            select(ConsoleUser.password_hash).where(ConsoleUser.id == person.id)
        ).scalar_one_or_none()
    try:
        good = stored is not None and _hasher.verify(stored, current[:PASSWORD_MAX])
    except (VerificationError, InvalidHashError):
        good = False
    if not good:
        raise PeopleError("console.people.wrong_current")
    check_password(new)
    if new == current:
        raise PeopleError("console.people.same_password")
    hashed = _hasher.hash(new)
    with db.sessions() as session, session.begin():
        session.execute(
            update(ConsoleUser).where(ConsoleUser.id == person.id)
            .values(password_hash=hashed, password_change_due=False)
        )  # fmt: skip
        session.execute(
            delete(ConsoleSession).where(
                ConsoleSession.user_id == person.id,
                ConsoleSession.token_hash != hash_secret(keep_token),
            )
        )
        _audit(session, person.id, person.name, "own_password_set", "user", person.id,
               person.site, {})  # fmt: skip


def disable_user(db: Database, name: str, by: Person | None = None) -> bool:
    """Disable the account and end its sessions; False when it was disabled already. The
    last administrator who can sign in is never disabled (nobody could add one back)."""
    with db.sessions() as session, session.begin():
        user = _find(session, name)
        if user.disabled_at is not None:
            return False
        if user.role == "admin":
            admins = session.execute(
                select(func.count()).select_from(ConsoleUser).where(
                    ConsoleUser.role == "admin", ConsoleUser.disabled_at.is_(None)
                )
            ).scalar_one()  # fmt: skip
            if admins <= 1:
                raise PeopleError("console.people.last_admin", name=user.name)
        user.disabled_at = now()
        session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user.id))
        _audit(session, *_by(by), "user_disabled", "user", user.id, user.site,
               {"name": user.name})  # fmt: skip
        return True


def list_users(db: Database, site: str = ALL_SITES) -> list[ConsoleUser]:
    """Every account, oldest first; only those of ``site`` unless it is ``*``."""
    query = select(ConsoleUser).order_by(ConsoleUser.created_at)
    if site != ALL_SITES:
        query = query.where(ConsoleUser.site == site)
    with db.sessions() as session:
        return list(session.execute(query).scalars())


def user_by_id(db: Database, user_id: str) -> ConsoleUser | None:
    with db.sessions() as session:
        return session.get(ConsoleUser, user_id[:36])


def has_admin(db: Database) -> bool:
    with db.read() as conn:
        found = conn.execute(
            select(ConsoleUser.id).where(
                ConsoleUser.role == "admin", ConsoleUser.disabled_at.is_(None)
            )
        ).first()
    return found is not None


def console_device_ids(db: Database) -> set[str]:
    with db.read() as conn:
        return set(conn.execute(select(ConsoleUser.device_id)).scalars())


# --- signing in ---------------------------------------------------------------------------


def wait_for(db: Database, account: str, address: str, at: datetime | None = None) -> float:
    """Seconds before the next sign-in attempt for ``account`` from ``address`` is taken
    (0: go ahead)."""
    at = at or now()
    waits = [0.0]
    for column, value, most in (
        (LoginFailure.account, account.strip()[:NAME_MAX], ACCOUNT_FAILURES),
        (LoginFailure.address, address[:64], ADDRESS_FAILURES),
    ):
        with db.read() as conn:
            oldest = conn.execute(
                select(LoginFailure.failed_at)
                .where(column == value, LoginFailure.failed_at > at - WINDOW)
                .order_by(LoginFailure.failed_at.desc())
                .offset(most - 1)
                .limit(1)
            ).scalar_one_or_none()
        if oldest is not None:
            waits.append(max(1.0, (_aware(oldest) + WINDOW - at).total_seconds()))
    return max(waits)


def _failed(db: Database, account: str, address: str, at: datetime) -> None:
    with db.sessions() as session, session.begin():
        new_id = session.execute(
            insert(LoginFailure).values(
                account=account.strip()[:NAME_MAX], address=address[:64], failed_at=at
            )
        ).inserted_primary_key[0]
        session.execute(
            delete(LoginFailure).where(
                (LoginFailure.failed_at <= at - WINDOW)
                | (LoginFailure.id <= new_id - MAX_FAILURE_ROWS)
            )
        )


@dataclass(frozen=True)
class SignIn:
    person: Person | None
    wait: float = 0.0  # seconds: locked out
    token: str = ""


def sign_in(db: Database, name: str, password: str, address: str) -> SignIn:
    """Check the name and password; a new session when right. Refused without checking
    while the account or the address is locked out."""
    at = now()
    name = name.strip()[:NAME_MAX]
    wait = wait_for(db, name, address, at)
    if wait:
        _audit_db(db, None, name, "sign_in_locked", "user", "", "", {"address": address[:64]})
        return SignIn(None, wait)
    with db.sessions() as session:
        user = session.execute(
            select(ConsoleUser).where(ConsoleUser.name == name)
        ).scalar_one_or_none()
    stored = user.password_hash if user is not None and user.disabled_at is None else None
    try:
        good = _hasher.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        good = False
    if not good or user is None:
        _failed(db, name, address, at)
        _audit_db(db, None, name, "sign_in_failed", "user", "", "", {"address": address[:64]})
        return SignIn(None, wait_for(db, name, address, at))
    token = secrets.token_urlsafe(32)
    with db.sessions() as session, session.begin():
        if _hasher.check_needs_rehash(stored):
            session.execute(
                update(ConsoleUser)
                .where(ConsoleUser.id == user.id)
                .values(password_hash=_hasher.hash(password))
            )
        session.execute(
            update(ConsoleUser).where(ConsoleUser.id == user.id).values(last_login_at=at)
        )
        session.execute(
            delete(LoginFailure).where(LoginFailure.account == name)
        )  # a success forgives the account's earlier slips
        session.execute(
            insert(ConsoleSession).values(
                token_hash=hash_secret(token), user_id=user.id,
                csrf=secrets.token_urlsafe(32), created_at=at, seen_at=at,
            )
        )  # fmt: skip
        _audit(session, user.id, user.name, "signed_in", "user", user.id, user.site, {})
    return SignIn(_person(user), 0.0, token)


@dataclass(frozen=True)
class Session:
    person: Person
    csrf: str


def session_of(db: Database, token: str | None, at: datetime | None = None) -> Session | None:
    """The live session the cookie names (None: none, ended, idle too long, or the
    account disabled); its last use is noted at most once a minute."""
    if not token or len(token) > 200:
        return None
    at = at or now()
    key = hash_secret(token)
    with db.sessions() as session:
        found = session.execute(
            select(ConsoleSession, ConsoleUser)
            .join(ConsoleUser, ConsoleUser.id == ConsoleSession.user_id)
            .where(ConsoleSession.token_hash == key)
        ).first()
    if found is None:
        return None
    stored, user = found
    if (
        user.disabled_at is not None
        or at - _aware(stored.seen_at) > IDLE
        or at - _aware(stored.created_at) > LONGEST
    ):
        end_session(db, token)
        return None
    if at - _aware(stored.seen_at) >= SEEN_EVERY:
        with db.sessions() as session, session.begin():
            session.execute(
                update(ConsoleSession).where(ConsoleSession.token_hash == key).values(seen_at=at)
            )
    return Session(_person(user), stored.csrf)


def end_session(db: Database, token: str) -> None:
    with db.sessions() as session, session.begin():
        session.execute(
            delete(ConsoleSession).where(ConsoleSession.token_hash == hash_secret(token))
        )


# --- the audit trail ----------------------------------------------------------------------


def _audit(session, user_id, user_name, action, kind, record_id, site, detail) -> None:
    import orjson

    session.execute(
        insert(ConsoleAction).values(
            at=now(), user_id=user_id, user_name=str(user_name)[:100], action=action,
            kind=kind, record_id=str(record_id)[:200], site=str(site)[:100],
            detail=orjson.dumps(detail).decode(),
        )
    )  # fmt: skip


def _audit_db(db: Database, user_id, user_name, action, kind, record_id, site, detail) -> None:
    with db.sessions() as session, session.begin():
        _audit(session, user_id, user_name, action, kind, record_id, site, detail)


def record(
    db: Database, person: Person, action: str, kind: str = "", record_id: str = "",
    site: str = "", **detail: object,
) -> None:  # fmt: skip
    """Note that ``person`` did ``action`` (the audit trail, with their name)."""
    _audit_db(db, person.id, person.name, action, kind, record_id, site, detail)


def actions_count(db: Database, action: str) -> int:
    query = select(func.count()).select_from(ConsoleAction).where(ConsoleAction.action == action)
    with db.read() as conn:
        return int(conn.execute(query).scalar_one())
