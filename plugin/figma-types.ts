// The Figma plugin API types, imported from the standalone typings (which declare no globals).
export type * from '@figma/plugin-typings/plugin-api-standalone';
