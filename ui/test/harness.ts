// Test harness for the panel: a fake sandbox on the other end of postMessage (answers
// export/place requests), a stubbed fetch, and canvas-free image operations.
import { vi } from 'vitest';
import type { SandboxToUi, Settings, UiToSandbox } from '../../plugin/messages';
import type { ImageOps } from '../run/context';
import { DEFAULT_SETTINGS } from '../settings';

export function sandboxSends(message: SandboxToUi): void {
  window.dispatchEvent(new MessageEvent('message', { data: { pluginMessage: message } }));
}

export const TEST_SETTINGS: Settings = { ...DEFAULT_SETTINGS, backendUrl: 'https://ff.example.test', accessToken: 'ff_token' };

export const initMessage = (over: Partial<Extract<SandboxToUi, { type: 'init' }>> = {}): SandboxToUi => ({
  type: 'init',
  settings: TEST_SETTINGS,
  history: [],
  pending: [],
  selection: { targets: [], skipped: [] },
  prefill: null,
  ...over,
});

/** Every message the panel posted to the sandbox; `place`/`export` requests get answered. */
export function fakeSandbox() {
  const sent: UiToSandbox[] = [];
  const spy = vi.spyOn(window.parent, 'postMessage').mockImplementation((data: unknown) => {
    const message = (data as { pluginMessage: UiToSandbox }).pluginMessage;
    sent.push(message);
    queueMicrotask(() => {
      if (message.type === 'place' || message.type === 'place-hash') {
        sandboxSends({ type: 'placed', rid: message.rid, nodeIds: ['node-1'], imageHash: 'hash-1', notices: [] });
      } else if (message.type === 'export') {
        sandboxSends({ type: 'exported', rid: message.rid, images: [], mask: null });
      } else if (message.type === 'export-image') {
        // (issue 15) an edit tool's image, with its area's mask when asked
        const png = { bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47]), width: 1024, height: 1024 };
        sandboxSends({ type: 'exported', rid: message.rid, images: [{ nodeId: message.nodeId, format: 'png', ...png }], mask: message.area ? png : null });
      }
    });
  });
  return { sent, spy, ofType: <T extends UiToSandbox['type']>(type: T) => sent.filter((m): m is Extract<UiToSandbox, { type: T }> => m.type === type) };
}

export const fakeImageOps: ImageOps = {
  prepareEditUploads: async (images, mask) => ({ images: images.map((i) => ({ bytes: i.bytes, type: 'image/png', name: i.name })), mask: mask ? new Uint8Array([1]) : null }),
  makeThumbnail: async () => new Uint8Array([0xff, 0xd8, 0xff]),
  // (issue 15) Expand's canvas: the image as it is, at the request's size, with a stand-in mask
  composeExpand: async (image, size) => ({ image: { ...image, ...size }, mask: { bytes: new Uint8Array([2]) } }),
};

/** A backend older than GET /v1/models. */
const modelsNotFound = () => errorResponse(404, 'not_found', 'Not found');
let modelsAnswer: () => Response = modelsNotFound;

/** What GET /v1/models answers from now on (by default a 404: a backend older than the route). */
export function serveModels(answer: () => Response = modelsNotFound): void {
  modelsAnswer = answer;
}

/**
 * Stubs fetch. GET /v1/models (asked when the panel connects) is answered as `serveModels` says
 * and kept out of the returned mock, so tests count only the calls they make.
 */
export function stubFetch(handler: (url: string, init: RequestInit) => Promise<Response> | Response) {
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => handler(String(input), init ?? {}));
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => (String(input).endsWith('/v1/models') ? modelsAnswer() : fetchMock(input, init)));
  return fetchMock;
}

export const sseResponse = (chunks: string[], keepOpen = false) =>
  new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        if (!keepOpen) controller.close();
      },
    }),
    { status: 200, headers: { 'content-type': 'text/event-stream' } },
  );

export const sseEvent = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

export const errorResponse = (status: number, code: string | null, message = 'error', headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code } }), { status, headers: { 'content-type': 'application/json', ...headers } });
