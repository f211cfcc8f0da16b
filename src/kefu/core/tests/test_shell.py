import pytest

from kefu.core.testing import TEST_PASSWORD


def test_version_endpoint_needs_no_login(anon_api):
    import kefu

    r = anon_api.get("/api/version")
    assert r.status_code == 200
    assert r.json() == {"name": "kefu", "version": kefu.__version__}


def test_openapi_schema_is_served(anon_api):
    r = anon_api.get("/api/openapi.json")
    assert r.status_code == 200
    assert r.json()["info"]["title"] == "Kefu API"


@pytest.mark.django_db
def test_pages_redirect_anonymous_to_login(client):
    r = client.get("/")
    assert r.status_code == 302
    assert "/iam/login/" in r["Location"]


def test_home_shows_version_in_footer(admin, client):
    import kefu

    client.force_login(admin)
    r = client.get("/")
    assert r.status_code == 200
    assert f"v{kefu.__version__}" in r.content.decode()


def test_home_is_chinese_by_default_and_english_on_request(admin, client):
    client.force_login(admin)
    assert "退出" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Log out" in client.get("/").content.decode()


def test_unknown_api_path_is_json_404(admin_api):
    r = admin_api.get("/api/nothing-here")
    assert r.status_code == 404


def test_malformed_json_is_a_clear_400(admin_api):
    r = admin_api.client.post("/api/iam/roles", data="{not json", content_type="application/json")
    assert r.status_code in (400, 404)
    if r.status_code == 400:
        assert r.json()["code"] == "invalid"


def test_login_then_logout(admin, client):
    r = client.post("/iam/login/", {"employee_no": "admin", "password": TEST_PASSWORD})
    assert r.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/iam/logout/")
    assert client.get("/").status_code == 302
