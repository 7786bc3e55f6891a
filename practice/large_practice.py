"""A large practice for measuring Bridgework at scale: `flask --app practice seed-large`.

At full size: 20 supervisors, 200 counselors, 5,000 couples, 10,000 clients, 24,000
assignments, 500,000 check-ins, 21,000 flags, 100,000 safety screens and 500,000 audit
entries, over a year of history. `--scale 0.1` makes a tenth of the practice with the same
caseload per person. The demo practice (and its sign-ins) is inside it: counselor@example.org
holds 40 couples and supervisor@example.org oversees 10 counselors at every scale.

The data follows the app's own rules: occurrences come from each assignment's schedule in
the couple's time zone, check-ins answer due days only (sent that evening or within the
expiry window, never in the future), a completed safety screen with a 'yes' raises an urgent
harm flag, every flag's history matches its status, and the audit log only grows. Rows are
written with bulk inserts; ids are chosen here so children can point at parents without a
round trip.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import JSON, Boolean, Date, DateTime, func, select, text
from sqlalchemy.exc import DBAPIError

from .audit.models import AuditEntry
from .auth.models import Supervision, User
from .checkins.models import CheckIn
from .clock import local_to_utc, local_today, utcnow
from .content import SAFETY_QUESTIONS, SIGNS, SITUATIONS
from .couples.models import CaseAssignment, Couple, Partner
from .exercises.models import Assignment, Exercise
from .exercises.schedule import schedule_dates
from .extensions import db
from .flags.models import Flag, FlagEvent, SafetyScreen

FULL_SIZE = {
    "supervisors": 20, "counselors": 200, "couples": 5000, "assignments": 24000,
    "checkins": 500_000, "flags": 21000, "screens": 100_000, "audit": 500_000,
}
TEAM_SIZE = 10  # counselors per supervisor
DEMO_COUNSELOR_COUPLES = 40
HISTORY_DAYS = 365
BATCH = 5000
TIMEZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
             "Europe/London", "Europe/Berlin", "Europe/Madrid", "Australia/Sydney",
             "Pacific/Auckland", "Asia/Tokyo")
FIRST = ("Alex", "Blake", "Casey", "Dana", "Eli", "Frankie", "Gray", "Harper", "Indy", "Jules",
         "Kai", "Lee", "Morgan", "Noor", "Oak", "Parker", "Quinn", "Riley", "Sage", "Tatum")
LAST = ("Abara", "Brandt", "Castillo", "Dimitrov", "Eriksen", "Fontaine", "Gallo", "Hoang",
        "Iqbal", "Jansen", "Kowal", "Lindqvist", "Mensah", "Nakata", "Oduya", "Petrov",
        "Quintero", "Rasku", "Sato", "Tanaka", "Urban", "Varga", "Wren", "Yilmaz", "Zeller")
CADENCES = (("daily", 3), ("weekdays", 2), ("weekly", 4), ("biweekly", 1), ("once", 1))
SEVERITY_WEIGHTS = (("low", 30), ("moderate", 40), ("high", 22), ("urgent", 8))
AUDIT_ACTIONS = ("couple_viewed", "checkin_viewed", "checkins_viewed", "flags_listed",
                 "flag_viewed", "case_notes_viewed")


@dataclass
class _Couple:
    id: int
    counselor_id: int
    timezone: str
    status: str
    created: datetime
    partners: list[int] = field(default_factory=list)


class LargePractice:
    """Builds the rows, table by table, and writes them in batches."""

    def __init__(self, scale: float, seed: int = 2026):
        self.scale = scale
        self.rng = random.Random(seed)  # noqa: S311 - repeatable sample data, not secrets
        self.now = utcnow()
        self.size = {name: max(1, round(value * scale)) for name, value in FULL_SIZE.items()}
        self.counts: dict[str, int] = {}
        self.next_id: dict[str, int] = {}
        self.password_hash = ""
        self._evenings: dict[tuple[str, date], datetime] = {}

    # ------------------------------------------------------------ plumbing

    def _id(self, model) -> int:
        table = model.__tablename__
        if table not in self.next_id:
            self.next_id[table] = (db.session.scalar(select(func.max(model.id))) or 0) + 1
        value = self.next_id[table]
        self.next_id[table] += 1
        return value

    def _write(self, model, rows: Iterator[dict] | list[dict]) -> None:
        """Insert rows through the driver: COPY on PostgreSQL, executemany on SQLite.

        SQLAlchemy's per-value processing would take most of the time at this size, so
        values are written in each driver's own form here (dates and times as SQLAlchemy
        stores them on SQLite, JSON as text).
        """
        table = model.__table__.name
        raw = db.session.connection().connection.driver_connection
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return
        columns = list(first)
        names = ", ".join(columns)
        postgres = db.engine.dialect.name == "postgresql"
        convert = [_converter(model.__table__.c[c].type, postgres) for c in columns]
        count = 0
        if postgres:
            with raw.cursor() as cursor, cursor.copy(
                    f"COPY {table} ({names}) FROM STDIN") as copy:  # noqa: S608 - our names
                for row in _chain(first, rows):
                    copy.write_row([f(row[c]) if f and row[c] is not None else row[c]
                                    for f, c in zip(convert, columns, strict=True)])
                    count += 1
        else:
            statement = (f"INSERT INTO {table} ({names}) "  # noqa: S608 - our own names
                         f"VALUES ({', '.join('?' for _ in columns)})")
            batch: list[tuple] = []
            for row in _chain(first, rows):
                batch.append(tuple(f(row[c]) if f and row[c] is not None else row[c]
                                   for f, c in zip(convert, columns, strict=True)))
                if len(batch) == BATCH:
                    raw.executemany(statement, batch)
                    count += len(batch)
                    batch = []
            raw.executemany(statement, batch)
            count += len(batch)
        self.counts[table] = self.counts.get(table, 0) + count

    def _name(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def _ago(self, most_days: int) -> datetime:
        return self.now - timedelta(days=self.rng.uniform(0, most_days))

    # ------------------------------------------------------------ the practice

    def build(self) -> dict[str, int]:
        demo = {u.email: u for u in db.session.scalars(
            select(User).where(User.email.like("%@example.org")))}
        self.password_hash = demo["admin@example.org"].password_hash
        unchecked = self._fast_load()
        self.exercises = db.session.execute(
            select(Exercise.id, Exercise.kind).where(Exercise.is_builtin.is_(True))).all()
        supervisors, counselors = self._staff(demo)
        couples = self._couples(demo, counselors)
        assignments = self._assignments(couples)
        self._write(CheckIn, self._checkins(couples, assignments))
        screens_with_harm = self._screens(couples)
        self._flags(couples, screens_with_harm)
        self._audit(couples, supervisors, counselors)
        self._restart_sequences()
        if unchecked:
            self._check_references()
        return self.counts

    def _fast_load(self) -> bool:
        """Make the bulk load fast; True when foreign keys go unchecked until the end.

        SQLite gets a large page cache for the indexes being filled. On PostgreSQL, checking
        each row's foreign keys one by one takes most of the time, so a superuser session
        skips them (session_replication_role) and `_check_references` checks every
        reference at the end in one query per foreign key; without the right the load runs
        with the usual checks.
        """
        connection = db.session.connection()
        if db.engine.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA cache_size=-262144")
            return False
        try:
            with connection.begin_nested():
                connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        except DBAPIError:
            return False
        return True

    def _check_references(self) -> None:
        """Every foreign key of every table written points at an existing row."""
        for name in self.counts:
            table = db.metadata.tables[name]
            for fk in table.foreign_keys:
                child = fk.parent
                target = fk.column.table.alias("target")
                parent = target.c[fk.column.name]
                orphans = db.session.scalar(
                    select(func.count()).select_from(table)
                    .outerjoin(target, parent == child)
                    .where(child.is_not(None), parent.is_(None)))
                if orphans:
                    raise RuntimeError(f"{orphans} rows of {name}.{child.name} point nowhere")

    def _staff(self, demo: dict[str, User]) -> tuple[list[int], list[int]]:
        supervisors = [demo["supervisor@example.org"].id]
        counselors = [demo["counselor@example.org"].id, demo["counselor2@example.org"].id]
        rows = []
        for role, wanted, ids in (("supervisor", self.size["supervisors"], supervisors),
                                  ("counselor", self.size["counselors"], counselors)):
            for n in range(len(ids), wanted):
                user_id = self._id(User)
                ids.append(user_id)
                rows.append(self._user(user_id, f"{role}{n}@large.example.org", role))
        self._write(User, rows)
        links = []
        for index, counselor_id in enumerate(counselors):
            supervisor_id = supervisors[min(index // TEAM_SIZE, len(supervisors) - 1)]
            if index >= 2 or supervisor_id != supervisors[0]:  # the demo already links these
                links.append({"supervisor_id": supervisor_id, "counselor_id": counselor_id,
                              "created_at": self.now})
        self._write(Supervision, links)
        return supervisors, counselors

    def _user(self, user_id: int, email: str, role: str, name: str | None = None) -> dict:
        created = self._ago(HISTORY_DAYS + 30)
        return {"id": user_id, "email": email, "display_name": name or self._name(),
                "role": role, "password_hash": self.password_hash, "active": True,
                "created_at": created, "updated_at": created}

    def _couples(self, demo: dict[str, User], counselors: list[int]) -> list[_Couple]:
        existing = db.session.scalar(select(func.count()).select_from(Couple))
        wanted = max(self.size["couples"] - existing, DEMO_COUNSELOR_COUPLES)
        first = demo["counselor@example.org"].id
        own = db.session.scalar(select(func.count()).where(Couple.counselor_id == first))
        plan = [first] * max(DEMO_COUNSELOR_COUPLES - own, 0)
        others = counselors[1:]
        plan += [others[i % len(others)] for i in range(max(wanted - len(plan), 0))]
        couples, users, partners, cases, couple_rows = [], [], [], [], []
        for counselor_id in plan:
            created = self._ago(HISTORY_DAYS)
            status = self.rng.choices(("active", "paused", "closed"), (90, 7, 3))[0]
            couple = _Couple(self._id(Couple), counselor_id, self.rng.choice(TIMEZONES),
                             status, created)
            names = [self._name() for _ in range(1 if self.rng.random() < 0.05 else 2)]
            label = " & ".join(n.split()[1] for n in names)
            couple_rows.append({
                "id": couple.id, "label": label, "counselor_id": counselor_id,
                "status": status, "timezone": couple.timezone, "joint_work_paused": False,
                "screen_interval_days": 14, "version": 1, "created_at": created,
                "updated_at": created})
            for slot, name in enumerate(names, start=1):
                user_id = self._id(User)
                couple.partners.append(user_id)
                users.append(self._user(user_id, f"client{user_id}@large.example.org",
                                        "client", name))
                partners.append({"id": self._id(Partner), "couple_id": couple.id,
                                 "user_id": user_id, "slot": slot, "created_at": created})
            cases.append({"id": self._id(CaseAssignment), "couple_id": couple.id,
                          "counselor_id": counselor_id, "started_at": created})
            couples.append(couple)
        self._write(Couple, couple_rows)
        self._write(User, users)
        self._write(Partner, partners)
        self._write(CaseAssignment, cases)
        return couples

    def _evening_utc(self, timezone: str, day: date) -> datetime:
        """18:00 on `day` in `timezone`, as naive UTC (cached: zone lookups are slow)."""
        key = (timezone, day)
        if key not in self._evenings:
            self._evenings[key] = local_to_utc(datetime.combine(day, time(18)), timezone)
        return self._evenings[key]

    def _today(self, couple: _Couple) -> date:
        return local_today(couple.timezone)

    def _assignments(self, couples: list[_Couple]) -> list[dict]:
        per_couple = self.size["assignments"] / max(len(couples), 1)
        rows = []
        for couple in couples:
            today = self._today(couple)
            began = couple.created.date()
            n = max(1, round(self.rng.gauss(per_couple, 1.2)))
            for k in range(n):
                cadence = self.rng.choices([c for c, _ in CADENCES], [w for _, w in CADENCES])[0]
                span = max((today - began).days, 1)
                start = began + timedelta(days=int(span * k / n) + self.rng.randrange(7))
                start = min(start, today)
                current = k >= n - 2 and couple.status != "closed"
                end = None if current else min(start + timedelta(days=self.rng.randint(14, 70)),
                                               today - timedelta(days=1))
                if end is not None and end < start:
                    end = start
                exercise_id, kind = self.rng.choice(self.exercises)
                alone = len(couple.partners) == 1 or self.rng.random() < 0.2
                rows.append({
                    "id": self._id(Assignment), "couple_id": couple.id,
                    "exercise_id": exercise_id,
                    "partner_id": self.rng.choice(couple.partners) if alone and len(
                        couple.partners) > 1 else None,
                    "cadence": cadence,
                    "weekdays": ",".join(sorted(self.rng.sample("0123456", 3)))
                    if cadence == "weekdays" else None,
                    "start_date": start, "end_date": end, "occurrence_limit": None,
                    "instructions": None, "status": "active" if current else "ended",
                    "previous_id": None, "created_by_id": couple.counselor_id, "version": 1,
                    "created_at": couple.created, "updated_at": couple.created,
                    "_kind": kind,
                })
        self._write(Assignment, (
            {k: v for k, v in r.items() if not k.startswith("_")} for r in rows))
        return rows

    def _checkins(self, couples: list[_Couple], assignments: list[dict]) -> Iterator[dict]:
        by_id = {c.id: c for c in couples}
        engagement = {pid: self.rng.choice((0.95, 0.8, 0.6, 0.35))
                      for c in couples for pid in c.partners}
        gone_quiet = {pid for pid in engagement if self.rng.random() < 0.12}
        due: list[tuple[dict, int, list[date]]] = []
        expected = 0.0
        for a in assignments:
            couple = by_id[a["couple_id"]]
            yesterday = self._today(couple) - timedelta(days=1)
            days = schedule_dates(a["cadence"], a["start_date"], a["weekdays"], a["end_date"],
                                  None, a["start_date"], yesterday)
            people = [a["partner_id"]] if a["partner_id"] else couple.partners
            for pid in people:
                due.append((a, pid, days))
                expected += len(days) * engagement[pid]
        factor = min(self.size["checkins"] / expected, 1.0) if expected else 0.0
        sign_keys = [key for key, _ in SIGNS]
        for a, pid, days in due:
            couple = by_id[a["couple_id"]]
            quiet_from = self._today(couple) - timedelta(days=21)
            chance = engagement[pid] * factor
            mood = self.rng.randint(3, 9)
            for day in days:
                if self.rng.random() >= chance or (pid in gone_quiet and day >= quiet_from):
                    continue
                sent = self._evening_utc(couple.timezone, day) + timedelta(
                    minutes=int(self.rng.random() * 1620))
                if sent > self.now:
                    sent = self.now - timedelta(minutes=self.rng.randint(1, 300))
                reviewed = sent < self.now - timedelta(days=5) or self.rng.random() < 0.4
                signs = None
                if a["_kind"] == "signs":
                    signs = {key: self.rng.randint(0, 2) for key in sign_keys}
                checkin_id = self._id(CheckIn)
                yield {
                    "id": checkin_id, "assignment_id": a["id"], "couple_id": couple.id,
                    "partner_id": pid, "due_date": day, "submit_token": f"large-{checkin_id}",
                    "outcome": self.rng.choices(("done", "partly", "not_this_time"),
                                                (70, 20, 10))[0],
                    "closeness": None if signs else max(1, min(10, mood + self.rng.randint(
                        -2, 2))),
                    "reflection": None, "share_with_partner": False, "private_note": None,
                    "broke_trust": False, "signs_answers": signs,
                    "signs_score": sum(signs.values()) if signs else None,
                    "submitted_at": sent,
                    "reviewed_at": min(sent + timedelta(hours=20), self.now) if reviewed
                    else None,
                    "reviewed_by_id": couple.counselor_id if reviewed else None,
                    "feedback": None, "feedback_at": None, "feedback_by_id": None,
                    "version": 1, "created_at": sent, "updated_at": sent,
                }

    def _screens(self, couples: list[_Couple]) -> list[dict]:
        """Every partner's screens, about every two weeks; returns those that showed harm."""
        per_partner = self.size["screens"] / max(sum(len(c.partners) for c in couples), 1)
        keys = [key for key, _ in SAFETY_QUESTIONS]
        rows, harmful = [], []
        for couple in couples:
            life = (self.now - couple.created).days
            for pid in couple.partners:
                n = max(1, min(round(self.rng.gauss(per_partner, 2)), life // 7 + 1))
                for k in range(n):
                    at = couple.created + timedelta(days=life * k / n, hours=self.rng.randint(
                        1, 12))
                    at = min(at, self.now)
                    completed = self.rng.random() < 0.92
                    harm = completed and self.rng.random() < 0.003
                    answers = ({key: "no" for key in keys} if completed else None)
                    if harm:
                        answers[self.rng.choice(keys)] = "yes"
                    row = {"id": self._id(SafetyScreen), "couple_id": couple.id,
                           "partner_id": pid, "context": "first_login" if k == 0 else
                           "scheduled", "checkin_id": None,
                           "status": "completed" if completed else "deferred",
                           "answers": answers, "note": None, "indicates_harm": harm,
                           "created_at": at}
                    rows.append(row)
                    if harm:
                        harmful.append((couple, row))
        self._write(SafetyScreen, rows)
        return harmful

    def _flags(self, couples: list[_Couple], harmful: list) -> None:
        flags, events = [], []
        raised = [(couple, "harm", "urgent", "client", row["partner_id"], row["created_at"],
                   row["id"]) for couple, row in harmful]
        for _ in range(max(self.size["flags"] - len(raised), 0)):
            couple = self.rng.choice(couples)
            category = self.rng.choice([c for c in SITUATIONS if c != "harm"])
            severity = self.rng.choices([s for s, _ in SEVERITY_WEIGHTS],
                                        [w for _, w in SEVERITY_WEIGHTS])[0]
            partner = self.rng.choice(couple.partners) if self.rng.random() < 0.5 else None
            at = couple.created + (self.now - couple.created) * self.rng.random()
            raised.append((couple, category, severity, "counselor", partner, at, None))
        for couple, category, severity, source, partner, at, screen_id in raised:
            flag_id = self._id(Flag)
            age = (self.now - at).days
            if couple.status == "closed" or age > 30:
                status = "resolved"
            else:
                status = self.rng.choices(
                    ("open", "acknowledged", "session_scheduled", "resolved"), (35, 30, 15, 20))[0]
            path = {"open": ["open"], "acknowledged": ["open", "acknowledged"],
                    "session_scheduled": ["open", "acknowledged", "session_scheduled"],
                    "resolved": ["open", "acknowledged", "resolved"]}[status]
            moments = sorted(at + (min(self.now, at + timedelta(days=20)) - at)
                             * self.rng.random() for _ in path[1:])
            acknowledged = moments[0] if len(path) > 1 else None
            resolved = moments[-1] if status == "resolved" else None
            actor = partner if source == "client" else couple.counselor_id
            flags.append({
                "id": flag_id, "couple_id": couple.id, "partner_id": partner,
                "category": category, "severity": severity,
                "description": "Raised from a safety screen; see the screen." if screen_id
                else "Raised by the counselor after a session.",
                "source": source, "rule_key": None, "status": status,
                "resolution_note": "Followed up in session." if resolved else None,
                "raised_by_id": actor, "checkin_id": None, "screen_id": screen_id,
                "acknowledged_at": acknowledged, "resolved_at": resolved,
                "supervision_reviewed_at": None, "version": len(path),
                "created_at": at, "updated_at": moments[-1] if moments else at,
            })
            previous = None
            for step, moment in zip(path, [at, *moments], strict=True):
                events.append({"id": self._id(FlagEvent), "flag_id": flag_id,
                               "actor_id": actor if previous is None else couple.counselor_id,
                               "action": "raised" if previous is None else "status_changed",
                               "from_status": previous, "to_status": step, "note": None,
                               "at": moment})
                previous = step
        self._write(Flag, flags)
        self._write(FlagEvent, events)
        # An open harm flag holds joint work, as the counselor would have paused it.
        open_harm = [f["couple_id"] for f in flags
                     if f["category"] == "harm" and f["status"] != "resolved"]
        if open_harm:
            db.session.execute(Couple.__table__.update().where(Couple.id.in_(open_harm))
                               .values(joint_work_paused=True))

    def _audit(self, couples: list[_Couple], supervisors: list[int], counselors: list[int]):
        wanted = self.size["audit"]
        start = self.now - timedelta(days=HISTORY_DAYS)
        step = (self.now - start) / wanted
        supervisor_of = {c: supervisors[min(i // TEAM_SIZE, len(supervisors) - 1)]
                         for i, c in enumerate(counselors)}
        # An entry keeps who acted by id and email, as record() writes it.
        emails = dict(db.session.execute(
            select(User.id, User.email).where(User.id.in_({*supervisors, *counselors}))).all())

        def rows():
            for n in range(wanted):
                couple = self.rng.choice(couples)
                by_supervisor = self.rng.random() < 0.1
                actor = supervisor_of.get(couple.counselor_id, supervisors[0]) \
                    if by_supervisor else couple.counselor_id
                action = self.rng.choice(AUDIT_ACTIONS)
                yield {"id": self._id(AuditEntry), "at": start + step * n, "actor_id": actor,
                       "actor_email": emails.get(actor),
                       "actor_role": "supervisor" if by_supervisor else "counselor",
                       "action": action, "object_type": "couple", "object_id": couple.id,
                       "couple_id": couple.id, "outcome": "ok", "ip": "127.0.0.1",
                       "path": f"/couples/{couple.id}", "detail": None}

        self._write(AuditEntry, rows())

    def _restart_sequences(self) -> None:
        if db.engine.dialect.name != "postgresql":
            return
        for model in (User, Couple, Partner, CaseAssignment, Assignment, CheckIn, SafetyScreen,
                      Flag, FlagEvent, AuditEntry):
            table = model.__tablename__
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT coalesce(max(id), 1) FROM {table}))"))


def _chain(first, rest):
    yield first
    yield from rest


def _converter(column_type, postgres: bool):
    """How a value of this column type is handed to the driver (None: as it is)."""
    if isinstance(column_type, JSON):
        return json.dumps
    if postgres:
        return None
    if isinstance(column_type, DateTime):  # SQLAlchemy's SQLite storage format
        return lambda value: value.isoformat(" ", "microseconds")
    if isinstance(column_type, Date):
        return date.isoformat
    if isinstance(column_type, Boolean):
        return int
    return None


def seed_large(scale: float) -> dict[str, int]:
    """The demo practice, then the large practice around it. Flushes; the caller commits."""
    from .checkins.engagement import refresh_summaries
    from .demo import seed_demo

    seed_demo()
    db.session.flush()
    counts = LargePractice(scale).build()
    refresh_summaries(db.session.scalars(select(Couple.id)))
    return counts
