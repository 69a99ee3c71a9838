// The panel's side of the sandbox channel: postMessage to the parent frame, `message` events
// in, every inbound message parsed by the sandbox's own schema (plugin/messages.ts). Requests
// with a `rid` get a promise that settles on the matching `exported` / `placed` / `failed`.
import { createChannel, type Channel, type Transport } from '../plugin/events';
import { newId } from './lib/ids';
import { sandboxToUiSchema, type MessageOf, type SandboxToUi, type UiToSandbox } from '../plugin/messages';

export type PanelChannel = Channel<SandboxToUi, UiToSandbox>;

export function panelTransport(): Transport {
  return {
    send: (message) => parent.postMessage({ pluginMessage: message }, '*'),
    listen(handler) {
      const onMessage = (event: MessageEvent) => {
        const data: unknown = event.data;
        if (data && typeof data === 'object' && 'pluginMessage' in data) handler((data as { pluginMessage: unknown }).pluginMessage);
      };
      window.addEventListener('message', onMessage);
      return () => window.removeEventListener('message', onMessage);
    },
  };
}

export function createPanelChannel(transport: Transport = panelTransport(), log?: (reason: string) => void): PanelChannel {
  return createChannel<SandboxToUi, UiToSandbox>(sandboxToUiSchema, transport, log);
}

/** The sandbox could not do what was asked; `message` is meant for the user. */
export class SandboxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxError';
  }
}

type WithoutRid<T> = T extends unknown ? Omit<T, 'rid'> : never;
export type ExportRequest = WithoutRid<MessageOf<UiToSandbox, 'export'>>;
/** (issue 15) an edit tool's export: the target's image or fill (and its area as the mask) */
export type ExportImageRequest = WithoutRid<MessageOf<UiToSandbox, 'export-image'>>;
export type PlaceRequest = WithoutRid<MessageOf<UiToSandbox, 'place'>>;
export type PlaceHashRequest = WithoutRid<MessageOf<UiToSandbox, 'place-hash'>>;
/** (issue 16) an overnight item's result; `placed` without nodeIds: this user placed it before */
export type PlaceScheduledRequest = WithoutRid<MessageOf<UiToSandbox, 'place-scheduled'>>;
export type Exported = MessageOf<SandboxToUi, 'exported'>;
export type Placed = MessageOf<SandboxToUi, 'placed'>;

export interface Requester {
  /** `export`: layers as references; (issue 15) `export-image`: an edit tool's image (and area mask) */
  exportNodes(request: ExportRequest | ExportImageRequest, signal?: AbortSignal): Promise<Exported>;
  place(request: PlaceRequest | PlaceHashRequest | PlaceScheduledRequest): Promise<Placed>;
  close(): void;
}

/** Exports of many large frames take a while, but a silent sandbox must not hang the run. */
export const SANDBOX_TIMEOUT_MS = 120_000;

export function createRequester(channel: PanelChannel, options: { timeoutMs?: number; newId?: () => string } = {}): Requester {
  const timeoutMs = options.timeoutMs ?? SANDBOX_TIMEOUT_MS;
  const makeId = options.newId ?? newId;
  const waiting = new Map<string, { resolve(m: Exported | Placed): void; reject(e: unknown): void; expect: 'exported' | 'placed' }>();

  const settle = (rid: string, outcome: { message: Exported | Placed } | { error: unknown }) => {
    const entry = waiting.get(rid);
    if (!entry) return;
    waiting.delete(rid);
    if ('error' in outcome) entry.reject(outcome.error);
    else if (outcome.message.type !== entry.expect) entry.reject(new SandboxError(`Figma answered "${outcome.message.type}" to an ${entry.expect === 'exported' ? 'export' : 'place'} request.`));
    else entry.resolve(outcome.message);
  };
  const offs = [
    channel.on('exported', (m) => settle(m.rid, { message: m })),
    channel.on('placed', (m) => settle(m.rid, { message: m })),
    channel.on('failed', (m) => settle(m.rid, { error: new SandboxError(m.message) })),
  ];

  function ask<R extends Exported | Placed>(message: UiToSandbox & { rid: string }, expect: R['type'], signal?: AbortSignal): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => settle(message.rid, { error: new SandboxError("Figma didn't answer in time. Try again; if it keeps happening, reopen the plugin.") }), timeoutMs);
      const onAbort = () => settle(message.rid, { error: signal!.reason });
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting.set(message.rid, {
        expect,
        resolve: (m) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve(m as R);
        },
        reject: (e) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      });
      channel.emit(message);
    });
  }

  return {
    exportNodes: (request, signal) => ask<Exported>({ ...request, rid: makeId() }, 'exported', signal),
    place: (request) => ask<Placed>({ ...request, rid: makeId() } as UiToSandbox & { rid: string }, 'placed'),
    close() {
      for (const off of offs) off();
      for (const [rid] of waiting) settle(rid, { error: new SandboxError('The panel closed.') });
    },
  };
}
