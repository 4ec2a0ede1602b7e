import { taggingTypeOfArn } from '../scenario/ids';
import { AwsObject, RegionState } from '../scenario/types';
import { AwsError } from './errors';
import { paginate, ShortPage } from './pagination';

export const TAGGING_TARGET_PREFIX = 'ResourceGroupsTaggingAPI_20170126.';

const MAX_RESOURCES_PER_PAGE = 100;
const MAX_ARNS = 100;
const MAX_TYPE_FILTERS = 100;
const TOKEN_LIFETIME_MS = 15 * 60_000;

const invalid = (message: string) =>
  new AwsError('InvalidParameterException', message);

const tokenExpired = (message: string) =>
  new AwsError('PaginationTokenExpiredException', message);

type TagFilter = { Key?: string; Values?: string[] };

function matchesType(arn: string, filters: string[]): boolean {
  const { service, type } = taggingTypeOfArn(arn);
  return filters.some(filter => {
    const [wantedService, wantedType] = filter.split(':');
    return (
      wantedService === service &&
      (wantedType === undefined || wantedType === type)
    );
  });
}

function matchesTags(
  tags: Record<string, string>,
  filters: TagFilter[],
): boolean {
  // Keys AND, values OR; a filter without values only asks for the key.
  return filters.every(
    ({ Key, Values }) =>
      Key !== undefined &&
      Key in tags &&
      (!Values || Values.length === 0 || Values.includes(tags[Key])),
  );
}

/** `GetResources` of the Resource Groups Tagging API (awsJson1_1). */
export function getResources(
  region: RegionState,
  body: AwsObject,
  options: { shortPage?: ShortPage; now?: number } = {},
): AwsObject {
  const tagFilters: TagFilter[] = body.TagFilters ?? [];
  const typeFilters: string[] = body.ResourceTypeFilters ?? [];
  const arnList: string[] | undefined = body.ResourceARNList;
  const perPage: number | undefined = body.ResourcesPerPage;
  const tagsPerPage: number | undefined = body.TagsPerPage;
  const token: string | undefined = body.PaginationToken || undefined;
  if (tagFilters.length > 50) {
    throw invalid('TagFilters can have at most 50 keys');
  }
  if (tagFilters.some(f => (f.Values?.length ?? 0) > 20)) {
    throw invalid('A tag filter can have at most 20 values');
  }
  if (
    perPage !== undefined &&
    (!Number.isInteger(perPage) ||
      perPage < 1 ||
      perPage > MAX_RESOURCES_PER_PAGE)
  ) {
    throw invalid(
      `ResourcesPerPage must be between 1 and ${MAX_RESOURCES_PER_PAGE}, got ${perPage}`,
    );
  }
  if (
    tagsPerPage !== undefined &&
    (!Number.isInteger(tagsPerPage) || tagsPerPage < 100 || tagsPerPage > 500)
  ) {
    throw invalid(
      `TagsPerPage must be between 100 and 500, got ${tagsPerPage}`,
    );
  }
  if (typeFilters.length > MAX_TYPE_FILTERS) {
    throw invalid(
      `ResourceTypeFilters can have at most ${MAX_TYPE_FILTERS} resource types, got ${typeFilters.length}`,
    );
  }
  if (arnList) {
    if (arnList.length < 1 || arnList.length > MAX_ARNS) {
      throw invalid(
        `ResourceARNList must hold 1 to ${MAX_ARNS} ARNs, got ${arnList.length}`,
      );
    }
    const combined = [
      tagFilters.length > 0 && 'TagFilters',
      typeFilters.length > 0 && 'ResourceTypeFilters',
      perPage !== undefined && 'ResourcesPerPage',
      tagsPerPage !== undefined && 'TagsPerPage',
      token !== undefined && 'PaginationToken',
    ].filter(Boolean);
    if (combined.length > 0) {
      throw invalid(
        `ResourceARNList cannot be combined with ${combined.join(', ')}`,
      );
    }
  }
  const wanted = arnList ? new Set(arnList) : undefined;
  const resources = region.resources.filter(
    r =>
      (!wanted || wanted.has(r.ResourceARN)) &&
      (typeFilters.length === 0 || matchesType(r.ResourceARN, typeFilters)) &&
      matchesTags(r.Tags, tagFilters),
  );
  const page = paginate(resources, {
    operation: 'GetResources',
    filters: { tagFilters, typeFilters, arnList },
    maxResults: perPage,
    nextToken: token,
    defaultPageSize: MAX_RESOURCES_PER_PAGE,
    // A listing by ARNs cannot be paged (no token may go with it): one page, always.
    shortPage: arnList ? undefined : options.shortPage,
    // The Tagging API refuses a bad or old token as expired (tokens live 15 minutes).
    invalidToken: tokenExpired,
    tokenLifetime: { ms: TOKEN_LIFETIME_MS, now: options.now ?? Date.now() },
  });
  return {
    // The Tagging API ends a listing with an empty token rather than none.
    PaginationToken: page.nextToken ?? '',
    ResourceTagMappingList: page.items.map(r => ({
      ResourceARN: r.ResourceARN,
      Tags: Object.entries(r.Tags).map(([Key, Value]) => ({ Key, Value })),
    })),
  };
}
