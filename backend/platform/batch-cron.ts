// The cron route serverless platforms without a scheduler API call (Vercel Cron): its path and
// its check of `Authorization: Bearer <CRON_SECRET>` (compared as SHA-256 digests, so the time
// taken says nothing about the secret).
export const BATCH_CRON_PATH = '/v1/framefill/cron/batches';

const digest = async (text: string) => new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));

export async function cronAuthorized(request: Request, secret: string | undefined): Promise<boolean> {
  if (!secret) return false;
  const given = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1]?.trim() ?? '';
  const [a, b] = await Promise.all([digest(given), digest(secret)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
