// Types for build.mjs, so tests can check the manifest it writes.
export declare const DEV_ORIGIN: string;
export declare function backendUrl(): Promise<string>;
export declare function manifestFor(backend: string): {
  name: string;
  main: string;
  ui: string;
  editorType: string[];
  documentAccess: string;
  networkAccess: { allowedDomains: string[]; devAllowedDomains: string[]; reasoning: string };
  menu: Array<{ name: string; command: string; parameters?: Array<{ key: string }> }>;
  relaunchButtons: Array<{ command: string; name: string }>;
};
export declare function build(): Promise<string>;
