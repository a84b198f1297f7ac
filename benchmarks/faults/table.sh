#!/usr/bin/env bash
# Prints the fault suite's table for docs/reliability.md from the last test run: every fault test
# prints one "FAULT| fault | what Tally shows | detected in | recovered in" line, which surefire
# keeps in target/surefire-reports/*-output.txt. Run after `bin/tally test`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
echo "| fault | what Tally shows | detected | recovered |"
echo "| --- | --- | --- | --- |"
find "$ROOT" -path '*/target/surefire-reports/*-output.txt' -print0 | xargs -0 cat 2>/dev/null |
  grep '^FAULT|' | sed -e 's/^FAULT| */| /' -e 's/ *$/ |/' -e 's/detected in //' -e 's/recovered in //' | sort -u
