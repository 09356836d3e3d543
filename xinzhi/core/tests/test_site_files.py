from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_favicon_is_served_at_the_site_root_without_login(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == (ROOT / "xinzhi/public/favicon.ico").read_bytes()


def test_pages_link_the_favicon(client, db):
    response = client.get("/accounts/login/")
    assert '<link rel="icon" href="/favicon.ico">' in response.content.decode()
