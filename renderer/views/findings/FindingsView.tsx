import type { FindingOut } from '../../../core/api/contract';
import { useApi, useApp } from '../../app/context';
import { DataTable } from '../../components/DataTable';
import { Empty, QueryState } from '../../components/States';

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'];

function EvidenceLinks({ f }: { f: FindingOut }) {
  const { go } = useApp();
  return (
    <ul className="evidence">
      {f.evidence.map((e, i) => (
        <li key={i}>
          <span className="path">{e.source}</span>
          {e.lines && e.lines.length > 0 && <> lines {e.lines.slice(0, 8).join(', ')}{e.lines.length > 8 ? '…' : ''}</>}
          {e.packets !== undefined && <> · {e.packets} packets</>}
          {e.flows && e.flows.length > 0 && (
            <> · <button type="button" className="link" onClick={() => go('flows', { filter: `id in {${e.flows!.slice(0, 200).join(' ')}}` })}>{e.flows.length} flows</button></>
          )}
        </li>
      ))}
    </ul>
  );
}

export function FindingsView() {
  const { window } = useApp();
  const q = useApi('findings.list', window);
  return (
    <div className="view" data-testid="view-findings">
      <h2>Findings</h2>
      <QueryState q={q} what="findings" channel="findings.list" isEmpty={(d) => d.length === 0}
        empty={<Empty title="No findings in this window">Findings come from the runbook checks (SNAT exhaustion, resets by a middlebox, conntrack table full, blocked 10250). Add captures and node-tool dumps from the incident's nodes.</Empty>}>
        {(rows) => {
          const sorted = [...rows].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
          return (
            <>
              <div className="cards" data-testid="finding-cards">
                {sorted.map((f) => (
                  <article key={f.id} className={`card sev-${f.severity}`} aria-label={`${f.severity}: ${f.title}`}>
                    <header><span className={`sev sev-${f.severity}`}>{f.severity}</span> <h3>{f.title}</h3></header>
                    <p>{f.detail}</p>
                    {f.affected.length > 0 && (
                      <details className="affected" open={f.affected.length <= 5}>
                        <summary>{f.affected.length} affected</summary>
                        <ul>{f.affected.map((a) => <li key={a.id}><span className={`sev sev-${a.severity}`}>{a.severity}</span> <strong>{a.title}</strong>: {a.detail}</li>)}</ul>
                      </details>
                    )}
                    <EvidenceLinks f={f} />
                    <p className="next-step"><strong>Next step:</strong> {f.next_step}</p>
                  </article>
                ))}
              </div>
              <DataTable title="Findings" rows={sorted} rowKey={(f) => f.id} testId="findings-table" columns={[
                { key: 'severity', title: 'Severity', get: (f) => f.severity },
                { key: 'title', title: 'Title', get: (f) => f.title },
                { key: 'affected', title: 'Affected', get: (f) => f.affected.length || 1, numeric: true },
                { key: 'rule', title: 'Rule', get: (f) => f.rule },
                { key: 'next_step', title: 'Next step', get: (f) => f.next_step },
              ]} />
            </>
          );
        }}
      </QueryState>
    </div>
  );
}
