// Turns the contract's JSON Schema (`python -m contract`, read from stdin) into TypeScript types
// (written to stdout; `make contract` puts them in src/contract.ts). The web app imports its wire
// shapes from there only, so a frame or an error code changed on the server is a type error here.
//
// Pydantic gives every property a `title` and lets a `$ref` carry its field's description; taken
// as they are, json-schema-to-typescript would name a type per property (RequestId1, Message2…)
// and copy ErrorCode once per use. So only the named definitions keep their titles, a `$ref`
// stands alone, and each definition becomes one exported type under its own name.
import { pathToFileURL } from "node:url";
import { compile } from "json-schema-to-typescript";

const BANNER = `// Generated from the server's contract (the pydantic package contract/, \`python -m contract\`)
// by web/scripts/contract-types.mjs. Do not edit: run \`make contract\` after changing contract/;
// \`make test\` fails while this file is stale.`;

/** A copy of `node` without property titles and with bare `$ref`s (definitions keep their title). */
function simplify(node, keepTitle = false) {
  if (Array.isArray(node)) return node.map((item) => simplify(item));
  if (node === null || typeof node !== "object") return node;
  if (typeof node.$ref === "string") return { $ref: node.$ref };
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "title" && !keepTitle) continue;
    if (key === "$defs" || key === "properties") {
      // Keys here are names, not keywords: simplify each schema under them.
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, schema]) => [name, simplify(schema, key === "$defs")]),
      );
    } else {
      out[key] = simplify(value);
    }
  }
  return out;
}

/** json-schema-to-typescript notes where each definition came from; the names say it already. */
function dropProvenance(ts) {
  return ts
    .replace(/\n \*\n \* This interface was referenced by `\w+`'s JSON-Schema\n \* via the `definition` "\w+"\./g, "")
    .replace(/\/\*\*\n \* This interface was referenced by `\w+`'s JSON-Schema\n \* via the `definition` "\w+"\.\n \*\/\n/g, "");
}

/** The TypeScript module for a contract schema (one root property per entry, shared `$defs`). */
export async function contractTypes(contractSchema) {
  const schema = simplify(contractSchema, true);
  const ts = await compile(schema, schema.title, {
    bannerComment: BANNER,
    additionalProperties: false,
    unreachableDefinitions: true,
    unknownAny: true,
    maxItems: -1,
    style: { printWidth: 120 },
  });
  return dropProvenance(ts);
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(await contractTypes(JSON.parse(await readStdin())));
}
