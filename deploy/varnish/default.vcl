vcl 4.1;
# Varnish in front of gunicorn: anonymous visitors' public pages come from
# memory, so a campaign shared on social media does not queue on a two-core
# server. Published changes reach visitors at once: Wagtail's front-end cache
# invalidation sends PURGE for a published page's URL, and the site sends BAN
# on every change (page_cache/frontend.py), which drops everything stored.
#
# Never stored: the admin and the case area (/admin/), anyone with a session
# (signed-in staff), anything the site marks private, no-store or that sets a
# cookie. The language cookie is kept and stored pages differ by it.
#
# Start: varnishd -a 127.0.0.1:6081 -f /etc/varnish/default.vcl -s malloc,256m
# and set FRONTEND_CACHE_PURGE_URL=http://127.0.0.1:6081 for the site.
# docs/operations.md, "Caching front", has the whole chain.

backend gunicorn {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 10s;
}

# Who may purge: the site itself, on this machine.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        return (purge);
    }
    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        ban("obj.http.x-stored-for ~ .");
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The staff side and the case area are never stored, whatever they answer.
    if (req.url ~ "^/admin(/|$)" || req.url ~ "^/documents/" || req.url ~ "^/healthz") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # A session or pending messages: this visitor's pages may be their own.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Keep only the language cookie, so analytics or stray cookies do not split
    # the store (the site answers "Vary: Cookie").
    if (req.http.Cookie) {
        set req.http.Cookie = ";" + req.http.Cookie;
        set req.http.Cookie = regsuball(req.http.Cookie, "; +", ";");
        set req.http.Cookie = regsuball(req.http.Cookie, ";(django_language)=", "; \1=");
        set req.http.Cookie = regsuball(req.http.Cookie, ";[^ ][^;]*", "");
        set req.http.Cookie = regsuball(req.http.Cookie, "^[; ]+|[; ]+$", "");
        if (req.http.Cookie == "") {
            unset req.http.Cookie;
        }
    }
    # Tracking parameters do not change a page (checked first: most requests have none).
    if (req.url ~ "[?&](utm_[a-z]+|fbclid|gclid|zarsrc)=") {
        set req.url = regsuball(req.url, "(\?|&)(utm_[a-z]+|fbclid|gclid|zarsrc)=[^&]*", "\1");
        set req.url = regsub(req.url, "(\?&?|&+)$", "");
    }
    return (hash);
}

sub vcl_backend_response {
    # Marks every stored object, so that a BAN can match them all.
    set beresp.http.x-stored-for = bereq.http.host;
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(private|no-store|no-cache)"
        || beresp.status >= 500) {
        # Remember for two minutes not to wait for other requests for this URL.
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    if (beresp.http.Content-Type ~ "^(text/|application/(xml|rss\+xml|atom\+xml|javascript|json))") {
        set beresp.do_gzip = true;
    }
    # If the site is briefly down, a page up to an hour old is better than an error.
    set beresp.grace = 1h;
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.x-stored-for;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
