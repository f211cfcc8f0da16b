"""A progress bar for long seeding runs (quiet when not asked for)."""

from tqdm import tqdm


def progress_bar(*, total: int, desc: str, enabled: bool):
    return tqdm(total=total, desc=desc, unit=" rows", disable=not enabled, mininterval=0.5, dynamic_ncols=True)
