"""Digests as WARC writes them (``sha1:`` + base32), for payloads and for article texts alike."""

from __future__ import annotations

import hashlib
from base64 import b32encode


def sha1_digest(data: bytes) -> str:
    """``WARC-Payload-Digest`` as warcio writes it; also each row's ``content_digest``."""
    return "sha1:" + b32encode(hashlib.sha1(data).digest()).decode()
