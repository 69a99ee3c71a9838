// Test and bench only: builds the app from a config and serves it on config.host:config.port
// (port 0 → any free port), as the Node entry would.
import { createApp, type AppDeps } from '../app';
import { secretsOf, type BackendConfig } from '../config/load-config';
import { serveApp, type RunningServer } from '../platform/node-server';

export function startServer(config: BackendConfig, deps: AppDeps = {}): Promise<RunningServer> {
  return serveApp(createApp(config, deps), { ...config, secrets: secretsOf(config) });
}
