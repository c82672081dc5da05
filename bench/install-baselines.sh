#!/bin/sh
# Installs the external baselines the bench compares against (today: GNU parallel).
# Only installs when the tool is missing and we are root with apt-get; otherwise it prints
# one line saying why on stdout and exits 1, and the bench skips that baseline.
set -u

if command -v parallel >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "GNU parallel is not installed and installing it needs root (try: sudo apt-get install parallel)"
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "GNU parallel is not installed and apt-get is not available on this system"
  exit 1
fi
# apt's own progress goes to stderr so that stdout carries only the reason on failure.
if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y parallel; } >&2; then
  echo "apt-get could not install GNU parallel (offline, or no such package in the configured sources)"
  exit 1
fi
if ! command -v parallel >/dev/null 2>&1; then
  echo "apt-get ran but no 'parallel' command is on PATH"
  exit 1
fi
