// Generated from openapi.yaml by scripts/generate-openapi.js: do not edit.
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  openapi: '3.1.0',
  info: {
    title: 'backup-compliance',
    version: '1',
    description:
      'Backup Compliance for Backstage: AWS Backup evidence per catalog entity, judged against named policies and mapped to DORA (Regulation (EU) 2022/2554, Art. 11-12). Served under /api/backup-compliance.',
    license: {
      name: 'Apache-2.0',
    },
  },
  servers: [
    {
      url: '/',
    },
  ],
  components: {
    parameters: {
      namespace: {
        name: 'namespace',
        in: 'path',
        required: true,
        schema: {
          type: 'string',
        },
      },
      kind: {
        name: 'kind',
        in: 'path',
        required: true,
        schema: {
          type: 'string',
        },
      },
      name: {
        name: 'name',
        in: 'path',
        required: true,
        schema: {
          type: 'string',
        },
      },
      days: {
        name: 'days',
        in: 'query',
        description: 'Days of history, 1 to history.retainDays (default 90).',
        schema: {
          type: 'string',
        },
      },
    },
    schemas: {
      Error: {
        type: 'object',
        properties: {
          error: {
            type: 'object',
            properties: {
              name: {
                type: 'string',
              },
              message: {
                type: 'string',
              },
            },
            required: ['name', 'message'],
          },
        },
        required: ['error'],
      },
      RefreshRequest: {
        type: 'object',
        description:
          'A refresh asked for, and the status of the cycle that took it (CollectionRefreshRequest).',
        properties: {
          requestId: {
            type: 'string',
          },
          entityRef: {
            type: 'string',
          },
          requestedAt: {
            type: 'string',
            format: 'date-time',
          },
          status: {
            type: 'string',
            enum: ['queued', 'running', 'succeeded', 'failed', 'interrupted'],
          },
          cycleId: {
            type: 'string',
          },
          coalesced: {
            type: 'boolean',
          },
        },
        required: ['requestId', 'requestedAt', 'status'],
      },
      CheckResult: {
        type: 'object',
        description: "One check's verdict on one entity.",
        properties: {
          checkId: {
            type: 'string',
          },
          status: {
            type: 'string',
            enum: ['pass', 'fail', 'warn', 'waived', 'unknown'],
          },
          waivedStatus: {
            type: 'string',
          },
          notApplicable: {
            type: 'boolean',
          },
          resources: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          facts: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                label: {
                  type: 'string',
                },
                value: {},
                source: {
                  type: 'string',
                },
                resourceArn: {
                  type: 'string',
                },
              },
            },
          },
          explanation: {
            type: 'string',
          },
          remediation: {
            type: 'string',
          },
          dora: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          policies: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          waiver: {
            type: 'object',
            additionalProperties: true,
          },
          expiredWaiver: {
            type: 'object',
            additionalProperties: true,
          },
        },
        required: [
          'checkId',
          'status',
          'resources',
          'facts',
          'explanation',
          'remediation',
          'dora',
          'policies',
        ],
      },
      EntityComplianceSnapshot: {
        type: 'object',
        properties: {
          entityRef: {
            type: 'string',
          },
          evaluatedAt: {
            type: 'string',
            format: 'date-time',
          },
          level: {
            type: 'string',
            enum: [
              'compliant',
              'at-risk',
              'non-compliant',
              'misconfigured',
              'unknown',
            ],
          },
          score: {
            type: ['integer', 'null'],
          },
          policies: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          problems: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          resources: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: true,
            },
          },
          staleAccountRegions: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          checks: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/CheckResult',
            },
          },
        },
        required: [
          'entityRef',
          'evaluatedAt',
          'level',
          'score',
          'policies',
          'problems',
          'resources',
          'staleAccountRegions',
          'checks',
        ],
      },
      Items: {
        type: 'object',
        properties: {
          items: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: true,
            },
          },
        },
        required: ['items'],
      },
      Object: {
        type: 'object',
        additionalProperties: true,
      },
    },
    responses: {
      ErrorResponse: {
        description: "An error, as Backstage's typed errors render it.",
        content: {
          'application/json': {
            schema: {
              $ref: '#/components/schemas/Error',
            },
          },
        },
      },
    },
  },
  paths: {
    '/health': {
      get: {
        operationId: 'GetHealth',
        description: 'Liveness; answers without credentials.',
        responses: {
          '200': {
            description: 'Ok',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    status: {
                      type: 'string',
                    },
                  },
                  required: ['status'],
                },
              },
            },
          },
        },
      },
    },
    '/v1/checks': {
      get: {
        operationId: 'GetChecks',
        description: 'The check catalogue, custom checks included.',
        responses: {
          '200': {
            description: 'Ok',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Items',
                },
              },
            },
          },
        },
      },
    },
    '/v1/policies': {
      get: {
        operationId: 'GetPolicies',
        description: 'The configured policies, defaults applied.',
        responses: {
          '200': {
            description: 'Ok',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Items',
                },
              },
            },
          },
        },
      },
    },
    '/v1/history/verify': {
      get: {
        operationId: 'VerifyHistory',
        description:
          "Recomputes the tamper-evident history (each entity's chain of SHA-256 row hashes and the daily heads over all entities) from the rows as they are now, and names the first row and the first day that do not match. A day an evaluation is rewriting (or stopped rewriting midway) is listed in heads.open, not as a mismatch, until the next evaluation's end heads it again. Needs backup-compliance.collection.read.",
        responses: {
          '200': {
            description: 'Ok',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Object',
                },
              },
            },
          },
        },
      },
    },
    '/v1/collection': {
      get: {
        operationId: 'GetCollection',
        description: 'Collection state per account-region and the latest runs.',
        parameters: [
          {
            name: 'limit',
            in: 'query',
            schema: {
              type: 'string',
            },
            description: 'Runs to return, 1-1000 (default 100).',
          },
          {
            name: 'cycleId',
            in: 'query',
            schema: {
              type: 'string',
            },
          },
        ],
        responses: {
          '200': {
            description: 'Ok',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Object',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/v1/collection/refresh': {
      post: {
        operationId: 'RefreshCollection',
        description:
          "Asks for a collection cycle (whole, or one entity's account-regions) and answers at once. The request is stored; the next cycle, on whichever replica runs it, takes every pending request. Limited per caller (backupCompliance.refresh): beyond it, 429 with Retry-After. Needs backup-compliance.collection.refresh.",
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  entityRef: {},
                },
              },
            },
          },
        },
        responses: {
          '202': {
            description: 'Queued for the next cycle',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/RefreshRequest',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '429': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '503': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/v1/collection/refresh/{requestId}': {
      get: {
        operationId: 'GetRefreshRequest',
        description:
          'A refresh request and the status of the cycle that took it. Needs backup-compliance.collection.refresh.',
        parameters: [
          {
            name: 'requestId',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
            },
          },
        ],
        responses: {
          '200': {
            description: 'Ok',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/RefreshRequest',
                },
              },
            },
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/v1/entities/{namespace}/{kind}/{name}': {
      get: {
        operationId: 'GetEntityCompliance',
        description:
          "The entity's verdict; 404 unless the caller can read the entity in the catalog. With asOf, its verdict as it was on that day (its last evaluation on or before it).",
        parameters: [
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            name: 'asOf',
            in: 'query',
            schema: {
              type: 'string',
            },
            description: 'YYYY-MM-DD, not after today (UTC)',
          },
        ],
        responses: {
          '200': {
            description: 'Ok',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/EntityComplianceSnapshot',
                },
              },
            },
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/v1/entities/{namespace}/{kind}/{name}/history': {
      get: {
        operationId: 'GetEntityHistory',
        parameters: [
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            $ref: '#/components/parameters/days',
          },
        ],
        responses: {
          '200': {
            description: 'One row per day',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Object',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/v1/entities/{namespace}/{kind}/{name}/evidence': {
      get: {
        operationId: 'GetEntityEvidence',
        description:
          'The evidence pack an auditor files, as a JSON download; with asOf, of the verdict of that day (the collection state and the history heads are those of now).',
        parameters: [
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            name: 'asOf',
            in: 'query',
            schema: {
              type: 'string',
            },
            description: 'YYYY-MM-DD, not after today (UTC)',
          },
        ],
        responses: {
          '200': {
            description: 'Ok',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Object',
                },
              },
            },
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/v1/entities/{namespace}/{kind}/{name}/restore-tests': {
      get: {
        operationId: 'GetEntityRestoreTests',
        description:
          "Test restores (created by restore-testing plans) of the entity's resources, oldest first.",
        parameters: [
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/name',
          },
        ],
        responses: {
          '200': {
            description: 'Ok',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Object',
                },
              },
            },
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/v1/entities/{namespace}/{kind}/{name}/resources': {
      get: {
        operationId: 'GetEntityResources',
        parameters: [
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/name',
          },
        ],
        responses: {
          '200': {
            description: 'Ok',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Object',
                },
              },
            },
          },
          '404': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/v1/scorecard': {
      get: {
        operationId: 'GetScorecard',
        description:
          'Every verdict, filtered, sorted and paged. Needs backup-compliance.scorecard.read.',
        parameters: [
          {
            name: 'asOf',
            in: 'query',
            schema: {
              type: 'string',
            },
            description:
              'YYYY-MM-DD, not after today (UTC): the scorecard of the last evaluation on or before it',
          },
          {
            name: 'groupBy',
            in: 'query',
            schema: {
              type: 'string',
            },
            description: 'owner, system or domain',
          },
          {
            name: 'level',
            in: 'query',
            schema: {
              type: 'string',
            },
            description: 'Comma list of levels',
          },
          {
            name: 'check',
            in: 'query',
            schema: {
              type: 'string',
            },
            description: 'Only entities failing this check',
          },
          {
            name: 'owner',
            in: 'query',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'q',
            in: 'query',
            schema: {
              type: 'string',
            },
            description:
              'Text in the entity ref, title, owner, system or domain',
          },
          {
            name: 'sort',
            in: 'query',
            schema: {
              type: 'string',
            },
            description: 'level (default), score, entity or owner',
          },
          {
            name: 'order',
            in: 'query',
            schema: {
              type: 'string',
            },
            description: 'asc (default) or desc',
          },
          {
            name: 'page',
            in: 'query',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'pageSize',
            in: 'query',
            schema: {
              type: 'string',
            },
            description: '1-1000, default 50',
          },
        ],
        responses: {
          '200': {
            description: 'Ok',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Object',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/v1/scorecard/history': {
      get: {
        operationId: 'GetScorecardHistory',
        parameters: [
          {
            $ref: '#/components/parameters/days',
          },
        ],
        responses: {
          '200': {
            description: 'Per day, entities per level and the average score',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Object',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/v1/register': {
      get: {
        operationId: 'GetRegister',
        description:
          "The register an auditor files: every opted-in service the caller may read, with its policy, level, each DORA article's status and the checks behind it, the waivers in force and the history's head, as the last evaluation on or before asOf judged it. Needs backup-compliance.scorecard.read.",
        parameters: [
          {
            name: 'asOf',
            in: 'query',
            schema: {
              type: 'string',
            },
            description: 'YYYY-MM-DD, not after today (UTC); default today',
          },
          {
            name: 'format',
            in: 'query',
            schema: {
              type: 'string',
            },
            description: 'json (default), csv or html (prints to PDF)',
          },
        ],
        responses: {
          '200': {
            description: 'The register',
            content: {
              'text/csv': {
                schema: {
                  type: 'string',
                },
              },
              'text/html': {
                schema: {
                  type: 'string',
                },
              },
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Object',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/v1/scorecard/export': {
      get: {
        operationId: 'ExportScorecard',
        description: 'Every matching row as CSV or JSON, as a download.',
        parameters: [
          {
            name: 'asOf',
            in: 'query',
            schema: {
              type: 'string',
            },
            description:
              'YYYY-MM-DD, not after today (UTC): the scorecard of the last evaluation on or before it',
          },
          {
            name: 'format',
            in: 'query',
            schema: {
              type: 'string',
            },
            description: 'csv (default) or json',
          },
          {
            name: 'groupBy',
            in: 'query',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'level',
            in: 'query',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'check',
            in: 'query',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'owner',
            in: 'query',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'q',
            in: 'query',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'sort',
            in: 'query',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'order',
            in: 'query',
            schema: {
              type: 'string',
            },
          },
        ],
        responses: {
          '200': {
            description: 'The rows',
            content: {
              'text/csv': {
                schema: {
                  type: 'string',
                },
              },
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Object',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/ErrorResponse',
          },
          '403': {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
  },
} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
