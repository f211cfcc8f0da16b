"""Demo customers: plausible, deterministic, and fast enough for a million.

``customers_seed`` tops the customer table up to ``count`` rows, in batches of
``BATCH`` customers, one transaction each (an interrupted run keeps what it
finished; the next run continues). Choices that keep a million rows fast:

- every unique value (mobile number, certificate number, account number) is
  derived from the customer's position through a bijection, so seeded rows
  never collide; each batch is checked once against rows entered by hand;
- rows are plain dicts written with the database's bulk path (SQLite: one
  prepared INSERT through ``executemany``; PostgreSQL: ``COPY``; see
  ``_Table``), not model instances through ``bulk_create``, whose per-value
  SQL compilation cost more than the database's own work (measured: 2-3×
  slower on both);
- hashing a service password costs tens of milliseconds, so all seeded
  customers that have one share ONE precomputed hash of
  ``DEMO_SERVICE_PASSWORD`` (per-row hashing would take hours);
- the RNG is seeded per batch position, so the same count gives the same data;
- one summary audit entry per run, not one per row.
"""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import Model

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.crm.models import (
    Account,
    AccountStatus,
    Brand,
    CertificateType,
    Customer,
    CustomerKind,
    PayMethod,
    Subscriber,
    SubscriberStatus,
    Tier,
    VipLevel,
)
from kefu.crm.validation import credit_code_check_char, id_card_check_digit

from .progress import progress_bar

SYSTEM = "demo-seed"
BATCH = 5_000
#: The service password of every seeded customer that has one (for IVR demos).
DEMO_SERVICE_PASSWORD = "258369"

# city code → (share of customers, city name, {district code: district name}, roads)
CITIES = {
    "GZ": (0.45, "广州市", {"440103": "荔湾区", "440104": "越秀区", "440105": "海珠区", "440106": "天河区",
                          "440111": "白云区", "440112": "黄埔区", "440113": "番禺区"},
           ("天河路", "体育西路", "中山五路", "环市东路", "江南大道中", "广州大道北", "黄埔大道西", "机场路", "工业大道")),
    "SZ": (0.35, "深圳市", {"440303": "罗湖区", "440304": "福田区", "440305": "南山区", "440306": "宝安区",
                          "440307": "龙岗区", "440309": "龙华区"},
           ("深南大道", "滨海大道", "华强北路", "科技园南路", "宝安大道", "布吉路", "民治大道", "红荔路")),
    "FS": (0.20, "佛山市", {"440604": "禅城区", "440605": "南海区", "440606": "顺德区", "440607": "三水区",
                          "440608": "高明区"},
           ("季华路", "佛山大道", "汾江中路", "南海大道", "德和路", "桂澜路", "岭南大道")),
}
_MOBILE_PREFIXES = ("139", "138", "137", "136", "135", "134", "150", "151", "152", "157", "158", "159", "182",
                    "183", "187", "188", "147", "178", "198", "195")
_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
             "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
# Commoner surnames first; weight ~ 1/rank approximates their real frequency.
_SURNAME_CUM_WEIGHTS = tuple(itertools.accumulate(1 / (rank + 3) for rank in range(len(_SURNAMES))))
_GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉鹏晨欣怡子涵浩宇梓轩俊杰嘉欣思雨雅婷"
          "志强海燕丹晓东春梅佳琪文博宏亮秋菊国庆立新家豪泽楷诗涵")
_FIRMS = ("恒达", "宏图", "华信", "嘉禾", "金盛", "利通", "明辉", "瑞丰", "盛世", "天成", "新锐", "永泰", "振华",
          "中联", "卓越", "南方", "粤海", "珠江", "岭南", "创维")
_TRADES = ("科技", "贸易", "物流", "建材", "电子", "餐饮管理", "置业", "医药", "网络科技", "制造", "家具", "陶瓷")
_PLANS = {
    Brand.GOTONE: ("全球通畅享套餐88元", "全球通畅享套餐128元", "全球通尊享套餐188元", "全球通尊享套餐288元"),
    Brand.MZONE: ("动感地带芒果卡", "动感地带5G青春卡", "动感地带潮玩卡"),
    Brand.EASYOWN: ("神州行畅听卡", "神州行轻享卡", "神州行家园卡"),
    Brand.ENTERPRISE: ("集团V网套餐", "行业专网套餐", "集团统付5G套餐"),
}
_VIP_LEVELS = (VipLevel.DIAMOND, VipLevel.PLATINUM, VipLevel.GOLD, VipLevel.GOLD, VipLevel.SILVER, VipLevel.SILVER)

