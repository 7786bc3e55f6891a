"""The development mail backend: each message goes to a file in instance/mail/ and is
announced on the console, so `make run` needs no mail server."""

from __future__ import annotations

import sys

from flask_mailman.backends.file import EmailBackend as FileEmailBackend


class DevelopmentEmailBackend(FileEmailBackend):
    def write_message(self, message):
        super().write_message(message)
        print(
            f"[mail] to {', '.join(message.recipients())}: {message.subject!r} "
            f"-> {self._get_filename()}",
            file=sys.stderr,
            flush=True,
        )
