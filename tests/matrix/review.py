from .common import FORM_POST, Rule, couple_read, couple_write

RULES = {
    "checkins.next_waiting": Rule(url=lambda w: f"/couples/{w.couple.id}/checkins/next",
                                  expect=couple_read(302)),
    "checkins.review_shown": Rule(url=lambda w: f"/couples/{w.couple.id}/checkins/review-shown",
                                  method="POST", expect=couple_write(FORM_POST)),
}
