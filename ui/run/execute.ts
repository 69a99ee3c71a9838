// One job's trip: export what an edit needs from Figma, fit it under the upload budget, stream
// the request and collect the results. Progress goes to the store as it happens.
import { base64ImageInfo } from '../lib/image-bytes';
import type { ImageJobRequest } from '../lib/backend-client';
import type { PreparedUploads, SourceImage } from '../lib/image-canvas';
import { parseSize } from '../../backend/size-rules';
import { settle } from '../lib/cost-estimate';
import { waitMessage } from '../lib/error-messages';
import { SandboxError } from '../transport';
import type { RunContext, RunDeps } from './context';
import type { JobSpec, JobState, ResultImage } from './job';
import { lookSource } from './look';

export async function executeJob(ctx: RunContext, job: JobState, signal: AbortSignal): Promise<ResultImage[]> {
  const { spec } = job;
  const { deps } = ctx;
  const request: ImageJobRequest = { kind: spec.kind, prompt: spec.prompt, model: spec.model, tier: spec.tier, size: spec.size, n: spec.n, outputFormat: spec.outputFormat, transparent: spec.transparent };

  if (spec.kind === 'edit') {
    ctx.patch(job.id, { status: 'exporting' });
    const uploads = await editUploads(deps, spec, signal, (notice) => ctx.patch(job.id, (j) => ({ notices: [...j.notices, notice] })));
    request.images = uploads.images;
    request.mask = uploads.mask;
  }

  if (signal.aborted) throw signal.reason;
  ctx.patch(job.id, { status: 'running' });
  const result = await deps.client().createImages(request, {
    requestId: job.requestId,
    signal,
    onPartial: (b64) => ctx.patch(job.id, { partial: b64, status: 'running', wait: null }),
    onWait: (wait) => ctx.patch(job.id, { status: 'waiting', wait: { message: waitMessage(wait), until: deps.now() + wait.delayMs } }),
  });
  const results = toResults(result.images);
  ctx.patch(job.id, (j) => ({ cost: settle(j.cost, result.costUsd), model: result.model }));
  return results;
}

/**
 * What an edit sends: the target's export (first: the API edits it and applies the mask to it)
 * and the pinned references, or (issue 15) an edit tool's image, fitted to the upload budget.
 * `note` hears what was left out. (issue 16) Overnight items export through here too.
 */
export async function editUploads(deps: Pick<RunDeps, 'requester' | 'imageOps' | 'uploadBudget'>, spec: JobSpec, signal: AbortSignal, note: (text: string) => void): Promise<PreparedUploads> {
  if (spec.tool) return toolUploads(deps, spec, signal);
  const nodeIds = [...(spec.sendsTarget && spec.targetId ? [spec.targetId] : []), ...spec.referenceIds];
  // (issue 14, look) a follower of Lock the look may have nothing to export: only the look goes.
  const exported =
    nodeIds.length === 0
      ? { images: [], mask: null }
      : await deps.requester.exportNodes({ type: 'export', nodeIds, maxSide: spec.exportMaxSide, maskFor: spec.maskId && spec.targetId ? spec.targetId : null }, signal);
  // Keep the target first (the API edits the first image and applies the mask to it).
  const byId = new Map(exported.images.map((image) => [image.nodeId, image]));
  if (spec.sendsTarget && spec.targetId && !byId.has(spec.targetId)) {
    throw new SandboxError(`Couldn't export “${spec.targetName}” — is it still on the page?`);
  }
  const sources: SourceImage[] = nodeIds.flatMap((id, i) => {
    const image = byId.get(id);
    if (!image) return [];
    const name = spec.sendsTarget && i === 0 ? 'target' : `reference-${i}`;
    return [{ bytes: image.bytes, format: image.format, width: image.width, height: image.height, name: `${name}.${image.format === 'jpeg' ? 'jpg' : 'png'}` }];
  });
  if (spec.look) {
    const look = lookSource(spec.look);
    sources.push(deps.imageOps.fitSourceWithin ? await deps.imageOps.fitSourceWithin(look, spec.exportMaxSide) : look);
  } else if (spec.lookFrom) sources.push(await lookFromCanvas(deps, spec, signal));
  const sendsLook = spec.look !== undefined || spec.lookFrom !== undefined;
  if (sources.length === 0) throw new SandboxError('None of the pinned references could be exported — pin them again.');
  const missing = nodeIds.length - (sources.length - (sendsLook ? 1 : 0));
  if (missing > 0) note(`${missing} pinned reference${missing === 1 ? " wasn't" : "s weren't"} found and ${missing === 1 ? 'was' : 'were'} left out.`);
  const mask = spec.sendsTarget && exported.mask ? exported.mask : null;
  return deps.imageOps.prepareEditUploads(sources, mask, deps.uploadBudget);
}

