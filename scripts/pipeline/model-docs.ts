type Json = Record<string, unknown>;

/**
 * The document as the generator is given it: each schema's `example` appended to its
 * `description` as a TSDoc `@example`, since openapi-typescript-codegen writes a model's
 * description into its comment but drops its example. The committed OpenAPI document keeps
 * the two apart; only the generated model files carry the joined text. (The generator trims
 * every line of a description, so the example is one line of JSON.)
 */
export function withModelExamples(spec: Json): Json {
  const copy = structuredClone(spec);
  const components = copy.components as Json | undefined;
  const schemas = (components?.schemas ?? {}) as Record<string, Json>;
  for (const [name, schema] of Object.entries(schemas)) {
    if (typeof schema !== 'object' || schema === null || !('example' in schema)) continue;
    const summary = typeof schema.description === 'string' ? schema.description.trim() : name;
    const example = `const value: ${name} = ${JSON.stringify(schema.example)};`;
    schema.description = `${summary}\n\n@example\n\`\`\`ts\n${example}\n\`\`\``;
  }
  return copy;
}
