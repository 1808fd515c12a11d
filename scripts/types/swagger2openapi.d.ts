// swagger2openapi ships no types; only the call the pipeline makes is declared.
declare module 'swagger2openapi' {
  interface ConvertOptions {
    patch?: boolean;
    warnOnly?: boolean;
    resolve?: boolean;
    targetVersion?: string;
  }
  const swagger2openapi: {
    convertObj(spec: object, options: ConvertOptions): Promise<{ openapi: object }>;
  };
  export default swagger2openapi;
}
