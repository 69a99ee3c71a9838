// The sandbox's host globals. We type against the standalone typings (no globals) so one
// tsconfig can also hold DOM and Node code without the typings' console/fetch clashing.
declare const figma: PluginAPI
declare const __html__: string
