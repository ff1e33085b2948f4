import { describe, expect, it } from "vitest";
import { matchModel, modelLabel } from "./modelNames";

describe("model names", () => {
  it("treats name and name:latest as one model", () => {
    expect(modelLabel("hadra-gemma3:latest")).toBe("hadra-gemma3");
    expect(modelLabel("qwen2:7b")).toBe("qwen2:7b");
    expect(matchModel("hadra-gemma3", ["a:latest", "hadra-gemma3:latest"])).toBe("hadra-gemma3:latest");
    expect(matchModel("gone", ["a:latest"])).toBeNull();
  });
});
