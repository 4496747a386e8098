#!/usr/bin/env python3
# Usage: bench/serve_behind.py BINARY DATA_DIR (a store imported without --wait-index).
# serve on a store the index has not caught up with: time to listening, /healthz, an item page,
# and what search says, a few seconds in; then stop (the follower's rebuild is left unfinished).
import json, re, subprocess, sys, time, urllib.request
binary, data = sys.argv[1], sys.argv[2]
t0 = time.monotonic()
p = subprocess.Popen(["nice", "-n", "10", binary, "--data", data, "serve", "--listen", "127.0.0.1:0"],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    for line in p.stdout:
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if m: port = int(m.group(1)); break
    listening = time.monotonic() - t0
    base = f"http://127.0.0.1:{port}"
    def get(path):
        s = time.monotonic()
        try:
            with urllib.request.urlopen(base + path) as r: return time.monotonic() - s, r.status, r.read()
        except urllib.error.HTTPError as e: return time.monotonic() - s, e.code, e.read()
    h = get("/healthz"); first = time.monotonic() - t0
    item = get("/en/assets/50000")
    time.sleep(5)
    s = get("/api/v1/search?q=minister")
    r = get("/readyz")
    page = get("/en/search?q=minister")
    notice = re.search(r'search-incomplete notice">([^<]*)<', page[2].decode())
    print(f"listening {listening*1000:.0f} ms; first /healthz answered {first*1000:.0f} ms after start ({h[0]*1000:.1f} ms); "
          f"item page {item[1]} in {item[0]*1000:.1f} ms")
    print("search API index:", json.loads(s[2]).get("index"), "readyz:", r[1], json.loads(r[2]).get("search"))
    print("notice:", notice.group(1) if notice else None)
finally:
    p.terminate(); p.wait(timeout=120)
