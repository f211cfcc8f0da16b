"""``kefu manage boss_sim``: a simulated BOSS that sends signed publishing requests and receives the results."""

import time
import uuid

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("Simulated billing system (BOSS): sends a signed publishing request to Kefu and serves the signed "
            "callbacks that report its results, verifying their signatures and dropping repeats.")

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="Kefu's address")
        parser.add_argument("--key-id", default="", help="the external system's key id")
        parser.add_argument("--secret", default="", help="the external system's secret")
        parser.add_argument("--setup", metavar="ORG", default="",
                            help="register (or re-key) the system 'boss-sim' in this database under organisation "
                                 "ORG, with this simulator's callback URL, and use its new key")
        parser.add_argument("--listen", default="127.0.0.1:8765", help="host:port of the callback server")
        parser.add_argument("--kind", default="arrears", help="arrears, high_bill, fee, public, personal, "
                                                               "promotion or survey")
        parser.add_argument("--outlet", default="sms")
        parser.add_argument("--template", default="", help="an outlet template code (default arrears_notice "
                                                           "without --text)")
        parser.add_argument("--text", default="", help="inline text instead of a template")
        parser.add_argument("--numbers", default="", help="comma-separated numbers (else a rule)")
        parser.add_argument("--rule-org", default="", help="rule: customers of this organisation's subtree")
        parser.add_argument("--min-arrears", default=None, help="rule: arrears above this many yuan")
        parser.add_argument("--amount", default="58.00", help="the 'amount' variable of listed numbers")
        parser.add_argument("--priority", type=int, default=5)
        parser.add_argument("--request-id", default="", help="default: a new one")
        parser.add_argument("--repeat", type=int, default=1, help="send the same request this many times")
        parser.add_argument("--fail-callbacks", type=int, default=0, help="answer 500 to the first N callbacks")
        parser.add_argument("--wait", type=float, default=120.0, help="seconds to wait for the final callback")

    def handle(self, *args, **opts):
        from kefu.notices.bosssim import BossSimulator

        host, _, port = opts["listen"].rpartition(":")
        key_id, secret = opts["key_id"], opts["secret"]
        if not opts["setup"] and not (key_id and secret):
            raise CommandError("give --key-id and --secret, or --setup ORG")
        sim = BossSimulator(kefu_url=opts["url"], key_id=key_id, secret=secret, host=host or "127.0.0.1",
                            port=int(port or 0))
        if opts["setup"]:
            sim.key_id, sim.secret = self._setup(opts["setup"], sim.callback_url)
            self.stdout.write(f"boss_sim: system boss-sim, key {sim.key_id}, callbacks to {sim.callback_url}")
        sim.fail_next = opts["fail_callbacks"]
        payload = self._payload(opts)
        with sim:
            for n in range(max(1, opts["repeat"])):
                status, answer = sim.send(payload)
                self.stdout.write(f"boss_sim: request {payload['request_id']} #{n + 1} → {status} {answer}")
                if status >= 400:
                    raise CommandError(f"Kefu refused the request: {answer}")
            started = time.monotonic()
            final = None
            while final is None and time.monotonic() - started < opts["wait"]:
                final = sim.wait_final(payload["request_id"], timeout=min(5.0, opts["wait"]))
                self.stdout.write(f"boss_sim: {len(sim.results(payload['request_id']))} results, "
                                  f"{sim.duplicates} repeated callbacks dropped, {sim.failed_on_purpose} failed on "
                                  f"purpose, {sim.bad_signatures} bad signatures")
        if final is None:
            raise CommandError("no final callback within --wait")
        self.stdout.write(f"boss_sim: finished, totals {final['totals']}")

    def _payload(self, opts) -> dict:
        payload: dict = {"request_id": opts["request_id"] or f"sim-{uuid.uuid4().hex[:12]}", "kind": opts["kind"],
                         "outlet": opts["outlet"], "priority": opts["priority"]}
        if opts["text"]:
            payload["text"] = opts["text"]
        else:
            payload["template"] = opts["template"] or "arrears_notice"
        if opts["numbers"]:
            payload["recipients"] = [{"number": n.strip(), "variables": {"number": n.strip(), "amount": opts["amount"]}}
                                     for n in opts["numbers"].split(",") if n.strip()]
        else:
            rule: dict = {}
            if opts["rule_org"]:
                rule["org"] = opts["rule_org"]
            if opts["min_arrears"] is not None:
                rule["min_arrears"] = opts["min_arrears"]
            payload["rule"] = rule or {"org": ""}
        return payload

    def _setup(self, org_code: str, callback_url: str) -> tuple[str, str]:
        from kefu.notices.selectors import system_find
        from kefu.notices.services.systems import (
            SystemData,
            system_create,
            system_rotate_secret,
            system_update,
        )
        from kefu.orgs.selectors import org_find

        org = org_find(code=org_code)
        if org is None:
            raise CommandError(f"unknown organisation {org_code}")
        existing = system_find(code="boss-sim")
        if existing is None:
            issued = system_create(actor="boss_sim", data=SystemData(code="boss-sim", name="BOSS (simulated)",
                                                                     callback_url=callback_url, org_id=org.pk))
        else:
            system_update(actor="boss_sim", system_id=existing.pk, name=existing.name, callback_url=callback_url,
                          active=True)
            issued = system_rotate_secret(actor="boss_sim", system_id=existing.pk)
        return issued.system.key_id, issued.secret
