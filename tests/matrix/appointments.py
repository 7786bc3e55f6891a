from .common import FORM_POST, OK, Rule, couple_read, couple_write, everyone, role_page


def _setup(world):
    """An appointment of the world's couple and a calendar address of its counselor."""
    from datetime import date, time

    from practice.appointments.services import issue_feed, schedule_appointment

    appointment = schedule_appointment(world.couple, world.counselor, day=date(2030, 1, 7),
                                       start=time(10, 0), duration_minutes=50, mode="joint",
                                       partner_id=None)
    world.extra.update(appointment=appointment.id, token=issue_feed(world.counselor))


def _url(suffix=""):
    return lambda w: f"/couples/{w.couple.id}/appointments/{w.extra['appointment']}{suffix}"


RULES = {
    "appointments.index": Rule(url=lambda w: f"/couples/{w.couple.id}/appointments",
                               expect=couple_read()),
    "appointments.new": Rule(url=lambda w: f"/couples/{w.couple.id}/appointments/new",
                             expect=couple_write(OK)),
    "appointments.detail": Rule(url=_url(), setup=_setup, expect=couple_read()),
    "appointments.attendance": Rule(url=_url("/attendance"), setup=_setup, method="POST",
                                    expect=couple_write(FORM_POST)),
    "appointments.note": Rule(url=_url("/note"), setup=_setup, expect=couple_write(OK)),
    "appointments.addendum": Rule(url=_url("/note/addenda"), setup=_setup, method="POST",
                                  expect=couple_write(FORM_POST)),
    "appointments.ics": Rule(url=_url(".ics"), setup=_setup, expect=couple_read()),
    "appointments.brief": Rule(url=lambda w: f"/couples/{w.couple.id}/brief",
                               expect=couple_read()),
    "appointments.calendar": Rule(url=lambda w: "/calendar", expect=role_page(("counselor",))),
    "appointments.new_address": Rule(url=lambda w: "/calendar/address", method="POST",
                                     expect=role_page(("counselor",), FORM_POST)),
    "appointments.revoke_address": Rule(url=lambda w: "/calendar/address/revoke",
                                        method="POST", expect=role_page(("counselor",), 302)),
    # A capability address: whoever holds it reads the feed, signed in or not.
    "appointments.feed": Rule(url=lambda w: f"/calendar/feed/{w.extra['token']}.ics",
                              setup=_setup, expect=everyone(OK)),
}
