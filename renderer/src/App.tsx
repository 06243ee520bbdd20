import { useCallback, useEffect, useRef, useState } from 'react';
import { droppedPaths } from './api/client';
import { useEvent, useQuery } from './api/hooks';
import { TrainingIndicator } from './components/TrainingIndicator';
import { DatasetView } from './views/dataset/DatasetView';
import type { ImportRequest } from './views/dataset/ImportPanel';
import { LabelView } from './views/label/LabelView';
import { LossesView } from './views/losses/LossesView';
import { MailboxesView } from './views/mailboxes/MailboxesView';
import { TestView } from './views/test/TestView';
import { TrainView } from './views/train/TrainView';
import { Welcome } from './views/welcome/Welcome';

const VIEWS = [
  { id: 'dataset', name: 'Dataset', render: (request: ImportRequest | null) => <DatasetView importRequest={request} /> },
  { id: 'label', name: 'Label', render: () => <LabelView /> },
  { id: 'train', name: 'Train', render: () => <TrainView /> },
  { id: 'losses', name: 'Losses', render: () => <LossesView /> },
  { id: 'test', name: 'Test', render: () => <TestView /> },
  { id: 'mailboxes', name: 'Mailboxes', render: () => <MailboxesView /> },
] as const;
type ViewId = (typeof VIEWS)[number]['id'];
type Theme = 'system' | 'light' | 'dark';

function useTheme(): [Theme, (t: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(() => (localStorage.getItem('spamlab.theme') as Theme | null) ?? 'system');
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => {
      document.documentElement.dataset.theme = theme === 'system' ? (media.matches ? 'dark' : 'light') : theme;
    };
    apply();
    localStorage.setItem('spamlab.theme', theme);
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
  return [theme, setTheme];
}

export function App() {
  const [view, setView] = useState<ViewId>(() => (window.location.hash.slice(1) as ViewId) || 'dataset');
  const [theme, setTheme] = useTheme();
  const [version, setVersion] = useState(0);
  const [skipWelcome, setSkipWelcome] = useState(false);
  const stats = useQuery('dataset.stats', {}, version);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  // The sidebar's counts follow labels, imports and runs; an import's progress stream is thinned to twice a second.
  const refresh = useCallback(() => {
    pending.current ??= setTimeout(() => {
      pending.current = null;
      setVersion((v) => v + 1);
    }, 500);
  }, []);
  useEvent('labels.changed', () => setVersion((v) => v + 1));
  useEvent('training.finished', () => setVersion((v) => v + 1));
  useEvent('import.progress', refresh);
  useEvent('imap.progress', refresh);
  const [importRequest, setImportRequest] = useState<ImportRequest | null>(null);
  const requestImport = useCallback((paths: string[]) => {
    setImportRequest({ id: Date.now(), paths });
    setSkipWelcome(true);
    setView('dataset');
  }, []);
  useEvent('import.requested', (e) => requestImport(e.paths));
  // Files dropped anywhere (unless a view took the drop, as Test does with an .eml) are imported.
  const onDrop = (event: React.DragEvent) => {
    if (event.defaultPrevented) return;
    event.preventDefault();
    const paths = droppedPaths(event.dataTransfer.files);
    if (paths?.length) requestImport(paths);
  };
  useEffect(() => {
    window.location.hash = view;
  }, [view]);

  if (stats.error) {
    return (
      <div className="welcome">
        <h1>spamlab cannot reach its data</h1>
        <div className="notice error">{stats.error}</div>
        <button onClick={() => setVersion((v) => v + 1)}>Try again</button>
      </div>
    );
  }
  if (stats.data && stats.data.messages === 0 && !skipWelcome) {
    return (
      <Welcome
        onDone={(next) => (setView(next), setVersion((v) => v + 1))}
        onImportOwn={() => (setView('dataset'), setSkipWelcome(true))}
      />
    );
  }
  const current = VIEWS.find((v) => v.id === view) ?? VIEWS[0];
  return (
    <div className="app" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
      <nav className="sidebar" aria-label="views">
        <div className="brand">
          spam<span>lab</span>
        </div>
        {VIEWS.map((v) => (
          <button
            key={v.id}
            className={`nav-item${v.id === current.id ? ' active' : ''}`}
            onClick={() => setView(v.id)}
            data-testid={`nav-${v.id}`}
          >
            {v.name}
          </button>
        ))}
        <div className="sidebar-footer">
          <TrainingIndicator onOpen={() => setView('train')} />
          {stats.data && (
            <span data-testid="sidebar-counts">
              {stats.data.messages.toLocaleString()} {stats.data.messages === 1 ? 'message' : 'messages'} ·{' '}
              {stats.data.spam + stats.data.ham} labeled
            </span>
          )}
          <button onClick={() => setTheme(theme === 'system' ? 'dark' : theme === 'dark' ? 'light' : 'system')} data-testid="theme-toggle">
            Theme: {theme}
          </button>
        </div>
      </nav>
      <main className="main">{current.render(importRequest)}</main>
    </div>
  );
}
