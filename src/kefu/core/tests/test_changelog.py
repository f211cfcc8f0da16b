"""The change log is visible in the UI and the API, parsed from CHANGELOG.md however people wrote it."""

import kefu
from kefu.core.changelog import changelog_parse

MESSY = """# Changelog

Some preamble text.

## [Unreleased]
### Fixed
- First fix, wrapped over
  two lines.
* Second fix with `code`.
### Added
- A feature
 continued with one space.

stray paragraph that belongs to nothing
- An entry after a blank line stays in Added.

## 0.2.0 (2026-12-01)
- An entry before any section.
### Changed
```
- not an entry: inside a code block
```
- Real change.
### Empty

## [0.1.0] - 2026-11-27
### Added
- Skeleton.
"""


def test_parse_is_forgiving():
    versions = changelog_parse(MESSY)
    assert [(v.version, v.date) for v in versions] == [
        ("Unreleased", None), ("0.2.0", "2026-12-01"), ("0.1.0", "2026-11-27")]
    unreleased = versions[0]
    assert [(s.title, s.entries) for s in unreleased.sections] == [
        ("Fixed", ["First fix, wrapped over two lines.", "Second fix with `code`."]),
        ("Added", ["A feature continued with one space.", "An entry after a blank line stays in Added."]),
    ]
    assert [(s.title, s.entries) for s in versions[1].sections] == [
        ("", ["An entry before any section."]), ("Changed", ["Real change."])]


def test_api_serves_the_change_log_without_login(anon_api):
    r = anon_api.get("/api/changelog")
    assert r.status_code == 200
    body = r.json()
    assert body["current"] == kefu.__version__
    versions = {v["version"]: v for v in body["versions"]}
    assert kefu.__version__ in versions and "Unreleased" in versions
    assert all(s["entries"] for v in body["versions"] for s in v["sections"])


def test_the_version_in_the_footer_links_to_the_change_log_page(admin, client):
    client.force_login(admin)
    home = client.get("/").content.decode()
    assert 'href="/changelog/"' in home
    page = client.get("/changelog/")
    assert page.status_code == 200
    html = page.content.decode()
    assert kefu.__version__ in html and "<code>" in html
