#!/usr/bin/env bash
# Usage: scripts/node/fetch.sh VERSION        (an exact version, e.g. 24.22.3)
#
# Brings a Node.js binary from the npm registry's node-<os>-<arch> package (the same builds as
# nodejs.org's) into .node/VERSION/ (ignored by git) and prints that folder; its bin/ holds `node`.
# A folder already fetched is reused. CI runs the suite on other Node versions with it:
#   PATH="$(scripts/node/fetch.sh 24.22.3)/bin:$PATH" npm test
set -euo pipefail

version=${1:?usage: scripts/node/fetch.sh VERSION (e.g. 24.22.3)}
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "fetch.sh: '$version' is not an exact version like 24.22.3" >&2; exit 2; }
case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) echo "fetch.sh: no node-<os> package for $(uname -s)" >&2; exit 2 ;; esac
case "$(uname -m)" in x86_64 | amd64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) echo "fetch.sh: no package for $(uname -m)" >&2; exit 2 ;; esac

root=$(cd "$(dirname "$0")/../.." && pwd)
dest=$root/.node/$version
if [[ ! -x $dest/bin/node ]]; then
  work=$(mktemp -d "$root/.node-fetch.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "node-$os-$arch@$version" >/dev/null)
  tar -xzf "$work"/*.tgz -C "$work" package/bin/node package/LICENSE
  mkdir -p "$root/.node"
  rm -rf "$dest"
  mv "$work/package" "$dest" # whole folder at once: an interrupted fetch leaves no half-made $dest
fi
actual=$("$dest/bin/node" --version)
[[ $actual == "v$version" ]] || { echo "fetch.sh: $dest/bin/node is $actual, expected v$version" >&2; exit 1; }
echo "$dest"
