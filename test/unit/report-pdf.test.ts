/**
 * PDF export in the app: Electron glue only (src-main/electron/pdf.ts), tested with
 * electron mocked — a hidden, sandboxed window without JavaScript loads the report HTML
 * and prints it with webContents.printToPDF; the window and the temp file always go.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => {
  throw new Error('src-main/electron/pdf.ts must not load electron at runtime');
});

const { createPdfPrinter, PDF_PARTITION, tempHtml } = await import('../../src-main/electron/pdf');
type WindowOptions = import('electron').BrowserWindowConstructorOptions;

function fakeWindows(behaviour: { print?: () => Promise<Buffer>; load?: () => Promise<void> } = {}) {
  const windows: FakeWindow[] = [];
  class FakeWindow {
    destroyed = false;
    loaded: string | null = null;
    printOptions: unknown = null;
    constructor(readonly options: WindowOptions) {
      windows.push(this);
    }
    loadFile = vi.fn(async (path: string) => {
      this.loaded = path;
      this.loadedHtml = readFileSync(path, 'utf8');
      await behaviour.load?.();
    });
    loadedHtml = '';
    webContents = {
      printToPDF: vi.fn(async (options: unknown) => {
        this.printOptions = options;
        return behaviour.print ? behaviour.print() : Buffer.from('%PDF-1.7 test');
      }),
    };
    destroy = vi.fn(() => {
      this.destroyed = true;
    });
    isDestroyed = () => this.destroyed;
  }
  return { windows, FakeWindow };
}

describe('PDF export (Electron printToPDF, electron mocked)', () => {
  it('prints the report HTML in a hidden, locked-down window', async () => {
    const { windows, FakeWindow } = fakeWindows();
    const cleanups: string[] = [];
    const print = createPdfPrinter({
      BrowserWindow: FakeWindow as never,
      temp: {
        async write(html) {
          const f = await tempHtml.write(html);
          return { path: f.path, cleanup: async () => (cleanups.push(f.path), f.cleanup()) };
        },
      },
    });
    const bytes = await print('<!doctype html><title>r</title><h1>Report</h1>');
    expect(new TextDecoder().decode(bytes)).toBe('%PDF-1.7 test');
    expect(windows).toHaveLength(1);
    const w = windows[0]!;
    expect(w.options.show).toBe(false);
    expect(w.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
      webSecurity: true,
      partition: PDF_PARTITION,
    });
    expect(w.options.webPreferences).not.toHaveProperty('preload');
    expect(w.loadedHtml).toContain('<h1>Report</h1>');
    expect(w.printOptions).toMatchObject({ printBackground: true, pageSize: 'A4', preferCSSPageSize: true });
    expect(w.destroyed).toBe(true);
    expect(cleanups).toEqual([w.loaded]);
  });

  it('cleans up when printing fails, and times out a printer that never answers', async () => {
    const failing = fakeWindows({ print: async () => Promise.reject(new Error('printer on fire')) });
    await expect(createPdfPrinter({ BrowserWindow: failing.FakeWindow as never })('<p>x</p>')).rejects.toThrow('printer on fire');
    expect(failing.windows[0]!.destroyed).toBe(true);

    const stuck = fakeWindows({ load: () => new Promise(() => {}) });
    await expect(createPdfPrinter({ BrowserWindow: stuck.FakeWindow as never, timeoutMs: 50 })('<p>x</p>')).rejects.toThrow(/took longer than/);
    expect(stuck.windows[0]!.destroyed).toBe(true);
  });

  it('the app hands the printer to the host (src-main/index.ts)', () => {
    const entry = readFileSync('src-main/index.ts', 'utf8');
    expect(entry).toMatch(/LabHost\.create\(\{[^}]*printPdf: createPdfPrinter\(\{ BrowserWindow \}\)/);
  });
});
