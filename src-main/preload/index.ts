/**
 * Sandboxed preload (built as CommonJS): exposes exactly `window.lab` = { invoke, onFrame }
 * (the LabApi of src-shared/ipc/contract). Nothing else crosses the context bridge.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createLabApi } from './lab-api';

contextBridge.exposeInMainWorld('lab', createLabApi(ipcRenderer));
