# Agrimaker 12316 — common commands. `make help` lists them.
#
# Go 1.26 may live at /usr/local/go without being on PATH; find it there too.
export PATH := $(PATH):/usr/local/go/bin

GO       ?= go
PKGS     ?= ./...
# Benchmarks: `make bench BENCH=BidConcurrent BENCHTIME=5s`
BENCH     ?= .
BENCHTIME ?= 1s
# Load generator: a server must be running (start it with AGRI_RATE_LIMIT=0,
# since every simulated client comes from one address).
LOADGEN_SERVER ?= http://127.0.0.1:8080
LOADGEN_ARGS   ?= -watchers 200 -bidders 20 -auctions 1 -duration 20s

.PHONY: help run build test vet fmt-check bench loadgen fuzz-smoke

help:
	@echo "make run        serve on :8080 with an embedded database in ./data (go run ./cmd/agrimaker)"
	@echo "make build      build ./agrimaker"
	@echo "make test       the full test suite: go test -race -count=1 -timeout 30m ./..."
	@echo "make vet        go vet ./..."
	@echo "make fmt-check  fail if any file is not gofmt-formatted"
	@echo "make bench      benchmarks (BENCH=regexp BENCHTIME=1s)"
	@echo "make fuzz-smoke every fuzz target for FUZZTIME each (default 20000x executions)"
	@echo "make loadgen    drive a running server (LOADGEN_SERVER=$(LOADGEN_SERVER) LOADGEN_ARGS='$(LOADGEN_ARGS)')"

run:
	$(GO) run ./cmd/agrimaker

build:
	$(GO) build -o agrimaker ./cmd/agrimaker

# The one full test command (README and CI use exactly this).
test:
	$(GO) test -race -count=1 -timeout 30m $(PKGS)

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out="$$(gofmt -l .)"; if [ -n "$$out" ]; then echo "not gofmt-formatted:"; echo "$$out"; exit 1; fi

# Every Fuzz target in the tree, found by name so that a new one is
# included, each fuzzed for FUZZTIME (go test fuzzes one target per run).
# A failure leaves its input in the package's testdata/fuzz: commit it as
# a regression seed. The budget is a count of executions, not a duration:
# Go 1.26's fuzz coordinator can report a spurious "context deadline
# exceeded" when a duration ends while a worker is busy (golang/go#75804,
# fixed in 1.27); a count has no deadline to race.
FUZZTIME ?= 20000x
fuzz-smoke:
	@set -e; for f in $$(grep -rl --include='*_test.go' '^func Fuzz' . | sort); do \
		for n in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$f); do \
			echo "fuzz $$n in $$(dirname $$f) for $(FUZZTIME)"; \
			$(GO) test -run '^$$' -fuzz "^$$n\$$" -fuzztime $(FUZZTIME) $$(dirname $$f)/; \
		done; \
	done

bench:
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchtime $(BENCHTIME) -benchmem $(PKGS)

# Example, in two terminals:
#   AGRI_RATE_LIMIT=0 make run
#   make loadgen LOADGEN_ARGS='-watchers 1000 -bidders 50 -duration 30s -bid-via mixed'
# Add -server-pid $$(pgrep -n agrimaker) to LOADGEN_ARGS for memory per connection
# (with a built binary; under `go run` the pid is go's child).
loadgen:
	$(GO) run ./cmd/loadgen -server $(LOADGEN_SERVER) $(LOADGEN_ARGS)
