// multipart/form-data bodies, parsed by undici's FormData (the same parser fetch uses), into the
// text fields and files the edits endpoint validates.
import { invalidRequest } from './errors.js';
import type { UploadedFile } from './params.js';

export interface ParsedForm {
  fields: Record<string, string>;
  files: UploadedFile[];
}

export async function parseMultipart(body: Buffer, contentType: string): Promise<ParsedForm> {
  let form: FormData;
  try {
    // A view, not a copy: uploads can be hundreds of megabytes.
    const view = new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength);
    form = await new Response(view, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw invalidRequest('Could not parse the multipart form data of your request.', null, null);
  }
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      fields[field] = value;
    } else {
      files.push({ field, filename: value.name, type: value.type, bytes: new Uint8Array(await value.arrayBuffer()) });
    }
  }
  return { fields, files };
}
