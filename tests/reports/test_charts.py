"""Server-drawn charts: valid SVG, a title that names the image, one bar per row."""

import xml.etree.ElementTree as ET

import pytest

from reports.charts import CHAR_WIDTH, LABEL_CHARS, MIN_WIDTH_PX, bar_chart

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


def label_lines(group) -> list[str]:
    return [span.text for span in group.find(f"{SVG}text").iter(f"{SVG}tspan")]


def test_a_long_label_wraps_onto_two_lines_whole():
    label = "Hướng nghiệp, việc làm, khởi nghiệp và các nội dung khác"
    svg = parse(bar_chart("Nội dung", [(label, 2)]))
    group = svg.find(f"{SVG}g")
    assert group.find(f"{SVG}title").text.startswith(label)
    lines = label_lines(group)
    assert len(lines) == 2
    assert " ".join(lines) == label
    assert all(len(line) <= LABEL_CHARS for line in lines)


def test_only_a_label_longer_than_two_lines_is_cut():
    label = " ".join(["Nội dung rất dài"] * 8)
    lines = label_lines(parse(bar_chart("Nội dung", [(label, 2)])).find(f"{SVG}g"))
    assert len(lines) == 2
    assert lines[1].endswith("…")


def test_the_longest_value_text_fits_inside_the_chart():
    rows = [("Tâm lý", 240), ("Kỹ năng sống", 1), ("Hướng nghiệp, việc làm, khởi nghiệp", 0)]
    svg = parse(bar_chart("Hoạt động truyền thông", rows, unit="hoạt động"))
    width = float(svg.get("viewBox").split()[2])
    for group in svg.findall(f"{SVG}g"):
        value = group.findall(f"{SVG}text")[-1]
        right_edge = float(value.get("x")) + len(value.text) * CHAR_WIDTH
        assert right_edge <= width, value.text
    # The largest bar still takes most of the room left.
    assert float(svg.find(f"{SVG}g/{SVG}rect").get("width")) > width / 4


def test_a_chart_at_its_minimum_width_draws_text_of_11_px_or_more():
    svg = parse(bar_chart("Tiêu đề", [("a", 1)]))
    width = float(svg.get("viewBox").split()[2])
    assert float(svg.get("font-size")) * MIN_WIDTH_PX / width >= 11
