//go:build ignore

// entc generates the Ent client, the entgql GraphQL schema, and then the
// gqlgen executor and resolver stubs; last, it points the executor's list
// marshalling at graph/listmarshal (entc_lists.go) and its shared plain
// objects' at graph/marshalonce (entc_once.go), answers @defer inline
// through graph/inlinedefer (entc_defer.go) and resolves objects' resolver
// fields in order through graph/fieldmarshal (entc_fields.go). Before
// gqlgen runs, entgql's field collection learns which resolver fields need
// no column (entc_collect.go). Ent runs twice:
// first without the privacy policies (build tag "bootstrap"), because the
// policies import generated packages that a fresh tree, or a new field, does
// not have yet; then with them, so that ent/runtime registers them.
package main

import (
	"log"
	"os"
	"slices"
	"strings"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"
	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen/config"
	"github.com/vektah/gqlparser/v2/ast"
)

func main() {
	if err := generate([]string{"bootstrap"}); err != nil {
		log.Fatalf("running ent codegen without policies: %v", err)
	}
	// Without policies Ent stitches defaults into the root package, which
	// then imports ent/schema; the policies import the root package, so that
	// file would make a cycle. The full pass writes ent/runtime instead.
	if err := os.Remove("runtime.go"); err != nil && !os.IsNotExist(err) {
		log.Fatalf("removing the bootstrap runtime: %v", err)
	}
	if err := generate(nil); err != nil {
		log.Fatalf("running ent codegen: %v", err)
	}
	if err := selectColumnsBesideResolvers("gql_collection.go"); err != nil {
		log.Fatalf("selecting columns beside resolver fields: %v", err)
	}
	if err := findConnectionFieldsByName("gql_pagination.go"); err != nil {
		log.Fatalf("finding a connection's fields by name: %v", err)
	}
	// gqlgen resolves its paths from the working directory: run it from
	// the repository root, where gqlgen.yml is.
	if err := os.Chdir(".."); err != nil {
		log.Fatal(err)
	}
	cfg, err := config.LoadConfig("gqlgen.yml")
	if err != nil {
		log.Fatalf("loading gqlgen.yml: %v", err)
	}
	if err := api.Generate(cfg); err != nil {
		log.Fatalf("running gqlgen: %v", err)
	}
	if err := marshalListsInOrder(cfg.Exec.Filename); err != nil {
		log.Fatalf("marshalling lists in order: %v", err)
	}
	if err := marshalObjectsOnce(cfg.Exec.Filename); err != nil {
		log.Fatalf("marshalling shared objects once: %v", err)
	}
	if err := answerDeferredInline(cfg.Exec.Filename); err != nil {
		log.Fatalf("answering deferred fields inline: %v", err)
	}
	if err := resolveFieldsInOrder(cfg.Exec.Filename); err != nil {
		log.Fatalf("resolving objects' fields in order: %v", err)
	}
	if err := answerPlainFieldsDirectly(cfg.Exec.Filename); err != nil {
		log.Fatalf("answering plain fields directly: %v", err)
	}
	if err := writeObjectsWithoutFieldSets(cfg.Exec.Filename); err != nil {
		log.Fatalf("writing objects without field sets: %v", err)
	}
}

func generate(tags []string) error {
	ex, err := entgql.NewExtension(
		entgql.WithSchemaGenerator(),
		entgql.WithWhereInputs(true),
		entgql.WithConfigPath("../gqlgen.yml"),
		entgql.WithSchemaPath("../schema/ent.graphql"),
		entgql.WithSchemaHook(renameClientRecord, nullableGuardedFields),
	)
	if err != nil {
		return err
	}
	opts := []entc.Option{
		entc.Extensions(ex),
		entc.TemplateDir("./schema/pulid/template"),
		entc.TemplateDir("./schema/joinload/template"),
		entc.TemplateDir("./template"),
	}
	if len(tags) > 0 {
		opts = append(opts, entc.BuildTags(tags...))
	}
	return entc.Generate("./schema", &gen.Config{
		Features: []gen.Feature{
			gen.FeaturePrivacy,
			gen.FeatureIntercept,
			gen.FeatureEntQL,
			gen.FeatureVersionedMigration,
			gen.FeatureLock,
			gen.FeatureModifier,
			gen.FeatureExecQuery,
		},
	}, opts...)
}

// nullableGuardedFields makes every field that carries @section nullable:
// a field the viewer may not read comes back null with an error, and a
// non-null field would instead null its whole parent, hiding the rest of the
// client (access policy §4: "Every such field is nullable in the schema").
func nullableGuardedFields(_ *gen.Graph, s *ast.Schema) error {
	for _, def := range s.Types {
		for _, f := range def.Fields {
			if f.Directives.ForName("section") != nil {
				f.Type.NonNull = false
			}
		}
	}
	return nil
}

// renameClientRecord gives the GraphQL types of the ClientRecord schema their
// public name, Client. Ent reserves ent.Client for the database client, so the
// Go type keeps its own name and each renamed GraphQL type is bound to it with
// @goModel.
func renameClientRecord(_ *gen.Graph, s *ast.Schema) error {
	const from, to = "ClientRecord", "Client"
	rename := func(name string) string {
		if strings.HasPrefix(name, from) {
			return to + strings.TrimPrefix(name, from)
		}
		return name
	}
	var renameType func(t *ast.Type)
	renameType = func(t *ast.Type) {
		if t == nil {
			return
		}
		t.NamedType = rename(t.NamedType)
		renameType(t.Elem)
	}
	types := make(map[string]*ast.Definition, len(s.Types))
	for name, def := range s.Types {
		for _, f := range def.Fields {
			renameType(f.Type)
			for _, a := range f.Arguments {
				renameType(a.Type)
			}
		}
		for i, n := range def.Types {
			def.Types[i] = rename(n)
		}
		if newName := rename(name); newName != name {
			// entgql.Implements("Client") (ent/schema/client.go) makes the
			// generated field collection accept fragments on Client; in the
			// schema, Client is the type itself, not an interface.
			def.Interfaces = slices.DeleteFunc(def.Interfaces, func(i string) bool { return i == to })
			if def.Directives.ForName("goModel") == nil {
				def.Directives = append(def.Directives, &ast.Directive{
					Name: "goModel",
					Arguments: ast.ArgumentList{{
						Name:  "model",
						Value: &ast.Value{Raw: "caseload/ent." + name, Kind: ast.StringValue},
					}},
				})
			}
			def.Description = strings.ReplaceAll(def.Description, from, to)
			def.Name = newName
			name = newName
		}
		types[name] = def
	}
	s.Types = types
	return nil
}
