// Routing of the Files and Batches endpoints (server.ts hands over requests under /v1/files and
// /v1/batches after the key is checked): path and method → the fake's answer or a FakeApiError.
import type { FakeBatches } from './batches.js';
import { methodNotAllowed, notFound } from './errors.js';
import type { FakeFiles } from './files.js';
import type { UploadedFile } from './params.js';

export type BatchApiBody = { kind: 'json'; json: unknown } | { kind: 'form'; fields: Record<string, string>; files: UploadedFile[] };

export interface BatchApiAnswer {
  status: number;
  type: string;
  body: string | Uint8Array;
}

export const isBatchApiPath = (path: string) => /^\/v1\/(files|batches)(\/|$)/.test(path);

const json = (value: unknown): BatchApiAnswer => ({ status: 200, type: 'application/json', body: JSON.stringify(value) });

export function batchApi(method: string, path: string, body: BatchApiBody | undefined, parseError: unknown, files: FakeFiles, batches: FakeBatches): BatchApiAnswer {
  const parts = path.split('/').slice(2); // ['files', id?, 'content'?]
  const [kind, id, action] = parts;
  const only = (allowed: string) => {
    if (method !== allowed) throw methodNotAllowed(method, path);
  };
  if (kind === 'files') {
    if (id === undefined) {
      only('POST');
      if (!body || body.kind !== 'form') throw parseError;
      return json(files.upload(body.fields, body.files));
    }
    if (action === undefined && method === 'DELETE') return json(files.delete(id));
    only('GET');
    if (action === undefined) return json(files.get(id).meta);
    if (action === 'content' && parts.length === 3) return { status: 200, type: 'application/octet-stream', body: files.get(id).data };
  }
  if (kind === 'batches') {
    if (id === undefined) {
      only('POST');
      if (!body || body.kind !== 'json') throw parseError;
      return json(batches.create(body.json));
    }
    if (action === undefined) {
      only('GET');
      return json(batches.retrieve(id));
    }
    if (action === 'cancel' && parts.length === 3) {
      only('POST');
      return json(batches.cancel(id));
    }
  }
  throw notFound(method, path);
}
