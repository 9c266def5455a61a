// The operations of this example. GraphQL Code Generator finds each
// graphql(`...`) call here and writes its typed document into ./gql; the
// same text, normalized, goes into ./gql/persisted-documents.json.
import { graphql } from './gql';

/**
 * The caseload page: a page of the clients the viewer sees, each with
 * name, tags, responsible practitioner and what the viewer may do with it
 * (viewerAccess), so the page shows or hides its buttons without provoking
 * errors.
 */
export const caseloadPageDocument = graphql(`
  query CaseloadPage($first: Int!, $after: String, $search: String) {
    clients(first: $first, after: $after, search: $search) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          tags {
            id
            name
          }
          responsiblePractitioner {
            id
            name
          }
          viewerAccess {
            level
            canEdit
            canAssign
            canShare
            canChangeResponsible
            sections {
              section
              level
            }
          }
        }
      }
    }
  }
`);

/** Tags a client from the caseload page, and reads back its tags. */
export const addClientTagsDocument = graphql(`
  mutation AddClientTags($clientId: ID!, $tagIds: [ID!]!) {
    addClientTags(clientId: $clientId, tagIds: $tagIds) {
      id
      tags {
        id
        name
      }
    }
  }
`);
