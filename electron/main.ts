// Electron lifecycle only: the window, the menu and wiring the backend onto
// IPC. Everything else lives in backend/ and runs (and is tested) in plain Node.
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell } from 'electron';
import path from 'node:path';
import { EVENT_NAMES } from '../shared/contract';
import { defaultDbPath, openApi, Backend, packageRoot, sampleDir } from './backend/api';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './ipc-channels';
import { CONTENT_SECURITY_POLICY } from '../shared/csp';
import { safeStorageCredentials } from './safe-credentials';

let backend: Backend | null = null;

function createWindow(root: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    title: 'spamlab',
    icon: path.join(root, 'resources', 'icon.png'),
    webPreferences: {
      preload: path.join(__dirname, 'preload.js'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void window.loadFile(path.join(root, 'dist', 'renderer', 'index.html'));
  return window;
}

function buildMenu(window: BrowserWindow): void {
  const importFrom = async (properties: Array<'openFile' | 'openDirectory'>) => {
    const picked = await dialog.showOpenDialog(window, { properties: [...properties, 'multiSelections'] });
    // The window runs the import, so the person sees its progress and its report of failures.
    if (!picked.canceled) await backend?.handle('import.request', { paths: picked.filePaths });
  };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      {
        label: 'File',
        submenu: [
          { label: 'Import Files…', accelerator: 'CmdOrCtrl+O', click: () => void importFrom(['openFile']) },
          { label: 'Import Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: () => void importFrom(['openDirectory']) },
          { type: 'separator' },
          { role: process.platform === 'darwin' ? 'close' : 'quit' },
        ],
      },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );
}

async function start(): Promise<void> {
  const root = packageRoot(__dirname);
  backend = await openApi({
    dbPath: defaultDbPath(app.getPath('userData')),
    sampleDir: sampleDir(root),
    credentials: safeStorageCredentials(app.getPath('userData')),
  });
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  const window = createWindow(root);
  ipcMain.handle(INVOKE_CHANNEL, (event, method: unknown, request: unknown) => {
    if (event.senderFrame?.url && !event.senderFrame.url.startsWith('file://')) {
      return { ok: false, error: { kind: 'invalid-request', message: 'calls are only accepted from the app window' } };
    }
    if (typeof method !== 'string') return { ok: false, error: { kind: 'invalid-request', message: 'method must be a string' } };
    return backend!.handle(method, request);
  });
  for (const name of EVENT_NAMES) {
    backend.on(name, (payload) => {
      if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, name, payload);
      if (name === 'training.finished' && !window.isDestroyed()) window.setProgressBar(-1);
    });
  }
  backend.on('training.epoch', (e) => {
    if (!window.isDestroyed()) window.setProgressBar((e.point.epoch + 1) / e.epochs);
  });
  buildMenu(window);
}

app.enableSandbox();
app.whenReady().then(start, (err) => {
  dialog.showErrorBox('spamlab could not start', String(err));
  app.quit();
});
app.on('window-all-closed', () => app.quit());
app.on('before-quit', (event) => {
  if (!backend) return;
  event.preventDefault();
  const closing = backend;
  backend = null;
  void closing.close().finally(() => app.quit());
});
