from .common import Rule, role_page

RULES = {
    "handovers.handover": Rule(url=lambda w: f"/admin/staff/{w.counselor.id}/handover",
                               expect=role_page(("admin",))),
}
