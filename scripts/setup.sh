#!/usr/bin/env bash
# Install Facilitator and what it needs on Debian/Ubuntu, then start the app or run the tests.
#
#   bash scripts/setup.sh run [facilitator options]   # install, then start the app
#   bash scripts/setup.sh test [pytest options]       # install, then lint and run the tests
#
# System packages are installed with apt-get (through sudo when not root) only when missing.
# Python packages go into .venv in this folder; nothing is installed system-wide by pip.
set -euo pipefail

mode="${1:-run}"
shift || true
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

# libportaudio2: audio capture through sounddevice. The test tools make a virtual sound card
# (pulseaudio), speak synthetic test speech (espeak-ng) and convert audio (sox).
run_packages=(python3 python3-venv python3-pip libportaudio2)
test_packages=("${run_packages[@]}" pulseaudio pulseaudio-utils libasound2-plugins espeak-ng sox tmux
  pocketsphinx-testdata)

case "$mode" in
  run) packages=("${run_packages[@]}") ;;
  test) packages=("${test_packages[@]}") ;;
  *) echo "usage: bash scripts/setup.sh run|test [options]" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

python=python3
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Facilitator needs Python 3.11 or newer; $("$python" --version) is installed." >&2
  echo "Use Debian 12 / Ubuntu 24.04 or newer, or install a newer Python." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
extras=""
[ "$mode" = test ] && extras="[dev]"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras}"

if [ "$mode" = run ]; then
  # The English speech model (40 MB), once; without internet the app runs without transcription.
  if ! .venv/bin/facilitator models path >/dev/null 2>&1; then
    .venv/bin/facilitator models install ||
      echo "No speech model installed (offline?): recording and tagging work; install it later" \
        "with: .venv/bin/facilitator models install"
  fi
  exec .venv/bin/facilitator "$@"
fi

export PATH="$here/.venv/bin:$PATH"
echo "== ruff";          ruff check facilitator tests bench
echo "== mypy";          mypy
echo "== import-linter"; lint-imports
echo "== pytest";        exec pytest "$@"
