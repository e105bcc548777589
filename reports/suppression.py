"""Small-number suppression for everything the district reads: pure functions, no Django.

A count from 1 to 4 is never shown: it reads "< 5" (primary suppression; 0 stays 0,
since "nobody" identifies nobody). A suppressed count must not come back by
arithmetic either. A reader knows that each *line* (a row or a column of a table with
its total) adds up, that "< 5" is 1 to 4 and "x" is 5 or more: a line with one hidden
cell gives it away by subtraction, and two "< 5" in a line whose shown cells leave 2
are both 1. So the bounds a reader could work out are narrowed along every line
(:func:`revealed`), and while some hidden cell is pinned to one value, the smallest
shown non-zero cell of its lines is hidden too (secondary suppression).

Cells are named by any hashable key, so one figure shown in several tables (the
district's sessions are the total of the school table, the area table and the grade
table) is one cell: hidden in one place, it is hidden everywhere.

A cell hidden for the second reason shows "x", not "< 5": it is 5 or more, and saying
"< 5" would be untrue.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

SMALL_TEXT = "< 5"
HIDDEN_TEXT = "x"
PRIMARY = "primary"
SECONDARY = "secondary"


def is_small(value: int) -> bool:
    """A count that may not be shown: 1 to 4."""
    return 1 <= value <= 4


def suppress(
    values: Mapping[Hashable, int], lines: Iterable[Sequence[Hashable]]
) -> dict[Hashable, str]:
    """The cells to hide, each with why (PRIMARY or SECONDARY).

    ``lines`` are the groups of cells whose sum a reader can check, each ending with its
    total (a row and its total, a column and its total); every key in them must be in
    ``values``. Hidden cells are added, smallest first, until no hidden cell's value can
    be worked out (:func:`revealed`).
    """
    lines = [list(dict.fromkeys(line)) for line in lines]
    hidden: dict[Hashable, str] = {key: PRIMARY for key, value in values.items() if is_small(value)}
    while True:
        pinned = revealed(values, hidden, lines)
        if not pinned:
            return hidden
        candidates = {
            key
            for line in lines
            if any(key in pinned for key in line)
            for key in line
            if key not in hidden and values[key] != 0
        }
        if not candidates:
            # Only zeros around it: nothing more to hide would change what can be known.
            return hidden
        hidden[min(candidates, key=lambda key: (values[key], str(key)))] = SECONDARY


_UNBOUNDED = float("inf")


def revealed(
    values: Mapping[Hashable, int],
    hidden: Mapping[Hashable, str],
    lines: Sequence[Sequence[Hashable]],
) -> set[Hashable]:
    """The hidden cells a reader can work out exactly from what is shown.

    The reader knows every shown cell, that "< 5" is 1 to 4, that "x" is 5 or more, and
    that each line's cells add up to its last cell. Bounds are narrowed along every line
    until nothing changes (so two "< 5" summing to 2 are both 1, and a line with one
    hidden cell gives it away); a cell whose bounds meet is revealed.
    """
    low: dict[Hashable, float] = {}
    high: dict[Hashable, float] = {}
    for key, value in values.items():
        why = hidden.get(key)
        if why == PRIMARY:
            low[key], high[key] = 1, 4
        elif why == SECONDARY:
            low[key], high[key] = 5, _UNBOUNDED
        else:
            low[key] = high[key] = value
    for _round in range(100):
        changed = False
        for line in lines:
            if len(line) < 2:
                continue
            *body, total = line
            low_sum = sum(low[key] for key in body)
            finite_high = sum(high[key] for key in body if high[key] != _UNBOUNDED)
            unbounded = sum(1 for key in body if high[key] == _UNBOUNDED)
            high_sum = _UNBOUNDED if unbounded else finite_high
            bounds = {total: (max(low[total], low_sum), min(high[total], high_sum))}
            for key in body:
                others_low = low_sum - low[key]
                if high[key] == _UNBOUNDED:
                    others_high = _UNBOUNDED if unbounded > 1 else finite_high
                else:
                    others_high = _UNBOUNDED if unbounded else finite_high - high[key]
                bounds[key] = (
                    max(low[key], low[total] - others_high),
                    min(high[key], high[total] - others_low),
                )
            for key, (new_low, new_high) in bounds.items():
                if (new_low, new_high) != (low[key], high[key]):
                    low[key], high[key] = new_low, new_high
                    changed = True
        if not changed:
            break
    return {key for key in hidden if low[key] >= high[key]}


def shown(value: int, why: str | None) -> str:
    """How a cell reads: the count, "< 5" or "x"."""
    if why == PRIMARY:
        return SMALL_TEXT
    if why == SECONDARY:
        return HIDDEN_TEXT
    return str(value)


@dataclass(frozen=True)
class Cell:
    """A count as the district may see it."""

    text: str
    hidden: bool

    def __str__(self) -> str:
        return self.text


def cell(values: Mapping[Hashable, int], hidden: Mapping[Hashable, str], key: Hashable) -> Cell:
    return Cell(text=shown(values[key], hidden.get(key)), hidden=key in hidden)


@dataclass
class Grid:
    """A table's cells by key: ``keys[r][c]`` for the body, optional total keys.

    ``row_total_keys[r]`` totals row r across the columns; ``column_total_keys[c]``
    totals column c down the rows; ``grand_total_key`` both. Pass keys shared with
    another grid or a list of totals when the figure is the same.
    """

    keys: list[list[Hashable]]
    row_total_keys: list[Hashable] | None = None
    column_total_keys: list[Hashable] | None = None
    grand_total_key: Hashable | None = None

    def lines(self) -> list[list[Hashable]]:
        found: list[list[Hashable]] = []
        if self.row_total_keys is not None:
            found.extend(
                [*row, total] for row, total in zip(self.keys, self.row_total_keys, strict=True)
            )
        if self.column_total_keys is not None:
            columns = [list(column) for column in zip(*self.keys, strict=True)] or [
                [] for _ in self.column_total_keys
            ]
            found.extend(
                [*column, total]
                for column, total in zip(columns, self.column_total_keys, strict=True)
            )
        if self.grand_total_key is not None:
            if self.row_total_keys is not None:
                found.append([*self.row_total_keys, self.grand_total_key])
            if self.column_total_keys is not None:
                found.append([*self.column_total_keys, self.grand_total_key])
        return found


def suppress_table(
    values: Sequence[Sequence[int]], *, row_totals: bool = True, column_totals: bool = True
) -> list[list[Cell]]:
    """One table on its own: the body, with its total column and total row (if asked)
    appended, every cell suppressed. The shape of the result is the table plus totals."""
    rows, columns = len(values), len(values[0]) if values else 0
    numbers: dict[Hashable, int] = {}
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            numbers[(r, c)] = value
    grid = Grid(keys=[[(r, c) for c in range(columns)] for r in range(rows)])
    if row_totals:
        grid.row_total_keys = [(r, "total") for r in range(rows)]
        for r, row in enumerate(values):
            numbers[(r, "total")] = sum(row)
    if column_totals:
        grid.column_total_keys = [("total", c) for c in range(columns)]
        for c in range(columns):
            numbers[("total", c)] = sum(row[c] for row in values)
    if row_totals and column_totals:
        grid.grand_total_key = ("total", "total")
        numbers[("total", "total")] = sum(sum(row) for row in values)
    hidden = suppress(numbers, grid.lines())
    out = [
        [cell(numbers, hidden, key) for key in row]
        + ([cell(numbers, hidden, (r, "total"))] if row_totals else [])
        for r, row in enumerate(grid.keys)
    ]
    if column_totals:
        out.append(
            [cell(numbers, hidden, ("total", c)) for c in range(columns)]
            + ([cell(numbers, hidden, ("total", "total"))] if row_totals else [])
        )
    return out
