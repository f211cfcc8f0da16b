"""A small IMAP4rev1 server over a maildir, for tests that read mail the way production does.

Enough of RFC 3501 for ``imaplib`` to log in, select a folder, search, fetch and
flag by UID: CAPABILITY, NOOP, LOGIN (quoted strings and literals), SELECT /
EXAMINE, UID SEARCH (``ALL``, ``UNSEEN``, ``UID a:b``), UID FETCH (``UID``,
``FLAGS``, ``RFC822.SIZE``, ``BODY[]``, ``BODY.PEEK[]``, ``RFC822``), UID STORE
(``+FLAGS``/``-FLAGS``/``FLAGS``), LOGOUT. UIDs are given to the maildir's
files in the order the server first sees them and never reused; the
UIDVALIDITY can be changed to play a rebuilt folder.
"""

from __future__ import annotations

import mailbox as mailboxlib
import os
import re
import socketserver
import threading
from dataclasses import dataclass, field


@dataclass
class Store:
    path: str
    user: str = "hotline"
    password: str = "secret"
    uidvalidity: int = 1700000001
    uids: dict[str, int] = field(default_factory=dict)  # maildir key -> uid
    flags: dict[int, set[str]] = field(default_factory=dict)
    next_uid: int = 1
    lock: threading.Lock = field(default_factory=threading.Lock)
    log: list[str] = field(default_factory=list)  # commands received, for tests that check the protocol

    def __post_init__(self):
        for sub in ("cur", "new", "tmp"):  # Maildir(create=True) makes them only for a path not there yet
            os.makedirs(os.path.join(self.path, sub), exist_ok=True)

    def messages(self) -> list[tuple[int, str]]:
        """(uid, key) of every message, by uid; new files get the next uids (oldest file first)."""
        with self.lock:
            md = mailboxlib.Maildir(self.path, create=True)
            keys = [k for k in md.iterkeys() if k not in self.uids]
            keys.sort(key=lambda k: (os.path.getmtime(os.path.join(self.path, md._lookup(k))), k))
            for k in keys:
                self.uids[k] = self.next_uid
                self.flags[self.next_uid] = set()
                self.next_uid += 1
            present = set(md.keys())
            return sorted((u, k) for k, u in self.uids.items() if k in present)

    def raw(self, key: str) -> bytes:
        md = mailboxlib.Maildir(self.path, create=True)
        with open(os.path.join(self.path, md._lookup(key)), "rb") as fh:
            data = fh.read()
        return re.sub(rb"\r?\n", b"\r\n", data)

    def rebuild(self, uidvalidity: int) -> None:
        """Play a folder rebuilt by the server: a new UIDVALIDITY, UIDs given anew from 1."""
        with self.lock:
            self.uidvalidity, self.uids, self.flags, self.next_uid = uidvalidity, {}, {}, 1


_TOKEN = re.compile(rb'\s*(?:"((?:[^"\\]|\\.)*)"|\(([^()]*(?:\([^()]*\)[^()]*)*)\)|(\S+))')


