// The examples CI runs (run-examples.test.ts) — the only files a README code block may be instead
// of a typechecked sample (readme-samples.test.ts).
export const RUNNABLE_EXAMPLES: Readonly<Record<string, string>> = {
  'examples/quick-start.mjs': 'a WeChat QR order paid in the embedded sandbox, its notification received and verified',
};
