#!/usr/bin/env bash
# Debian packages the test suite needs, installed only when missing:
#   chromium    the browser the Playwright tests drive (never a downloaded one)
#   postgresql  a real database server for the history store's PostgreSQL tests
#   python3-kubernetes  the official Python client, one of the sandbox's outside-client tests
#   git         the sandbox's requests repository (git http-backend) and its GitOps sync
#   haproxy     the round-robin load balancer in front of the two-replica tests and bench
set -euo pipefail

# kubectl is not a Debian package: the machine ships it with the Google Cloud SDK (plain kubectl for
# the browser test, kubectl.1.27 and kubectl.1.33 for the compatibility suites). Name what is missing
# and how to get it rather than let those tests skip.
sdk_bin=/usr/lib/google-cloud-sdk/bin
for binary in kubectl kubectl.1.27 kubectl.1.33; do
  if ! command -v "$binary" >/dev/null && [ ! -x "$sdk_bin/$binary" ]; then
    echo "system-deps: $binary not found on PATH or in $sdk_bin: install the Google Cloud SDK's kubectl component (or set KRATIX_TEST_KUBECTL_DIRS to a folder holding kubectl.1.27 and kubectl.1.33)" >&2
    exit 1
  fi
done

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
# Debian's own python3: the package installs for it, whatever python3 comes first on PATH.
/usr/bin/python3 -c 'import kubernetes' >/dev/null 2>&1 || missing+=(python3-kubernetes)
[ -x /usr/lib/git-core/git-http-backend ] || missing+=(git)
[ -x /usr/sbin/haproxy ] || command -v haproxy >/dev/null || missing+=(haproxy)

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "system-deps: please install: ${missing[*]} (Debian packages)" >&2
  exit 1
fi
echo "system-deps: apt-get install ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
