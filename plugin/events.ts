// A small typed message layer over postMessage, after create-figma-plugin's
// utilities/src/events.ts, with one difference: every inbound message is parsed by the
// owner's zod schema, and anything unknown or malformed is dropped with a logged reason
// instead of reaching a handler (or crashing the sandbox).
import type * as z from 'zod/mini';
import { issueText } from './issue-text';

export interface Transport {
  send(message: unknown): void;
  /** subscribe to raw inbound messages; returns an unsubscribe function */
  listen(handler: (raw: unknown) => void): () => void;
}

type Handler<M> = (message: M) => void | Promise<void>;

export interface Channel<In extends { type: string }, Out extends { type: string }> {
  emit(message: Out): void;
  on<T extends In['type']>(type: T, handler: Handler<Extract<In, { type: T }>>): () => void;
  close(): void;
}

export function createChannel<In extends { type: string }, Out extends { type: string }>(
  inbound: z.ZodMiniType<In>,
  transport: Transport,
  log: (reason: string) => void = (reason) => console.warn(`[framefill] ${reason}`),
): Channel<In, Out> {
  const handlers = new Map<string, Set<Handler<In>>>();
  const unlisten = transport.listen((raw) => {
    const parsed = inbound.safeParse(raw, { error: issueText });
    if (!parsed.success) {
      log(`rejected message ${describe(raw)}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
      return;
    }
    const message = parsed.data;
    for (const handler of handlers.get(message.type) ?? []) {
      // A failing handler is logged; it must never take the channel (or the sandbox) down.
      Promise.resolve()
        .then(() => handler(message))
        .catch((error: unknown) => log(`handler for "${message.type}" failed: ${error instanceof Error ? error.message : String(error)}`));
    }
  });
  return {
    emit: (message) => transport.send(message),
    on(type, handler) {
      let set = handlers.get(type);
      if (!set) handlers.set(type, (set = new Set()));
      set.add(handler as Handler<In>);
      return () => set.delete(handler as Handler<In>);
    },
    close: () => {
      handlers.clear();
      unlisten();
    },
  };
}

function describe(raw: unknown): string {
  if (raw && typeof raw === 'object' && 'type' in raw) return `"${String((raw as { type: unknown }).type).slice(0, 40)}"`;
  return `of type ${raw === null ? 'null' : typeof raw}`;
}

