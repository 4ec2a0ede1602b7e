import { testScenario, PAYMENTS } from '../testing/testScenario';
import { getResources } from './taggingApi';

const region = () =>
  testScenario()
    .accounts.find(a => a.accountId === PAYMENTS)!
    .regions.get('eu-central-1')!;

const MINUTE = 60_000;

describe('getResources', () => {
  it('refuses a PaginationToken older than 15 minutes as expired, as AWS does', () => {
    const state = region();
    const issuedAt = Date.parse('2026-11-26T12:00:00Z');
    const first = getResources(
      state,
      { ResourcesPerPage: 1 },
      { now: issuedAt },
    );
    const next = (now: number) =>
      getResources(
        state,
        { ResourcesPerPage: 1, PaginationToken: first.PaginationToken },
        { now },
      );
    expect(next(issuedAt + 15 * MINUTE).ResourceTagMappingList).toHaveLength(1);
    expect(() => next(issuedAt + 15 * MINUTE + 1)).toThrow(
      expect.objectContaining({
        name: 'PaginationTokenExpiredException',
        status: 400,
      }),
    );
  });

  it('answers a listing by ARNs on one page, even when pages are cut short', () => {
    const state = region();
    const arns = state.resources.map(r => r.ResourceARN);
    const page = getResources(
      state,
      { ResourceARNList: arns },
      { shortPage: () => 0 },
    );
    expect(page.ResourceTagMappingList).toHaveLength(arns.length);
    expect(page.PaginationToken).toBe('');
  });
});
