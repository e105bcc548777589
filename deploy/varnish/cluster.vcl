vcl 4.1;
# Varnish in front of several app nodes (docs/operations.md, "Several app nodes"):
# the rules of default.vcl (what is stored, purges and bans) with a round-robin
# director over the nodes in place of its single backend.
#
# - Each node is probed on /healthz (200 when it reaches the database); a node
#   that stops answering is left out of the director until it answers again.
# - A GET or HEAD whose fetch fails (connection refused or reset: a node killed,
#   restarting, or gone before the probe noticed) is sent again to the node the
#   director gives next, up to four times. A killed node then costs visitors
#   nothing; a POST is never sent twice (a help request or a wizard step must
#   not be stored twice), so a POST in flight on the node that died, or sent to
#   it before the probe noticed (a few seconds), fails.
#
# One backend per node; add a line to vcl_init for each. The nodes' addresses
# must also be in default.vcl's `purgers` list if they are not this machine.
#
# Start, with default.vcl beside this file (it is included, so both live in
# /etc/varnish): default.vcl's own `backend gunicorn` is left unused here, which
# Varnish refuses unless told not to, hence the -p:
#   varnishd -a 127.0.0.1:6081 -f /etc/varnish/cluster.vcl -p vcc_err_unref=off \
#     -s malloc,256m
# bench/cluster.py runs it this way, with the ports of its nodes.

import directors;

probe healthz {
    .url = "/healthz";
    # A generous timeout: when one node is lost the other takes all the load, and its
    # sync workers answer the probe only after the requests queued before it. With 1 s,
    # bench/cluster.py saw the surviving node marked sick too, and every visitor got
    # the page below. A dead node fails the probe at once (connection refused).
    .interval = 3s;
    .timeout = 4s;
    .window = 5;
    .threshold = 3;
    # Healthy from the start: a node is in the director as soon as Varnish is.
    .initial = 3;
}

backend node1 {
    .host = "127.0.0.1";
    .port = "8001";
    .connect_timeout = 1s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 10s;
    .probe = healthz;
}

backend node2 {
    .host = "127.0.0.1";
    .port = "8002";
    .connect_timeout = 1s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 10s;
    .probe = healthz;
}

sub vcl_init {
    new nodes = directors.round_robin();
    nodes.add_backend(node1);
    nodes.add_backend(node2);
}

# Defined before the include, so it runs before default.vcl's vcl_recv (Varnish
# joins subroutines of the same name in the order they appear).
sub vcl_recv {
    set req.backend_hint = nodes.backend();
}

# The fetch failed before any answer: try again. The director is asked again on
# each attempt and a node the probe has marked sick is skipped; but until the probe
# notices (a few seconds), round-robin shared by concurrent requests may hand a
# retry to the dead node once more, so allow four retries (Varnish's max_retries),
# not one: bench/cluster.py saw two requests in 850 fail with only two.
sub vcl_backend_error {
    if (bereq.retries < 4 && (bereq.method == "GET" || bereq.method == "HEAD")) {
        return (retry);
    }
    # No node answered (all down, or all sick: /healthz fails while the database is
    # away). Varnish's own page is in English and names Varnish; a visitor, perhaps a
    # child looking for help, gets a Vietnamese page with the hotline instead.
    # X-Front-Error tells this page from a node's own 503 (bench/cluster.py counts both).
    set beresp.status = 503;
    set beresp.http.Content-Type = "text/html; charset=utf-8";
    set beresp.http.Retry-After = "5";
    set beresp.http.Cache-Control = "no-store";
    set beresp.http.X-Front-Error = "no-backend";
    synthetic({"<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tạm thời gián đoạn</title></head>
<body><main><h1>Trang web tạm thời gián đoạn</h1>
<p>Xin lỗi, trang chưa mở được lúc này. Vui lòng thử lại sau ít phút.</p>
<p>Nếu em cần giúp đỡ ngay, hãy gọi <a href="tel:111">Tổng đài quốc gia bảo vệ trẻ em 111</a> (miễn phí, 24/7).</p>
</main></body></html>
"});
    return (deliver);
}

include "default.vcl";