# Bijections i → (A·i + B) mod M, A coprime to M (odd, not a multiple of 5):
# distinct positions give distinct values, scattered so numbers look random.
_A, _B = 2_654_435_761, 97_531
_ID_SPACE = 20_000 * 1_000  # birth day (1950 + 20,000 days) × 3-digit sequence
_BIRTH_START = date(1950, 1, 1)


def _scramble(i: int, modulus: int) -> int:
    return (_A * i + _B) % modulus


def mobile_number(i: int, slot: int) -> str:
    """The ``slot``-th (0..2) line of the customer at position ``i``."""
    key = i * 3 + slot
    return _MOBILE_PREFIXES[key % len(_MOBILE_PREFIXES)] + f"{_scramble(key, 10**8):08d}"


def account_number(i: int, slot: int) -> str:
    return "8" + f"{_scramble(i * 2 + slot, 10**11):011d}"


def id_card_number(i: int, district: str) -> str:
    s = _scramble(i, _ID_SPACE)
    birth = _BIRTH_START + timedelta(days=s % 20_000)
    first17 = f"{district}{birth:%Y%m%d}{s // 20_000:03d}"
    return first17 + id_card_check_digit(first17)


def credit_code(i: int, district: str) -> str:
    first17 = f"91{district}MA{_scramble(i, 10**7):07d}"
    return first17 + credit_code_check_char(first17)