/**
 * (issue 14, look) The look of a frame recovered after the panel closed: the panel no longer has
 * the image, so it is exported again, as stored, from the frame that shows it.
 */
async function lookFromCanvas(deps: Pick<RunDeps, 'requester'>, spec: JobSpec, signal: AbortSignal): Promise<SourceImage> {
  const gone = new SandboxError('The frame whose image set this run’s look no longer shows it — pin a frame that has the look as a reference and run this one again.');
  const exported = await deps.requester.exportNodes({ type: 'export-image', nodeId: spec.lookFrom!, source: 'image', maxSide: spec.exportMaxSide, area: false }, signal).catch((error: unknown) => {
    throw error instanceof SandboxError ? gone : error;
  });
  const image = exported.images[0];
  if (!image) throw gone;
  return { bytes: image.bytes, format: image.format, width: image.width, height: image.height, name: `look.${image.format === 'jpeg' ? 'jpg' : 'png'}` };
}

/**
 * (issue 15) An edit tool's upload: the target's image (or its fill, with the area as the mask)
 * from `export-image`; for Expand the image goes on a canvas of the request's size at its place,
 * with the margins as the mask. prepareEditUploads then fits the budget and inverts the mask.
 */
async function toolUploads(deps: Pick<RunDeps, 'requester' | 'imageOps' | 'uploadBudget'>, spec: JobSpec, signal: AbortSignal): Promise<PreparedUploads> {
  const tool = spec.tool!;
  if (!spec.targetId) throw new SandboxError('The edit has no layer to work on — select the image again.');
  // A run recovered after the panel closed doesn't know where the image went on the canvas.
  if (tool.tool === 'expand' && !tool.expandRect) throw new SandboxError('This expand came back from an earlier session without its layout — select the image and press Expand again.');
  const exported = await deps.requester.exportNodes({ type: 'export-image', nodeId: spec.targetId, source: tool.source, maxSide: spec.exportMaxSide, area: tool.tool === 'area' }, signal);
  const image = exported.images[0];
  if (!image) throw new SandboxError(`Couldn't export “${spec.targetName}” — is it still on the page?`);
  const source: SourceImage = { bytes: image.bytes, format: image.format, width: image.width, height: image.height, name: `target.${image.format === 'jpeg' ? 'jpg' : 'png'}` };
  if (tool.tool === 'area' && !exported.mask) throw new SandboxError('The area layer couldn’t be exported — select the image and press Select area again.');
  if (tool.tool === 'expand') {
    const size = parseSize(spec.size);
    if (!size || !deps.imageOps.composeExpand) throw new SandboxError('This panel can’t build the expand canvas.');
    const composed = await deps.imageOps.composeExpand(source, size, tool.expandRect!);
    return deps.imageOps.prepareEditUploads([composed.image], composed.mask, deps.uploadBudget);
  }
  return deps.imageOps.prepareEditUploads([source], exported.mask, deps.uploadBudget);
}

export function toResults(images: string[]): ResultImage[] {
  return images.map((b64) => {
    const info = base64ImageInfo(b64);
    // WebP has a readable header, but Figma cannot place it.
    if (!info || info.format === 'webp') throw new Error('The backend sent an image Figma cannot read (not PNG or JPEG).');
    return { b64, width: info.width, height: info.height, placed: false };
  });
}
