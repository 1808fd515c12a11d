/**
 * The APIs the pipeline builds. A new fragment of an existing API needs no change here: every
 * `*.swagger.yaml` in `specDir` with its `*.overlay.yaml` is picked up.
 */
export interface ApiConfig {
  name: string;
  specDir: string;
  openapiFile: string;
  clientDir: string;
  clientName: string;
  requestFile: string;
}

export const APIS: readonly ApiConfig[] = [
  {
    name: 'dx-core',
    specDir: 'specs/dx-core',
    openapiFile: 'specs/dx-core/openapi.yaml',
    clientDir: 'packages/core-client/src/generated',
    clientName: 'DxCoreClient',
    requestFile: 'packages/core-client/templates/request.ts',
  },
];
