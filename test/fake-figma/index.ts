// The fake figma without Node-only imports (a browser build injects a canvas codec).
export { createFakeFigma, FakePage, pageOfNode, FIGMA_MAX_IMAGE_SIDE } from './fake';
export type { FakeFigma, FakeFigmaOptions, UiHost, FakeImage, BuildProps, ShapeType, Notification, SuggestionCall } from './fake';
export { FakeNode } from './nodes';
export type { ExportRecord, FakeImageRecord, FakeNodeType, NodeProps } from './nodes';
export type { ImageCodec, ImageHeader, PixelRect } from './codec';
export { FakeClientStorage, CLIENT_STORAGE_QUOTA, storedSize } from './client-storage';
export { Journal } from './journal';
export { createCanvasCodec } from './canvas-codec';
export { readHeader } from './image-header';