class _Handler(socketserver.StreamRequestHandler):
    timeout = 30

    def send(self, line: str | bytes) -> None:
        self.wfile.write(line.encode() if isinstance(line, str) else line)
        self.wfile.write(b"\r\n")
        self.wfile.flush()

    def read_command(self) -> list[bytes] | None:
        """One command as its arguments, literals ``{n}`` read in full (``+`` continuation asked)."""
        parts: list[bytes] = []
        line = self.rfile.readline(65536)
        if not line:
            return None
        while True:
            line = line.rstrip(b"\r\n")
            m = re.search(rb"\{(\d+)(\+?)\}$", line)
            if not m:
                parts.extend(self._tokens(line))
                return parts
            parts.extend(self._tokens(line[: m.start()]))
            if not m.group(2):
                self.send("+ Ready for literal data")
            parts.append(self.rfile.read(int(m.group(1))))
            line = self.rfile.readline(65536)

    @staticmethod
    def _tokens(text: bytes) -> list[bytes]:
        out = []
        for m in _TOKEN.finditer(text):
            if m.group(1) is not None:
                out.append(re.sub(rb"\\(.)", rb"\1", m.group(1)))
            elif m.group(2) is not None:
                out.append(b"(" + m.group(2) + b")")
            elif m.group(3) is not None:
                out.append(m.group(3))
        return out

    def handle(self) -> None:
        store: Store = self.server.store  # type: ignore[attr-defined]
        self.authenticated, self.selected = False, False
        self.send("* OK [CAPABILITY IMAP4rev1] Kefu test IMAP server ready")
        while True:
            try:
                cmd = self.read_command()
            except (OSError, ValueError):
                return
            if cmd is None:
                return
            if len(cmd) < 2:
                self.send("* BAD missing command")
                continue
            tag, name, args = cmd[0].decode(), cmd[1].decode().upper(), cmd[2:]
            store.log.append(" ".join([name] + [a.decode(errors="replace") for a in args[:2]]))
            try:
                if self.dispatch(store, tag, name, args) == "bye":
                    return
            except (IndexError, ValueError) as exc:
                self.send(f"{tag} BAD {exc.__class__.__name__}")

    def dispatch(self, store: Store, tag: str, name: str, args: list[bytes]):
        if name == "CAPABILITY":
            self.send("* CAPABILITY IMAP4rev1")
            self.send(f"{tag} OK CAPABILITY completed")
        elif name == "NOOP":
            self.send(f"{tag} OK NOOP completed")
        elif name == "LOGOUT":
            self.send("* BYE logging out")
            self.send(f"{tag} OK LOGOUT completed")
            return "bye"
        elif name == "LOGIN":
            if args[0].decode() == store.user and args[1].decode() == store.password:
                self.authenticated = True
                self.send(f"{tag} OK LOGIN completed")
            else:
                self.send(f"{tag} NO [AUTHENTICATIONFAILED] Invalid credentials")
        elif not self.authenticated:
            self.send(f"{tag} BAD log in first")
        elif name in ("SELECT", "EXAMINE"):
            if args[0].decode().upper() != "INBOX":
                self.send(f"{tag} NO [NONEXISTENT] no such folder")
                return None
            msgs = store.messages()
            self.selected = True
            self.send(f"* {len(msgs)} EXISTS")
            self.send("* 0 RECENT")
            self.send("* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft)")
            self.send(f"* OK [UIDVALIDITY {store.uidvalidity}] UIDs valid")
            self.send(f"* OK [UIDNEXT {store.next_uid}] next UID")
            self.send(f"{tag} OK [READ-WRITE] {name} completed")
        elif name == "UID" and self.selected:
            sub, rest = args[0].decode().upper(), args[1:]
            msgs = store.messages()
            if sub == "SEARCH":
                self.uid_search(store, tag, msgs, rest)
            elif sub == "FETCH":
                self.uid_fetch(store, tag, msgs, rest)
            elif sub == "STORE":
                self.uid_store(store, tag, msgs, rest)
            else:
                self.send(f"{tag} BAD unknown UID command")
        else:
            self.send(f"{tag} BAD unknown or unexpected command")
        return None

    @staticmethod
    def _in_set(uid: int, spec: str, top: int) -> bool:
        for piece in spec.split(","):
            lo, _sep, hi = piece.partition(":")
            a = top if lo == "*" else int(lo)
            b = a if not _sep else (top if hi == "*" else int(hi))
            if min(a, b) <= uid <= max(a, b):
                return True
        return False

    def uid_search(self, store, tag, msgs, rest):
        top = msgs[-1][0] if msgs else 0
        found = [u for u, _k in msgs]
        words = [r.decode().upper() for r in rest]
        i = 0
        while i < len(words):
            w = words[i]
            if w == "UID":
                spec = words[i + 1]
                found = [u for u in found if self._in_set(u, spec, top)]
                i += 2
                continue
            if w == "UNSEEN":
                found = [u for u in found if "\\Seen" not in store.flags.get(u, set())]
            elif w != "ALL":
                self.send(f"{tag} BAD unsupported search key {w}")
                return
            i += 1
        self.send("* SEARCH" + "".join(f" {u}" for u in found))
        self.send(f"{tag} OK SEARCH completed")

    def uid_fetch(self, store, tag, msgs, rest):
        spec, items = rest[0].decode(), rest[1].decode().strip("()").upper().split()
        top = msgs[-1][0] if msgs else 0
        for seq, (uid, key) in enumerate(msgs, 1):
            if not self._in_set(uid, spec, top):
                continue
            raw = store.raw(key)
            head = [f"UID {uid}"]
            body = None
            for item in items:
                if item == "RFC822.SIZE":
                    head.append(f"RFC822.SIZE {len(raw)}")
                elif item in ("BODY[]", "RFC822", "BODY.PEEK[]"):
                    if item != "BODY.PEEK[]":
                        store.flags[uid].add("\\Seen")
                    body = ("RFC822" if item == "RFC822" else "BODY[]", raw)
            if "FLAGS" in items:
                head.append("FLAGS (" + " ".join(sorted(store.flags[uid])) + ")")
            if body is None:
                self.send(f"* {seq} FETCH (" + " ".join(head) + ")")
            else:
                self.wfile.write(f"* {seq} FETCH (".encode() + " ".join(head).encode()
                                 + f" {body[0]} {{{len(body[1])}}}\r\n".encode() + body[1])
                self.send(")")
        self.send(f"{tag} OK FETCH completed")

    def uid_store(self, store, tag, msgs, rest):
        spec, mode = rest[0].decode(), rest[1].decode().upper()
        flags = set(rest[2].decode().strip("()").split())
        top = msgs[-1][0] if msgs else 0
        for seq, (uid, _key) in enumerate(msgs, 1):
            if not self._in_set(uid, spec, top):
                continue
            have = store.flags[uid]
            if mode.startswith("+"):
                have |= flags
            elif mode.startswith("-"):
                have -= flags
            else:
                have.clear()
                have |= flags
            if ".SILENT" not in mode:
                self.send(f"* {seq} FETCH (UID {uid} FLAGS (" + " ".join(sorted(have)) + "))")
        self.send(f"{tag} OK STORE completed")


class _Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True
    daemon_threads = True


class ImapServer:
    """``with ImapServer(maildir) as srv:`` serves ``srv.store`` on 127.0.0.1:``srv.port``."""

    def __init__(self, path: str, **kw):
        self.store = Store(path=path, **kw)
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.store = self.store  # type: ignore[attr-defined]
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> ImapServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def seen(self) -> dict[int, bool]:
        return {u: "\\Seen" in self.store.flags.get(u, set()) for u, _k in self.store.messages()}
