// Generated from package.json by scripts/write-version.mjs (run by `build`); do not edit.
/** This package's version (package.json), as sent in the User-Agent. */
export const VERSION = '0.0.0';
