"""The shipped nginx site logs no query string and no Referer under /admin/.

A case worker's request to the admin may carry a child's details in its
address; the combined log format would keep them in /var/log/nginx for months,
readable by whoever looks after the server. These tests read
deploy/nginx/truong-an-toan.conf as shipped; when an nginx binary is installed,
nginx itself also checks the file.
"""

import datetime
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX_CONF = ROOT / "deploy" / "nginx" / "truong-an-toan.conf"
VCL = ROOT / "deploy" / "varnish" / "default.vcl"
# What writes a query string (or a previous address, with its query) into a log line.
QUERY_VARIABLES = ("$request ", '$request"', "$request_uri", "$args", "$query_string", "$is_args")


def statements(text: str) -> list[str]:
    """The file's statements (up to ";", "{" or "}"), comments dropped, whitespace folded."""
    code = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    parts = re.split(r"(?<=[;{}])", code)
    return [" ".join(part.split()) for part in parts if part.strip()]


def log_formats(text: str) -> dict[str, str]:
    formats = {}
    for statement in statements(text):
        if statement.startswith("log_format "):
            _, name, rest = statement.split(" ", 2)
            formats[name] = "".join(re.findall(r"'([^']*)'", rest))
    return formats


def maps(text: str) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """Each ``map $source $target { key value; ... }`` as target: (source, [(key, value)])."""
    found = {}
    for match in re.finditer(r"map\s+(\$\w+)\s+(\$\w+)\s*\{([^}]*)\}", text):
        source, target, body = match.groups()
        entries = [tuple(line.split()) for line in body.split(";") if line.split()]
        found[target] = (source, entries)
    return found


def evaluate(maps_: dict, variable: str, uri: str) -> str:
    """The value nginx gives ``variable`` for a request to ``uri`` (regex and exact keys)."""
    source, entries = maps_[variable]
    value = uri if source == "$uri" else evaluate(maps_, source, uri)
    default = ""
    for key, result in entries:
        if key == "default":
            default = result
        elif matches(key, value):
            return result
    return default


def matches(key: str, value: str) -> bool:
    """Whether a map's ``key`` (``~*regex``, ``~regex`` or a plain string) takes ``value``."""
    if key.startswith("~*"):
        return re.search(key[2:], value, re.IGNORECASE) is not None
    if key.startswith("~"):
        return re.search(key[1:], value) is not None
    return key == value


def server_blocks(text: str) -> list[list[str]]:
    """The statements directly inside each ``server { }`` block (not inside its locations)."""
    blocks, depth, current, in_server = [], 0, [], False
    for statement in statements(text):
        if statement.endswith("{"):
            depth += 1
            if statement.startswith("server") and depth == 1:
                in_server, current = True, []
            continue
        if statement == "}":
            depth -= 1
            if in_server and depth == 0:
                blocks.append(current)
                in_server = False
            continue
        if in_server and depth == 1:
            current.append(statement)
    return blocks


def location_access_logs(text: str) -> dict[str, list[str]]:
    logs, location = {}, None
    for statement in statements(text):
        if statement.startswith("location "):
            location = statement
            logs.setdefault(location, [])
        elif statement == "}":
            location = None
        elif location and statement.startswith("access_log "):
            logs[location].append(statement)
    return logs


def test_admin_requests_are_logged_by_path_alone():
    text = NGINX_CONF.read_text()
    admin_format = log_formats(text)["truong_an_toan_admin"]
    assert "$uri" in admin_format
    for variable in (*QUERY_VARIABLES, "$http_referer"):
        assert variable not in admin_format + " ", variable


@pytest.mark.parametrize(
    ("uri", "admin"),
    [
        ("/admin/forms_app/case/", True),
        ("/admin", True),
        ("/ADMIN/ho-so/tiep-nhan/", True),
        ("/admin/ho-so/danh-gia/", True),
        ("/", False),
        ("/tim-kiem/", False),
        ("/administrator-guide/", False),
    ],
)
def test_each_server_logs_a_request_in_exactly_one_format(uri, admin):
    text = NGINX_CONF.read_text()
    formats, maps_ = log_formats(text), maps(text)
    servers = server_blocks(text)
    assert len(servers) == 2  # the redirect on :80 and the site on :443
    for server in servers:
        used = []
        for statement in server:
            if not statement.startswith("access_log "):
                continue
            words = statement.rstrip(";").split()
            assert words[1] != "off"
            condition = [w for w in words if w.startswith("if=")]
            # An unconditional line would log admin requests in the combined format.
            assert condition, statement
            if evaluate(maps_, condition[0][3:], uri) not in ("", "0"):
                used.append(words[2])
        assert len(used) == 1, (uri, server)
        if admin:
            assert used == ["truong_an_toan_admin"]
            assert used[0] in formats
        else:
            assert used == ["combined"]


def test_no_location_that_serves_the_admin_logs_on_its_own_terms():
    """A location's access_log replaces the server's: only static and media may have one."""
    for location, logs in location_access_logs(NGINX_CONF.read_text()).items():
        if logs:
            assert location.split()[1] in ("/static/", "/media/"), location
            assert logs == ["access_log off;"], location


def test_varnish_writes_no_log_of_its_own():
    """The VCL logs nothing (std.log, syslog); varnishncsa is left to docs/operations.md."""
    code = "\n".join(line.split("#", 1)[0] for line in VCL.read_text().splitlines())
    assert "std.log" not in code
    assert "std.syslog" not in code


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_accepts_the_shipped_site(tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "truong.example.edu.vn")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    site = NGINX_CONF.read_text()
    site = site.replace("/etc/letsencrypt/live/truong.example.edu.vn/fullchain.pem", "cert.pem")
    site = site.replace("/etc/letsencrypt/live/truong.example.edu.vn/privkey.pem", "key.pem")
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{\n access_log {tmp_path}/default.log;\n include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
