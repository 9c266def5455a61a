# Conveniences over the Go commands the README names; none is required.

.PHONY: run test test-sqlite generate migration build bench image

run: ## serve the demo practice on the embedded SQLite database
	go run ./cmd/caseload serve -demo

test: ## the full check: gofmt, vet, generated code, migrations, tests on SQLite and PostgreSQL
	go run ./cmd/testsuite

test-sqlite: ## the same without PostgreSQL
	go run ./cmd/testsuite -sqlite-only

generate: ## regenerate Ent, entgql and gqlgen code
	go generate ./...

migration: ## write a migration for a schema change: make migration name=add_x
	go run -mod=mod ./ent/migrate/gen.go $(name)

build:
	CGO_ENABLED=0 go build -o bin/caseload ./cmd/caseload

IMAGE ?= caseload

image: ## the container image, FROM scratch: the static binary beside the Dockerfile, then the image (README, Container)
	CGO_ENABLED=0 go build -trimpath -o caseload ./cmd/caseload
	docker build -t $(IMAGE) .
