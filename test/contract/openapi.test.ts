import * as fs from 'node:fs';
import * as path from 'node:path';
import { ERROR_STATUS, ROUTES } from '../../contract/api';

interface Operation {
  readonly responses: Record<string, unknown>;
}
interface OpenApi {
  readonly paths: Record<string, Record<string, Operation>>;
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
});
