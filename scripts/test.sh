#!/usr/bin/env bash
# Sets up what the tests need and runs every test: the command README.md
# gives, and the one CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "toolchain"
go version

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

step "generated files are current"
gosums() { find . -name '*.go' -not -path './.git/*' -type f -exec md5sum {} + | sort; }
before=$(gosums)
go generate ./...
after=$(gosums)
if [ "$before" != "$after" ]; then
  echo "go generate changed these files; run 'go generate ./...' and commit the result:"
  diff <(echo "$before") <(echo "$after") | sed -n 's/^> [0-9a-f]*  /  /p'
  exit 1
fi

step "go vet"
go vet ./...

step "driver-only build: builtin ECC removed, drivers/p256 provides secp256r1"
go build -tags gopsa_no_builtin_ecc ./...
go vet -tags gopsa_no_builtin_ecc ./internal/dispatch/p256only/ ./drivers/p256/
go test -race -count=1 -tags gopsa_no_builtin_ecc ./internal/dispatch/p256only/ ./drivers/p256/

step "staticcheck"
go tool staticcheck ./...

step "SoftHSM2 token for drivers/pkcs11"
# Installs softhsm2 with apt-get when it is missing, creates a token in a
# temporary directory and exports its settings for the PKCS#11 tests.
eval "$(./scripts/softhsm.sh)"

step "tests (race detector on)"
# -race everywhere: the core, the key store and the drivers are all
# concurrent code.
go test -race -count=1 ./... 2>&1 | tee /tmp/gopsa-test.log
