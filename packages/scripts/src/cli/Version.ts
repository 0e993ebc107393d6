// Written by tools/sync-packages.mjs from package.json (`npm run version-packages`); do not edit.
/** What `pipedrive-effect --version` prints: the version of @pipedrive-effect/scripts. */
export const version = "0.1.0"
