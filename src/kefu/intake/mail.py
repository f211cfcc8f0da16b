"""Reading an e-mail: headers for threading, the text, the files, and why it cannot be read.

Plain Python (no Django), so the rules are tested on bytes alone. The parser
is the standard library's with the modern policy; a message it can only half
understand is *malformed* when Kefu could not answer it or would misread it:
no sender address, no header/body separator, or a body that does not decode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

#: A work-order serial: kind prefix, day, six-digit counter (see ``workorders.kinds.SERIAL_PREFIX``).
SERIAL_RE = re.compile(r"(?<![A-Z0-9])((?:ZX|YW|GZ|TS|SS|JY|XT)\d{8}\d{6})(?![0-9])")
_MSGID_RE = re.compile(r"<[^<>\s]+>")


@dataclass
class File:
    name: str
    content_type: str
    data: bytes


@dataclass
class Parsed:
    message_id: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    subject: str = ""
    from_addr: str = ""
    to_addr: str = ""
    text: str = ""
    files: list[File] = field(default_factory=list)
    automatic: bool = False  # an auto-reply or a bounce: never answered automatically
    problem: str = ""  # why the message is malformed; empty when it is readable

    @property
    def thread_ids(self) -> list[str]:
        """Message-IDs this message answers, nearest first."""
        ids = ([self.in_reply_to] if self.in_reply_to else []) + list(reversed(self.references))
        return list(dict.fromkeys(i for i in ids if i))

    @property
    def serial(self) -> str:
        m = SERIAL_RE.search(self.subject.upper())
        return m.group(1) if m else ""


def _header(msg, name: str) -> str:
    try:
        value = msg.get(name)
    except Exception:  # a header the policy cannot parse is as good as absent  # noqa: BLE001
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _ids(value: str) -> list[str]:
    return _MSGID_RE.findall(value or "")


def _sender(msg) -> str:
    raw = _header(msg, "Reply-To") or _header(msg, "From")
    _name, addr = parseaddr(raw)
    if not addr or "@" not in addr:
        return ""
    try:
        Address(addr_spec=addr)
    except (ValueError, IndexError, TypeError):
        return ""
    return addr[:200]


def _text_of(msg: EmailMessage) -> str:
    body = msg.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    content = body.get_content()
    if body.get_content_type() == "text/html":
        content = re.sub(r"<[^>]+>", " ", content)
        content = re.sub(r"[ \t]+", " ", content)
    return content.strip()


def parse(raw: bytes) -> Parsed:
    """What Kefu needs of ``raw``; ``problem`` says why it cannot be handled as a customer's e-mail."""
    out = Parsed()
    try:
        msg = message_from_bytes(raw, policy=policy.default)
    except Exception as exc:  # noqa: BLE001  # the parser gave up: keep the bytes, say why
        out.problem = f"unparseable: {exc.__class__.__name__}"
        return out
    out.message_id = (_ids(_header(msg, "Message-ID")) or [""])[0][:300]
    out.in_reply_to = (_ids(_header(msg, "In-Reply-To")) or [""])[0][:300]
    out.references = _ids(_header(msg, "References"))[-20:]
    out.subject = _header(msg, "Subject")[:300]
    out.from_addr = _sender(msg)
    out.to_addr = ", ".join(a for _n, a in getaddresses([_header(msg, "To")]) if a)[:500]
    auto = _header(msg, "Auto-Submitted").lower()
    out.automatic = (auto not in ("", "no") or _header(msg, "Precedence").lower() in ("bulk", "junk", "list")
                     or out.from_addr.lower().startswith(("mailer-daemon@", "postmaster@")))
    names = {type(d).__name__ for d in msg.defects}
    if "MissingHeaderBodySeparatorDefect" in names or not len(msg.keys()):
        out.problem = "no header/body separator"
        return out
    if not out.from_addr:
        out.problem = "no sender address"
        return out
    try:
        out.text = _text_of(msg)[:20000]
        for part in msg.iter_attachments():
            data = part.get_payload(decode=True) or b""
            name = part.get_filename() or ""
            if part.get_content_type() == "message/rfc822" and not name:
                name = "message.eml"
            out.files.append(File(name=name or "attachment", content_type=part.get_content_type(), data=data))
    except (LookupError, ValueError, UnicodeError, AttributeError, KeyError) as exc:
        out.problem = f"undecodable body: {exc.__class__.__name__}"
    return out
