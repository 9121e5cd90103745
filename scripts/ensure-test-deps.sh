#!/usr/bin/env bash
# System packages the test suite needs, installed when missing (npm test runs this first).
# The queue tests start a real redis-server on a free loopback port.
set -euo pipefail
if ! command -v redis-server >/dev/null 2>&1; then
  echo "ensure-test-deps: redis-server is missing; installing Debian's redis-server" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-test-deps: not root: install redis-server yourself (apt-get install redis-server)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
