#!/usr/bin/env bash
# System packages `npm run bench` uses, installed when missing (npm runs this before `bench`; quiet and
# idempotent). As root they are installed with apt-get; as another user the missing ones are named.
# Needed:
# - time (GNU time, /usr/bin/time): measures every contender as a whole process from outside (wait4);
# - curl, openssl, python3: the fast-sites reference, the bench's local CA, the Python contender.
# Optional (their column or case says "skipped" without them):
# - prometheus-blackbox-exporter: the blackbox_exporter contender;
# - nginx-light: the fast-sites server (else the node fixture stands in).
set -euo pipefail
needed=()
[ -x /usr/bin/time ] || needed+=(time)
command -v curl >/dev/null 2>&1 || needed+=(curl)
command -v openssl >/dev/null 2>&1 || needed+=(openssl)
command -v python3 >/dev/null 2>&1 || needed+=(python3)
optional=()
[ -x /usr/bin/prometheus-blackbox-exporter ] || optional+=(prometheus-blackbox-exporter)
[ -x /usr/sbin/nginx ] || optional+=(nginx-light)
missing=("${needed[@]}" "${optional[@]}")
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  if [ ${#needed[@]} -gt 0 ]; then
    echo "ensure-bench-deps: missing ${needed[*]}: install them (apt-get install ${needed[*]})" >&2
    exit 1
  fi
  echo "ensure-bench-deps: optional ${optional[*]} not installed; their parts of the bench are skipped" >&2
  exit 0
fi
echo "ensure-bench-deps: installing ${missing[*]} with apt-get" >&2
apt-get update -qq
# No services started by the packages' scripts (nginx on port 80...): the bench starts its own, on
# loopback, and stops them. policy-rc.d says so to invoke-rc.d, unless the machine has one already.
policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  policy=/usr/sbin/policy-rc.d
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy"
  trap 'rm -f "$policy"' EXIT
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
for pkg in "${optional[@]}"; do
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null ||
    echo "ensure-bench-deps: could not install $pkg; its part of the bench is skipped" >&2
done
