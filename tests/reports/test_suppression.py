"""Small-number suppression: no count from 1 to 4 is shown, and none can be worked
out by subtraction along a row or a column with its total."""

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.suppression import (
    HIDDEN_TEXT,
    PRIMARY,
    SECONDARY,
    SMALL_TEXT,
    Grid,
    suppress,
    suppress_table,
)

counts = st.one_of(st.integers(0, 6), st.integers(0, 60))
tables = st.integers(1, 6).flatmap(
    lambda columns: st.lists(
        st.lists(counts, min_size=columns, max_size=columns), min_size=1, max_size=7
    )
)


def texts(table):
    return [[cell.text for cell in row] for row in table]


def full_values(values, row_totals, column_totals):
    """The table as a reader could add it up: the body, its totals and the grand total."""
    rows = [[*row, sum(row)] if row_totals else list(row) for row in values]
    if column_totals:
        width = len(rows[0])
        rows.append([sum(row[c] for row in rows) for c in range(width)])
    return rows


def lines_of(grid_values, row_totals, column_totals):
    """Every row and column that ends in a total: (positions, known total position)."""
    rows, columns = len(grid_values), len(grid_values[0])
    found = []
    if row_totals:
        for r in range(rows):
            found.append([(r, c) for c in range(columns)])
    if column_totals:
        for c in range(columns):
            found.append([(r, c) for r in range(rows)])
    return found


def derivable(values, shown_table, row_totals, column_totals):
    """Cells whose hidden value a reader works out from the shown cells of one line."""
    full = full_values(values, row_totals, column_totals)
    found = []
    for line in lines_of(full, row_totals, column_totals):
        total = line[-1]
        hidden = [pos for pos in line if shown_table[pos[0]][pos[1]].hidden]
        if len(hidden) != 1:
            continue
        (pos,) = hidden
        known = [full[r][c] for (r, c) in line if (r, c) != pos]
        worked_out = sum(known) if pos == total else known[-1] - sum(known[:-1])
        found.append((pos, worked_out))
    return found


@settings(max_examples=300, deadline=None)
@given(values=tables, row_totals=st.booleans(), column_totals=st.booleans())
def test_no_hidden_count_can_be_worked_out_along_a_row_or_column(values, row_totals, column_totals):
    table = suppress_table(values, row_totals=row_totals, column_totals=column_totals)
    assert derivable(values, table, row_totals, column_totals) == []


@settings(max_examples=300, deadline=None)
@given(values=tables, row_totals=st.booleans(), column_totals=st.booleans())
def test_small_counts_read_less_than_five_and_the_rest_read_as_they_are(
    values, row_totals, column_totals
):
    table = suppress_table(values, row_totals=row_totals, column_totals=column_totals)
    full = full_values(values, row_totals, column_totals)
    for r, row in enumerate(table):
        for c, cell in enumerate(row):
            value = full[r][c]
            if 1 <= value <= 4:
                assert cell.text == SMALL_TEXT
            elif value == 0:
                assert cell.text == "0"
            else:
                assert cell.text in (str(value), HIDDEN_TEXT)


def test_one_small_cell_in_a_row_hides_the_smallest_other_cell_of_its_row_and_column():
    table = suppress_table([[3, 10, 20], [8, 9, 30]])
    assert texts(table) == [
        ["< 5", "x", "20", "33"],
        ["x", "x", "30", "47"],
        ["11", "19", "50", "80"],
    ]
    # Row 1: 3 hidden, so 10 too; column 1: 3, so 8; column 2: 10, so 9. Every row and
    # column now hides none or two, and 3 + 10 = 13, 8 + 9 = 17, 3 + 8 = 11 and
    # 10 + 9 = 19 leave the four open.


def test_zero_is_shown_and_never_picked_as_the_second_cell():
    table = suppress_table([[2, 0, 7]], row_totals=True, column_totals=False)
    assert texts(table) == [["< 5", "0", "x", "9"]]


def test_two_small_cells_in_a_line_need_nothing_more():
    table = suppress_table([[2, 3, 40]], row_totals=True, column_totals=False)
    # The total 45 and 40 give only the sum 5 of the two hidden cells.
    assert texts(table) == [["< 5", "< 5", "40", "45"]]


def test_a_small_total_is_hidden_too():
    table = suppress_table([[0], [3]], row_totals=False, column_totals=True)
    assert texts(table) == [["0"], ["< 5"], ["< 5"]]


def test_a_column_without_a_total_line_hides_only_small_cells():
    table = suppress_table([[3, 12], [15, 0]], row_totals=False, column_totals=False)
    assert texts(table) == [["< 5", "12"], ["15", "0"]]


