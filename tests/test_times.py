"""Times are shown in a named zone, so a flag's time on a home page (practice zone) and on its
own page (couple's zone) cannot be mistaken for each other."""

import re
from datetime import datetime

from practice import clock
from practice.extensions import db
from practice.flags.services import raise_flag
from practice.templating import local_datetime


def test_local_datetime_names_the_zone(app):
    moment = datetime(2026, 1, 15, 14, 30)
    assert local_datetime(moment, "America/New_York") == "15 Jan 2026, 09:30 EST"
    assert local_datetime(datetime(2026, 7, 15, 14, 30), "Europe/London") == (
        "15 Jul 2026, 15:30 BST")


def test_flag_page_labels_its_times(world, client):
    clock.set_clock(datetime(2026, 1, 15, 14, 30))
    flag = raise_flag(world.couple, "external_stressors", "moderate", "Work pressure.",
                      "counselor", actor=world.counselor)
    db.session.commit()
    client.login(world.counselor)
    page = client.get(f"/couples/{world.couple.id}/flags/{flag.id}").get_data(as_text=True)
    assert re.search(r"15 Jan 2026, 09:30 EST", page)
