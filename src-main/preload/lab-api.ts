/**
 * The renderer's whole view of main: invoke on a known channel, and frames. Built from an
 * ipcRenderer-like object so it can be unit-tested without Electron. The Electron event
 * object never reaches the renderer.
 */
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { CHANNELS, FRAME_CHANNEL, type Channel, type Envelope, type LabApi, type Request, type Responses } from '../../src-shared/ipc/contract';
import type { Frame } from '../../src-shared/ipc/frames';

const KNOWN = new Set<string>(CHANNELS);

export function createLabApi(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): LabApi {
  return {
    invoke<C extends Channel>(channel: C, payload: Request<C>): Promise<Envelope<Responses[C]>> {
      if (typeof channel !== 'string' || !KNOWN.has(channel)) {
        return Promise.resolve({ ok: false, error: `unknown channel ${JSON.stringify(String(channel).slice(0, 40))}` });
      }
      return ipc.invoke(channel, payload) as Promise<Envelope<Responses[C]>>;
    },
    onFrame(listener: (frame: Frame) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('onFrame needs a function');
      const wrapped = (_event: IpcRendererEvent, frame: Frame): void => listener(frame);
      ipc.on(FRAME_CHANNEL, wrapped);
      return () => {
        ipc.removeListener(FRAME_CHANNEL, wrapped);
      };
    },
  };
}
