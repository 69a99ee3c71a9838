// The sandbox's host globals. We type against the standalone typings (no globals) so one
// tsconfig can also hold DOM and Node code without the typings' console/fetch clashing.
// The standalone typings are a module, so the type is imported (a bare `PluginAPI` here would
// not resolve and, hidden by skipLibCheck, silently make `figma` untyped).
import type { PluginAPI } from '@figma/plugin-typings/plugin-api-standalone';

declare global {
  const figma: PluginAPI;
  const __html__: string;
}
