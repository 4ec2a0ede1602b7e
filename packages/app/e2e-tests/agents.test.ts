import { APIRequestContext, expect, test } from '@playwright/test';

// What an AI agent gets through the example backend's MCP actions backend: the actions
// the plugin registers, over MCP's streamable HTTP, with a Backstage user's token.

async function guestToken(request: APIRequestContext) {
  const auth = await request.get('/api/auth/guest/refresh', {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(auth.ok()).toBe(true);
  return (await auth.json()).backstageIdentity.token as string;
}

/** One JSON-RPC call to the MCP server; the answer comes as a server-sent event. */
async function mcp(
  request: APIRequestContext,
  token: string,
  method: string,
  params: object,
) {
  const response = await request.post('/api/mcp-actions/v1', {
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json, text/event-stream',
      'content-type': 'application/json',
    },
    data: { jsonrpc: '2.0', id: 1, method, params },
  });
  expect(response.status()).toBe(200);
  const data = (await response.text())
    .split('\n')
    .find(line => line.startsWith('data: '));
  expect(data).toBeDefined();
  return JSON.parse(data!.slice('data: '.length));
}

test('an agent lists the backup compliance tools and gets a verdict as the REST API gives it', async ({
  request,
}) => {
  const token = await guestToken(request);
  const tools = await mcp(request, token, 'tools/list', {});
  expect(tools.result.tools.map((t: { name: string }) => t.name)).toEqual(
    expect.arrayContaining([
      'backup-compliance.get-backup-verdict',
      'backup-compliance.list-non-compliant-entities',
      'backup-compliance.explain-backup-check',
    ]),
  );

  const rest = await request.get(
    '/api/backup-compliance/v1/entities/default/component/rewards-points',
    { headers: { authorization: `Bearer ${token}` } },
  );
  expect(rest.ok()).toBe(true);
  const verdict = await rest.json();

  const called = await mcp(request, token, 'tools/call', {
    name: 'backup-compliance.get-backup-verdict',
    arguments: { entityRef: 'rewards-points' },
  });
  expect(called.result.isError).toBeFalsy();
  const answer = called.result.structuredContent;
  expect(answer).toMatchObject({
    entityRef: 'component:default/rewards-points',
    level: verdict.level,
    score: verdict.score,
    backupTab: '/catalog/default/component/rewards-points/backup',
  });
  // the example's rewards-points keeps yearly points 7 of the 10 years its policy asks
  expect(
    answer.notPassing.map((c: { checkId: string }) => c.checkId),
  ).toContain('retention-yearly');

  // a typo is a clear error the agent can act on, not an empty answer
  const typo = await mcp(request, token, 'tools/call', {
    name: 'backup-compliance.explain-backup-check',
    arguments: { checkId: 'vault-lok' },
  });
  expect(JSON.stringify(typo)).toContain('vault-lock');
});
