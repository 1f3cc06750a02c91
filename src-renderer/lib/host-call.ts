/**
 * One request to the host, with every failure turned into a message: an `ok:false`
 * envelope, a rejected promise (bridge closed) or a malformed answer. Never throws.
 */
import type { Channel, LabApi, Request, Responses } from '../../src-shared/ipc/contract';

export type CallResult<T> = { ok: true; value: T } | { ok: false; message: string };

export async function callHost<C extends Channel>(api: LabApi | null, channel: C, payload: Request<C>, what: string): Promise<CallResult<Responses[C]>> {
  if (!api) return { ok: false, message: `Could not ${what}: not connected to the lab host` };
  let env: unknown;
  try {
    env = await api.invoke(channel, payload);
  } catch (e) {
    return { ok: false, message: `Could not ${what}: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!env || typeof env !== 'object' || !('ok' in env)) return { ok: false, message: `Could not ${what}: the host sent no answer` };
  const e = env as { ok: boolean; value?: unknown; error?: unknown };
  if (!e.ok) return { ok: false, message: `Could not ${what}: ${typeof e.error === 'string' && e.error ? e.error : 'unknown error'}` };
  return { ok: true, value: e.value as Responses[C] };
}