def test_a_cell_shared_by_two_tables_is_hidden_in_both():
    # The district's sessions (T) total the school table and the area table; a small
    # school's hidden count in one hides a cell the other must hide as well.
    values = {"a1": 3, "a2": 40, "T": 43, "b1": 20, "b2": 23}
    lines = [["a1", "a2", "T"], ["b1", "b2", "T"]]
    hidden = suppress(values, lines)
    assert hidden["a1"] == PRIMARY
    assert hidden["a2"] == SECONDARY
    assert "T" not in hidden


def test_grid_lines_include_the_total_row_and_column():
    grid = Grid(
        keys=[["a", "b"], ["c", "d"]],
        row_total_keys=["r1", "r2"],
        column_total_keys=["c1", "c2"],
        grand_total_key="g",
    )
    assert sorted(map(sorted, grid.lines())) == sorted(
        map(
            sorted,
            [
                ["a", "b", "r1"],
                ["c", "d", "r2"],
                ["a", "c", "c1"],
                ["b", "d", "c2"],
                ["r1", "r2", "g"],
                ["c1", "c2", "g"],
            ],
        )
    )


@settings(max_examples=200, deadline=None)
@given(
    values=st.dictionaries(st.integers(0, 12), st.integers(0, 30), min_size=1, max_size=12),
    data=st.data(),
)
def test_every_line_hides_none_or_at_least_two(values, data):
    keys = sorted(values)
    lines = data.draw(
        st.lists(st.lists(st.sampled_from(keys), min_size=1, max_size=6, unique=True), max_size=6)
    )
    hidden = suppress(values, lines)
    for key, value in values.items():
        if 1 <= value <= 4:
            assert hidden[key] == PRIMARY
    for line in lines:
        inside = [key for key in line if key in hidden]
        others = [key for key in line if key not in hidden and values[key]]
        # A line with one hidden cell keeps it only when nothing else in it is non-zero.
        assert len(inside) != 1 or not others


def test_two_small_cells_whose_sum_is_known_to_be_two_are_hidden_further():
    """Cá nhân 5, Nhóm 0, Cả lớp 0, Trực tuyến 1, Qua điện thoại 1, total 7: two "< 5"
    leaving 2 are both 1, so more must be hidden, until nothing is pinned."""
    table = suppress_table([[5, 0, 0, 1, 1]], row_totals=True, column_totals=False)
    assert texts(table)[0][3:5] == ["< 5", "< 5"]
    assert texts(table)[0][0] == "x"
    assert texts(table)[0][5] == "x"


def pinned_by_bounds(values, table, row_totals, column_totals):
    """Hidden cells an exhaustive reader pins down: every assignment of the hidden cells
    within what the reader knows ("< 5" is 1–4, "x" is 5 or more: searched up to well
    past the largest cell) that keeps every line adding up, and the cells that take one
    value in all of them. Tables with more than two "x" are left to the other tests."""
    import itertools

    full = full_values(values, row_totals, column_totals)
    lines = lines_of(full, row_totals, column_totals)
    rows = len(full)
    cols = len(full[0])
    hidden = [(r, c) for r in range(rows) for c in range(cols) if table[r][c].hidden]
    large = [pos for pos in hidden if table[pos[0]][pos[1]].text != SMALL_TEXT]
    if not hidden or len(large) > 2 or len(hidden) > 5:
        return []
    ceiling = max(max(row) for row in full) + 10
    ranges = [
        range(1, 5) if table[r][c].text == SMALL_TEXT else range(5, ceiling + 1) for r, c in hidden
    ]
    seen = [set() for _ in hidden]
    for guess in itertools.product(*ranges):
        grid = [list(row) for row in full]
        for (r, c), value in zip(hidden, guess, strict=True):
            grid[r][c] = value
        if all(
            sum(grid[r][c] for r, c in line[:-1]) == grid[line[-1][0]][line[-1][1]]
            for line in lines
        ):
            for index, value in enumerate(guess):
                seen[index].add(value)
    return [pos for pos, values_seen in zip(hidden, seen, strict=True) if len(values_seen) == 1]


small_tables = st.integers(1, 3).flatmap(
    lambda columns: st.lists(
        st.lists(st.integers(0, 9), min_size=columns, max_size=columns), min_size=1, max_size=2
    )
)


@settings(max_examples=150, deadline=None)
@given(values=small_tables, row_totals=st.booleans(), column_totals=st.booleans())
def test_no_hidden_count_is_pinned_by_an_exhaustive_reader(values, row_totals, column_totals):
    table = suppress_table(values, row_totals=row_totals, column_totals=column_totals)
    assert pinned_by_bounds(values, table, row_totals, column_totals) == []
