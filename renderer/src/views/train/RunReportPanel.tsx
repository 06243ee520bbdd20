import { useEffect, useState } from 'react';
import type { RunReport } from '../../../../shared/contract';
import type { ClassWeighting } from '../../../../shared/types';
import { api } from '../../api/client';
import { Explainer } from '../../components/Explainer';
import { describeHoldout } from '../../../../shared/holdout';
import { DataWarnings } from './DataWarnings';
import { figureText, heldOutCounts, pct, undefinedBecause, type FigureName } from './format';
import { PolicyControls } from './PolicyControls';
import { ClassCounts, dataWarnings } from './warnings';
/** "1 of 31": counts, since a percentage of a handful of newsletters says little on its own. */
const flaggedShare = (t: { count: number; flagged: number }) => (t.count ? `${t.flagged} of ${t.count}` : '–');

function Curve({
  points,
  x,
  y,
  mark,
  title,
}: {
  points: Array<Record<string, number>>;
  x: string;
  y: string;
  mark?: { x: number; y: number };
  title: string;
}) {
  const size = 180;
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${(p[x]! * size).toFixed(1)},${((1 - p[y]!) * size).toFixed(1)}`).join('');
  return (
    <figure style={{ margin: 0 }}>
      <figcaption className="small muted">{title}</figcaption>
      <svg width={size} height={size} viewBox={`-4 -4 ${size + 8} ${size + 8}`} style={{ background: 'var(--panel-2)', borderRadius: 6 }}>
        <path d={`M0,${size}L${size},0`} stroke="var(--border)" strokeDasharray="4 4" fill="none" />
        <path d={path} stroke="var(--accent)" strokeWidth={2} fill="none" />
        {mark && <circle cx={mark.x * size} cy={(1 - mark.y) * size} r={5} fill="var(--spam)" />}
      </svg>
    </figure>
  );
}

/** How many messages of each class a run trained on (before any refit), from its stored predictions. */
function useTrainCounts(runId: number): ClassCounts | null {
  const [counts, setCounts] = useState<ClassCounts | null>(null);
  useEffect(() => {
    let current = true;
    setCounts(null);
    const total = (label: 'spam' | 'ham') =>
      api.call('runs.predictions', { runId, sort: 'loss-desc', split: 'train', label, offset: 0, limit: 1 }).then((r) => r.total);
    Promise.all([total('spam'), total('ham')]).then(
      ([spam, ham]) => current && setCounts({ spam, ham }),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [runId]);
  return counts;
}

/** A figure's card: "n/a" with the reason as its tooltip when undefined. */
function Figure({ m, name, title }: { m: RunReport['metrics']; name: FigureName; title: string }) {
  const why = undefinedBecause(m, name);
  return (
    <div className="card" data-testid={`figure-${name}`} title={why ?? undefined}>
      <div className="value">{figureText(m, name)}</div>
      <div className="name">
        {title}
        {why && <span className="muted">: {why}</span>}
      </div>
    </div>
  );
}

export function RunReportPanel({
  runId,
  initialThreshold,
  onSaved,
  formWeighting,
  onUseBalanced,
}: {
  runId: number;
  initialThreshold: number;
  onSaved(): void;
  /** The class weighting set in the form now, for the next run. */
  formWeighting: ClassWeighting;
  /** Sets balanced class weighting in the form. */
  onUseBalanced(): void;
}) {
  const [threshold, setThreshold] = useState(initialThreshold);
  const [report, setReport] = useState<RunReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const trained = useTrainCounts(runId);
  // Bumped when the policy is saved: the unsure band is in the report, and may change while the threshold does not.
  const [saved, setSaved] = useState(0);
  useEffect(() => setThreshold(initialThreshold), [runId, initialThreshold]);
  useEffect(() => {
    let current = true;
    api.call('runs.report', { runId, threshold }).then(
      (r) => current && setReport(r),
      (e: Error) => current && setError(e.message),
    );
    return () => {
      current = false;
    };
  }, [runId, threshold, saved]);
  if (error) return <div className="notice error">{error}</div>;
  if (!report) return <div className="muted">Loading metrics…</div>;
  const m = report.metrics;
  const maxBin = Math.max(1, ...report.histogram.spam, ...report.histogram.ham);
  const unsureBelow = report.run.unsureBelow;
  const held = heldOutCounts(m);
  const onHoldout = report.split === 'validation';
  // What the run learned from and was judged on: its training messages and, with a holdout, the held-out ones.
  const warnings = trained
    ? dataWarnings(onHoldout ? { spam: trained.spam + held.spam, ham: trained.ham + held.ham } : trained, held, 'after').filter(
        (w) => onHoldout || w.kind !== 'small-holdout',
      )
    : [];
  const allHam = held.spam + held.ham ? held.ham / (held.spam + held.ham) : null;
  return (
    <div data-testid="run-report">
      <DataWarnings
        warnings={warnings}
        testId="run-warnings"
        weighting={report.run.settings.classWeighting === 'balanced' ? 'on' : formWeighting === 'balanced' ? 'next-run' : 'suggest'}
        onUseBalanced={onUseBalanced}
      />
      <div className="lead-figures" data-testid="lead-figures">
        <div className="card lead" data-testid="lead-ham-lost" title={undefinedBecause(m, 'hamLost') ?? undefined}>
          <div className="value">{figureText(m, 'hamLost')}</div>
          <div className="name">
            <b>ham lost</b> (hm%): {m.confusion.fp} of {held.ham} ham called spam
          </div>
        </div>
        <div className="card lead" data-testid="lead-spam-missed" title={undefinedBecause(m, 'spamMissed') ?? undefined}>
          <div className="value">{figureText(m, 'spamMissed')}</div>
          <div className="name">
            <b>spam missed</b> (sm%): {m.confusion.fn} of {held.spam} spam let through
          </div>
        </div>
        <div className="small muted lead-note">
          at threshold {threshold.toFixed(2)}, on {held.spam + held.ham} {onHoldout ? 'held-out' : 'out-of-fold'} messages. Losing a ham
          costs more than letting a spam through: read these two first.
        </div>
      </div>
      <div className="row" style={{ marginBottom: 10 }}>
        <label className="field" style={{ flex: 1 }}>
          <span>
            Threshold <b data-testid="threshold-value">{threshold.toFixed(2)}</b>
            <span className="muted small">
              {' '}
              — a message is spam when p(spam) ≥ threshold;{' '}
              <span data-testid="report-holdout">
                {report.split === 'validation'
                  ? describeHoldout(report.run.holdout, m.count)
                  : `on out-of-fold predictions, ${m.count} messages`}
              </span>
            </span>
          </span>
          <input
            type="range"
            min={0.01}
            max={0.99}
            step={0.01}
            value={threshold}
            onChange={(e) => setThreshold(Number(e.target.value))}
            aria-label="threshold"
          />
        </label>
        <button
          onClick={() => void api.call('runs.setThreshold', { runId, threshold }).then(onSaved)}
          disabled={threshold === report.run.threshold}
        >
          Use this threshold
        </button>
      </div>
      <PolicyControls
        run={report.run}
        onSaved={() => {
          setSaved((n) => n + 1);
          onSaved();
        }}
      />
      <div className="row" style={{ alignItems: 'flex-start', gap: 20 }}>
        <table className="grid" style={{ width: 260 }} data-testid="confusion">
          <thead>
            <tr>
              <th />
              <th>called spam</th>
              <th>called ham</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th>is spam</th>
              <td className="num" data-testid="tp">
                {m.confusion.tp}
              </td>
              <td className="num" data-testid="fn">
                {m.confusion.fn}
              </td>
            </tr>
            <tr>
              <th>is ham</th>
              <td className="num" data-testid="fp">
                {m.confusion.fp}
              </td>
              <td className="num" data-testid="tn">
                {m.confusion.tn}
              </td>
            </tr>
          </tbody>
        </table>
        <div className="cards" style={{ flex: 1 }}>
          <Figure m={m} name="precision" title="precision" />
          <Figure m={m} name="recall" title="recall" />
          <Figure m={m} name="f1" title="F1" />
          <div className="card" data-testid="figure-accuracy">
            <div className="value">{figureText(m, 'accuracy')}</div>
            <div className="name">
              accuracy
              {allHam !== null && <span className="muted"> (calling all ham: {pct(allHam)})</span>}
            </div>
          </div>
          {[
            ['bulk ham lost', flaggedShare(report.hamFlagged.bulk)],
            ['other ham lost', flaggedShare(report.hamFlagged.other)],
          ].map(([name, value]) => (
            <div className="card" key={name}>
              <div className="value">{value}</div>
              <div className="name">{name}</div>
            </div>
          ))}
          <Figure m={m} name="rocAuc" title="ROC AUC" />
          <Figure m={m} name="prAuc" title="PR AUC" />
          <Figure m={m} name="logLoss" title="log-loss" />
          <Figure m={m} name="ece" title="ECE" />
        </div>
      </div>
      <div className="row" style={{ marginTop: 14, alignItems: 'flex-start', gap: 18 }}>
        <Curve
          title="ROC (false vs true positive rate)"
          points={report.roc}
          x="fpr"
          y="tpr"
          mark={{ x: m.hamMisclassifiedPct / 100, y: m.recall }}
        />
        <Curve
          title="Precision–recall"
          points={report.pr}
          x="recall"
          y="precision"
          mark={undefinedBecause(m, 'precision') ? undefined : { x: m.recall, y: m.precision }}
        />
        <Curve title={`Calibration (ECE ${m.ece.toFixed(3)})`} points={report.calibration} x="meanPredicted" y="fractionPositive" />
        <figure style={{ margin: 0 }}>
          <figcaption className="small muted">
            p(spam) by true class: <span style={{ color: 'var(--spam)' }}>spam</span> / <span style={{ color: 'var(--ham)' }}>ham</span>
            {unsureBelow !== null && ', shaded: unsure'}
          </figcaption>
          <svg width={240} height={180} style={{ background: 'var(--panel-2)', borderRadius: 6 }}>
            {unsureBelow !== null && unsureBelow < threshold && (
              <rect
                data-testid="unsure-band"
                x={unsureBelow * 240}
                width={(threshold - unsureBelow) * 240}
                y={0}
                height={180}
                fill="var(--accent)"
                opacity={0.18}
              >
                <title>unsure: p(spam) from {unsureBelow.toFixed(2)} up to the threshold</title>
              </rect>
            )}
            {report.histogram.spam.map((count, i) => (
              <rect key={`s${i}`} x={i * 12} y={90 - (count / maxBin) * 88} width={10} height={(count / maxBin) * 88} fill="var(--spam)" />
            ))}
            {report.histogram.ham.map((count, i) => (
              <rect key={`h${i}`} x={i * 12} y={92} width={10} height={(count / maxBin) * 88} fill="var(--ham)" />
            ))}
            <line x1={threshold * 240} x2={threshold * 240} y1={0} y2={180} stroke="var(--text)" strokeDasharray="3 3" />
          </svg>
        </figure>
      </div>
      <div style={{ marginTop: 14 }}>
        <Explainer />
      </div>
    </div>
  );
}