class _Plan:
    """Draws customers, their accounts and lines as rows (dicts of column values)."""

    def __init__(self, *, rng: random.Random, orgs: dict, managers: dict, password_hash: str, now):
        self.rng, self.managers, self.hash, self.now = rng, managers, password_hash, now
        self.org_ids = {code: org.pk for code, org in orgs.items()}
        self.codes = list(orgs)
        self.weights = [CITIES[c][0] for c in self.codes]

    def draft(self, i: int) -> tuple[dict, list[dict], list[tuple[dict, int]]]:
        """The customer at position ``i``: its row, account rows, and line rows with their account's index."""
        customer, brand, lines = self.customer(i)
        accounts = self.accounts(i, customer, brand)
        return customer, accounts, self.subscribers(i, customer, len(accounts), brand, lines)

    def person_name(self) -> str:
        rng = self.rng
        given = "".join(rng.choice(_GIVEN) for _ in range(rng.choices((1, 2), (3, 7))[0]))
        return rng.choices(_SURNAMES, cum_weights=_SURNAME_CUM_WEIGHTS)[0] + given

    def customer(self, i: int) -> tuple[dict, str, int]:
        """A customer row, the brand of its lines and its number of lines."""
        rng = self.rng
        code = rng.choices(self.codes, self.weights)[0]
        _share, city, districts, roads = CITIES[code]
        district = rng.choice(list(districts))
        address = f"{city}{districts[district]}{rng.choice(roads)}{rng.randint(1, 999)}号"
        r = rng.random()
        tier, vip_level, kind, manager = Tier.STANDARD, "", CustomerKind.INDIVIDUAL, None
        if r < 0.03:
            tier, vip_level, brand = Tier.VIP, rng.choice(_VIP_LEVELS), Brand.GOTONE
            manager = self._manager(code)
        elif r < 0.05:
            kind, brand = CustomerKind.ENTERPRISE, Brand.ENTERPRISE
            manager = self._manager(code) if rng.random() < 0.5 else None
        elif r < 0.35:
            brand = Brand.GOTONE
        elif r < 0.80:
            brand = Brand.MZONE
        else:
            brand = Brand.EASYOWN
        if kind == CustomerKind.ENTERPRISE:
            name = f"{city}{rng.choice(_FIRMS)}{rng.choice(_TRADES)}有限公司"
            cert_type, cert_no = CertificateType.CREDIT_CODE, credit_code(i, district)
            address += f"{rng.randint(1, 30)}楼"
        else:
            name = self.person_name()
            cert_type, cert_no = CertificateType.ID_CARD, id_card_number(i, district)
            address += f"{rng.randint(1, 30)}栋{rng.randint(1, 32)}0{rng.randint(1, 8)}房"
        since = self.now - timedelta(days=rng.randint(30, 3650), seconds=rng.randint(0, 86_399))
        has_password = rng.random() < 0.7
        row = {
            "name": name, "kind": kind, "certificate_type": cert_type, "certificate_no": cert_no,
            "address": address, "org_id": self.org_ids[code], "tier": tier, "vip_level": vip_level,
            "manager_id": manager, "service_password": self.hash if has_password else "",
            "service_password_failures": 0, "service_password_locked_at": None,
            "service_password_changed_at": since if has_password else None, "version": 1,
            "created_at": since, "updated_at": since,
        }
        return row, brand, rng.choices((1, 2, 3), (6, 3, 1))[0]

    def _manager(self, code: str) -> int | None:
        staff = self.managers.get(code)
        return self.rng.choice(staff) if staff else None

    def accounts(self, i: int, customer: dict, brand: str) -> list[dict]:
        rng = self.rng
        if brand == Brand.ENTERPRISE:
            pay = PayMethod.GROUP_PAY
        elif brand == Brand.GOTONE and rng.random() < 0.5:
            pay = PayMethod.BANK_DEBIT
        else:
            pay = rng.choice((PayMethod.CASH, PayMethod.ONLINE))
        out = []
        for slot in range(rng.choices((1, 2), (4, 1))[0]):
            balance = Decimal(rng.randint(-5_000, 30_000)) / 100
            out.append({
                "account_no": account_number(i, slot),
                "name": customer["name"] if slot == 0 else f"{customer['name']}（副）", "pay_method": pay,
                "balance": balance, "status": AccountStatus.ARREARS if balance < 0 else AccountStatus.ACTIVE,
                "created_at": customer["created_at"], "updated_at": customer["created_at"],
            })
        return out

    def subscribers(self, i: int, customer: dict, accounts: int, brand: str, lines: int) -> list[tuple[dict, int]]:
        rng = self.rng
        out = []
        for slot in range(lines):
            r = rng.random()
            status = SubscriberStatus.ACTIVE if r < 0.92 else (
                SubscriberStatus.SUSPENDED if r < 0.97 else SubscriberStatus.CLOSED)
            opened = min(customer["created_at"] + timedelta(days=slot * rng.randint(0, 400)), self.now)
            row = {"number": mobile_number(i, slot), "brand": brand, "plan": rng.choice(_PLANS[brand]),
                   "status": status, "opened_at": opened, "created_at": opened, "updated_at": opened}
            out.append((row, 0 if slot == 0 else rng.randrange(accounts)))
        return out


class _Table:
    """Writes rows of one model with the fastest path each database offers.

    SQLite: one prepared INSERT run by the driver's ``executemany`` (a C loop
    over one compiled statement). PostgreSQL: ``COPY … FROM STDIN``, since
    psycopg binds parameters on the client, so each executemany row would be
    a new statement to parse. Values go through the backend's own adaptation
    (``connection.ops``) so that both store exactly what the ORM would. Ids
    are read back by a unique column (``set_ids``), as neither path returns them.
    """

    def __init__(self, model: type[Model]):
        self.model = model
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        qn = connection.ops.quote_name
        table, columns = qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
        # Identifiers come from the model's meta and are quoted by the backend; values are parameters.
        self.insert_sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"
        self.columns = [(f.attname, self._adapter(f)) for f in fields]
        self._dt_cache: dict = {}

    def _adapter(self, field):
        ops = connection.ops
        if isinstance(field, models.DateTimeField):
            return self._datetime
        if isinstance(field, models.DecimalField):
            return lambda v: ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
        return None

    def _datetime(self, value):
        # Many rows share a time (a customer's and its accounts'); adapt each once.
        if value is None:
            return None
        out = self._dt_cache.get(value)
        if out is None:
            out = self._dt_cache[value] = connection.ops.adapt_datetimefield_value(value)
        return out

    def insert(self, rows: list[dict]) -> None:
        params = [tuple(adapt(row[name]) if adapt else row[name] for name, adapt in self.columns) for row in rows]
        self._dt_cache.clear()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for values in params:
                        copy.write_row(values)
            else:
                cursor.executemany(self.insert_sql, params)

    def set_ids(self, rows: list[dict], key: str) -> None:
        """Put the id the database gave each row into ``row["id"]``, found by its unique ``key``."""
        ids: dict = {}
        values = [row[key] for row in rows]
        for start in range(0, len(values), 900):
            ids.update(self.model.objects.filter(**{f"{key}__in": values[start:start + 900]})
                       .values_list(key, "id"))
        for row in rows:
            row["id"] = ids[row[key]]


