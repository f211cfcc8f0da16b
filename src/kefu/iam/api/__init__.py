"""The iam REST API, mounted at /api/iam/.

One ``router`` (what ``kefu.api`` mounts, and what the guard test walks);
the operations live in one module per aggregate so each stays readable.
Every operation carries ``@requires`` right under the router decorator.
"""

from . import grants, me, roles, skills, staff, teams, temporary, throttle, tokens  # noqa: F401  (they register operations)
from .router import router

__all__ = ["router"]
