// Types of scripts/gen-operations.mjs for the TypeScript test that checks docs/operations.md.
export declare const OPERATIONS_DOC: string;
export declare const REGENERATE_COMMAND: string;
export declare function renderOperations(catalogue: {
  catalogue: Readonly<Record<string, unknown>>;
  operationNames: readonly string[];
  notifications: Readonly<Record<string, unknown>>;
}): string;
export declare function loadCatalogue(root?: string): Promise<{
  catalogue: Readonly<Record<string, unknown>>;
  operationNames: readonly string[];
  notifications: Readonly<Record<string, unknown>>;
}>;
