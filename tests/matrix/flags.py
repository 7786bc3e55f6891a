from .common import FORM_POST, OK, Rule, client_page, couple_read, couple_write


def _setup(world):
    """A harm flag about partner A from their screen, with a focused session and a check-in."""
    from practice.flags.services import complete_screen, schedule_session
    from tests.factories import make_checkin

    checkin = make_checkin(world.partner_a, couple=world.couple, closeness=6)
    screen, flag = complete_screen(world.partner_a, world.couple,
                                   {"afraid": "yes", "threatened": "no", "controlled": "no",
                                    "hurt": "no"}, None, "first_login")
    from datetime import date, time

    session = schedule_session(flag, world.counselor, day=date(2030, 1, 7), start=time(10, 0),
                               duration_minutes=50, mode="individual",
                               partner_id=world.partner_a.id, agenda=None,
                               joint_safety_reason=None)
    world.extra.update(checkin=checkin.id, screen=screen.id, flag=flag.id, session=session.id)


def _flag_url(suffix=""):
    return lambda w: f"/couples/{w.couple.id}/flags/{w.extra['flag']}{suffix}"


RULES = {
    "flags.new": Rule(
        url=lambda w: f"/couples/{w.couple.id}/flags/new?checkin_id={w.extra['checkin']}",
        setup=_setup, expect=couple_write(OK),
    ),
    "flags.detail": Rule(url=_flag_url(), setup=_setup, expect=couple_read()),
    "flags.transition": Rule(url=_flag_url("/status"), setup=_setup, method="POST",
                             expect=couple_write(FORM_POST)),
    "flags.session_new": Rule(url=_flag_url("/sessions/new"), setup=_setup,
                              expect=couple_write(OK)),
    "flags.session_outcome": Rule(
        url=lambda w: f"/couples/{w.couple.id}/flags/{w.extra['flag']}/sessions/"
                      f"{w.extra['session']}/outcome",
        setup=_setup, expect=couple_write(OK),
    ),
    "flags.session_ics": Rule(
        url=lambda w: f"/couples/{w.couple.id}/flags/{w.extra['flag']}/sessions/"
                      f"{w.extra['session']}.ics",
        setup=_setup, expect=couple_read(),
    ),
    "flags.screen_detail": Rule(
        url=lambda w: f"/couples/{w.couple.id}/safety-screens/{w.extra['screen']}",
        setup=_setup, expect=couple_read(),
    ),
    "flags.screen_interval": Rule(
        url=lambda w: f"/couples/{w.couple.id}/safety-screens/interval", method="POST",
        expect=couple_write(302),
    ),
    "flags.screen": Rule(url=lambda w: "/me/safety-check", expect=client_page()),
    "flags.screen_later": Rule(url=lambda w: "/me/safety-check/later", expect=client_page()),
    "flags.screen_questions": Rule(url=lambda w: "/me/safety-check/questions",
                                   expect=client_page()),
    "flags.screen_answers": Rule(url=lambda w: "/me/safety-check/answers", method="POST",
                                 expect=client_page(OK)),
    "flags.safety": Rule(url=lambda w: "/me/safety", expect=client_page()),
}
