import { useMemo, useState } from 'react';
import type { ClassifyResult, MessageDetail, TokenContribution } from '../../../shared/contract';
import { tokenWords } from '../../../shared/token-words';
import { TokenList } from './Contributions';
import { HighlightedText } from './HighlightedText';
import { LabelBadge, Probability } from './LabelBadge';
import { sanitizeMailHtml } from './sanitize';
import { SenderButtons } from './SenderButtons';

type Tab = 'why' | 'text' | 'html' | 'headers' | 'raw' | 'history';

const TAB_NAMES: Record<Tab, string> = {
  why: 'Why (highlighted)',
  html: 'HTML (safe)',
  text: 'Text',
  headers: 'Headers',
  raw: 'Raw',
  history: 'History',
};

const formatDate = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleString());

function SafeHtml({ html }: { html: string }) {
  const clean = useMemo(() => sanitizeMailHtml(html), [html]);
  return (
    <>
      {clean.blockedRemote + clean.blockedActive > 0 && (
        <div className="notice warn small" data-testid="blocked-note">
          Blocked for your safety:{' '}
          {[
            clean.blockedRemote && `${clean.blockedRemote} remote resource${clean.blockedRemote === 1 ? '' : 's'}`,
            clean.blockedActive &&
              `${clean.blockedActive} script${clean.blockedActive === 1 ? '' : 's'} or handler${clean.blockedActive === 1 ? '' : 's'}`,
          ]
            .filter(Boolean)
            .join(', ')}
          .
        </div>
      )}
      <iframe className="mail-frame" title="message HTML" sandbox="" srcDoc={clean.html} referrerPolicy="no-referrer" />
    </>
  );
}

/** Evidence the tinted text cannot show: headers, links, word pairs, HTML, length. */
const beyondWords = (contributions: TokenContribution[]) =>
  contributions.filter((c) => c.token.split(' | ').some((t) => !['word', 'subject-word'].includes(tokenWords(t).kind)));

/**
 * wordWeights, when the message has been scored, add a tab with the text's
 * words tinted by their pull; whyFirst opens on it. contributions, when given,
 * list there the strongest evidence besides single words, in words.
 */
export function MessageView({
  message,
  actions,
  wordWeights,
  contributions,
  whyFirst = false,
}: {
  message: MessageDetail;
  actions?: React.ReactNode;
  wordWeights?: ClassifyResult['wordWeights'];
  contributions?: TokenContribution[];
  whyFirst?: boolean;
}) {
  const [tab, setTab] = useState<Tab | null>(null);
  const why: Tab[] = wordWeights ? ['why'] : [];
  const tabs: Tab[] = [
    ...(whyFirst ? why : []),
    ...(message.html ? (['html'] as Tab[]) : []),
    'text',
    ...(whyFirst ? [] : why),
    'headers',
    'raw',
    'history',
  ];
  const current = tab && tabs.includes(tab) ? tab : tabs[0]!;
  return (
    <article className="message" data-testid="message-view" data-message-id={message.id}>
      <div className="row">
        <LabelBadge label={message.label} />
        <Probability value={message.probability} />
        <span className="spacer" />
        {actions}
      </div>
      <h2>
        {!message.subject ? (
          <span className="muted">(no subject)</span>
        ) : wordWeights && current === 'why' ? (
          <HighlightedText text={message.subject} weights={wordWeights.subject} />
        ) : (
          message.subject
        )}
      </h2>
      <div className="headers">
        <span>From</span>
        <span>
          {message.from || '—'} <SenderButtons messageId={message.id} />
        </span>
        <span>To</span>
        <span>{message.to || '—'}</span>
        <span>Date</span>
        <span>{formatDate(message.date)}</span>
        {message.attachments.length > 0 && (
          <>
            <span>Attached</span>
            <span>{message.attachments.map((a) => `${a.filename ?? '(unnamed)'} (${a.mimeType})`).join(', ')}</span>
          </>
        )}
      </div>
      {message.warnings.length > 0 && <div className="notice warn small">Parsing notes: {message.warnings.join('; ')}</div>}
      <div className="tabs" role="tablist">
        {tabs.map((t) => (
          <button key={t} role="tab" className={t === current ? 'active' : ''} aria-selected={t === current} onClick={() => setTab(t)}>
            {TAB_NAMES[t]}
          </button>
        ))}
      </div>
      {current === 'why' && wordWeights && (
        <>
          <div className="small muted">
            Each word is tinted by how far its own token moved the score: <mark className="toward-spam">toward spam</mark>,{' '}
            <mark className="toward-ham">toward ham</mark>. Word pairs, headers and links count too
            {contributions ? ': the strongest of them are below the text.' : ': see the list of contributions.'}
          </div>
          <div className="text">
            <HighlightedText text={message.text} weights={wordWeights.text} />
          </div>
          {contributions && beyondWords(contributions).length > 0 && (
            <div className="why-beyond" data-testid="why-beyond">
              <div className="small muted">Besides single words (hover for the token):</div>
              <TokenList contributions={beyondWords(contributions)} limit={8} />
            </div>
          )}
        </>
      )}
      {current === 'html' && message.html && <SafeHtml html={message.html} />}
      {current === 'text' && <div className="text">{message.text || <span className="muted">(no text)</span>}</div>}
      {current === 'headers' && <pre>{message.headers.map(([k, v]) => `${k}: ${v}`).join('\n')}</pre>}
      {current === 'raw' && <pre data-testid="raw-source">{message.raw}</pre>}
      {current === 'history' && (
        <table className="grid">
          <tbody>
            {message.labelHistory.length === 0 && (
              <tr>
                <td className="muted">Never labeled.</td>
              </tr>
            )}
            {message.labelHistory.map((h, i) => (
              <tr key={i}>
                <td>{new Date(h.at).toLocaleString()}</td>
                <td>
                  {h.previous ?? 'unlabeled'} → {h.label ?? 'unlabeled'}
                </td>
                <td className="muted">{h.origin}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
