"""The UI is Chinese whatever language the browser asks for (Accept-Language is ignored)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def test_an_english_browser_gets_djangos_messages_in_chinese(client, users):
    response = client.post(reverse("accounts:login"), {"username": "", "password": ""}, **ENGLISH)

    body = response.content.decode()
    assert "这个字段是必填项。" in body
    assert "This field is required" not in body


def test_form_selects_offer_a_chinese_blank_choice(client, users, make_enterprise):
    enterprise = make_enterprise("常州示例科技有限公司")
    client.force_login(users["gxq"])

    body = client.get(reverse("enterprises:edit", args=[enterprise.pk]), **ENGLISH)
    body = body.content.decode()

    assert '<option value="">请选择</option>' in body
    assert "Select an option" not in body


def test_filter_selects_have_no_english_or_dash_labels(client, users):
    client.force_login(users["admin"])

    urls = [
        reverse("enterprises:list"),
        reverse("cultivation:candidates", args=["hnte"]),
        reverse("attraction:lead_list"),
        reverse("attraction:board"),
        reverse("calls:list"),
    ]
    for url in urls:
        response = client.get(url, **ENGLISH)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "Select an option" not in body, url
        assert ">---------<" not in body, url


@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "zh-CN,zh;q=0.9", ""])
def test_numbers_are_grouped_the_same_way_whatever_the_browser(client, users, accept):
    from django.template import engines

    # intcomma and floatformat "g" follow the active language's formats: always zh-hans, grouped
    # by thousands like the services' messages ("上限3,000元").
    client.force_login(users["admin"])
    request = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE=accept).wsgi_request
    template = engines["django"].from_string(
        "{% load humanize %}{{ n|intcomma }} {{ n|floatformat:'2g' }} {{ n|floatformat:2 }}"
    )
    assert template.render({"n": 1234567}, request) == "1,234,567 1,234,567.00 1234567.00"


def test_date_inputs_render_iso_so_the_browser_date_picker_shows_them():
    import datetime as dt

    from django import forms

    field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    html = field.widget.render("on", dt.date(2024, 5, 31))

    assert 'value="2024-05-31"' in html
    assert field.clean("2024/05/31") == field.clean("2024年5月31日") == dt.date(2024, 5, 31)
