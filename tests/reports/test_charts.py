"""Server-drawn charts: valid SVG, a title that names the image, one bar per row."""

import xml.etree.ElementTree as ET

import pytest

from reports.charts import bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


@pytest.mark.parametrize("count", [0, 1, 7, 13])
def test_one_bar_per_row(count):
    rows = [(f"Khối {n}", n) for n in range(count)]
    svg = parse(bar_chart("Lượt tư vấn theo khối lớp", rows, unit="lượt"))
    assert len(svg.findall(f".//{SVG}rect")) == count


def test_the_image_is_named_by_its_title():
    svg = parse(bar_chart("Lượt tư vấn theo hình thức", [("Cá nhân", 3)]))
    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    assert title is not None
    assert title.text == "Lượt tư vấn theo hình thức"
    assert svg.get("aria-labelledby") == title.get("id")


def test_two_charts_of_one_title_have_different_ids():
    first = parse(bar_chart("Cùng tên", [("a", 1)]))
    second = parse(bar_chart("Cùng tên", [("a", 1)]))
    assert first.get("id") != second.get("id")


def test_bars_are_scaled_to_the_largest_and_zero_has_none():
    svg = parse(bar_chart("Tỉ lệ", [("Nhiều", 10), ("Ít", 5), ("Không", 0)]))
    widths = [float(rect.get("width")) for rect in svg.iter(f"{SVG}rect")]
    assert widths[0] == pytest.approx(2 * widths[1])
    assert widths[2] == 0


def test_labels_and_values_are_text_and_escaped():
    svg = parse(bar_chart("<b>Tiêu đề</b>", [('Nhóm "A" & <B>', 4)], unit="lượt"))
    texts = ["".join(node.itertext()) for node in svg.iter(f"{SVG}text")]
    assert "<b>Tiêu đề</b>" in texts
    assert 'Nhóm "A" & <B>' in texts
    assert "4 lượt" in texts


def test_a_long_label_is_cut_but_its_bar_title_keeps_it_whole():
    label = "Hướng nghiệp, việc làm, khởi nghiệp và các nội dung khác"
    svg = parse(bar_chart("Nội dung", [(label, 2)]))
    group = svg.find(f"{SVG}g")
    assert group.find(f"{SVG}title").text.startswith(label)
    shown = group.find(f"{SVG}text").text
    assert shown.endswith("…")
    assert len(shown) < len(label)
