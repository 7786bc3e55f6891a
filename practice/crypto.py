"""Client words encrypted at rest.

Columns of type EncryptedText hold Fernet tokens (AES-128-CBC with an HMAC), so a copy of the
database alone reveals none of the words. The keys come from DATA_KEY: one or more Fernet keys
separated by commas, the first encrypting and all decrypting (a MultiFernet), which is how a key
is rotated: put the new key first, run `flask --app practice rotate-data-key`, then drop the old
one. Development keeps a generated key in instance/data_key; production refuses to start without
DATA_KEY.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, MultiFernet
from flask import current_app
from sqlalchemy import Text, select, type_coerce, update
from sqlalchemy.types import TypeDecorator


def cipher() -> MultiFernet:
    app = current_app._get_current_object()
    if "data_cipher" not in app.extensions:
        app.extensions["data_cipher"] = MultiFernet(
            [Fernet(key.strip().encode()) for key in app.config["DATA_KEYS"]]
        )
    return app.extensions["data_cipher"]


class EncryptedText(TypeDecorator):
    """Text stored encrypted. NULL is stored as it is, and text that is only blanks as the
    empty string, so queries can still tell an empty answer from a written one."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not value.strip():
            return ""
        return cipher().encrypt(value.encode()).decode()

    def process_result_value(self, value, dialect):
        if not value:
            return value
        return cipher().decrypt(value.encode()).decode()


def encrypted_columns(metadata) -> list:
    """Every column of the schema whose type is EncryptedText."""
    return [column for table in metadata.sorted_tables for column in table.columns
            if isinstance(column.type, EncryptedText)]


def rotate_data_key(session, metadata) -> int:
    """Re-encrypt every stored value with the first key of DATA_KEY; returns how many."""
    rotated = 0
    for column in encrypted_columns(metadata):
        table = column.table
        (key,) = table.primary_key.columns  # every such table has a one-column key
        rows = session.execute(
            select(key, type_coerce(column, Text)).where(column.is_not(None), column != "")
        ).all()
        for row_id, token in rows:
            fresh = cipher().rotate(token.encode()).decode()
            session.execute(update(table).where(key == row_id)
                            .values({column.name: type_coerce(fresh, Text)}))
            rotated += 1
    return rotated


def new_key() -> str:
    return Fernet.generate_key().decode()
