"""Small-number suppression for everything the district reads: pure functions, no Django.

A count from 1 to 4 is never shown: it reads "< 5" (primary suppression; 0 stays 0,
since "nobody" identifies nobody). A suppressed count must not come back by
subtraction either, so every *line* (a row or a column of a table together with its
total, the total counting as one of the line's cells) that hides exactly one cell
hides one more: the smallest other non-zero cell of the line (secondary
suppression). That is repeated over every line until nothing changes, since a cell
hidden for one line may leave another line with a single hidden cell.

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

    ``lines`` are the groups of cells whose sum a reader can check (a row and its
    total, a column and its total); every key in them must be in ``values``.
    """
    lines = [list(dict.fromkeys(line)) for line in lines]
    hidden: dict[Hashable, str] = {key: PRIMARY for key, value in values.items() if is_small(value)}
    changed = True
    while changed:
        changed = False
        for line in lines:
            inside = [key for key in line if key in hidden]
            if len(inside) != 1:
                continue
            others = [key for key in line if key not in hidden and values[key] != 0]
            if not others:
                # Only zeros besides: the hidden cell is 0, which is never hidden.
                continue
            smallest = min(others, key=lambda key: values[key])
            hidden[smallest] = SECONDARY
            changed = True
    return hidden


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
