import { seededRandom } from '../faults';

export type Random = () => number;

export function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

export function weighted<T>(random: Random, choices: Array<[T, number]>): T {
  let roll = random();
  for (const [value, weight] of choices) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return choices[choices.length - 1][0];
}

// Independent streams per resource and per account-region let one
// account-region be generated without generating the others first.
export const STREAM = { accountRegion: 1, legalHold: 2, points: 3, jobs: 4 };

export function streamRandom(
  seed: number,
  stream: number,
  index: number,
): Random {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b);
  h ^= Math.imul(stream + 1, 0xc2b2ae35) ^ Math.imul(index + 1, 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return seededRandom(h >>> 0);
}
