/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query CaseloadPage($first: Int!, $after: String, $search: String) {\n    clients(first: $first, after: $after, search: $search) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          tags {\n            id\n            name\n          }\n          responsiblePractitioner {\n            id\n            name\n          }\n          viewerAccess {\n            level\n            canEdit\n            canAssign\n            canShare\n            canChangeResponsible\n            sections {\n              section\n              level\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.CaseloadPageDocument,
    "\n  mutation AddClientTags($clientId: ID!, $tagIds: [ID!]!) {\n    addClientTags(clientId: $clientId, tagIds: $tagIds) {\n      id\n      tags {\n        id\n        name\n      }\n    }\n  }\n": typeof types.AddClientTagsDocument,
};
const documents: Documents = {
    "\n  query CaseloadPage($first: Int!, $after: String, $search: String) {\n    clients(first: $first, after: $after, search: $search) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          tags {\n            id\n            name\n          }\n          responsiblePractitioner {\n            id\n            name\n          }\n          viewerAccess {\n            level\n            canEdit\n            canAssign\n            canShare\n            canChangeResponsible\n            sections {\n              section\n              level\n            }\n          }\n        }\n      }\n    }\n  }\n": types.CaseloadPageDocument,
    "\n  mutation AddClientTags($clientId: ID!, $tagIds: [ID!]!) {\n    addClientTags(clientId: $clientId, tagIds: $tagIds) {\n      id\n      tags {\n        id\n        name\n      }\n    }\n  }\n": types.AddClientTagsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CaseloadPage($first: Int!, $after: String, $search: String) {\n    clients(first: $first, after: $after, search: $search) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          tags {\n            id\n            name\n          }\n          responsiblePractitioner {\n            id\n            name\n          }\n          viewerAccess {\n            level\n            canEdit\n            canAssign\n            canShare\n            canChangeResponsible\n            sections {\n              section\n              level\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').CaseloadPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddClientTags($clientId: ID!, $tagIds: [ID!]!) {\n    addClientTags(clientId: $clientId, tagIds: $tagIds) {\n      id\n      tags {\n        id\n        name\n      }\n    }\n  }\n"): typeof import('./graphql').AddClientTagsDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
