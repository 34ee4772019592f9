import { useCallback, useEffect, useState } from 'react';
import { renderTimeBrush } from '../charts/time-brush';
import { useApi, useApp } from '../app/context';
import { fmtTimeUs, parseTimeUs } from '../app/format';
import { Chart } from './Chart';

const FEW_RSTS = 2000;

/** The one time window every view uses: drag on the strip, or type UTC times. */
export function TimeBrush() {
  const { caseInfo, window, setWindow } = useApp();
  const sources = useApi('sources.list', caseInfo ? {} : null);
  // Every RST as its own tick while there are few (exact times); a large case gets counts per time
  // bucket (about 400 across the strip), so all of its RSTs are on the strip, not only the first ones.
  const fewRsts = (caseInfo?.rsts ?? 0) <= FEW_RSTS;
  const spanS = caseInfo?.firstUs != null && caseInfo.lastUs != null ? (caseInfo.lastUs - caseInfo.firstUs) / 1e6 : 0;
  const rstRows = useApi('rst.list', caseInfo && fewRsts ? { limit: FEW_RSTS } : null);
  const rstBuckets = useApi('rst.summary', caseInfo && !fewRsts ? { bucketSeconds: Math.max(1, Math.ceil(spanS / 400)) } : null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [bad, setBad] = useState<string | null>(null);

  useEffect(() => {
    setFrom(window.fromUs !== undefined ? fmtTimeUs(window.fromUs) : '');
    setTo(window.toUs !== undefined ? fmtTimeUs(window.toUs) : '');
  }, [window]);

  const first = caseInfo?.firstUs ?? null;
  const last = caseInfo?.lastUs ?? null;
  const draw = useCallback((svg: SVGSVGElement, width: number) => {
    if (first === null || last === null) return;
    renderTimeBrush(svg, {
      extent: [first / 1e6, Math.max(last, first + 1e6) / 1e6],
      lanes: (sources.data ?? []).filter((s) => s.first_ts !== null && s.last_ts !== null).map((s) => ({ label: s.path, from: s.first_ts!, to: s.last_ts! })),
      ticks: fewRsts
        ? (rstRows.data ?? []).map((r) => ({ ts: r.ts, verdict: r.verdict }))
        : (rstBuckets.data?.overTime ?? []).flatMap((b) => [
          ...(b.endpoint ? [{ ts: b.ts, verdict: 'endpoint' }] : []),
          ...(b.unknown ? [{ ts: b.ts, verdict: 'unknown' }] : []),
          // Drawn last, so a node-made or middlebox RST is never hidden under an endpoint tick in the same bucket.
          ...(b.node ? [{ ts: b.ts, verdict: 'node' }] : []),
          ...(b.middlebox ? [{ ts: b.ts, verdict: 'middlebox-suspect' }] : []),
        ]),
      selection: window.fromUs !== undefined && window.toUs !== undefined ? [window.fromUs / 1e6, window.toUs / 1e6] : null,
    }, {
      width,
      label: 'Time window shared by every view',
      onChange: (sel) => setWindow(sel ? { fromUs: Math.floor(sel[0] * 1e6), toUs: Math.ceil(sel[1] * 1e6) } : {}),
    });
  }, [first, last, sources.data, fewRsts, rstRows.data, rstBuckets.data, window, setWindow]);

  if (first === null || last === null) return null;
  const apply = () => {
    const f = from.trim() === '' ? undefined : parseTimeUs(from);
    const t = to.trim() === '' ? undefined : parseTimeUs(to);
    if (f === null || t === null) { setBad('Times are UTC, like 2024-05-01 10:00:00'); return; }
    if (f !== undefined && t !== undefined && f > t) { setBad('"From" is after "To"'); return; }
    setBad(null);
    setWindow({ fromUs: f, toUs: t });
  };
  const active = window.fromUs !== undefined || window.toUs !== undefined;
  const step = caseInfo?.windowStepUs ?? null;
  return (
    <section className="time-brush" aria-label="Time window" data-testid="time-brush">
      <Chart title="Time window" draw={draw} testId="brush-chart" />
      <form className="brush-form" onSubmit={(e) => { e.preventDefault(); apply(); }}>
        <label>From (UTC) <input value={from} onChange={(e) => setFrom(e.target.value)} placeholder={fmtTimeUs(first)} data-testid="brush-from" /></label>
        <label>To (UTC) <input value={to} onChange={(e) => setTo(e.target.value)} placeholder={fmtTimeUs(last)} data-testid="brush-to" /></label>
        <button type="submit">Apply</button>
        <button type="button" disabled={!active} onClick={() => setWindow({})} data-testid="brush-clear">Whole case</button>
        {active && <span className="window-note" data-testid="window-active">Showing {fmtTimeUs(window.fromUs ?? first)} – {fmtTimeUs(window.toUs ?? last)}</span>}
        {active && step !== null && (
          <span className="window-note" data-testid="window-step" title="This case has many flows: these views add up per-minute rollups instead of reading every flow.">
            Fan-out, ports, findings and compare: whole minutes {fmtTimeUs(Math.floor((window.fromUs ?? first) / step) * step)} – {fmtTimeUs((Math.floor((window.toUs ?? last) / step) + 1) * step - 1)}
          </span>
        )}
        {bad && <span className="error" role="alert">{bad}</span>}
      </form>
    </section>
  );
}
