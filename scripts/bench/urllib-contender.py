"""Python's urllib + ThreadPoolExecutor(concurrency): a contender of `npm run bench` (src/bench).

Usage: urllib-contender.py <urls file> <concurrency> <timeout ms>. HEAD per URL, a fresh connection each,
one SSL context for the whole run (trust from SSL_CERT_FILE, as a user would set it), no proxies.
Prints one JSON line: {"checks", "up", "medianMs"}.
"""

import json
import ssl
import statistics
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

urls = [u for u in open(sys.argv[1]).read().split("\n") if u]
concurrency = int(sys.argv[2])
timeout = int(sys.argv[3]) / 1000
opener = urllib.request.build_opener(
    urllib.request.ProxyHandler({}),
    urllib.request.HTTPSHandler(context=ssl.create_default_context()),
)


def head(url):
    t0 = time.perf_counter()
    try:
        with opener.open(urllib.request.Request(url, method="HEAD"), timeout=timeout) as res:
            ms = (time.perf_counter() - t0) * 1000
            return res.status < 400, ms
    except Exception:
        return False, (time.perf_counter() - t0) * 1000


with ThreadPoolExecutor(concurrency) as pool:
    results = list(pool.map(head, urls))
print(
    json.dumps(
        {
            "checks": len(urls),
            "up": sum(1 for ok, _ in results if ok),
            "medianMs": round(statistics.median(ms for _, ms in results), 2) if results else 0,
        }
    )
)
