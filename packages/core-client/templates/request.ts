/* generated using openapi-typescript-codegen -- do not edit */
// Copied verbatim by the generator (`--request`). The runtime itself is hand-written and
// tested in src/runtime/request.ts; this file only points the generated core at it.
export { request } from '../../runtime/request';
