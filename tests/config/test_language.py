"""Vietnamese unless the visitor picks English; the browser's language alone does not switch."""


def test_public_pages_are_vietnamese_even_for_an_english_browser(client, demo_data):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert "Cần giúp đỡ?" in html


def test_choosing_english_switches_the_site_and_is_remembered(client, demo_data):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Need help?" in html
