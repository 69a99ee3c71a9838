// The fake figma without Node-only imports (a browser build injects a canvas codec): what the
// playground page uses. Node tests import the modules they need directly.
export { createFakeFigma } from './fake';
export type { FakeFigma, UiHost, Notification } from './fake';
export type { FakeNode } from './nodes';
export type { ExportRecord } from './nodes';
export { createCanvasCodec } from './canvas-codec';
