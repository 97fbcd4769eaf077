# corridor — the two commands of the README are `go run ./cmd/corridor run`
# and `make test`. Everything else here is a convenience.

GO ?= go
COMMIT := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
LDFLAGS := -X github.com/corridor-sim/corridor/results.Commit=$(COMMIT)

.PHONY: test build bench fuzz vet clean calibrate calibrate-docs

# The whole test suite: vet, a short run of every fuzz target, then unit and
# property tests, determinism, the CLI's error cases, golden files and the
# 2005–2018 plausibility check.
test: vet
	$(MAKE) fuzz FUZZTIME=$(FUZZTIME_TEST)
	$(GO) test -count=1 ./...

vet:
	$(GO) vet ./...

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/corridor ./cmd/corridor

bench: build
	./bin/corridor bench
	$(GO) test -run '^$$' -bench . -benchtime 10x ./sim/

# make test runs every fuzz target for a fixed number of inputs rather than a
# wall-clock time: a time limit makes the Go fuzzer fail with "context
# deadline exceeded" when the deadline falls while it is minimising a new
# input, which is noise, not a finding. `make fuzz` alone runs longer.
FUZZTIME_TEST ?= 20000x
FUZZTIME ?= 30s
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$f"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

clean:
	rm -rf bin corridor-out

# Re-fit the free parameters to 2005–2018 (docs/calibration.md), ship the
# result in params/ and refresh the generated tables of the docs. The
# journal in calibration-out/ makes an interrupted run resumable; delete
# the folder to re-fit after a change to the model.
calibrate:
	$(GO) run ./cmd/corridor calibrate --install --out calibration-out
	$(MAKE) calibrate-docs

calibrate-docs:
	$(GO) test ./calibration -run TestDocs -update
	$(GO) test ./params -run TestModelDocParameters -update
