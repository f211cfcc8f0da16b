"""The load generator of bench/routing_e2e.py: a switch and a floor of agents, in one asyncio process.

Run as its own process (``e2e_generator.py PLAN.json RESULT.json``, started by the orchestrator), so that
on a small machine its work is not done by the server's interpreter. It needs no Django: only the standard
library and ``websockets`` (``uvloop`` when installed).

The switch posts ``call.incoming`` over HTTP at the target rate (Poisson arrivals, or evenly spaced), the
way a switch without a CTI socket does (docs/cti.md). Each agent holds the desktop's socket
(``/ws/agent/``, opened with its session cookie) and works the calls it is offered through the desktop's
API: accept the offer, the switch reports ``call.answered``, a short talk, the caller hangs up
(``call.ended`` from the switch), the agent records the wrap-up and is ready again. An offer that expired
(no answer in time puts the agent not ready) is followed by "ready" again, as a person would.

HTTP goes over a few keep-alive connections: one pool for the switch, one shared by the agents (requests
carry each agent's own cookie). A request waits for a free connection in the pool, so an overloaded server
builds its queue here; that is why latency is counted from the call's **arrival** (when the switch was due
to report it), not from when the request left: a server that falls behind cannot hide its backlog in the
client (coordinated omission). The client's own lag (request written − arrival) is reported beside it.

A run ends on its own, whatever the server does: arrivals stop after the run's seconds, or earlier when
the oldest call still without an offer has waited ``give_up`` seconds or requests time out (the ceiling is
reached); then the generator waits at most ``grace`` seconds for the last offers and calls, and writes
what it measured.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import os
import random
import resource
import socket
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

CTI = "/api/contactcenter/cti/events"
API = "/api/contactcenter"
CSRF = "benchcsrfbenchcsrfbenchcsrfbench"  # 32 characters: a valid unmasked CSRF secret, cookie and header alike


@dataclass
class Plan:
    port: int
    token: str
    agents: list[dict]  # {"id", "session", "extension"}
    rate: float
    seconds: float
    prefix: str  # call ids are prefix + arrival number (the database check finds the run's calls by it)
    warm_prefix: str  # the warm-up's calls
    talk: tuple[float, float] = (0.5, 1.5)  # seconds, uniform
    wrap: float = 0.2
    ring: float = 0.0
    grace: float = 30.0
    give_up: float = 30.0
    timeout: float = 30.0
    connections: int = 8
    poisson: bool = True
    seed: int = 1
    desk_refresh: float = 0.0  # > 0: also refetch /agent/me on every event and this often (s), as the page does
    progress: float = 10.0


class HttpPool:
    """``size`` keep-alive HTTP/1.1 connections to 127.0.0.1; requests queue for the first free one."""

    def __init__(self, port: int, size: int, timeout: float, name: str):
        self.port, self.timeout, self.name = port, timeout, name
        self.queue: asyncio.Queue = asyncio.Queue()
        self.workers = [asyncio.create_task(self._worker()) for _ in range(size)]
        self.timeouts = 0

    async def request(self, method: str, path: str, payload=None, headers: dict | None = None,
                      stamp: list | None = None) -> tuple[int, bytes]:
        """Status and body; ``stamp`` (a list) gets the moment the request was written to a connection."""
        body = b"" if payload is None else json.dumps(payload).encode()
        head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", f"Content-Length: {len(body)}",
                "Accept: application/json"]
        if payload is not None:
            head.append("Content-Type: application/json")
        head += [f"{k}: {v}" for k, v in (headers or {}).items()]
        raw = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        future = asyncio.get_running_loop().create_future()
        self.queue.put_nowait((raw, future, stamp))
        return await future

    def waiting(self) -> int:
        return self.queue.qsize()

    async def _worker(self) -> None:
        conn = None
        while True:
            raw, future, stamp = await self.queue.get()
            if future.done():
                continue
            for attempt in (1, 2):
                reused = conn is not None
                try:
                    if conn is None:
                        conn = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", self.port), self.timeout)
                        conn[1].get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    if stamp is not None:
                        stamp.append(time.perf_counter())
                    status, data, close = await asyncio.wait_for(self._exchange(conn, raw), self.timeout)
                    if close:
                        conn = self._close(conn)
                    if not future.done():
                        future.set_result((status, data))
                    break
                except (asyncio.IncompleteReadError, ConnectionError) as exc:
                    conn = self._close(conn)
                    # The server closed an idle keep-alive connection before reading this request: once more.
                    if attempt == 1 and reused and getattr(exc, "partial", b"") == b"":
                        continue
                    if not future.done():
                        future.set_exception(exc)
                    break
                except Exception as exc:  # noqa: BLE001 - a timeout or anything else fails this request only
                    conn = self._close(conn)
                    if isinstance(exc, TimeoutError):
                        self.timeouts += 1
                    if not future.done():
                        future.set_exception(exc)
                    break

    @staticmethod
    def _close(conn):
        if conn is not None:
            conn[1].close()
        return None

    @staticmethod
    async def _exchange(conn, raw: bytes) -> tuple[int, bytes, bool]:
        reader, writer = conn
        writer.write(raw)
        await writer.drain()
        status_line = await reader.readuntil(b"\r\n")
        status = int(status_line.split()[1])
        length, chunked, close = None, False, False
        while True:
            line = await reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif name == "connection" and value == "close":
                close = True
        if chunked:
            parts = []
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await reader.readuntil(b"\r\n")
                    break
                parts.append(await reader.readexactly(size))
                await reader.readexactly(2)
            data = b"".join(parts)
        elif length is not None:
            data = await reader.readexactly(length)
        else:
            data, close = await reader.read(), True
        return status, data, close


@dataclass
class Call:
    n: int
    call_id: str
    caller: str
    due: float  # arrival: when the switch was due to report it
    sent: float = 0.0  # the request was written to a connection
    status: int | None = None  # the server's answer to call.incoming (0: no answer)
    answered: float = 0.0  # the server's answer came back
    offered: float = 0.0  # first offer seen on an agent's socket
    offers: int = 0
    agent: int = 0
    offer_ids: list = field(default_factory=list)


@dataclass
class Tally:
    errors: Counter = field(default_factory=Counter)  # "what status" -> count
    events: Counter = field(default_factory=Counter)  # socket events by type
    expired: int = 0
    offer_while_busy: int = 0
    repeated: int = 0  # offer events received a second time for the same offer
    completed: int = 0  # calls worked to the end (wrap-up recorded)
    lag_max: float = 0.0
    min_free: int = 1 << 30
    backlog_max: int = 0
    pool_wait_max: int = 0


class Agent:
    """One person at a desk: a socket, a session, and the offers in front of them, worked one at a time."""

    def __init__(self, floor: Floor, spec: dict):
        self.floor = floor
        self.id = spec["id"]
        self.session = spec["session"]
        self.extension = spec["extension"]
        self.headers = {"Cookie": f"sessionid={self.session}; csrftoken={CSRF}", "X-CSRFToken": CSRF}
        self.phase = "idle"  # idle → answering → talking → wrapping → idle
        self.inbox: asyncio.Queue = asyncio.Queue()
        self.server = None  # pid of the server process holding the socket
        self.connected = asyncio.Event()
        self.retries = 0
        self.fetching = False
        self.fetch_again = False
        # What the page does to fetch less (desktop.js): the session version its desk shows, and the
        # events that came while one of its actions was on the way (decided once the answer is drawn).
        self.shown = 0
        self.acting = False
        self.owed: dict | None = None

    @property
    def busy(self) -> bool:
        return self.phase != "idle" or not self.inbox.empty()

    async def api(self, method: str, path: str, payload=None) -> int:
        try:
            status, data = await self.floor.desk.request(method, API + path, payload, self.headers)
        except Exception as exc:  # noqa: BLE001 - counted, the agent carries on
            self.floor.tally.errors[f"{method} {path.split('/')[1]}: {type(exc).__name__}"] += 1
            return 0
        if status >= 300:
            code = ""
            with contextlib.suppress(ValueError, AttributeError):
                code = json.loads(data).get("code", "")
            self.floor.tally.errors[f"{method} {path.split('/')[1]} {status} {code}".strip()] += 1
        elif self.floor.plan.desk_refresh:
            with contextlib.suppress(ValueError, AttributeError, TypeError):
                self.shown = max(self.shown, json.loads(data)["session"]["version"])
        return status

    async def act(self, path: str, payload=None) -> int:
        """A desk action: its answer is the desk, so the events it caused need no fetch of their own."""
        self.acting = True
        try:
            return await self.api("POST", path, payload)
        finally:
            self.acting = False
            owed, self.owed = self.owed, None
            if owed and (owed["other"] or owed["version"] > self.shown):
                self.floor.spawn(self.refresh())

    def needs_fetch(self, msg: dict) -> bool:
        version = msg.get("version") if msg.get("type") == "agent.state" else None
        if self.acting:
            self.owed = self.owed or {"version": 0, "other": False}
            if version is None:
                self.owed["other"] = True
            else:
                self.owed["version"] = max(self.owed["version"], version)
            return False
        return version is None or version > self.shown

    async def socket(self) -> None:
        import websockets

        url = f"ws://127.0.0.1:{self.floor.plan.port}/ws/agent/"
        async with websockets.connect(url, additional_headers={"Cookie": f"sessionid={self.session}"},
                                      open_timeout=60, max_queue=None) as ws:
            async for raw in ws:
                now = time.perf_counter()
                msg = json.loads(raw)
                kind = msg.get("type", "")
                self.floor.tally.events[kind] += 1
                if kind == "hello":
                    self.server, self.retries = msg.get("server"), 0
                    self.connected.set()
                elif kind == "offer":
                    if not self.floor.offered(self, msg, now):
                        continue  # the same offer pushed again (a retried batch): the desktop shows it once
                    # The next offer may ring before the wrap-up's answer is back (the router acts on its
                    # commit): that is fine. Ringing while answering or talking is not.
                    if self.phase not in ("idle", "wrapping"):
                        self.floor.tally.offer_while_busy += 1
                    self.inbox.put_nowait(msg)
                elif kind == "offer.closed" and msg.get("state") == "expired":
                    self.floor.tally.expired += 1  # the agent was put not ready: back to ready, as a person would
                    self.floor.spawn(self.api("POST", "/agent/state", {"state": "ready"}))
                if self.floor.plan.desk_refresh and kind != "hello" and self.needs_fetch(msg):
                    self.floor.spawn(self.refresh())

    async def desk(self) -> None:
        while True:
            msg = await self.inbox.get()
            try:
                await self.work(self.floor.call_of(msg), msg["offer"], msg["contact"])
            finally:
                self.phase = "idle"

    async def refresh(self) -> None:
        """What the desktop page does on every event and on its heartbeat: fetch the whole desk."""
        if self.fetching:
            self.fetch_again = True
            return
        self.fetching = True
        try:
            await self.api("GET", "/agent/me")
            while self.fetch_again:
                self.fetch_again = False
                await self.api("GET", "/agent/me")
        finally:
            self.fetching = False

    async def heartbeat(self, every: float) -> None:
        await asyncio.sleep(random.random() * every)
        while True:
            await self.refresh()
            await asyncio.sleep(every)

    async def work(self, call: Call | None, offer: int, contact: int) -> None:
        """Answer, talk, let the caller hang up, wrap up: the agent is ready again at the end."""
        plan, floor = self.floor.plan, self.floor
        self.phase = "answering"
        if plan.ring:
            await asyncio.sleep(plan.ring)
        if await self.act(f"/offers/{offer}/accept") != 200:
            return  # expired or withdrawn meanwhile: the offer.closed event puts the agent right
        self.phase = "talking"
        if call is not None:
            await floor.switch(call, {"type": "call.answered", "call_id": call.call_id, "extension": self.extension})
        await asyncio.sleep(floor.rng.uniform(*plan.talk))
        if call is not None:
            await floor.switch(call, {"type": "call.ended", "call_id": call.call_id, "cause": "normal_clearing"})
        else:
            await self.api("POST", f"/contacts/{contact}/end")
        if plan.wrap:
            await asyncio.sleep(plan.wrap)
        self.phase = "wrapping"
        if await self.act(f"/contacts/{contact}/wrap-up", {"disposition": "solved"}) == 200:
            floor.tally.completed += 1


class Floor:
    """The switch, the agents and the tallies of one run."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.rng = random.Random(plan.seed)
        self.tally = Tally()
        self.calls: list[Call] = []
        self.by_caller: dict[str, Call] = {}
        self.seen_offers: set = set()
        self.unoffered: collections.deque[Call] = collections.deque()
        self.tasks: set[asyncio.Task] = set()
        self.switch_pool = HttpPool(plan.port, plan.connections, plan.timeout, "switch")
        self.desk = HttpPool(plan.port, plan.connections, plan.timeout, "desk")
        self.agents = [Agent(self, spec) for spec in plan.agents]
        self.t0 = 0.0
        self.stop_reason = ""

    def spawn(self, coro) -> None:
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def switch(self, call: Call, message: dict, stamp: list | None = None) -> int:
        try:
            status, data = await self.switch_pool.request(
                "POST", CTI, message, {"Authorization": f"Bearer {self.plan.token}"}, stamp)
        except Exception as exc:  # noqa: BLE001 - counted; the call is then lost or stuck, and shows as such
            self.tally.errors[f"CTI {message['type']}: {type(exc).__name__}"] += 1
            return 0
        if status != 200:
            self.tally.errors[f"CTI {message['type']} {status}"] += 1
        return status

    async def arrive(self, call: Call) -> None:
        stamp: list[float] = []
        status = await self.switch(call, {"type": "call.incoming", "call_id": call.call_id, "caller": call.caller,
                                          "called": "10000", "channel": "voice"}, stamp)
        call.sent = stamp[-1] if stamp else 0.0
        call.status, call.answered = status, time.perf_counter()

    def call_of(self, msg: dict) -> Call | None:
        return self.by_caller.get((msg.get("pop") or {}).get("caller", ""))

    def offered(self, agent: Agent, msg: dict, now: float) -> bool:
        """Note an offer seen on a socket; False when that offer was seen already."""
        if msg.get("offer") in self.seen_offers:
            self.tally.repeated += 1
            return False
        self.seen_offers.add(msg.get("offer"))
        call = self.call_of(msg)
        if call is not None:
            call.offers += 1
            call.offer_ids.append(msg.get("offer"))
            if not call.offered:
                call.offered, call.agent = now, agent.id
        return True

    async def connect_all(self) -> int:
        """Open every agent's socket, 20 handshakes at a time (a floor logging in, not a thundering herd)."""
        gate = asyncio.Semaphore(20)

        async def one(agent: Agent):
            async with gate:
                self.spawn(self._hold(agent))
                self.spawn(agent.desk())
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(agent.connected.wait(), 30)

        await asyncio.gather(*(one(a) for a in self.agents))
        deadline = time.perf_counter() + 30  # the ones that failed are retrying (see _hold)
        while time.perf_counter() < deadline and not all(a.connected.is_set() for a in self.agents):
            await asyncio.sleep(0.2)
        return sum(1 for a in self.agents if a.connected.is_set())

    async def _hold(self, agent: Agent) -> None:
        """The agent's socket, reopened after 1, 2, 4 … s (at most 30) when it fails or closes, as the desktop does."""
        while True:
            try:
                await agent.socket()
                reason = "closed by the server"
            except Exception as exc:  # noqa: BLE001 - counted; the desktop reconnects, so does the agent here
                reason = type(exc).__name__
            agent.connected.clear()
            self.tally.errors[f"socket: {reason}"] += 1
            await asyncio.sleep(min(30, 2 ** agent.retries))
            agent.retries += 1

    async def watch_loop(self) -> None:
        """The generator's own health: how late the event loop wakes up."""
        while True:
            t = time.perf_counter()
            await asyncio.sleep(0.05)
            self.tally.lag_max = max(self.tally.lag_max, time.perf_counter() - t - 0.05)

    def overdue(self, now: float) -> float:
        """Seconds the oldest call without an offer has waited (0 if none)."""
        q = self.unoffered
        while q and (q[0].offered or q[0].status not in (None, 200)):
            q.popleft()  # offered, or refused by the server (counted as an error, not as waiting)
        return now - q[0].due if q else 0.0

    def sample(self, now: float) -> None:
        free = sum(1 for a in self.agents if not a.busy)
        self.tally.min_free = min(self.tally.min_free, free)
        self.tally.backlog_max = max(self.tally.backlog_max, sum(1 for c in self.unoffered if not c.offered))
        self.tally.pool_wait_max = max(self.tally.pool_wait_max, self.switch_pool.waiting() + self.desk.waiting())

    def progress(self, now: float) -> None:
        offered = [c for c in self.calls if c.offered]
        lat = sorted((c.offered - c.due) * 1000 for c in offered)
        p99 = lat[int(0.99 * (len(lat) - 1))] if lat else float("nan")
        print(f"      {now - self.t0:6.0f} s: {len(self.calls)} arrived, {len(offered)} offered, "
              f"p99 so far {p99:.0f} ms, waiting now {sum(1 for c in self.unoffered if not c.offered)}, "
              f"free agents {sum(1 for a in self.agents if not a.busy)}", flush=True)

    async def warm_up(self) -> dict:
        """Unmeasured calls first: each server process answers its first requests slowly (lazy imports,
        connections), and a site's server is warm. Two calls per pooled connection, at most 20/s."""
        plan = self.plan
        calls = []
        for i in range(2 * plan.connections):
            call = Call(n=i, call_id=f"{plan.warm_prefix}{i}", caller=f"137{i:08d}", due=time.perf_counter())
            self.by_caller[call.caller] = call
            calls.append(call)
            self.spawn(self.arrive(call))
            await asyncio.sleep(1 / min(plan.rate, 20))
        deadline = time.perf_counter() + 60
        while time.perf_counter() < deadline and (any(c.status in (None, 200) and not c.offered for c in calls)
                                                  or any(a.busy for a in self.agents)):
            await asyncio.sleep(0.1)
        out = {"calls": len(calls), "offered": sum(1 for c in calls if c.offered),
               "errors": dict(self.tally.errors), "busy_after": sum(1 for a in self.agents if a.busy)}
        self.tally = Tally()  # the run's own counts start here
        return out

    async def run(self) -> dict:
        plan = self.plan
        watcher = asyncio.create_task(self.watch_loop())
        t = time.perf_counter()
        connected = await self.connect_all()
        connect_s = time.perf_counter() - t
        if connected < 0.99 * len(self.agents):  # a few still retrying: go on, the report shows how many
            self.stop_reason = f"only {connected} of {len(self.agents)} agent sockets connected"
        if plan.desk_refresh:
            for a in self.agents:
                self.spawn(a.heartbeat(plan.desk_refresh))
        warm = await self.warm_up() if not self.stop_reason else {}
        print("@@start", flush=True)  # the orchestrator's cue to read the CPU counters
        self.t0 = start = time.perf_counter()
        due, n, next_sample, next_progress = start, 0, start, start + plan.progress
        end = start + plan.seconds
        while not self.stop_reason and due < end:
            now = time.perf_counter()
            if due > now:
                await asyncio.sleep(due - now)
                now = time.perf_counter()
            call = Call(n=n, call_id=f"{plan.prefix}{n}", caller=f"138{n:08d}", due=due)
            self.calls.append(call)
            self.by_caller[call.caller] = call
            self.unoffered.append(call)
            self.spawn(self.arrive(call))
            n += 1
            due += self.rng.expovariate(plan.rate) if plan.poisson else 1.0 / plan.rate
            if now >= next_sample:
                next_sample = now + 0.5
                self.sample(now)
                waited = self.overdue(now)
                if waited > plan.give_up:
                    self.stop_reason = f"a call waited {waited:.0f} s without an offer"
                elif self.switch_pool.timeouts + self.desk.timeouts:
                    self.stop_reason = "requests timed out"
            if now >= next_progress:
                next_progress = now + plan.progress
                self.progress(now)
        arrivals_end = time.perf_counter()
        print("@@end", flush=True)
        window = max(arrivals_end - start, 1e-9)
        # Grace: the last offers, then the calls in hand.
        deadline = arrivals_end + plan.grace
        while time.perf_counter() < deadline and (self.overdue(time.perf_counter()) or
                                                  any(c.status is None for c in self.calls)):
            self.sample(time.perf_counter())
            await asyncio.sleep(0.1)
        deadline = max(deadline, time.perf_counter() + min(plan.grace, plan.talk[1] + plan.wrap + 10))
        while time.perf_counter() < deadline and any(a.busy for a in self.agents):
            await asyncio.sleep(0.1)
        busy_at_end = sum(1 for a in self.agents if a.busy)
        stopped_listening = time.time()
        watcher.cancel()
        for task in list(self.tasks):
            task.cancel()
        await asyncio.sleep(0)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        servers = Counter(a.server for a in self.agents if a.server)
        return {
            "stop_reason": self.stop_reason,
            "connected": connected, "connect_s": round(connect_s, 1), "warm_up": warm,
            "window_s": window, "arrived": len(self.calls),
            "posted_ok": sum(1 for c in self.calls if c.status == 200),
            "offered": sum(1 for c in self.calls if c.offered),
            "reoffered": sum(1 for c in self.calls if c.offers > 1),
            "unoffered": [c.call_id for c in self.calls if c.status == 200 and not c.offered][:20],
            "unoffered_n": sum(1 for c in self.calls if c.status == 200 and not c.offered),
            # [arrival offset s, latency ms (from arrival), latency from the request's write ms,
            #  call.incoming's answer ms]
            "latencies": [[round(c.due - start, 3), round((c.offered - c.due) * 1000, 2),
                           round((c.offered - (c.sent or c.due)) * 1000, 2),
                           round((c.answered - c.sent) * 1000, 2) if c.sent and c.answered else None]
                          for c in self.calls if c.offered],
            # how long the server took to answer call.incoming (the offer may ring before or after that)
            "incoming_ms": sorted(round((c.answered - c.sent) * 1000, 2) for c in self.calls if c.sent and c.status),
            # the client's own lag: request written − arrival (waiting for the loop or a free connection)
            "client_lag_ms": sorted(round((c.sent - c.due) * 1000, 2) for c in self.calls if c.sent),
            "loop_lag_max_ms": round(self.tally.lag_max * 1000, 1),
            "errors": dict(self.tally.errors), "events": dict(self.tally.events),
            "expired": self.tally.expired, "offer_while_busy": self.tally.offer_while_busy,
            "repeated": self.tally.repeated, "stopped_listening": stopped_listening,
            "offer_ids": sorted(o for c in self.calls for o in c.offer_ids),
            "completed": self.tally.completed, "busy_at_end": busy_at_end,
            "min_free_agents": self.tally.min_free if self.tally.min_free < 1 << 30 else len(self.agents),
            "backlog_max": self.tally.backlog_max, "client_queue_max": self.tally.pool_wait_max,
            "timeouts": self.switch_pool.timeouts + self.desk.timeouts,
            "sockets_per_server": {str(k): v for k, v in servers.items()},
            "cpu_s": usage.ru_utime + usage.ru_stime,
        }


def main(plan_path: str, out_path: str) -> None:
    with open(plan_path) as f:
        raw = json.load(f)
    raw["talk"] = tuple(raw.get("talk", (0.5, 1.5)))
    plan = Plan(**raw)
    try:
        import uvloop

        runner = uvloop.run
    except ImportError:  # the figures are then a little more the client's
        runner = asyncio.run

    async def go():
        result = await Floor(plan).run()
        with open(out_path, "w") as f:
            json.dump(result, f)
        # Done: leave without the loop's orderly shutdown, which waits for every socket's closing handshake
        # with a server that may be too busy to answer (a run must end in bounded time).
        sys.stdout.flush()
        os._exit(0)

    runner(go())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
