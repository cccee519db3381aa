import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ERROR_STATUS,
  GATEWAY_ERRORS,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_TTL_SECONDS,
  ROUTES,
} from '../../contract/api';
import { STAGES, stageConfigs } from '../../stacks/config';

interface Operation {
  readonly responses: Record<string, unknown>;
}
interface OpenApi {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly 'x-default-route': Operation;
  readonly components: {
    readonly schemas: {
      readonly Error: {
        readonly properties: {
          readonly error: { readonly properties: { readonly code: { readonly enum: string[] } } };
        };
      };
    };
  };
}

const document = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../contract/openapi.json'), 'utf8'),
) as OpenApi;

const documentedRoutes = Object.entries(document.paths).flatMap(([route, operations]) =>
  Object.keys(operations).map((method) => `${method.toUpperCase()} ${route}`),
);

describe('contract/openapi.json', () => {
  it('documents exactly the routes the API has', () => {
    expect(documentedRoutes.sort()).toEqual(Object.values(ROUTES).sort());
  });

  it('lists exactly the error codes the handler can answer with', () => {
    const documented = document.components.schemas.Error.properties.error.properties.code.enum;
    expect([...documented].sort()).toEqual(Object.keys(ERROR_STATUS).sort());
  });

  it("documents each error code's status on at least one operation", () => {
    const documentedStatuses = new Set(
      Object.values(document.paths).flatMap((operations) =>
        Object.values(operations).flatMap((operation) => Object.keys(operation.responses)),
      ),
    );
    const undocumented = Object.entries(ERROR_STATUS).filter(
      ([, status]) => !documentedStatuses.has(String(status)),
    );
    expect(undocumented).toEqual([]);
  });

  const json = JSON.stringify(document);
  const resolved = (response: unknown) => {
    const ref = (response as { $ref?: string }).$ref;
    return ref === undefined
      ? response
      : ref
          .slice(2)
          .split('/')
          .reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], document);
  };
  const operations = (): [string, Operation][] => [
    ...Object.entries(document.paths).flatMap(([route, methods]) =>
      Object.entries(methods).map(([method, operation]): [string, Operation] => [
        `${method.toUpperCase()} ${route}`,
        operation,
      ]),
    ),
    ['$default', document['x-default-route']],
  ];

  it("documents API Gateway's own answers, with its messages, on every route and the $default route", () => {
    for (const [name, operation] of operations()) {
      for (const { status, message } of Object.values(GATEWAY_ERRORS)) {
        if (status === 413 && name.startsWith('GET')) continue;
        const response = JSON.stringify(resolved(operation.responses[String(status)]));
        expect([name, status, response]).toEqual([name, status, expect.stringContaining(message)]);
      }
      expect([name, operation.responses['504']]).toEqual([name, expect.anything()]);
    }
  });

  it("states each stage's throttle on the 429, as stacks/config.ts sets it", () => {
    const throttled = resolved(document['x-default-route'].responses['429']) as {
      'x-throttling': Record<string, { burstLimit: number; rateLimit: number }>;
    };
    const configs = stageConfigs({ alertEmails: { dev: [], prod: [] } });
    expect(throttled['x-throttling']).toEqual(
      Object.fromEntries(STAGES.map((stage) => [stage, configs[stage].apiThrottling])),
    );
  });

  it('documents the Idempotency-Key header, its expiry and the 422 on POST /messages', () => {
    const post = document.paths['/messages'].post as Operation & {
      parameters: { $ref?: string }[];
    };
    const parameters = post.parameters.map((parameter) => JSON.stringify(resolved(parameter)));
    const key = parameters.find((parameter) => parameter.includes(`"${IDEMPOTENCY_KEY_HEADER}"`));
    expect(key).toBeDefined();
    expect(key).toContain(`${IDEMPOTENCY_KEY_TTL_SECONDS / 3600} hours`);
    expect(post.responses['422']).toBeDefined();
    expect(json).toContain('draft-ietf-httpapi-idempotency-key-header');
  });
});
