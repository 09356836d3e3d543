"""Uploads are refused early: by Content-Length before the body is read, and by size on the
file Django streamed to disk before it is read into memory (a 300 MB upload once took a worker
from 92 to 388 MB)."""

import io
import tracemalloc

from xinzhi.enterprises.models import AnnualFigures

BOUNDARY = "xinzhi-test-boundary"
MB = 1024 * 1024


class GeneratedBody(io.RawIOBase):
    """A multipart body made on demand, so the test itself holds no copy of it; counts what
    the server read."""

    def __init__(self, file_size: int) -> None:
        self.head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="mode"\r\n\r\ncheck\r\n'
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.xlsx"\r\n'
            "Content-Type: application/octet-stream\r\n\r\nPK"
        ).encode()
        self.filler = file_size - 2
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.total = len(self.head) + self.filler + len(self.tail)
        self.position = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        start = self.position
        end = self.total if size is None or size < 0 else min(self.total, start + size)
        head_end = len(self.head)
        filler_end = head_end + self.filler
        out = bytearray()
        if start < head_end:
            out += self.head[start : min(end, head_end)]
        if end > head_end and start < filler_end:
            out += bytes(min(end, filler_end) - max(start, head_end))
        if end > filler_end:
            out += self.tail[max(start, filler_end) - filler_end : end - filler_end]
        self.position = end
        return bytes(out)


def post(client, path: str, body: GeneratedBody):
    return client.generic(
        "POST",
        path,
        b"",
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(body.total),
        **{"wsgi.input": body},
    )


def test_a_request_over_the_body_limit_is_refused_before_its_body_is_read(login, users):
    body = GeneratedBody(300 * MB)
    response = post(login(users["gxq"]), "/enterprises/import/", body)
    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "上传内容过大（300 MB），超过上限 25 MB，未作处理。请拆分文件后重试。"
    )
    assert body.position == 0
    assert AnnualFigures.objects.unscoped().count() == 0


def test_the_api_answers_the_body_limit_in_json(client, db):
    body = GeneratedBody(26 * MB)
    response = post(client, "/api/enterprises", body)
    assert response.status_code == 413
    assert response.json() == {
        "detail": "上传内容过大（26 MB），超过上限 25 MB，未作处理。请拆分文件后重试。"
    }
    assert body.position == 0


def test_an_import_over_20_mb_is_refused_from_the_streamed_file_without_reading_it(
    login, users, make_enterprise
):
    make_enterprise("甲科技", revenue=100)
    client = login(users["gxq"])
    client.get("/enterprises/import/")  # first-request imports and caches are not the upload's
    body = GeneratedBody(21 * MB)
    tracemalloc.start()
    try:
        response = post(client, "/enterprises/import/", body)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    assert "文件过大（21 MB），上限 20 MB。" in response.content.decode()
    assert body.position == body.total  # Django streamed all of it to a temporary file ...
    assert peak < 4 * MB  # ... and nothing held the 21 MB in memory
    assert AnnualFigures.objects.unscoped().count() == 1
