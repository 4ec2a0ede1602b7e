import { parseLargeJson } from './parseLargeJson';

const documents = [
  { a: 1, b: [1, 2, { c: 'x' }], d: null, e: true, f: false },
  [
    'a "quoted" string, with [brackets] and {braces}',
    'back\\slash\\',
    '\u00e9\u4e2d\ud83d\ude00',
    -1.5e3,
    0,
    [],
    {},
    [[[]]],
  ],
  {
    Accounts: Array.from({ length: 30 }, (_, i) => ({
      AccountId: String(100000000000 + i),
      Regions: [{ Region: 'eu-west-1', Points: [{ Arn: `p-${i}`, N: i }] }],
    })),
  },
  'just a string',
  42,
  null,
];

describe('parseLargeJson', () => {
  it.each(documents.map(d => [JSON.stringify(d).slice(0, 40), d]))(
    'answers what JSON.parse does, parsing members apart when the text is larger than allowed: %s',
    (_, document) => {
      for (const spacing of [undefined, 2]) {
        const text = JSON.stringify(document, null, spacing);
        for (const maxChars of [1, 7, 64, 1e6]) {
          expect(parseLargeJson(Buffer.from(` ${text}\n`), maxChars)).toEqual(
            document,
          );
        }
      }
    },
  );

  it.each([
    ['{"a": 1,}', /Unexpected ","/],
    ['{"a" 1}', /Expected ":"/],
    ['[1, 2', /Unexpected end of JSON|Expected "\]"/],
    ['{"a": "open}', /Unterminated string|Unexpected end/],
    ['[1 2]', /Expected "," or the end of the value/],
    ['{a: 1}', /Expected a property name/],
  ])('rejects %s naming the byte where it fails', (text, message) => {
    expect(() => parseLargeJson(Buffer.from(text), 1)).toThrow(message);
    expect(() => parseLargeJson(Buffer.from(text), 1)).toThrow(/at byte \d+/);
  });
});
