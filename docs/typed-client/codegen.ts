// GraphQL Code Generator's config for the typed-client example: the client
// preset reads the schema the server prints (../schema.graphql) and the
// operations written with graphql(`...`) in src/, and writes typed
// documents and the trusted-documents manifest into src/gql/.
//
// The test command runs `graphql-codegen --check` with this file, so the
// committed src/gql/ must be what it generates. The schema grows often, so
// the output holds only what the operations use:
// this preset (6.x) writes the operations' result and variable types and
// only the enums and input types they reach, never a type for every schema
// type (what `onlyOperationTypes` approximated in earlier versions), so a
// new mutation, type or enum elsewhere leaves src/gql/ as it is.
import { createHash } from 'node:crypto';
import type { CodegenConfig } from '@graphql-codegen/cli';

// The server's key for an operation: the bare hex SHA-256 of its text, as
// extensions.persistedQuery.sha256Hash carries it. The preset's own
// 'sha256' writes "sha256:<hex>" (the GraphQL over HTTP draft's document
// id), which the server's manifest loader refuses as not the text's hash.
const sha256Hex = (operation: string): string =>
  createHash('sha256').update(operation).digest('hex');

const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.ts', '!src/gql/**/*'],
  // No operations found is a mistake here (a moved file), not a no-op.
  ignoreNoDocuments: false,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: {
        // No fragments here, so no masking helpers to commit.
        fragmentMasking: false,
        // persisted-documents.json: hex SHA-256 of each operation's text to
        // that text, the manifest `caseload serve -trusted-documents` takes.
        // The hash also stays in each document (__meta__.hash), so the
        // client sends it instead of the text.
        persistedDocuments: { hashAlgorithm: sha256Hex },
      },
      config: {
        // Documents are strings (TypedDocumentString), so plain fetch sends
        // them: no GraphQL client library at run time.
        documentMode: 'string',
        // Enums as string unions: no runtime objects, and they are the JSON
        // the server sends.
        enumType: 'string-literal',
        useTypeImports: true,
        // The schema's custom scalars as they arrive in JSON. A scalar added
        // later is `unknown` until it is named here, rather than failing
        // the run while no operation uses it.
        scalars: {
          Cursor: 'string',
          Date: 'string',
          Time: 'string',
        },
        defaultScalarType: 'unknown',
      },
    },
  },
};

export default config;
