"""Who calls the simulated switch, and how they behave.

Callers are drawn from a pool of numbers: subscribers in the database (some
of them VIP) and numbers Kefu does not know. Each call follows a profile: the
keys its caller presses at successive IVR prompts, how long they wait in queue
before hanging up (exponential patience) and how long they talk once an agent
answers. The default key plans fit the default 10086 IVR flow; pass other
profiles for other flows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

#: Key plan entries that stand for the caller's service password and last month (YYYYMM).
PASSWORD = "{password}"
LAST_MONTH = "{last_month}"


@dataclass(frozen=True)
class Profile:
    name: str
    keys: tuple[str, ...]  # the answer to each successive "collect", in order; then silence
    patience: float = 90.0  # mean seconds waiting in queue before hanging up
    talk: float = 150.0  # mean seconds talking once an agent answers
    ivr_patience: float = 240.0  # a caller stuck in the IVR hangs up after this long
    think: tuple[float, float] = (1.0, 4.0)  # seconds before pressing keys at a prompt


DEFAULT_PROFILES = {
    # The default 10086 flow (kefu.ivr.default_flow): 1 this month's bill (own number, no password),
    # then any key but 1 or 2 to skip the SMS/e-mail offer, then # to end the call.
    "self_service": Profile("self_service", keys=("1", "3", "#"), patience=60.0, talk=120.0),
    # 2 detailed bill: the service password, then the month; callers whose password is not the
    # demo one fail three times and are put through to an agent, as the identity rule says.
    "self_service_detail": Profile("self_service_detail", keys=("2", PASSWORD, LAST_MONTH, "3", "#"),
                                   patience=60.0, talk=120.0),
    # 0 at the main menu: an agent (queue GEN).
    "agent": Profile("agent", keys=("0",), patience=90.0, talk=150.0),
    # 9 at the main menu: VIP customers go to the VIP queue, others to GEN one level up.
    "vip": Profile("vip", keys=("9",), patience=180.0, talk=200.0),
}


@dataclass(frozen=True)
class Caller:
    number: str
    kind: str  # "vip", "known" or "unknown"
    profile: Profile
    password: str = ""

    def key_plan(self) -> list[str]:
        from kefu.core import clock

        today = clock.now().date()
        last_month = f"{today.year - (today.month == 1)}{(today.month - 2) % 12 + 1:02d}"
        values = {PASSWORD: self.password or "000000", LAST_MONTH: last_month}
        return [values.get(k, k) for k in self.profile.keys]


@dataclass
class CallerPool:
    """Numbers to call from, and the share of each kind of caller.

    ``mix`` gives the shares of VIP, known and unknown callers; among known
    callers ``self_service_share`` try self-service (one of the profiles named
    ``self_service…``, at random), the others ask for an agent.
    """

    vip: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)
    mix: tuple[float, float, float] = (0.15, 0.65, 0.20)
    self_service_share: float = 0.4
    profiles: dict[str, Profile] = field(default_factory=lambda: dict(DEFAULT_PROFILES))
    password: str = ""

    @classmethod
    def from_database(cls, *, limit: int = 2000, **kwargs) -> CallerPool:
        """Open lines of the demo customers: VIP customers' numbers apart."""
        from kefu.crm.selectors import subscriber_open_numbers

        if "password" not in kwargs:
            from kefu.demo.customers import DEMO_SERVICE_PASSWORD

            kwargs["password"] = DEMO_SERVICE_PASSWORD
        vip = subscriber_open_numbers(vip=True, limit=max(1, limit // 5))
        known = subscriber_open_numbers(vip=False, limit=limit)
        return cls(vip=vip, known=known, **kwargs)

    def draw(self, rng: random.Random) -> Caller:
        kind = rng.choices(("vip", "known", "unknown"), weights=self.mix)[0]
        if kind == "vip" and self.vip:
            return Caller(rng.choice(self.vip), "vip", self.profiles["vip"], self.password)
        if kind in ("vip", "known") and self.known:
            if rng.random() < self.self_service_share:
                name = rng.choice(sorted(n for n in self.profiles if n.startswith("self_service")))
            else:
                name = "agent"
            return Caller(rng.choice(self.known), "known", self.profiles[name], self.password)
        # Numbers no subscriber has (the 170 segment is not seeded).
        return Caller(f"170{rng.randrange(10**8):08d}", "unknown", self.profiles["agent"])
