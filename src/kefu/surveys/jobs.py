"""Background jobs of the surveys (run by ``kefu worker`` or Celery beat)."""

from datetime import timedelta

from kefu.core.tasks import periodic


@periodic(every=timedelta(hours=1))
def draw_samples() -> int:
    """Yesterday's samples of every active rule (each rule and day drawn once, so hourly runs are harmless)."""
    from .services.sampling import samples_draw_day

    return samples_draw_day()
