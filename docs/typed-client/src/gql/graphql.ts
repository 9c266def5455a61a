/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** AccessLevel is enum for the field level */
export type AccessLevel =
  | 'EDIT'
  | 'NONE'
  | 'VIEW';

/** The section of a client record. A role gives each section NONE, VIEW or EDIT. */
export type Section =
  | 'BILLING'
  | 'FORMS'
  | 'MEDICAL_HISTORY'
  | 'PROFILE'
  | 'SCHEDULING'
  | 'SESSION_NOTES';

export type CaseloadPageQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  search?: string | null | undefined;
}>;


export type CaseloadPageQuery = { clients: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, tags: Array<{ id: string, name: string }> | null, responsiblePractitioner: { id: string, name: string } | null, viewerAccess: { level: AccessLevel, canEdit: boolean, canAssign: boolean, canShare: boolean, canChangeResponsible: boolean, sections: Array<{ section: Section, level: AccessLevel }> } } | null } | null> | null } };

export type AddClientTagsMutationVariables = Exact<{
  clientId: string | number;
  tagIds: Array<string | number> | string | number;
}>;


export type AddClientTagsMutation = { addClientTags: { id: string, tags: Array<{ id: string, name: string }> | null } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const CaseloadPageDocument = new TypedDocumentString(`
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
    `, {"hash":"b426699eec269cf1eb90257c526eae0a925e81e45e762c94feaafd1d87034489"}) as unknown as TypedDocumentString<CaseloadPageQuery, CaseloadPageQueryVariables>;
export const AddClientTagsDocument = new TypedDocumentString(`
    mutation AddClientTags($clientId: ID!, $tagIds: [ID!]!) {
  addClientTags(clientId: $clientId, tagIds: $tagIds) {
    id
    tags {
      id
      name
    }
  }
}
    `, {"hash":"24aacfb6148d812f331f41c084ad732295b1b461735d91af3521c3f13b755f5e"}) as unknown as TypedDocumentString<AddClientTagsMutation, AddClientTagsMutationVariables>;