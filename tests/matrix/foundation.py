from .common import (
    FORM_POST,
    LOGIN,
    OK,
    Rule,
    client_page,
    couple_read,
    couple_write,
    everyone,
    role_page,
)


def _login_expect():
    expect = everyone(302)  # signed-in users go home
    expect["anonymous"] = OK
    return expect


def _signed_in(status):
    expect = everyone(status)
    expect["anonymous"] = LOGIN
    return expect


def _home_expect():
    expect = everyone(302)
    return expect


def _invite_setup(world):
    from practice.auth.services import create_invitation

    world.extra["token"] = create_invitation(world.partner_a, world.couple, world.counselor)


RULES = {
    "main.home": Rule(url=lambda w: "/", expect=_home_expect()),
    "main.healthz": Rule(url=lambda w: "/healthz", expect=everyone(OK)),
    "main.client_home": Rule(url=lambda w: "/me", expect=client_page()),
    "main.counselor_home": Rule(url=lambda w: "/caseload", expect=role_page(("counselor",))),
    "main.supervisor_home": Rule(url=lambda w: "/team", expect=role_page(("supervisor",))),
    "auth.login": Rule(url=lambda w: "/login", expect=_login_expect()),
    "auth.logout": Rule(url=lambda w: "/logout", method="POST", expect=everyone(302)),
    # Quick exit signs out whoever uses it and leaves for the neutral site.
    # The code step of sign-in: without a password just given, back to /login; signed in, home.
    "auth.second_factor": Rule(url=lambda w: "/login/code", expect=everyone(302)),
    "auth.quick_exit": Rule(url=lambda w: "/exit", expect=everyone(302)),
    # An invitation link is public by design: whoever holds the unguessable token may use it.
    # The page of a form kept over a timeout; with nothing kept, it goes home.
    "auth.resume": Rule(url=lambda w: "/resume", expect=_signed_in(302)),
    "auth.accept": Rule(url=lambda w: f"/invite/{w.extra['token']}", setup=_invite_setup,
                        expect=everyone(OK)),
    "couples.new": Rule(url=lambda w: "/couples/new", expect=role_page(("counselor",))),
    "couples.detail": Rule(url=lambda w: f"/couples/{w.couple.id}", expect=couple_read()),
    "couples.edit": Rule(url=lambda w: f"/couples/{w.couple.id}/edit", expect=couple_write(OK)),
    "couples.add_partner_view": Rule(
        url=lambda w: f"/couples/{w.couple.id}/partners/new",
        expect=couple_write(302),  # the couple already has two partners: back to its page
    ),
    "couples.reinvite": Rule(
        url=lambda w: f"/couples/{w.couple.id}/partners/{w.partner_a.id}/invite",
        method="POST",
        expect=couple_write(302),  # partner A has a password already: no link, back to the page
    ),
    "admin.index": Rule(url=lambda w: "/admin/", expect=role_page(("admin",))),
    "admin.new_staff": Rule(url=lambda w: "/admin/staff/new", expect=role_page(("admin",))),
    "admin.set_staff_active": Rule(
        url=lambda w: f"/admin/staff/{w.other_counselor.id}/active",
        method="POST",
        data={"active": "1"},
        expect=role_page(("admin",), 302),
    ),
    "admin.supervision": Rule(
        url=lambda w: f"/admin/staff/{w.supervisor.id}/supervision",
        expect=role_page(("admin",)),
    ),
    "admin.settings": Rule(url=lambda w: "/admin/settings", expect=role_page(("admin",))),
    "admin.end_staff_sessions": Rule(
        url=lambda w: f"/admin/staff/{w.other_counselor.id}/sessions/end",
        method="POST",
        expect=role_page(("admin",), 302),
    ),
    "admin.reset_two_factor": Rule(
        url=lambda w: f"/admin/staff/{w.other_counselor.id}/two-factor/reset",
        method="POST",
        expect=role_page(("admin",), 302),
    ),
    # Every signed-in person may set up a second factor of their own.
    "account.two_factor": Rule(url=lambda w: "/account/two-factor", expect=_signed_in(OK)),
    "account.confirm_two_factor": Rule(
        url=lambda w: "/account/two-factor", method="POST", expect=_signed_in(FORM_POST),
    ),
    # Every signed-in person has an account page; a session handle is only ever one's own.
    "account.index": Rule(url=lambda w: "/account/", expect=_signed_in(OK)),
    "account.change_password": Rule(url=lambda w: "/account/password", expect=_signed_in(OK)),
    "account.end_one_session": Rule(
        url=lambda w: "/account/sessions/" + "0" * 64 + "/end", method="POST",
        expect=_signed_in(404),
    ),
    "account.end_other_sessions": Rule(
        url=lambda w: "/account/sessions/end-others", method="POST", expect=_signed_in(302),
    ),
}

__all__ = ["FORM_POST", "LOGIN", "RULES"]
