"""Session notes: one per appointment, written from the practice's template (free text, DAP or
SOAP), saved as a draft, then signed and locked; afterwards only dated, signed addenda.

Staff only: the couple's counselor writes; their supervisors (and administrators) read them in
drill-down. Every read is audited by the route that shows one.
"""

from __future__ import annotations

from sqlalchemy import select

from ..admin.services import get_settings
from ..audit.services import record
from ..clock import utcnow
from ..extensions import db
from ..modelbase import LATEST, check_version, save_versioned
from .models import TEMPLATES, Appointment, NoteAddendum, SessionNote


class NoteError(ValueError):
    """A note change the rules refuse; the message says what to do instead."""


def note_of(appointment: Appointment) -> SessionNote | None:
    return db.session.scalar(
        select(SessionNote).where(SessionNote.appointment_id == appointment.id))


def new_note(appointment: Appointment) -> SessionNote:
    """An unsaved note in the practice's current template."""
    template = get_settings().note_template
    return SessionNote(appointment_id=appointment.id, couple_id=appointment.couple_id,
                       template=template if template in TEMPLATES else "free")


def save_note(note: SessionNote, author, sections: dict[str, str | None], *, sign: bool,
              version=LATEST) -> SessionNote:
    """Save the draft (and sign it when `sign`). A signed note is locked: NoteError."""
    if note.is_signed:
        raise NoteError("This note is signed and locked. Add a dated addendum instead.")
    if note.id is not None:
        check_version(note, version)
    for column, _heading, _hint in TEMPLATES[note.template]:
        setattr(note, column, (sections.get(column) or "").strip() or None)
    if sign and not any(getattr(note, col) for col, _h, _x in TEMPLATES[note.template]):
        raise NoteError("An empty note cannot be signed. Write it first.")
    if note.id is None:
        note.author_id = author.id
        db.session.add(note)
    if sign:
        note.signed_at = utcnow()
        note.signed_by_id = author.id
    save_versioned()
    record("session_note_signed" if sign else "session_note_saved", obj=note, actor=author)
    return note


def add_addendum(note: SessionNote, author, text: str) -> NoteAddendum:
    """A dated, signed addition to a signed note."""
    if not note.is_signed:
        raise NoteError("Sign the note first; until then, edit the draft itself.")
    text = (text or "").strip()
    if not text:
        raise NoteError("Write the addendum first.")
    addendum = NoteAddendum(note_id=note.id, author_id=author.id, body=text,
                            signed_at=utcnow())
    db.session.add(addendum)
    db.session.flush()
    record("session_note_addendum", obj=note, actor=author)
    return addendum
