"""The demo practice: a small, realistic caseload to explore Bridgework with.

Everything the demo holds is made here: accounts and couples below, homework and check-ins in
homework.py, flags and focused sessions in flags.py, appointments in appointments.py.
"""

from __future__ import annotations

from sqlalchemy import func, select

from ..admin.services import get_settings
from ..auth.models import User
from ..auth.services import create_user, find_user_by_email, hash_password, set_supervision
from ..couples.services import add_partner, create_couple
from ..extensions import db

DEMO_PASSWORD = "bridgework-demo"  # noqa: S105 - the documented demo password

DEMO_STAFF = [
    ("admin@example.org", "Avery Admin", "admin"),
    ("supervisor@example.org", "Sam Supervisor", "supervisor"),
    ("counselor@example.org", "Casey Counselor", "counselor"),
    ("counselor2@example.org", "Jordan Counselor", "counselor"),
]

# (label, counselor email, time zone, [(partner email, name), ...])
DEMO_COUPLES = [
    ("Rivera & Chen", "counselor@example.org", "America/New_York",
     [("partner.a@example.org", "Alex Rivera"), ("partner.b@example.org", "Blake Chen")]),
    ("Okafor & Lind", "counselor@example.org", "Europe/London",
     [("ngozi.okafor@example.org", "Ngozi Okafor"), ("erik.lind@example.org", "Erik Lind")]),
    ("Patel & Moreau", "counselor@example.org", "America/Chicago",
     [("priya.patel@example.org", "Priya Patel"), ("luc.moreau@example.org", "Luc Moreau")]),
    ("Nakamura & Silva", "counselor@example.org", "America/Los_Angeles",
     [("yui.nakamura@example.org", "Yui Nakamura"), ("rafael.silva@example.org", "Rafael Silva")]),
    ("Brennan", "counselor@example.org", "America/New_York",
     [("maeve.brennan@example.org", "Maeve Brennan")]),
    ("Haddad & Novak", "counselor@example.org", "Europe/Berlin",
     [("omar.haddad@example.org", "Omar Haddad"), ("ana.novak@example.org", "Ana Novak")]),
    ("Johnson & Kowalski", "counselor2@example.org", "America/Denver",
     [("dana.johnson@example.org", "Dana Johnson"), ("piotr.kowalski@example.org",
                                                     "Piotr Kowalski")]),
    ("Adeyemi & Larsen", "counselor2@example.org", "Europe/Oslo",
     [("tolu.adeyemi@example.org", "Tolu Adeyemi"), ("ingrid.larsen@example.org",
                                                     "Ingrid Larsen")]),
    ("Garcia & Byrne", "counselor2@example.org", "America/New_York",
     [("lucia.garcia@example.org", "Lucia Garcia"), ("sean.byrne@example.org", "Sean Byrne")]),
    ("Kim & Dubois", "counselor2@example.org", "America/Toronto",
     [("minji.kim@example.org", "Min-ji Kim"), ("claire.dubois@example.org", "Claire Dubois")]),
    ("Murphy & Rossi", "counselor2@example.org", "Europe/Dublin",
     [("aoife.murphy@example.org", "Aoife Murphy"), ("marco.rossi@example.org", "Marco Rossi")]),
    ("Ivanova", "counselor2@example.org", "Europe/Sofia",
     [("elena.ivanova@example.org", "Elena Ivanova")]),
]

DEMO_LOGINS = [
    ("admin@example.org", "admin"),
    ("supervisor@example.org", "supervisor (supervises both counselors)"),
    ("counselor@example.org", "counselor"),
    ("counselor2@example.org", "counselor"),
    ("partner.a@example.org", "client, partner A of Rivera & Chen"),
    ("partner.b@example.org", "client, partner B of Rivera & Chen"),
]


def demo_present() -> bool:
    return find_user_by_email("admin@example.org") is not None


def database_empty() -> bool:
    return db.session.scalar(select(func.count()).select_from(User)) == 0


def seed_demo() -> bool:
    """Create the demo practice. Returns False (and changes nothing) if it is already there."""
    if demo_present():
        return False
    settings = get_settings()
    settings.name = "Harbor Light Counseling (demo)"
    settings.default_timezone = "America/New_York"
    settings.counselors_two_factor = False  # the printed password alone signs in
    password_hash = hash_password(DEMO_PASSWORD)
    staff: dict[str, User] = {}
    for email, name, role in DEMO_STAFF:
        staff[email] = create_user(email, name, role)
        staff[email].password_hash = password_hash
    set_supervision(
        staff["supervisor@example.org"],
        [staff["counselor@example.org"].id, staff["counselor2@example.org"].id],
    )
    for label, counselor_email, tz, partners in DEMO_COUPLES:
        couple = create_couple(staff[counselor_email], label, tz)
        for email, name in partners:
            user = add_partner(couple, email, name)
            user.password_hash = password_hash
    db.session.flush()
    from ..exercises.library import load_builtin_exercises
    from .appointments import seed_appointment_demo
    from .flags import seed_flag_demo
    from .homework import seed_homework

    load_builtin_exercises()
    seed_homework(staff)
    seed_flag_demo(staff)
    seed_appointment_demo(staff)
    return True
