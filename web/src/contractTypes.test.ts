// The generator of contract.ts (scripts/contract-types.mjs) on a schema shaped like pydantic's:
// one exported type per definition, under its own name. (`make test` checks that contract.ts is
// what it makes of the real contract.)
import { describe, expect, it } from "vitest";
import { contractTypes } from "../scripts/contract-types.mjs";

const schema = {
  title: "HadraContract",
  type: "object",
  properties: { ErrorInfo: { $ref: "#/$defs/ErrorInfo" }, Pong: { $ref: "#/$defs/Pong" } },
  required: ["ErrorInfo", "Pong"],
  additionalProperties: false,
  $defs: {
    ErrorCode: { title: "ErrorCode", type: "string", enum: ["not_found", "busy"] },
    ErrorInfo: {
      title: "ErrorInfo",
      type: "object",
      properties: {
        code: { $ref: "#/$defs/ErrorCode", description: "Picks the sentence." },
        message: { title: "Message", type: "string" },
      },
      required: ["code", "message"],
      additionalProperties: false,
    },
    Pong: {
      title: "Pong",
      type: "object",
      properties: {
        type: { title: "Type", const: "pong", type: "string" },
        request_id: { title: "Request Id", anyOf: [{ type: "string" }, { type: "null" }] },
      },
      required: ["type", "request_id"],
      additionalProperties: false,
    },
  },
};

describe("contract types", () => {
  it("exports each definition once under its own name, fields inline", async () => {
    const ts = await contractTypes(schema);
    expect(ts.startsWith("// Generated from the server's contract")).toBe(true);
    expect(ts).toContain("run `make contract`");
    expect(ts).toContain('export type ErrorCode = "not_found" | "busy";');
    expect(ts).toMatch(/export interface ErrorInfo \{\n {2}code: ErrorCode;\n {2}message: string;\n\}/);
    expect(ts).toMatch(/export interface Pong \{\n {2}type: "pong";\n {2}request_id: string \| null;\n\}/);
    // No alias per property title, no copy of ErrorCode per use, no provenance notes.
    expect(ts).not.toMatch(/export type (Message|Type|RequestId|ErrorCode1)\b/);
    expect(ts).not.toContain("referenced by");
  });
});
