/**
 * PDF export (Electron glue only): the report's self-contained HTML is loaded into a
 * hidden, locked-down window — sandboxed, no JavaScript, no preload, its own session
 * partition — and printed with `webContents.printToPDF`. The host calls the printer
 * (LabHostOptions.printPdf); outside Electron there is none and PDF export is refused.
 * Electron is passed in (only types are imported) so tests run with it mocked.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PDF_PARTITION = 'lab-report-pdf';
export const PDF_TIMEOUT_MS = 60_000;

export function pdfWindowOptions(): BrowserWindowConstructorOptions {
  return {
    show: false,
    width: 900,
    height: 1200,
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      javascript: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      partition: PDF_PARTITION,
    },
  };
}

/** Where the HTML goes while it prints (a file: a data URL of a large report may be too long). */
export interface TempHtml {
  write(html: string): Promise<{ path: string; cleanup(): Promise<void> }>;
}

export const tempHtml: TempHtml = {
  async write(html) {
    const dir = await mkdtemp(join(tmpdir(), 'lab-report-'));
    const path = join(dir, 'report.html');
    await writeFile(path, html, 'utf8');
    return { path, cleanup: () => rm(dir, { recursive: true, force: true }) };
  },
};

export interface PdfDeps {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => Pick<BrowserWindow, 'loadFile' | 'webContents' | 'destroy' | 'isDestroyed'>;
  temp?: TempHtml;
  timeoutMs?: number;
}

/** A printer for the host: HTML in, PDF bytes out (A4, backgrounds printed, the page's own @page size). */
export function createPdfPrinter({ BrowserWindow: Ctor, temp = tempHtml, timeoutMs = PDF_TIMEOUT_MS }: PdfDeps): (html: string) => Promise<Uint8Array> {
  return async (html: string) => {
    const file = await temp.write(html);
    const win = new Ctor(pdfWindowOptions());
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`printing the report to PDF took longer than ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
      });
      const print = (async () => {
        await win.loadFile(file.path);
        return win.webContents.printToPDF({ printBackground: true, pageSize: 'A4', preferCSSPageSize: true });
      })();
      const bytes = await Promise.race([print, timeout]);
      return new Uint8Array(bytes);
    } finally {
      if (timer) clearTimeout(timer);
      if (!win.isDestroyed()) win.destroy();
      await file.cleanup().catch(() => undefined);
    }
  };
}
