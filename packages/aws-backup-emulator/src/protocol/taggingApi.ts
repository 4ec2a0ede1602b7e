import { taggingTypeOfArn } from '../scenario/ids';
import { AwsObject, RegionState } from '../scenario/types';
import { AwsError } from './errors';
import { paginate } from './pagination';

export const TAGGING_TARGET_PREFIX = 'ResourceGroupsTaggingAPI_20170126.';

const MAX_RESOURCES_PER_PAGE = 100;

const invalid = (message: string) =>
  new AwsError('InvalidParameterException', message);

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
export function getResources(region: RegionState, body: AwsObject): AwsObject {
  const tagFilters: TagFilter[] = body.TagFilters ?? [];
  const typeFilters: string[] = body.ResourceTypeFilters ?? [];
  const arnList: string[] | undefined = body.ResourceARNList;
  const perPage: number | undefined = body.ResourcesPerPage;
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
  if (arnList && (tagFilters.length > 0 || typeFilters.length > 0)) {
    throw invalid(
      'ResourceARNList cannot be combined with TagFilters or ResourceTypeFilters',
    );
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
    nextToken: body.PaginationToken || undefined,
    defaultPageSize: MAX_RESOURCES_PER_PAGE,
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
