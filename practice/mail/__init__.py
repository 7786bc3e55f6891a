"""Mail leaving the app: the outbox, message rendering, and the admin's outbox page.

Every message is written to the outbox in the transaction of the event that causes it
(`outbox.enqueue`), and only the background worker sends it (`outbox.deliver_due`).
"""

from flask import Blueprint

bp = Blueprint("mail", __name__, url_prefix="/admin/mail")
