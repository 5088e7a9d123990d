#!/bin/sh
# Installs the system packages the test suite needs, when they are missing and we can
# (root with apt-get, as on CI). Elsewhere it says what is missing and the tests that need
# it skip with that reason. Each line of system-packages.txt is `check:package`, where the
# check is a command on PATH or, for packages without one (fonts, data), an absolute path.
set -eu
need=""
for pair in $(cat "$(dirname "$0")/system-packages.txt" | grep -v '^#'); do
    cmd=${pair%%:*}; pkg=${pair#*:}
    case "$cmd" in
        /*) [ -e "$cmd" ] || need="$need $pkg" ;;
        *) command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/lib/postgresql/15/bin/$cmd" ] || need="$need $pkg" ;;
    esac
done
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing system packages:$need"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $need >/dev/null
else
    echo "missing system packages (install them to run every test):$need" >&2
fi
