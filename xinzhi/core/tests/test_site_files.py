import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_favicon_is_served_at_the_site_root_without_login(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == (ROOT / "xinzhi/public/favicon.ico").read_bytes()


def test_pages_link_the_favicon(client, db):
    response = client.get("/accounts/login/")
    assert '<link rel="icon" href="/favicon.ico">' in response.content.decode()


def test_env_example_lists_every_variable_the_code_reads():
    pattern = re.compile(r'env_(?:str|int|bool|list|networks)\("([A-Z_]+)"')
    read = {
        name
        for folder in ("config", "xinzhi")
        for path in (ROOT / folder).rglob("*.py")
        for name in pattern.findall(path.read_text(encoding="utf-8"))
    }
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^([A-Z_]+)=", example, flags=re.MULTILINE))
    assert read - listed == set()
    assert "XINZHI_TRUSTED_PROXIES" in listed
