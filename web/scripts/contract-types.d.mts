// Types of contract-types.mjs for the test that imports it.
export function contractTypes(contractSchema: object): Promise<string>;
