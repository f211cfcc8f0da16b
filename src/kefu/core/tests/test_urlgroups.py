"""The grouped API URLs resolve and reverse exactly as the flat list they were made from."""

import re

from django.urls import get_resolver, reverse

from kefu.api import api
from kefu.core.urlgroups import grouped


def _sample(route: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "7", route)  # any converter accepts "7"


def test_every_api_route_resolves_and_reverses_as_before():
    flat, _app, _ns = api.urls
    resolver = get_resolver()
    assert len(flat) > 100
    for p in flat:
        url = "/api/" + _sample(str(p.pattern))
        match = resolver.resolve(url)
        # The same view; a route shared by several methods resolves to the first, as in the flat list.
        first = next(q for q in flat if re.fullmatch(q.pattern.regex, _sample(str(p.pattern))))
        assert (match.namespace, match.url_name) == ("api", first.name), url
        kwargs = dict.fromkeys(p.pattern.converters, "7")
        assert reverse(f"api:{p.name}", kwargs=kwargs) == url


def test_groups_are_the_first_path_segments():
    groups, _app, _ns = grouped(api.urls)
    prefixes = [str(g.pattern) for g in groups if hasattr(g, "url_patterns")]
    assert "contactcenter/" in prefixes and "workorders/" in prefixes
    assert len(groups) < 30 and len(prefixes) == len(set(prefixes))
