// Replaced at build time by build.mjs (esbuild `define`) with the team's backend URL.
declare const __FRAMEFILL_DEFAULT_BACKEND__: string;