def _taken(model, field: str, values: list[str]) -> set[str]:
    """Which of ``values`` exist already (rows entered by hand); chunked for SQLite's parameter limit."""
    found: set[str] = set()
    for start in range(0, len(values), 900):
        chunk = values[start:start + 900]
        found.update(model.objects.filter(**{f"{field}__in": chunk}).values_list(field, flat=True))
    return found


def _write_batch(plan: _Plan, tables: dict, positions: range) -> int:
    """Insert the customers at ``positions``, skipping any whose values were taken by hand."""
    drafts = [plan.draft(i) for i in positions]
    taken_certs = _taken(Customer, "certificate_no", [c["certificate_no"] for c, _a, _s in drafts])
    taken_numbers = _taken(Subscriber, "number", [s["number"] for _c, _a, subs in drafts for s, _k in subs])
    taken_accounts = _taken(Account, "account_no", [a["account_no"] for _c, accs, _s in drafts for a in accs])
    drafts = [
        (c, accs, subs) for c, accs, subs in drafts
        if c["certificate_no"] not in taken_certs
        and not any(s["number"] in taken_numbers for s, _k in subs)
        and not any(a["account_no"] in taken_accounts for a in accs)
    ]
    customers = [c for c, _a, _s in drafts]
    with transaction.atomic():
        tables[Customer].insert(customers)
        tables[Customer].set_ids(customers, "certificate_no")
        accounts = []
        for c, accs, _s in drafts:
            for a in accs:
                a["customer_id"] = c["id"]
                accounts.append(a)
        tables[Account].insert(accounts)
        tables[Account].set_ids(accounts, "account_no")
        subscribers = []
        for c, accs, subs in drafts:
            for s, k in subs:
                s["customer_id"], s["account_id"] = c["id"], accs[k]["id"]
                subscribers.append(s)
        tables[Subscriber].insert(subscribers)
    return len(drafts)


def _managers_by_city(orgs: dict) -> dict[str, list[int]]:
    """Ids of the active account managers in each city's subtree (not just anyone who works there)."""
    from kefu.iam.models import Position, Staff, StaffStatus

    return {
        code: list(Staff.objects.filter(org__path__startswith=org.path, status=StaffStatus.ACTIVE,
                                        position=Position.ACCOUNT_MANAGER)
                   .order_by("employee_no").values_list("id", flat=True))
        for code, org in orgs.items()
    }


def customers_seed(*, count: int, orgs, progress: bool) -> int:
    """Top the customer table up to ``count`` rows; returns how many were added."""
    existing = Customer.objects.count()
    need = count - existing
    if need <= 0:
        return 0
    cities = {code: orgs[code] for code in CITIES if code in orgs}
    if not cities:
        raise ValueError("customers_seed needs at least one of the city branches GZ, SZ, FS in orgs")
    if connection.vendor == "sqlite":
        # A bigger page cache keeps the unique indexes' random inserts in memory.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB, this connection only
    plan = _Plan(rng=random.Random(), orgs=cities, managers=_managers_by_city(cities),
                 password_hash=make_password(DEMO_SERVICE_PASSWORD), now=clock.now())
    tables = {model: _Table(model) for model in (Customer, Account, Subscriber)}
    made, position = 0, existing
    with progress_bar(total=need, desc="customers", enabled=progress) as bar:
        while made < need:
            size = min(BATCH, need - made)
            plan.rng.seed(f"kefu-demo-customers-{position}")
            added = _write_batch(plan, tables, range(position, position + size))
            position += size
            made += added
            bar.update(added)
    audit_record(actor=SYSTEM, action=AuditAction.CREATE, object_type="crm.customer",
                 object_repr="demo customers", conditions={"count": count}, result_count=made,
                 note=f"seeded {made} demo customers (one entry for the whole run)")
    return made
