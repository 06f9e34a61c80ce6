# Brightrun. `make run` opens the TUI; `make test` runs vet and every test.
# Both install PostgreSQL's server binaries first when initdb is missing (and
# python3, for the trainers' unit tests).
GO       ?= go
GOFLAGS  ?=
BIN      := $(CURDIR)/bin
export BRIGHTRUN_VERSITYGW := $(BIN)/versitygw

.PHONY: all build run test bench adversarial fmt vet deps clean FORCE

all: build

deps:
	@./scripts/ensure-postgres.sh
	@./scripts/ensure-python.sh

build: $(BIN)/brightrun $(BIN)/versitygw

# The commit is stamped for --version where the toolchain records none.
COMMIT   := $(shell git rev-parse --short=12 HEAD 2>/dev/null)

$(BIN)/brightrun: FORCE
	$(GO) build $(GOFLAGS) -ldflags "-X brightrun/ui/cli.buildCommit=$(COMMIT)" -o $@ .

# The local S3 gateway, a tool dependency in go.mod (about 45 s the first time).
$(BIN)/versitygw: go.mod go.sum
	$(GO) build -o $@ github.com/versity/versitygw/cmd/versitygw

run: deps build
	$(BIN)/brightrun $(ARGS)

vet:
	$(GO) vet ./...

test: deps build vet
	$(GO) test -race -count=1 -timeout 15m ./...

# The bounded adversarial suite (about 5 minutes): hostile names through
# every list command, kill -9 of each kind of process mid-work, interrupted
# and changing uploads leaving no orphans, hostile files and flags. `make
# test` runs these too; this runs them alone, by name.
adversarial: deps build
	$(GO) test -count=1 -timeout 15m -v -run '$(ADVERSARIAL)' .

ADVERSARIAL := ^(TestAdversarial.*|TestE2E(KilledServicesLeaveNoGateway|StartStopsAStaleGateway|KillWorkerMidJob|DeadUploadExpiresUploadURLWaits|InterruptedUploadLeavesNothing|StorageSweepRemovesOnlyOldOrphans|UploadOfAChangingFileFailsInOneLine|HostileTextIsInertOnTerminals|ExportOutFollowsWhatIsThere|InvalidUTF8Refused|NumericEdgesRefused|EmptyDataDirRefused|ImportRejectsDuplicateKeys|ImportOneLongStringInBoundedMemory|ServeRefusesOpenSSHForwarding|DeletedDataDirStartsAfresh))$$

bench: deps build
	$(GO) test -run '^$$' -bench . -benchmem -count=1 ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf $(BIN)
