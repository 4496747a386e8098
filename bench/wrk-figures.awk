# Reads `wrk --latency` output; prints "requests/s p50 p99" (latencies in ms), and the count of
# non-2xx/3xx answers in parentheses when there were any. Used by bench/http/run and
# bench/cluster/run.
function ms(v) {
  if (v ~ /us$/) { sub(/us$/, "", v); return v / 1000 }
  if (v ~ /ms$/) { sub(/ms$/, "", v); return v }
  if (v ~ /s$/) { sub(/s$/, "", v); return v * 1000 }
  return v
}
/^ +50%/ { p50 = ms($2) }
/^ +99%/ { p99 = ms($2) }
/^Requests\/sec:/ { rps = $2 }
/Non-2xx or 3xx/ { bad = $NF }
END { printf "%.0f %.2f %.2f%s\n", rps, p50, p99, bad ? " (" bad " non-2xx!)" : "" }
