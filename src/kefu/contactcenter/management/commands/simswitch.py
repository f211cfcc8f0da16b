"""``kefu manage simswitch``: run the simulated switch against a running Kefu (or in-process)."""

from django.core.management.base import BaseCommand, CommandError

from kefu.contactcenter.simswitch import SwitchError, build_switch, run_realtime


class Command(BaseCommand):
    help = ("Simulated telephone switch: Poisson call arrivals from subscriber numbers, callers who follow "
            "the IVR, wait with a patience and talk once an agent answers. Speaks the CTI protocol over HTTP.")

    def add_arguments(self, parser):
        parser.add_argument("--rate", type=float, default=0.5, help="new calls per second (default 0.5)")
        parser.add_argument("--duration", type=float, default=600, help="seconds to run (default 600)")
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="Kefu's address")
        parser.add_argument("--token", default="", help="API token of a staff member holding "
                            "contactcenter.cti.connect (default: issue one for the 'switch' account)")
        parser.add_argument("--in-process", action="store_true", help="call the CTI adapter directly, no HTTP")
        parser.add_argument("--seed", type=int, default=None, help="random seed, for repeatable traffic")
        parser.add_argument("--called", default="10086", help="the hotline number dialled")
        parser.add_argument("--step", type=float, default=1.0, help="seconds between two ticks (default 1)")
        parser.add_argument("--self-service", type=float, default=0.4,
                            help="share of known callers who try self-service (0–1)")
        parser.add_argument("--answer", type=float, default=0.7, help="share of placed calls a person answers")
        parser.add_argument("--busy", type=float, default=0.1, help="share of placed calls that find the line busy")
        parser.add_argument("--answer-machine", type=float, default=0.05,
                            help="share of placed calls an answering machine takes")
        parser.add_argument("--ring", type=float, default=6.0, help="mean seconds a placed call rings")

    def handle(self, *args, **opts):
        if opts["rate"] <= 0 or opts["duration"] <= 0 or opts["step"] <= 0:
            raise CommandError("--rate, --duration and --step must be positive")
        if not 0 <= opts["self_service"] <= 1:
            raise CommandError("--self-service is a share between 0 and 1")
        from kefu.contactcenter.simswitch import CallerPool, OutboundBehaviour

        try:
            outbound = OutboundBehaviour(answer=opts["answer"], busy=opts["busy"],
                                         answer_machine=opts["answer_machine"],
                                         ring=(max(0.0, opts["ring"] / 2), max(0.0, opts["ring"] * 1.5)))
            pool = CallerPool.from_database(self_service_share=opts["self_service"])
            switch = build_switch(rate=opts["rate"], url=opts["url"], token=opts["token"] or None,
                                  in_process=opts["in_process"], seed=opts["seed"], pool=pool,
                                  called=opts["called"], outbound=outbound)
        except (ValueError, RuntimeError) as exc:
            raise CommandError(str(exc)) from None
        where = "in-process" if opts["in_process"] else opts["url"]
        self.stdout.write(f"simswitch: {opts['rate']} calls/s for {opts['duration']:.0f} s → {where} "
                          f"({len(pool.vip)} VIP and {len(pool.known)} other numbers)")
        try:
            run_realtime(switch, seconds=opts["duration"], step=opts["step"], report=self._report,
                         report_every=30)
        except SwitchError as exc:
            raise CommandError(f"Kefu refused the switch: {exc}") from None
        except KeyboardInterrupt:
            pass
        self._report(switch)

    def _report(self, switch):
        parts = ", ".join(f"{k} {v}" for k, v in switch.stats.as_dict().items())
        self.stdout.write(f"simswitch: {parts}; in progress {len(switch.calls)}")
