import { TokenBucket } from './awsClients';

describe('TokenBucket', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('lets a second’s worth of calls go at once, then one per 1/rate seconds, in order', async () => {
    let now = 0;
    const bucket = new TokenBucket(2, () => now);
    const went: number[] = [];
    const calls = [1, 2, 3, 4].map(n => bucket.take().then(() => went.push(n)));
    await jest.advanceTimersByTimeAsync(0);
    expect(went).toEqual([1, 2]);

    now = 400; // not yet a whole token
    await jest.advanceTimersByTimeAsync(400);
    expect(went).toEqual([1, 2]);
    now = 500;
    await jest.advanceTimersByTimeAsync(100);
    expect(went).toEqual([1, 2, 3]);
    now = 1000;
    await jest.advanceTimersByTimeAsync(500);
    expect(went).toEqual([1, 2, 3, 4]);
    await Promise.all(calls);
  });

  it('saves up at most one second’s worth', async () => {
    let now = 0;
    const bucket = new TokenBucket(3, () => now);
    now = 60_000; // a minute idle
    const went: number[] = [];
    [1, 2, 3, 4].forEach(n => bucket.take().then(() => went.push(n)));
    await jest.advanceTimersByTimeAsync(0);
    expect(went).toEqual([1, 2, 3]);
  });
});
