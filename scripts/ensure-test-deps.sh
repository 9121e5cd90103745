#!/usr/bin/env bash
# System packages the test suite needs, installed when missing (npm test runs this first; quiet and
# idempotent: nothing happens when they are all there).
# - redis-server: the queue tests start a real one on a free loopback port;
# - prometheus (with promtool): the metrics tests scrape the status server and lint the exposition;
# - chromium: the status page tests open it in headless Chromium (playwright-core drives /usr/bin/chromium);
# - tinyproxy: the probe's proxy tests send checks through a real one on a free loopback port;
# - time (GNU time): bench measures each contender from outside with it (test/bench, test/e2e/bench);
# - curl, openssl: the bench's fast-sites reference and its local CA (test/bench/suite.test.ts).
set -euo pipefail
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
{ command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; } || missing+=(prometheus)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v tinyproxy >/dev/null 2>&1 || missing+=(tinyproxy)
[ -x /usr/bin/time ] || missing+=(time)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "ensure-test-deps: missing ${missing[*]}; installing Debian's packages" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-test-deps: not root: install them yourself (apt-get install ${missing[*]})" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
