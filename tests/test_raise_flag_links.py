"""Only the couple's own counselor is offered "Raise a flag" on check-in pages."""

from .client_steps import checkins, send
from .factories import give, noon_in_new_york


def test_raise_a_flag_is_offered_to_the_counselor_only(world, make_client):
    noon_in_new_york()
    assignment = give(world.couple, world.counselor)
    partner = make_client()
    partner.login(world.partner_a)
    send(partner, assignment)
    checkin = checkins()[0]
    pages = (f"/couples/{world.couple.id}/checkins/{checkin.id}",
             f"/couples/{world.couple.id}/checkins")
    for role, offered in (("counselor", True), ("supervisor", False), ("admin", False)):
        client = make_client()
        client.login(world.user(role))
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            assert ("Raise a flag" in response.text) is offered, (role, url)
