"""The log scan (tests/log_scan.py) fails a run that logs a learner's name, and only such a run.

Each case runs a tiny pytest session in a subprocess with the plugin, so a
name logged on purpose here never reaches this session's own scan.
"""

import io
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.forms_app.factories import LEARNER_NAME
from tests.log_scan import LogScan, find_names, learner_names, names_in_source, record_text

ROOT = Path(__file__).resolve().parents[1]


def run_session(tmp_path: Path, body: str, *args: str) -> subprocess.CompletedProcess:
    """Run ``body`` as a test module under the plugin, with -q as bin/run-tests does."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    # The project's LOGGING gives the root logger a console handler; so does this module.
    setup = (
        "import logging as _logging\n_logging.getLogger().addHandler(_logging.StreamHandler())\n"
    )
    (tmp_path / "test_tiny.py").write_text(setup + textwrap.dedent(body), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-c",
            str(tmp_path / "pytest.ini"),
            "--rootdir",
            str(tmp_path),
            "-p",
            "no:django",
            "-p",
            "no:cacheprovider",
            "-p",
            "tests.log_scan",
            *args,
            str(tmp_path / "test_tiny.py"),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_session_that_logs_a_learner_name_fails_and_says_where(tmp_path):
    result = run_session(
        tmp_path,
        """
        import logging

        def test_quiet():
            logging.getLogger("django.request").warning("Not Found: /admin/forms_app/case/")

        def test_leaky():
            logging.getLogger("case.area").warning("opened the case of %s", "Đỗ Thị Ánh Tuyết")
        """,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "2 passed" in result.stdout  # every test passed: the scan alone fails the run
    assert "learner names in the logs" in result.stdout
    assert "'Đỗ Thị Ánh Tuyết' in logger 'case.area'" in result.stdout
    assert "test_tiny.py::test_leaky" in result.stdout


@pytest.mark.parametrize(
    "logged",
    [
        # Without diacritics, in capitals, URL-encoded, in an exception's message.
        'logging.getLogger("x").error("search: do thi anh tuyet")',
        'logging.getLogger("x").error("DO THI ANH TUYET")',
        'logging.getLogger("x").error("GET /?q=%C4%90%E1%BB%97+Th%E1%BB%8B"'
        ' "+%C3%81nh+Tuy%E1%BA%BFt")',
        "try:\n        raise ValueError('Đỗ Thị Ánh Tuyết')\n"
        "    except ValueError:\n        logging.getLogger('x').exception('boom')",
        # A logger that does not propagate, with its own handler, like django.server.
        "lg = logging.getLogger('django.server'); lg.propagate = False\n"
        "    lg.addHandler(logging.StreamHandler()); lg.error('GET /?q=Đỗ Thị Ánh Tuyết')",
    ],
)
def test_every_form_of_the_name_is_found(logged, tmp_path):
    result = run_session(tmp_path, f"import logging\n\ndef test_it():\n    {logged}\n")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "'Đỗ Thị Ánh Tuyết' in logger" in result.stdout


def test_a_warning_naming_a_learner_fails_the_run(tmp_path):
    result = run_session(
        tmp_path,
        """
        import warnings

        def test_it():
            warnings.warn("Đỗ Thị Ánh Tuyết")
        """,
    )
    assert result.returncode == 1
    assert "in logger 'warnings (UserWarning)'" in result.stdout


def test_a_clean_session_passes(tmp_path):
    result = run_session(
        tmp_path,
        """
        import logging

        def test_it():
            logging.getLogger("django.request").error("Internal Server Error: /admin/ho-so/")
            logging.getLogger("x").warning("Ánh Tuyết, Nguyễn Văn Anh")  # part of a name, another
        """,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "learner names in the logs" not in result.stdout


def test_names_come_from_the_factories_the_demo_cases_and_the_tests():
    written = {name.written for name in learner_names()}
    assert LEARNER_NAME in written  # tests/forms_app/factories.py
    assert "Học sinh A (giả định)" in written  # load_demo_cases
    assert "Nguyễn Thị Giả Định" in written  # tests/config/test_error_reports.py
    assert "Học sinh {…} (giả định)" in written  # bench's numbered learners


def test_the_source_reader_finds_each_way_a_test_writes_a_name():
    source = textwrap.dedent(
        """
        CHILD = "Nguyễn Văn Một"
        open_case(school, worker, learner_name="Trần Thị Hai")
        data = {"learner-learner_name": "Lê Văn Ba"}
        learner.setdefault("learner_name", "Phạm Thị Bốn")
        case.learner_name = "Vũ Văn Năm"
        assert case.learner_name == "Đào Thị Sáu"
        make(learner_name=f"Học sinh {i} thử")
        TITLE = "Not a Name"
        open_case(school, worker, learner_class="7A")
        """
    )
    found = {
        "".join(part if part is not None else "{}" for part in parts)
        for parts in names_in_source(source)
    }
    assert found == {
        "Nguyễn Văn Một",
        "Trần Thị Hai",
        "Lê Văn Ba",
        "Phạm Thị Bốn",
        "Vũ Văn Năm",
        "Đào Thị Sáu",
        "Học sinh {} thử",
    }


def test_a_name_inside_another_word_is_not_a_hit():
    names = learner_names()
    assert find_names("Nguyễn Văn Anh", names) == []  # not "Nguyễn Văn An"
    assert find_names("nguyen van an.", names) == ["Nguyễn Văn An"]


def test_a_staff_exception_redacted_by_its_handler_is_not_a_hit():
    """The scan reads what the handler writes: after config.error_reports' filter ran."""
    scan = LogScan(learner_names())
    try:
        raise ValueError(LEARNER_NAME)
    except ValueError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", (), None)
        record.exc_info = sys.exc_info()
    record.exc_text = "Traceback ... ValueError: [message hidden]"
    scan.seen(logging.StreamHandler(), record)
    assert scan.hits == []
    record.exc_text = None
    assert LEARNER_NAME in record_text(record)
    scan.seen(logging.StreamHandler(io.StringIO()), record)
    assert [hit.name for hit in scan.hits] == [LEARNER_NAME]
