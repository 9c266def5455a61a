// The caseload page's data: the typed documents of ./operations, sent with
// plain fetch. Each document carries the SHA-256 of its registered text
// (document.__meta__.hash), and the request names the operation by that
// hash alone, which is what a server in trusted-documents mode runs.
import type { AccessLevel, CaseloadPageQuery, Section, TypedDocumentString } from './gql/graphql';
import { addClientTagsDocument, caseloadPageDocument } from './operations';

/** How many clients the caseload page shows at once. */
export const PAGE_SIZE = 50;

/** Where the API is and who asks: the bearer token that login returned. */
export interface Api {
  /** The GraphQL endpoint, e.g. https://caseload.example/graphql. */
  url: string;
  token: string;
}

/** One GraphQL error; extensions.code says what kind (FORBIDDEN, ...). */
export interface GraphQLError {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
}

/**
 * A GraphQL response. data can be partial: a field of a section the viewer
 * may not read is null, with a FORBIDDEN error naming its path, and the
 * rest of the page is still there.
 */
export interface GraphQLResponse<TResult> {
  data?: TResult | null;
  errors?: GraphQLError[];
}

/**
 * Sends a typed operation by its hash, in extensions.persistedQuery (the
 * persisted-query protocol's field, which the server reads in both of its
 * modes). A server that is not in trusted-documents mode and has not seen
 * the hash answers PersistedQueryNotFound; the text is sent then, alone,
 * because the hash is of the manifest's normalized text, not of this one.
 */
export async function execute<TResult, TVariables>(
  api: Api,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): Promise<GraphQLResponse<TResult>> {
  const hash: unknown = document.__meta__?.['hash'];
  if (typeof hash !== 'string') {
    throw new Error('document has no hash: run `npm run codegen` with persistedDocuments on');
  }
  const byHash = await post<TResult>(api, {
    variables,
    extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
  });
  if (byHash.errors?.some((e) => e.message === 'PersistedQueryNotFound')) {
    return post<TResult>(api, { query: document.toString(), variables });
  }
  return byHash;
}

async function post<TResult>(api: Api, body: object): Promise<GraphQLResponse<TResult>> {
  const response = await fetch(api.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      Authorization: `Bearer ${api.token}`,
    },
    body: JSON.stringify(body),
  });
  if (!response.headers.get('Content-Type')?.startsWith('application/json')) {
    throw new Error(`${api.url}: HTTP ${response.status}, not a GraphQL response`);
  }
  return (await response.json()) as GraphQLResponse<TResult>;
}

type ClientEdges = NonNullable<CaseloadPageQuery['clients']['edges']>;
type ClientNode = NonNullable<NonNullable<ClientEdges[number]>['node']>;

/** One row of the caseload page, as the page draws it. */
export interface CaseloadRow {
  id: string;
  name: string;
  /** null when the viewer may not read the client's PROFILE section. */
  tags: string[] | null;
  /** The responsible practitioner's name; null when there is none. */
  responsible: string | null;
  canEdit: boolean;
  canAssign: boolean;
  canShare: boolean;
  canChangeResponsible: boolean;
  /** The viewer's effective level per section, for showing or hiding tabs. */
  sections: Partial<Record<Section, AccessLevel>>;
}

/** Shapes one client of the page into the row the page draws. */
export function toRow(node: ClientNode): CaseloadRow {
  const access = node.viewerAccess;
  const sections: Partial<Record<Section, AccessLevel>> = {};
  for (const { section, level } of access.sections) {
    sections[section] = level;
  }
  return {
    id: node.id,
    name: node.name,
    tags: node.tags?.map((tag) => tag.name) ?? null,
    responsible: node.responsiblePractitioner?.name ?? null,
    canEdit: access.canEdit,
    canAssign: access.canAssign,
    canShare: access.canShare,
    canChangeResponsible: access.canChangeResponsible,
    sections,
  };
}

/** One page of the caseload, and where the next one starts. */
export interface CaseloadPage {
  rows: CaseloadRow[];
  totalCount: number;
  /** The cursor of the next page; null on the last. */
  next: string | null;
  /** Errors of fields the viewer may not read (FORBIDDEN), for a notice. */
  errors: GraphQLError[];
}

/** Loads a page of the caseload: the first, or the one after `after`. */
export async function loadCaseloadPage(
  api: Api,
  options: { after?: string | null; search?: string | null } = {},
): Promise<CaseloadPage> {
  const result = await execute(api, caseloadPageDocument, {
    first: PAGE_SIZE,
    after: options.after ?? null,
    search: options.search ?? null,
  });
  const clients = result.data?.clients;
  if (!clients) {
    throw new Error(result.errors?.map((e) => e.message).join('; ') ?? 'no data');
  }
  const rows: CaseloadRow[] = [];
  for (const edge of clients.edges ?? []) {
    if (edge?.node) {
      rows.push(toRow(edge.node));
    }
  }
  return {
    rows,
    totalCount: clients.totalCount,
    next: clients.pageInfo.hasNextPage ? clients.pageInfo.endCursor : null,
    errors: result.errors ?? [],
  };
}

/** Adds tags to a client from its row, and answers its tags now. */
export async function tagClient(api: Api, clientId: string, tagIds: string[]): Promise<string[]> {
  const result = await execute(api, addClientTagsDocument, { clientId, tagIds });
  const client = result.data?.addClientTags;
  if (!client) {
    throw new Error(result.errors?.map((e) => e.message).join('; ') ?? 'no data');
  }
  return client.tags?.map((tag) => tag.name) ?? [];
}
