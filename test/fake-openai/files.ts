// The Files API as far as the Batch API needs it: upload (multipart `file` + `purpose`),
// retrieve, content and delete. Files live in memory for the fake's lifetime; ids look like OpenAI's.
import { randomBytes } from 'node:crypto';
import { FakeApiError, invalidChoice, invalidRequest, missingParameter, unknownParameter } from './errors.js';
import { nowSeconds } from './images-body.js';
import type { UploadedFile } from './params.js';

const PURPOSES = ['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'] as const;
/** Batch input and output files expire after 30 days unless told otherwise (files.d.ts). */
const BATCH_FILE_SECONDS = 30 * 86_400;
/** OpenAI's limit for one uploaded file (512 MB); a batch input file is limited to 200 MB. */
const MAX_FILE_BYTES = 512 * 1024 * 1024;
const MAX_BATCH_FILE_BYTES = 200 * 1024 * 1024;

export interface FileObject {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  status: 'processed';
  expires_at?: number;
}

export class FakeFiles {
  private readonly files = new Map<string, { meta: FileObject; data: Uint8Array }>();

  /** POST /v1/files: validated like the live endpoint. */
  upload(fields: Record<string, string>, uploads: UploadedFile[]): FileObject {
    for (const key of Object.keys(fields)) if (key !== 'purpose' && !key.startsWith('expires_after')) throw unknownParameter(key);
    const file = uploads.find((f) => f.field === 'file');
    if (!file) throw missingParameter('file');
    for (const other of uploads) if (other.field !== 'file') throw unknownParameter(other.field);
    const purpose = fields.purpose;
    if (purpose === undefined) throw missingParameter('purpose');
    if (!(PURPOSES as readonly string[]).includes(purpose)) throw invalidChoice('purpose', purpose, PURPOSES);
    if (file.bytes.byteLength > (purpose === 'batch' ? MAX_BATCH_FILE_BYTES : MAX_FILE_BYTES)) {
      throw invalidRequest(`File is too large for purpose '${purpose}'.`, 'file', 'file_too_large');
    }
    if (purpose === 'batch' && !file.filename.endsWith('.jsonl')) {
      throw invalidRequest('Invalid file format for Batch API. Must be .jsonl', 'file', 'invalid_file_format');
    }
    return this.add(file.filename, purpose, file.bytes);
  }

  /** A file the fake writes itself (batch output and error files). */
  add(filename: string, purpose: string, data: Uint8Array): FileObject {
    const created = nowSeconds();
    const meta: FileObject = {
      id: `file-${randomBytes(12).toString('hex')}`,
      object: 'file',
      bytes: data.byteLength,
      created_at: created,
      filename,
      purpose,
      status: 'processed',
      ...(purpose.startsWith('batch') ? { expires_at: created + BATCH_FILE_SECONDS } : {}),
    };
    this.files.set(meta.id, { meta, data });
    return meta;
  }

  /** GET /v1/files/{id} (and its bytes for /content); 404 in OpenAI's words when unknown. */
  get(id: string): { meta: FileObject; data: Uint8Array } {
    const file = this.files.get(id);
    if (!file) throw noSuchFile(id);
    return file;
  }

  /** DELETE /v1/files/{id}: OpenAI's FileDeleted; 404 in OpenAI's words when unknown (or deleted before). */
  delete(id: string): { id: string; object: 'file'; deleted: true } {
    if (!this.files.delete(id)) throw noSuchFile(id);
    return { id, object: 'file', deleted: true };
  }

  /** The files held now (a test checks what remains), oldest first. */
  list(): FileObject[] {
    return [...this.files.values()].map((f) => f.meta);
  }

  find(id: string): { meta: FileObject; data: Uint8Array } | undefined {
    return this.files.get(id);
  }

  clear(): void {
    this.files.clear();
  }
}

export function noSuchFile(id: string, param: string | null = 'id'): FakeApiError {
  return new FakeApiError(404, { message: `No such File object: ${id}`, type: 'invalid_request_error', param, code: null });
}
