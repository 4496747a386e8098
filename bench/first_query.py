#!/usr/bin/env python3
# Usage: bench/first_query.py BINARY DATA_DIR (an index caught up with its store).
# First-query latency after `serve` starts: start serve, wait for /readyz's search.ready (the
# follower's first tick), then time two different searches (uncached), then stop the server.
import json, re, subprocess, sys, time, urllib.request
binary, data = sys.argv[1], sys.argv[2]
t0 = time.monotonic()
p = subprocess.Popen(["nice", "-n", "10", binary, "--data", data, "serve", "--listen", "127.0.0.1:0"],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    port = None
    for line in p.stdout:
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if m:
            port = int(m.group(1)); break
    listening = time.monotonic() - t0
    base = f"http://127.0.0.1:{port}"
    def get(path):
        s = time.monotonic()
        try:
            with urllib.request.urlopen(base + path) as r:
                return time.monotonic() - s, r.status, r.read()
        except urllib.error.HTTPError as e:
            return time.monotonic() - s, e.code, e.read()
    h, _, _ = get("/healthz")
    for _ in range(600):
        _, _, body = get("/readyz") 
        try:
            if json.loads(body)["search"]["ready"]: break
        except Exception:
            pass
        time.sleep(0.1)
    ready = time.monotonic() - t0
    q1, s1, _ = get("/api/v1/search?q=minister+talks")
    q2, s2, _ = get("/api/v1/search?q=cooperation+region")
    q3, s3, _ = get("/api/v1/search?q=security+council")
    print(f"listening {listening*1000:.0f} ms, healthz {h*1000:.1f} ms, search ready {ready*1000:.0f} ms; "
          f"first query {q1*1000:.1f} ms, second {q2*1000:.1f} ms, third {q3*1000:.1f} ms ({s1},{s2},{s3})")
finally:
    p.terminate(); p.wait(timeout=30)
