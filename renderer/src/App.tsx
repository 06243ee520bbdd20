import { useCallback, useEffect, useRef, useState } from 'react';
import { droppedPaths } from './api/client';
import { useEvent, useQuery } from './api/hooks';
import { TrainingIndicator } from './components/TrainingIndicator';
import { KeyHelp } from './components/KeyHelp';
import { LiveSummary, useLiveStatus } from './components/LiveLearning';
import { DatasetView } from './views/dataset/DatasetView';
import type { ImportRequest } from './views/dataset/ImportPanel';
import { LabelView } from './views/label/LabelView';
import { LossesView } from './views/losses/LossesView';
import { MailboxesView } from './views/mailboxes/MailboxesView';
import { MonitorView } from './views/monitor/MonitorView';
import { TestView } from './views/test/TestView';
import { TrainView } from './views/train/TrainView';
import { Welcome } from './views/welcome/Welcome';

const VIEWS = [
  { id: 'dataset', name: 'Dataset', render: (request: ImportRequest | null) => <DatasetView importRequest={request} /> },
  { id: 'label', name: 'Label', render: () => <LabelView /> },
  { id: 'train', name: 'Train', render: () => <TrainView /> },
  { id: 'losses', name: 'Losses', render: () => <LossesView /> },
  { id: 'test', name: 'Test', render: () => <TestView /> },
  { id: 'monitor', name: 'Monitor', render: () => <MonitorView /> },
  { id: 'mailboxes', name: 'Mailboxes', render: () => <MailboxesView /> },
] as const;
type ViewId = (typeof VIEWS)[number]['id'];

/** The sidebar's icons, which are all it shows of a view in a narrow window (its name stays the button's accessible name). */
const NAV_ICONS: Record<ViewId, React.ReactNode> = {
  dataset: (
    <>
      <ellipse cx="12" cy="5.5" rx="7.5" ry="2.5" />
      <path d="M4.5 5.5v13c0 1.4 3.4 2.5 7.5 2.5s7.5-1.1 7.5-2.5v-13M4.5 12c0 1.4 3.4 2.5 7.5 2.5s7.5-1.1 7.5-2.5" />
    </>
  ),
  label: (
    <>
      <path d="M3.5 12.5V4.5a1 1 0 0 1 1-1h8l8 8-9 9z" />
      <circle cx="8" cy="8" r="1.4" />
    </>
  ),
  train: <path d="M4 3.5v17h16.5M7.5 7c1.5 6 4.5 9 12 10" />,
  losses: <path d="M3.5 20.5h17M6.5 20.5v-5M11 20.5V6M15.5 20.5v-9M20 20.5v-3" />,
  test: <path d="M9 3.5h6M10 3.5v6l-5.5 9.5a1.3 1.3 0 0 0 1.1 2h12.8a1.3 1.3 0 0 0 1.1-2L14 9.5v-6M7 15.5h10" />,
  monitor: <path d="M3 12h4l2.5-6.5 5 13L17 12h4" />,
  mailboxes: (
    <>
      <path d="M3.5 13.5 6.5 5h11l3 8.5v6h-17z" />
      <path d="M3.5 13.5h5l1 2.5h5l1-2.5h5" />
    </>
  ),
};

const NavIcon = ({ view }: { view: ViewId }) => (
  <svg className="nav-icon" viewBox="0 0 24 24" aria-hidden>
    {NAV_ICONS[view]}
  </svg>
);
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
  const live = useLiveStatus();
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
  // A live copy saved as a run makes that run the active one.
  useEvent('live.updated', (status) => status.baseRunId !== stats.data?.activeRunId && setVersion((v) => v + 1));
  useEvent('import.progress', refresh);
  useEvent('messages.removed', refresh);
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
          <span className="brand-full">
            spam<span className="brand-accent">lab</span>
          </span>
          <span className="brand-short" aria-hidden>
            s<span className="brand-accent">l</span>
          </span>
        </div>
        {VIEWS.map((v) => (
          <button
            key={v.id}
            className={`nav-item${v.id === current.id ? ' active' : ''}`}
            onClick={() => setView(v.id)}
            data-testid={`nav-${v.id}`}
            aria-current={v.id === current.id ? 'page' : undefined}
            title={v.name}
          >
            <NavIcon view={v.id} />
            <span className="nav-label">{v.name}</span>
          </button>
        ))}
        <div className="sidebar-footer">
          <TrainingIndicator onOpen={() => setView('train')} />
          {stats.data && <LiveSummary activeRunId={stats.data.activeRunId} status={live.status} />}
          {stats.data && (
            <span data-testid="sidebar-counts" className="sidebar-counts">
              {stats.data.messages.toLocaleString()} {stats.data.messages === 1 ? 'message' : 'messages'} ·{' '}
              {stats.data.spam + stats.data.ham} labeled
            </span>
          )}
          <button
            className="theme-toggle"
            onClick={() => setTheme(theme === 'system' ? 'dark' : theme === 'dark' ? 'light' : 'system')}
            data-testid="theme-toggle"
            title={`Theme: ${theme} (click to change)`}
          >
            <svg className="nav-icon" viewBox="0 0 24 24" aria-hidden>
              <circle cx="12" cy="12" r="8" />
              <path d="M12 4a8 8 0 0 1 0 16z" fill="currentColor" />
            </svg>
            <span className="nav-label">Theme: {theme}</span>
          </button>
        </div>
      </nav>
      <main className="main">{current.render(importRequest)}</main>
      <KeyHelp />
    </div>
  );
}
